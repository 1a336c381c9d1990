import { assemble } from '../domain/asm/index.js';
import { HANG_MS, isStackTrace, type CaseResult } from './outcome.js';
import type { Prng } from './prng.js';

const BASE = ['.entry s', 's: mov r1, msg', 'loop: ld r2, [r1]', 'and r2, 0xff', 'jz done', 'out 0x3f8, r2', 'add r1, 1', 'jmp loop', 'done: mov r0, 0', 'out 0xf4, r0', 'msg: .asciz "hi\\n"'];

/** Hostile fragments: deep nesting, recursion, huge sizes, odd characters, names of Object members. */
function hostile(r: Prng): string {
  const n = 1 + r.int(5000);
  const fragments: (() => string)[] = [
    () => `.word ${'('.repeat(n)}1${')'.repeat(r.int(n + 2))}`,
    () => `.word ${'-~'.repeat(n)}1`,
    () => '.macro m\nm\nm\n.endm\nm',
    () => `.macro m${r.int(3)}\nm${r.int(3)}\n.endm\nm${r.int(3)}`,
    () => `.space 0x${r.u32().toString(16)}`,
    () => `.align 0x${(2 ** r.int(33)).toString(16)}`,
    () => `.org 0x${r.u32().toString(16)}`,
    () => `.equ __proto__, 1\n.word constructor + toString`,
    () => `.include "${r.pick(['/dev/zero', '.', 'missing.s', 'fuzz.s'])}"`,
    () => `.if ${'('.repeat(n)}1`,
    () => '.ifdef x\n'.repeat(r.int(200)),
    () => String.fromCharCode(...Array.from({ length: r.int(40) }, () => r.int(256))),
    () => `${'a'.repeat(r.int(100_000))}: nop`,
    () => `.equ a${r.int(9)}, a${r.int(9)} + 1`,
  ];
  return r.pick(fragments)();
}

/** A source: the base program with lines dropped, duplicated or replaced by hostile fragments. */
export function asmSource(r: Prng): string {
  const lines = [...BASE];
  for (let k = 1 + r.int(4); k > 0; k--) {
    const at = r.int(lines.length + 1);
    const op = r.int(3);
    if (op === 0) lines.splice(at, 1);
    else if (op === 1) lines.splice(at, 0, hostile(r));
    else lines.splice(at, 0, lines[r.int(lines.length)] ?? '');
  }
  return lines.join('\n');
}

/** Assembles a source, includes resolving to the source itself: any throw is a failure, as is a slow assembly. */
export function checkAsm(source: string): CaseResult {
  const started = Date.now();
  try {
    assemble(source, { file: 'fuzz.s', defines: {}, readInclude: (p) => (p === 'fuzz.s' ? source : undefined) });
  } catch (e) {
    return isStackTrace(e) ? { failure: 'stack trace', detail: (e as Error).message.slice(0, 200) } : {};
  }
  const ms = Date.now() - started;
  return ms > HANG_MS ? { failure: 'hang', detail: `${ms} ms` } : {};
}
