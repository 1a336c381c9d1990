import { describe, expect, it } from 'vitest';
import { assemble } from '../../../src/domain/asm/index.js';
import { ASM_LIMITS } from '../../../src/domain/asm/limits.js';

function errorsOf(source: string, includes: Record<string, string> = {}, defines: Record<string, number> = {}): string[] {
  const r = assemble(source, { file: 't.s', defines, readInclude: (p) => includes[p] });
  return r.ok ? [] : r.errors.map((e) => `${e.file}:${e.line}:${e.col}: ${e.message}`);
}

describe('assembler: bounds, each reported at file:line:col', () => {
  it('nested parentheses and unary operators', () => {
    expect(errorsOf(`.word ${'('.repeat(100_000)}1${')'.repeat(100_000)}`)).toEqual([`t.s:1:${7 + 256}: expression nests more than 256 deep`]);
    expect(errorsOf(`.word ${'-'.repeat(100_000)}1`)).toEqual([`t.s:1:${7 + 256}: expression nests more than 256 deep`]);
    expect(errorsOf(`.word ${'('.repeat(200)}1${')'.repeat(200)}`)).toEqual([]);
  });

  it('a long chain of symbols defined through each other', () => {
    const chain = Array.from({ length: 5000 }, (_, i) => `.equ s${i + 1}, s${i} + 1`).join('\n');
    const errors = errorsOf(`.equ s0, 0\n${chain}\n.word s5000`);
    expect(errors[0]).toMatch(/^t\.s:\d+:\d+: expression nests more than 256 deep$/);
  });

  it('a macro invoking itself, directly or twice per level', () => {
    expect(errorsOf('.macro m\nm\n.endm\nm')).toEqual([`t.s:4:1: macro m nests more than ${ASM_LIMITS.depth} deep (in macro m)`]);
    const errors = errorsOf('.macro m\nnop\nm\nm\n.endm\nm');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^t\.s:6:1: (macro m nests more than 64 deep|macro m expands the source beyond 1000000 lines) \(in macro m\)$/);
  });

  it('includes nested without end', () => {
    const includes = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`f${i}.s`, `.include "f${i + 1}.s"`]));
    expect(errorsOf('.include "f0.s"', includes)).toEqual([`f63.s:1:10: .include nests more than ${ASM_LIMITS.depth} deep`]);
  });

  it('.space, .align and the total size of the image', () => {
    expect(errorsOf('.space 0x7fffffff')).toEqual([`t.s:1:8: .space 2147483647 is larger than an image (${ASM_LIMITS.imageBytes} bytes)`]);
    expect(errorsOf('nop\n.align 0x80000000')).toEqual([`t.s:2:8: .align 2147483648 is larger than an image (${ASM_LIMITS.imageBytes} bytes)`]);
    expect(errorsOf('.space 0x800000\n.space 0x800000\n.byte 1')).toEqual([`t.s:3:1: the image grows beyond ${ASM_LIMITS.imageBytes} bytes`]);
  });

  it('symbols named like Object members are plain symbols', () => {
    expect(errorsOf('.word constructor')).toEqual(["t.s:1:7: undefined symbol 'constructor'"]);
    expect(errorsOf('toString: nop\n.word toString', {}, {})).toEqual([]);
  });
});
