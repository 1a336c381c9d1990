import { describe, expect, it } from 'vitest';
import { Reg } from '../../../src/domain/state/layout.js';
import { FLAGS, IF, exec, toUser } from './harness.js';

const PAGING = `
        mov r1, 0
        mov r2, pt
ident:  mov r3, r1
        or r3, 7
        st [r2], r3
        add r2, 4
        add r1, 4096
        cmp r1, 0x400000
        jb ident
        mov r1, pt
        or r1, 7
        st [pd], r1
        mov r1, 0x300000 | 5        ; a user, read-only page
        st [pt + 0x300 * 4], r1
        mov r1, 0x301000 | 3        ; a supervisor, writable page
        st [pt + 0x301 * 4], r1
        mov r1, 0
        st [pt + 0x302 * 4], r1     ; not present
        mov r1, pd
        mov cr3, r1
        mov r1, 0x80000001
        mov cr0, r1
`;
const TABLES = '.align 4096\npd: .space 4096\npt: .space 4096';

describe('exception delivery', () => {
  it('from CPL 3: switches to ESP0 and pushes sp, flags, CPL, pc; clears IF; CPL 0', () => {
    const o = exec(`${toUser('u', IF)}\nmov r5, 0x1234\nat_div: div r5, 0`);
    const sp = o.regs[Reg.SP] ?? 0;
    expect(o.vector).toBe(0);
    expect(sp).toBe(0x9000 - 16);
    expect([o.word(sp + 4), o.word(sp + 8) & IF, o.word(sp + 12)]).toEqual([3, IF, 0x8800]);
    expect(o.word(sp)).toBe(o.symbols.at_div);
    expect((o.regs[FLAGS] ?? 0) & IF).toBe(0);
    expect(o.regs[Reg.CPL]).toBe(0);
  });

  it('int n pushes the next pc; iret returns to CPL 3 and restores sp', () => {
    const o = exec(`${toUser('u', IF)}\nint 47\n`, { extra: '' });
    expect(o.vector).toBe(47);
  });

  it('int n to a gate with DPL < CPL raises #GP(n * 8 + 2)', () => {
    const o = exec(`${toUser('u')}\nint 3`);
    expect(o.vector).toBe(13);
    expect(o.word(o.regs[Reg.SP] ?? 0)).toBe(3 * 8 + 2);
  });

  it('iret to a more privileged CPL raises #GP(0)', () => {
    expect(exec(`${toUser('u')}\npush 0\npush 0\npush 0\niret`).vector).toBe(13);
  });

  it('a vector beyond the IDT limit is a double fault; a fault then is a triple fault', () => {
    expect(exec('mov r1, 0\nmov r2, 0\nst [0x8000], r1\nst [0x8004], r2\nmov r1, 0x8000\nlidt [r1]\ndiv r1, 0').summary.endReason).toBe('triple-fault');
    expect(exec('mov r1, 0x8000\nmov r2, 8 * 8 + 7\nst [r1], r2\nmov r2, idt\nst [r1+4], r2\nlidt [r1]\nint 9').vector).toBe(8);
  });

  it('an access beyond physical memory raises #GP(0)', () => {
    expect(exec('ld r1, [0x500000]').vector).toBe(13);
  });
});

describe('paging faults: error code P | W | U and CR2', () => {
  const cases: [string, string, number, boolean][] = [
    ['user read of a supervisor page', `${toUser('u')}\nld r1, [0x301000]`, 1 | 4, true],
    ['user write of a read-only page', `${toUser('u')}\nst [0x300000], r1`, 1 | 2 | 4, true],
    ['user read of a not-present page', `${toUser('u')}\nld r1, [0x302010]`, 4, true],
    ['kernel write of a not-present page', 'st [0x302008], r1', 2, false],
  ];
  for (const [what, code, errorCode] of cases) {
    it(`${what}: error code ${errorCode}`, () => {
      const o = exec(`${PAGING}\n${code}`, { extra: TABLES });
      expect(o.vector).toBe(14);
      expect(o.word(o.regs[Reg.SP] ?? 0)).toBe(errorCode);
      expect(o.regs[Reg.CR2] ?? 0).toBe(Number(/0x30[0-9a-f]+/.exec(code)?.[0]));
    });
  }

  it('a kernel write to a read-only page faults only with CR0.WP', () => {
    expect(exec(`${PAGING}\nst [0x300000], r1`, { extra: TABLES }).vector).toBe(0xffffffff);
    expect(exec(`${PAGING}\nmov r1, 0x80010001\nmov cr0, r1\nst [0x300000], r1`, { extra: TABLES }).vector).toBe(14);
  });

  it('a write to a PTE takes effect at the next access: no stale TLB', () => {
    const o = exec(`${PAGING}\nld r1, [0x300000]\nmov r1, 0\nst [pt + 0x300 * 4], r1\nld r2, [0x300000]`, { extra: TABLES });
    expect(o.vector).toBe(14);
  });
});

describe('every exception and run end is the same under every mode', () => {
  for (const mode of ['emulate', 'trap-emulate'] as const) {
    it(`${mode} on virtualizable: faults, vectors and frames as native`, () => {
      for (const code of [`${PAGING}\n${toUser('u')}\nst [0x300000], r1`, `${toUser('u')}\nint 3`, 'div r1, 0', '.word 0, 0']) {
        const native = exec(code, { extra: TABLES });
        const other = exec(code, { extra: TABLES, mode, profile: 'virtualizable' });
        expect(other.vector).toBe(native.vector);
        expect(other.summary.guestViewHash).toBe(exec(code, { extra: TABLES, profile: 'virtualizable' }).summary.guestViewHash);
      }
    });
  }
});
