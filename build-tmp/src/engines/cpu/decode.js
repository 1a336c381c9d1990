import { decodeLow } from '../../domain/isa/encoding.js';
import { ROW_BY_OPCODE } from '../../domain/isa/table.js';
/** Decode info of an instruction's low word: invalid (#UD), plain (the core runs it), or system (its mode decides). */
export const Decoded = { INVALID: 0, PLAIN: 1, SYSTEM: 2 };
/**
 * Plain instructions are innocuous on every profile and transfer control only within the
 * guest's code; everything else leaves the core so the mode's intercept policy applies.
 */
export function isPlain(row) {
    return row.privilege === 'none' && row.sensitivity === 'innocuous' && !['int', 'cpuid', 'vmcall'].includes(row.mnemonic);
}
/**
 * A byte per possible low 16 bits of an instruction's first word (its high 16 bits must be
 * zero): decoding is two loads and one lookup, so no per-address cache is needed.
 */
export const DECODE_INFO = (() => {
    const info = new Uint8Array(0x10000);
    for (let lo = 0; lo < 0x10000; lo++) {
        const row = decodeLow(lo);
        if (row !== undefined)
            info[lo] = isPlain(row) ? Decoded.PLAIN : Decoded.SYSTEM;
    }
    return info;
})();
export const rowOf = (lo) => ROW_BY_OPCODE[lo & 0xff];
