import { describe, expect, it } from 'vitest';
import { Reg } from '../../../src/domain/state/layout.js';
import { FLAGS, IF, exec, toUser } from './harness.js';

const GP = 13;

describe('privileged instructions trap at CPL 3 on both profiles', () => {
  const privileged = ['hlt', 'mov cr3, r0', 'mov r1, cr0', 'lidt [r0]', 'lgdt [r0]', 'invlpg [r0]', 'wrmsr 1, r0', 'rdmsr r1, 1', 'cli', 'sti', 'in r1, 0x3fd', 'out 0x3f8, r0'];
  for (const profile of ['classic', 'virtualizable'] as const) {
    for (const insn of privileged) {
      it(`${insn} at CPL 3 raises #GP on ${profile}`, () => {
        const o = exec(`${toUser('u')}\n${insn}`, { profile });
        expect(o.vector).toBe(GP);
        expect(o.word(o.regs[Reg.SP] ?? 0)).toBe(0); // error code
      });
    }
  }
});

describe('the sensitive but unprivileged instructions (Robin & Irvine 2000)', () => {
  const holes: [string, (o: ReturnType<typeof exec>) => void][] = [
    ['pushf\npop r1', (o) => expect((o.regs[1] ?? 0) & IF).toBe(IF)],
    ['mov r1, cs', (o) => expect(o.regs[1]).toBe(3)],
    ['smsw r1', (o) => expect(o.regs[1]).toBe(0)],
    ['sidt [0x8000]\nld r1, [0x8004]', (o) => expect(o.regs[1]).not.toBe(0)],
    ['sgdt [0x8000]\nld r1, [0x8000]', (o) => expect(o.regs[1]).toBe(0)],
    ['push 0\npopf\npushf\npop r1', (o) => expect((o.regs[1] ?? 0) & IF).toBe(IF)],
  ];
  for (const [code, check] of holes) {
    it(`${code.split('\n')[0]} runs at CPL 3 on classic and reveals or silently keeps system state`, () => {
      const o = exec(`${toUser('u', IF)}\n${code}\nint 47`, { profile: 'classic' });
      expect(o.vector).toBe(47);
      check(o);
    });
    it(`${code.split('\n')[0]} raises #GP at CPL 3 on virtualizable`, () => {
      expect(exec(`${toUser('u', IF)}\n${code}\nint 47`, { profile: 'virtualizable' }).vector).toBe(GP);
    });
  }

  it('popf at CPL 0 loads IF and IOPL; at CPL 3 it keeps them', () => {
    const kernel = exec('push 0x3200\npopf');
    expect((kernel.regs[FLAGS] ?? 0) & 0x3200).toBe(0x3200);
    const user = exec(`${toUser('u')}\npush 0x3200\npopf\nint 47`);
    expect((user.word((user.regs[Reg.SP] ?? 0) + 12) & 0x3200)).toBe(0);
  });

  it('with IOPL 3, cli and in are allowed at CPL 3', () => {
    const o = exec(`${toUser('u', 0x3200)}\ncli\nin r1, 0x3fd\nint 47`);
    expect(o.vector).toBe(47);
    expect(o.regs[1]).toBe(0x20);
  });

  it('rdtsc traps at CPL 3 only when CR4.TSD is set', () => {
    expect(exec(`${toUser('u')}\nrdtsc r1\nint 47`).vector).toBe(47);
    expect(exec(`mov r1, 4\nmov cr4, r1\n${toUser('u')}\nrdtsc r1\nint 47`).vector).toBe(GP);
  });
});

describe('system instructions at CPL 0', () => {
  it('move to and from control registers', () => {
    const o = exec('mov r1, 0x1234\nmov cr2, r1\nmov cr8, r1\nmov r2, cr2\nmov r3, cr8');
    expect([o.regs[2], o.regs[3]]).toEqual([0x1234, 0x1234]);
  });

  it('lidt, sidt, lgdt, sgdt move 8-byte descriptors: limit, then base', () => {
    const o = exec('mov r1, desc\nlgdt [r1]\nsgdt [0x8000]\nld r2, [0x8000]\nld r3, [0x8004]', { extra: 'desc: .word 0x17, 0xabc000' });
    expect([o.regs[2], o.regs[3]]).toEqual([0x17, 0xabc000]);
  });

  it('wrmsr and rdmsr; MSR 4 and beyond raise #GP', () => {
    expect(exec('mov r1, 77\nwrmsr 2, r1\nrdmsr r2, 2').regs[2]).toBe(77);
    expect(exec('wrmsr 4, r1').vector).toBe(GP);
  });

  it('cpuid names the machine', () => {
    const o = exec('mov r0, 0\ncpuid');
    expect([o.regs[0], o.regs[1]]).toEqual([1, 0x32335856]);
  });

  it('vmcall is #UD on bare metal, and so is an invalid encoding', () => {
    expect(exec('vmcall').vector).toBe(6);
    expect(exec('.word 0, 0').vector).toBe(6);
    expect(exec('.word 0x10001, 0').vector).toBe(6);
  });

  it('cli and sti', () => {
    expect((exec('sti').regs[FLAGS] ?? 0) & IF).toBe(IF);
    expect((exec('sti\ncli').regs[FLAGS] ?? 0) & IF).toBe(0);
  });

  it('self-modifying code: a store into the next instruction is executed', () => {
    const o = exec('ld r1, [patch + 4]\nst [target + 4], r1\ntarget: mov r2, 1', { extra: 'patch: mov r2, 2' });
    expect(o.regs[2]).toBe(2);
  });
});
