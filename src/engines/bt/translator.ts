import type { CalloutReason } from '../../domain/events/bt.js';
import { decodeLow } from '../../domain/isa/encoding.js';
import { INSN_BYTES, type InsnRow } from '../../domain/isa/table.js';
import { isPlain } from '../cpu/decode.js';

/**
 * The translator's front end (Adams & Agesen 2006 §3.1): what each guest instruction
 * becomes in the translation cache, and where a basic block ends. Pure functions of the
 * instruction's first word, so the engine (at execution) and `vlab tc` (for display)
 * classify alike.
 */
export type Translation = 'ident' | 'inline' | 'callout';

/** Blocks end at a control transfer or after this many instructions. */
export const BLOCK_LIMIT = 32;

const CR8 = 8;
const INLINE_MNEMONICS: ReadonlySet<string> = new Set(['cli', 'sti', 'pushf', 'popf', 'iret', 'rdtsc', 'sidt', 'sgdt', 'smsw']);

/** Is this `mov` to or from %cr8 (the task priority, kept in the virtual CPU), or `mov r, cs`? */
function inlineMov(row: InsnRow, lo: number): boolean {
  if (row.form === 'r-cs') return true;
  if (row.form === 'cr-r') return ((lo >>> 8) & 0xf) === CR8;
  if (row.form === 'r-cr') return ((lo >>> 12) & 0xf) === CR8;
  return false;
}

/**
 * IDENT: innocuous, copied (an invalid word too: the hardware raises #UD at its pc);
 * inline: emulated against the virtual CPU inside the cache; callout: the VMM's.
 */
export function translationOf(lo: number): Translation {
  const row = decodeLow(lo);
  if (row === undefined || isPlain(row)) return 'ident';
  if (INLINE_MNEMONICS.has(row.mnemonic) || (row.mnemonic === 'mov' && inlineMov(row, lo))) return 'inline';
  return 'callout';
}

export function calloutReason(lo: number): CalloutReason {
  const row = decodeLow(lo);
  switch (row?.mnemonic) {
    case 'in':
    case 'out':
      return 'io';
    case 'mov':
      return 'control-register';
    case 'int':
      return 'interrupt';
    case 'hlt':
      return 'halt';
    default:
      return 'privileged';
  }
}

/** Does the block end after this instruction (a control transfer, hlt, or an invalid word)? */
export function endsBlock(lo: number): boolean {
  const row = decodeLow(lo);
  return row === undefined || row.group === 'control' || row.mnemonic === 'hlt';
}

/** Is this a control transfer whose target is known only at run time (a TC lookup)? */
export function isIndirect(lo: number): boolean {
  const row = decodeLow(lo);
  return row !== undefined && row.group === 'control' && (row.form === 'r' || row.form === 'none' || row.mnemonic === 'int');
}

/** A translated block: its guest instructions' first words and what each became. */
export interface Block {
  readonly pc: number;
  readonly words: readonly number[];
  readonly translations: readonly Translation[];
}

/**
 * Scans a basic block from pc: instructions up to a control transfer, BLOCK_LIMIT, the end
 * of pc's page (a block lies in one code page, so a write to that page invalidates it), or
 * an instruction that cannot be fetched. `word(addr)` is the first word there, or -1;
 * `adapted(addr)`: was that instruction retranslated into a callout (adaptive translation)?
 */
export function scanBlock(pc: number, word: (addr: number) => number, adapted: (addr: number) => boolean = () => false): Block | undefined {
  const words: number[] = [];
  for (let addr = pc >>> 0; words.length < BLOCK_LIMIT; addr = (addr + INSN_BYTES) >>> 0) {
    if (words.length > 0 && (addr >>> 12 !== pc >>> 12 || (addr & 0xfff) + INSN_BYTES > 0x1000)) break;
    const lo = word(addr);
    if (lo < 0) break;
    words.push(lo);
    if (endsBlock(lo)) break;
  }
  const at = (i: number): number => (pc + i * INSN_BYTES) >>> 0;
  return words.length === 0 ? undefined : { pc: pc >>> 0, words, translations: words.map((lo, i) => (adapted(at(i)) ? 'callout' : translationOf(lo))) };
}

export const countOf = (block: Block, t: Translation): number => block.translations.filter((x) => x === t).length;
