import { describe, expect, it } from 'vitest';
import { assemble, formatAsmError } from '../../../src/domain/asm/index.js';
import { decodeImage, encodeImage, imageHash } from '../../../src/domain/image/image.js';

function bytesOf(source: string, defines: Record<string, number> = {}): number[] {
  const r = assemble(source, { file: 't.s', defines });
  if (!r.ok) throw new Error(r.errors.map(formatAsmError).join('\n'));
  return r.image.segments.flatMap((s) => [...s.bytes]);
}

function errorsOf(source: string, includes: Record<string, string> = {}): string[] {
  const r = assemble(source, { file: 't.s', readInclude: (p) => includes[p] });
  return r.ok ? [] : r.errors.map((e) => `${e.file}:${e.line}:${e.col}: ${e.message}`);
}

const word = (n: number): number[] => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];

describe('assembler: syntax', () => {
  it('encodes an instruction: opcode, rd | rs << 4, two zero bytes, imm32', () => {
    expect(bytesOf('add r1, 0x1234')).toEqual([0x11, 1, 0, 0, ...word(0x1234)]);
    expect(bytesOf('ld r2, [sp+8]')).toEqual([0x03, 2 | (7 << 4), 0, 0, ...word(8)]);
    expect(bytesOf('st [r3-4], r1')).toEqual([0x05, 3 | (1 << 4), 0, 0, ...word(-4 >>> 0)]);
    expect(bytesOf('ld r0, [0x2000]')).toEqual([0x03, 0xf0, 0, 0, ...word(0x2000)]);
  });

  it('numbers, characters and expressions with C precedence', () => {
    expect(bytesOf(".word 10, 0x10, 0b101, 'A', '\\n', 1 + 2 * 3, (1 + 2) * 3, 1 << 4 | 1, ~0, -1, 7 % 4, 9 / 2, 6 & 3 ^ 1")).toEqual(
      [10, 16, 5, 65, 10, 7, 9, 17, 0xffffffff, 0xffffffff, 3, 4, 3].flatMap(word),
    );
  });

  it('labels, forward references, .equ, .org, .align, .space, .byte, .ascii, .asciz, .entry, .guest', () => {
    const r = assemble(`.equ K, later - 4\n.org 0x2000\nstart: jmp later\n.byte 1, 2\n.align 4\n.space 2\n.ascii "ab"\n.asciz "c"\nlater: .word K\n.entry start\n.guest paravirt, 1\n.guest name, "x"`, { file: 't.s' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.image.entry).toBe(0x2000);
    expect(r.image.symbols.later).toBe(0x2000 + 8 + 2 + 2 + 2 + 2 + 2);
    expect(r.image.symbols.K).toBe((r.image.symbols.later ?? 0) - 4);
    expect(r.image.meta).toEqual({ paravirt: 1, name: 'x' });
    expect([...(r.image.segments[0]?.bytes.subarray(8, 20) ?? [])]).toEqual([1, 2, 0, 0, 0, 0, 97, 98, 99, 0, ...word(0x2012 - 4).slice(0, 2)]);
  });

  it('macros with arguments and unique labels \\@, nested', () => {
    const src = `.macro twice op, r\n\\op \\r, 1\n\\op \\r, 1\n.endm\n.macro spin n\nl\\@: sub r0, \\n\njnz l\\@\n.endm\ntwice add, r2\nspin 1\nspin 2`;
    const b = bytesOf(src);
    expect(b.length).toBe(6 * 8);
    expect(b.slice(16, 24)).toEqual([0x13, 0, 0, 0, ...word(1)]);
    expect(b.slice(24, 32)).toEqual([0x34, 0, 0, 0, ...word(0x1000 + 16)]);
    expect(b.slice(40, 48)).toEqual([0x34, 0, 0, 0, ...word(0x1000 + 32)]);
  });

  it('conditional assembly with .if, .ifdef, .ifndef, .else and -D', () => {
    const src = `.ifdef PV\nvmcall\n.else\nhlt\n.endif\n.ifndef N\n.equ N, 3\n.endif\n.if N == 3\n.error\n.endif\n.if N - 3\nnop\n.else\ncli\n.endif`;
    expect(bytesOf(src.replace('.if N == 3\n.error\n.endif\n', ''))).toEqual([0x54, 0, 0, 0, 0, 0, 0, 0, 0x52, 0, 0, 0, 0, 0, 0, 0]);
    expect(bytesOf(src.replace('.if N == 3\n.error\n.endif\n', ''), { PV: 1, N: 5 })).toEqual([0x73, 0, 0, 0, 0, 0, 0, 0, 0x55, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('includes files relative to the includer', () => {
    const r = assemble('.include "lib.s"\ncall f', { file: 'dir/main.s', readInclude: (p, from) => (p === 'lib.s' && from === 'dir/main.s' ? 'f: ret' : undefined) });
    expect(r.ok).toBe(true);
  });

  it('mnemonics and registers are case-insensitive; je and jne are jz and jnz', () => {
    expect(bytesOf('MOV R1, SP\nje 0\nJNE 0')).toEqual(bytesOf('mov r1, r7\njz 0\njnz 0'));
  });

  it('image files round-trip and hash deterministically', () => {
    const r = assemble('.org 0x3000\nstart: hlt\n.word 5\n.entry start', { file: 't.s' });
    if (!r.ok) throw new Error('assembly failed');
    const back = decodeImage(encodeImage(r.image));
    expect(back.entry).toBe(0x3000);
    expect(imageHash(back)).toBe(imageHash(r.image));
  });
});

describe('assembler: every error, with file:line:col', () => {
  const cases: [string, string][] = [
    ['frob r1', 't.s:1:1: unknown instruction \'frob\''],
    ['add r1', 't.s:1:5: wrong operands for add: expected add reg, reg | add reg, imm'],
    ['add r9, 1', 't.s:1:5: wrong operands for add: expected add reg, reg | add reg, imm'],
    ['mov cr5, r1', 't.s:1:5: no control register cr5 (VX32 has cr0 cr2 cr3 cr4 cr8)'],
    ['mov r1, 12z', "t.s:1:9: bad number '12z'"],
    ['jmp nowhere', "t.s:1:5: undefined symbol 'nowhere'"],
    ['a: nop\na: nop', "t.s:2:1: 'a' is already defined at t.s:1"],
    ['mov r1, 0x100000000', 't.s:1:9: value 4294967296 does not fit in 32 bits'],
    ['.byte 300', 't.s:1:7: value 300 does not fit in a byte'],
    ['.ascii "abc', 't.s:1:8: unterminated string'],
    ['.macro m\nnop', 't.s:1:1: unterminated .macro m: missing .endm'],
    ['.if 1\nnop', 't.s:1:1: unterminated conditional: missing .endif'],
    ['.else', 't.s:1:1: .else without .if'],
    ['.endif', 't.s:1:1: .endif without .if'],
    ['.frob 1', 't.s:1:1: unknown directive .frob'],
    ['.include "missing.s"', 't.s:1:10: cannot include "missing.s": file not found'],
    ['.word 1 / 0', 't.s:1:9: division by zero'],
    ['.org 0x1000\n.word 1, 2\n.org 0x1004\n.word 3', 't.s:3:1: .org 0x1004 overlaps bytes placed from 0x1000 to 0x1008'],
    ['mov r1, @', "t.s:1:9: undefined symbol '@'"],
    ['.align 3', 't.s:1:8: .align needs a power of two'],
  ];
  for (const [source, expected] of cases) {
    it(expected.slice(expected.indexOf(': ') + 2), () => expect(errorsOf(source)).toEqual([expected]));
  }

  it('reports every error of a file, in order, and formats each with its line and a caret', () => {
    const r = assemble('nop\nfrob\nadd r1\nmov r1, cr9', { file: 'k.s' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.line)).toEqual([2, 3, 4]);
    expect(formatAsmError(r.errors[0]!)).toBe("k.s:2:1: unknown instruction 'frob'\n    frob\n    ^");
  });

  it('an error inside a macro names the macro', () => {
    expect(errorsOf('.macro m\nfrob\n.endm\nnop\nm')).toEqual(["t.s:5:1: unknown instruction 'frob' (in macro m)"]);
  });
});
