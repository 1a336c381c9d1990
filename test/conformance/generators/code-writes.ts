import fc from 'fast-check';
import { encodeToBytes } from '../../../src/domain/isa/encoding.js';
import { TABLE } from '../../../src/domain/isa/table.js';
import { Layout, PAGE_RIGHTS, dataPage, pteAddress } from '../harness/layout.js';
import type { Step } from '../harness/program.js';

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

/** An instruction's two words, as the kernel stores them. */
function words(name: string, rd: number, imm: number): readonly [number, number] {
  const row = TABLE.find((r) => r.name === name);
  if (row === undefined) throw new Error(`no instruction ${name}`);
  const b = encodeToBytes({ opcode: row.opcode, rd, rs: 0, imm });
  return [(b[0] as number) | ((b[1] as number) << 8), imm >>> 0];
}

/** Instructions the kernel writes and runs: innocuous (IDENT under translation) and sensitive (inline or callout). */
const written = fc.oneof(
  fc.tuple(fc.constantFrom('MOV_RI', 'ADD_RI', 'XOR_RI'), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 0xffff })).map(([n, rd, imm]) => words(n, rd, imm)),
  fc.constantFrom(words('CLI', 0, 0), words('STI', 0, 0), words('PUSHF', 0, 0), words('NOP', 0, 0)),
);
const RET = words('RET', 0, 0);

/** Stores an instruction and a ret at `at`: as words, or the first word's opcode byte alone (a one-byte patch). */
const store = (at: number, insn: readonly [number, number], byteOnly: boolean): string =>
  (byteOnly
    ? [`mov r0, ${hex(insn[0] & 0xff)}`, `stb [${hex(at)}], r0`]
    : [`mov r0, ${hex(insn[0])}`, `st [${hex(at)}], r0`, `mov r0, ${hex(insn[1])}`, `st [${hex(at + 4)}], r0`, `mov r0, ${hex(RET[0])}`, `st [${hex(at + 8)}], r0`, 'mov r0, 0', `st [${hex(at + 12)}], r0`]
  ).join('\n');

/** Self-modifying kernel code: an instruction written, run, overwritten (whole, or its opcode byte) and run again. */
export const selfModifyingCode: fc.Arbitrary<Step> = fc
  .tuple(written, written, fc.boolean(), fc.constantFrom(Layout.KERNEL_DATA + 0x800, dataPage(3) + 0x100))
  .map(([first, second, byteOnly, at]) => [store(at, first, false), `call ${hex(at)}`, store(at, second, byteOnly), `call ${hex(at)}`, 'pushf', 'pop r6'].join('\n'));

/**
 * Code that writes its own page tables: two frames hold different code, the kernel maps
 * one page at each in turn (a PTE write, with invlpg or a CR3 reload) and calls it.
 */
export const remappedCode: fc.Arbitrary<Step> = fc
  .tuple(written, written, fc.constantFrom('invlpg', 'cr3', 'none'))
  .map(([first, second, flush]) => {
    const page = dataPage(7);
    const [a, b] = [dataPage(5), dataPage(6)];
    const flushLines = flush === 'invlpg' ? [`mov r1, ${hex(page)}`, 'invlpg [r1]'] : flush === 'cr3' ? ['mov r1, cr3', 'mov cr3, r1'] : [];
    const map = (frame: number): string => [`mov r0, ${hex(frame | PAGE_RIGHTS['rw-kernel'])}`, `st [${hex(pteAddress(page))}], r0`, ...flushLines, `call ${hex(page)}`].join('\n');
    return [store(a, first, false), store(b, second, false), map(a), map(b), map(a)].join('\n');
  });

/** The kernel writing code: itself, or through its page tables. */
export const codeWrite: fc.Arbitrary<Step> = fc.oneof(selfModifyingCode, remappedCode);
