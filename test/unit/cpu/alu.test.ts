import { describe, expect, it } from 'vitest';
import { CF, FLAGS, OF, SF, ZF, exec } from './harness.js';

const ALU_FLAGS = CF | ZF | SF | OF;

/** [operation, a, b, result, flags] — flags as IA-32 sets them (docs/machine.md). */
const CASES: [string, number, number, number, number][] = [
  ['add', 1, 2, 3, 0],
  ['add', 0x7fffffff, 1, 0x80000000, SF | OF],
  ['add', 0xffffffff, 1, 0, ZF | CF],
  ['add', 0x80000000, 0x80000000, 0, ZF | CF | OF],
  ['sub', 5, 3, 2, 0],
  ['sub', 3, 5, 0xfffffffe, SF | CF],
  ['sub', 0x80000000, 1, 0x7fffffff, OF],
  ['sub', 7, 7, 0, ZF],
  ['and', 0xf0f0, 0x0ff0, 0x00f0, 0],
  ['and', 0xf0, 0x0f, 0, ZF],
  ['or', 0x80000000, 1, 0x80000001, SF],
  ['xor', 0xffff, 0xffff, 0, ZF],
  ['shl', 1, 31, 0x80000000, SF],
  ['shl', 0x80000001, 1, 2, CF],
  ['shl', 5, 0, 5, 0],
  ['shl', 3, 33, 6, 0],
  ['shr', 0x80000000, 31, 1, 0],
  ['shr', 3, 1, 1, CF],
  ['shr', 1, 1, 0, ZF | CF],
  ['mul', 6, 7, 42, 0],
  ['mul', 0x10000, 0x10000, 0, ZF | CF | OF],
  ['mul', 0xffffffff, 2, 0xfffffffe, SF | CF | OF],
  ['div', 42, 5, 8, 0],
  ['div', 0xffffffff, 1, 0xffffffff, SF],
  ['div', 3, 7, 0, ZF],
];

describe('ALU instructions and their flags', () => {
  for (const [op, a, b, result, flags] of CASES) {
    for (const form of ['reg', 'imm'] as const) {
      it(`${op} 0x${a.toString(16)}, 0x${b.toString(16)} (${form}) = 0x${result.toString(16)}`, () => {
        const src = form === 'reg' ? `mov r1, ${a}\nmov r2, ${b}\n${op} r1, r2` : `mov r1, ${a}\n${op} r1, ${b}`;
        const o = exec(src);
        expect(o.regs[1]).toBe(result);
        expect((o.regs[FLAGS] ?? 0) & ALU_FLAGS).toBe(flags);
      });
    }
  }

  it('cmp sets the flags of a subtraction and keeps the register', () => {
    const o = exec('mov r1, 3\ncmp r1, 5');
    expect(o.regs[1]).toBe(3);
    expect((o.regs[FLAGS] ?? 0) & ALU_FLAGS).toBe(SF | CF);
  });

  it('shifts by zero keep CF', () => {
    const o = exec('mov r1, 0xffffffff\nadd r1, 1\nmov r2, 4\nshl r2, 0');
    expect((o.regs[FLAGS] ?? 0) & CF).toBe(CF);
  });

  it('mov, ld, st, push, pop and jumps leave the flags alone', () => {
    const o = exec('mov r1, 0\nadd r1, 0\nmov r2, 5\nst [0x3000], r2\nld r3, [0x3000]\npush r3\npop r4\njmp next\nnext:');
    expect((o.regs[FLAGS] ?? 0) & ALU_FLAGS).toBe(ZF);
    expect(o.regs[4]).toBe(5);
  });

  it('div by zero raises #DE at the dividing instruction', () => {
    const o = exec('mov r1, 9\ndiv r1, 0');
    expect(o.vector).toBe(0);
    expect(o.regs[1]).toBe(9);
  });
});

describe('conditional jumps', () => {
  const conditions: [string, string, boolean][] = [
    ['jz', 'cmp r1, 5', true], ['jz', 'cmp r1, 4', false], ['jnz', 'cmp r1, 4', true], ['je', 'cmp r1, 5', true], ['jne', 'cmp r1, 5', false],
    ['jl', 'cmp r1, 6', true], ['jl', 'cmp r1, -1', false], ['jge', 'cmp r1, 5', true], ['jle', 'cmp r1, 5', true], ['jle', 'cmp r1, 4', false],
    ['jg', 'cmp r1, 4', true], ['jg', 'cmp r1, 5', false], ['jb', 'cmp r1, 6', true], ['jb', 'cmp r1, -1', true], ['jae', 'cmp r1, 5', true], ['jae', 'cmp r1, 6', false],
  ];
  for (const [jcc, compare, taken] of conditions) {
    it(`${jcc} after ${compare} with r1 = 5 is ${taken ? 'taken' : 'not taken'}`, () => {
      const o = exec(`mov r1, 5\nmov r2, 0\n${compare}\n${jcc} yes\njmp done\nyes: mov r2, 1\ndone:`);
      expect(o.regs[2]).toBe(taken ? 1 : 0);
    });
  }

  it('jumps and calls through a register', () => {
    const o = exec('mov r1, there\njmp r1\nmov r2, 9\nthere: mov r3, f\ncall r3\njmp finish\nf: mov r4, 7\nret\nfinish:');
    expect([o.regs[2], o.regs[4]]).toEqual([0, 7]);
  });
});
