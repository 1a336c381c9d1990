import { INSN_BYTES, NO_BASE, ROW_BY_OPCODE, type Form, type InsnRow } from './table.js';

/** An instruction as fields. `rd`/`rs` are register numbers, control-register numbers or NO_BASE, by form. */
export interface Insn {
  readonly opcode: number;
  readonly rd: number;
  readonly rs: number;
  readonly imm: number;
}

export const CONTROL_REGISTERS: readonly number[] = [0, 2, 3, 4, 8];

/** The low word of an encoded instruction: opcode | rd << 8 | rs << 12 (bytes 2–3 must be zero). */
export function lowWord(insn: Insn): number {
  return (insn.opcode | (insn.rd << 8) | (insn.rs << 12)) >>> 0;
}

export function encode(insn: Insn, out: Uint8Array, offset: number): void {
  const lo = lowWord(insn);
  const imm = insn.imm >>> 0;
  for (let i = 0; i < 4; i++) {
    out[offset + i] = (lo >>> (8 * i)) & 0xff;
    out[offset + 4 + i] = (imm >>> (8 * i)) & 0xff;
  }
}

export function encodeToBytes(insn: Insn): Uint8Array {
  const bytes = new Uint8Array(INSN_BYTES);
  encode(insn, bytes, 0);
  return bytes;
}

const isGpr = (n: number): boolean => n < 8;
const isBase = (n: number): boolean => n < 8 || n === NO_BASE;
const isCr = (n: number): boolean => CONTROL_REGISTERS.includes(n);

function fieldsValid(form: Form, rd: number, rs: number): boolean {
  switch (form) {
    case 'none':
    case 'i':
      return rd === 0 && rs === 0;
    case 'r':
    case 'ri':
    case 'r-cs':
      return isGpr(rd) && rs === 0;
    case 'rr':
    case 'out-r':
      return isGpr(rd) && isGpr(rs);
    case 'load':
      return isGpr(rd) && isBase(rs);
    case 'store':
      return isBase(rd) && isGpr(rs);
    case 'mem':
      return rd === 0 && isBase(rs);
    case 'cr-r':
      return isCr(rd) && isGpr(rs);
    case 'r-cr':
      return isGpr(rd) && isCr(rs);
    case 'out-i':
      return rd === 0 && isGpr(rs);
    default: {
      const unreachable: never = form;
      return unreachable;
    }
  }
}

/** The table row of a low word, or undefined when the word is not a valid instruction (#UD). */
export function decodeLow(lo: number): InsnRow | undefined {
  const row = ROW_BY_OPCODE[lo & 0xff];
  if (row === undefined || lo >>> 16 !== 0) return undefined;
  return fieldsValid(row.form, (lo >>> 8) & 0xf, (lo >>> 12) & 0xf) ? row : undefined;
}

export function fieldsOf(lo: number, imm: number): Insn {
  return { opcode: lo & 0xff, rd: (lo >>> 8) & 0xf, rs: (lo >>> 12) & 0xf, imm: imm >>> 0 };
}
