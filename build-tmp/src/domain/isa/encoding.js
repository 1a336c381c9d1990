import { FORM_NAMES, FORMS, inNibble } from './forms.js';
import { INSN_BYTES, NO_BASE, ROW_BY_OPCODE } from './table.js';
export const CONTROL_REGISTERS = [0, 2, 3, 4, 8];
/** The low word of an encoded instruction: opcode | rd << 8 | rs << 12 (bytes 2–3 must be zero). */
export function lowWord(insn) {
    return (insn.opcode | (insn.rd << 8) | (insn.rs << 12)) >>> 0;
}
export function encode(insn, out, offset) {
    const lo = lowWord(insn);
    const imm = insn.imm >>> 0;
    for (let i = 0; i < 4; i++) {
        out[offset + i] = (lo >>> (8 * i)) & 0xff;
        out[offset + 4 + i] = (imm >>> (8 * i)) & 0xff;
    }
}
export function encodeToBytes(insn) {
    const bytes = new Uint8Array(INSN_BYTES);
    encode(insn, bytes, 0);
    return bytes;
}
const ONLY_ZERO = 1 << 0;
function valuesOf(kind) {
    switch (kind) {
        case 'gpr': return 0xff;
        case 'mem': return 0xff | (1 << NO_BASE);
        case 'cr': return CONTROL_REGISTERS.reduce((set, n) => set | (1 << n), 0);
        default: {
            const unreachable = kind;
            return unreachable;
        }
    }
}
/** What each nibble of a form may hold; a nibble no operand lives in must be zero. */
function nibbleValues(form) {
    const values = { rd: ONLY_ZERO, rs: ONLY_ZERO };
    for (const spec of FORMS[form].operands.filter(inNibble))
        values[spec.nibble] = valuesOf(spec.kind);
    return values;
}
const NIBBLE_VALUES = Object.fromEntries(FORM_NAMES.map((f) => [f, nibbleValues(f)]));
function fieldsValid(form, rd, rs) {
    const values = NIBBLE_VALUES[form];
    return ((values.rd >>> rd) & (values.rs >>> rs) & 1) === 1;
}
/** The table row of a low word, or undefined when the word is not a valid instruction (#UD). */
export function decodeLow(lo) {
    const row = ROW_BY_OPCODE[lo & 0xff];
    if (row === undefined || lo >>> 16 !== 0)
        return undefined;
    return fieldsValid(row.form, (lo >>> 8) & 0xf, (lo >>> 12) & 0xf) ? row : undefined;
}
export function fieldsOf(lo, imm) {
    return { opcode: lo & 0xff, rd: (lo >>> 8) & 0xf, rs: (lo >>> 12) & 0xf, imm: imm >>> 0 };
}
