import { decodeLow, fieldsOf } from './encoding.js';
import { FORMS } from './forms.js';
import { INSN_BYTES, NO_BASE } from './table.js';
const reg = (n) => (n === 7 ? 'sp' : `r${n}`);
const hex = (n) => `0x${(n >>> 0).toString(16)}`;
function number(n, symbols) {
    const named = symbols?.get(n >>> 0);
    if (named !== undefined)
        return named;
    return (n >>> 0) < 256 ? String(n >>> 0) : hex(n);
}
function memory(base, disp, symbols) {
    if (base === NO_BASE)
        return `[${number(disp, symbols)}]`;
    if (disp === 0)
        return `[${reg(base)}]`;
    const signed = disp | 0;
    return signed < 0 && signed > -0x10000 ? `[${reg(base)}-${-signed}]` : `[${reg(base)}+${number(disp, symbols)}]`;
}
function immediate(imm, style, symbols) {
    switch (style) {
        case 'label': return number(imm, symbols);
        case 'number': return number(imm);
        case 'hex': return hex(imm);
        case 'decimal': return String(imm >>> 0);
        default: {
            const unreachable = style;
            return unreachable;
        }
    }
}
function operand(spec, row, insn, symbols) {
    switch (spec.kind) {
        case 'gpr': return reg(insn[spec.nibble]);
        case 'cr': return `cr${insn[spec.nibble]}`;
        case 'cs': return 'cs';
        case 'imm': return immediate(insn.imm, row.immStyle, symbols);
        case 'mem': return memory(insn[spec.nibble], insn.imm, symbols);
        default: {
            const unreachable = spec;
            return unreachable;
        }
    }
}
/** One instruction in canonical syntax, which reassembles to the same bytes; `(bad)` for #UD. */
export function disassemble(lo, imm, symbols) {
    const row = decodeLow(lo);
    if (row === undefined)
        return '(bad)';
    const insn = fieldsOf(lo, imm);
    const ops = FORMS[row.form].operands.map((spec) => operand(spec, row, insn, symbols));
    return ops.length === 0 ? row.mnemonic : `${row.mnemonic} ${ops.join(', ')}`;
}
export function symbolsByAddress(image) {
    const byAddress = new Map();
    for (const [name, addr] of Object.entries(image.symbols).sort(([a], [b]) => a.localeCompare(b))) {
        if (!byAddress.has(addr >>> 0))
            byAddress.set(addr >>> 0, name);
    }
    return byAddress;
}
/** A listing, `addr: bytes  text`, of every 8-byte slot of every segment. */
export function disassembleImage(image) {
    const symbols = symbolsByAddress(image);
    const out = [];
    for (const seg of image.segments) {
        const view = new DataView(seg.bytes.buffer, seg.bytes.byteOffset, seg.bytes.byteLength);
        for (let off = 0; off + INSN_BYTES <= seg.bytes.length; off += INSN_BYTES) {
            const addr = seg.addr + off;
            const label = symbols.get(addr);
            if (label !== undefined)
                out.push(`${label}:`);
            const bytes = [...seg.bytes.subarray(off, off + INSN_BYTES)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
            out.push(`  ${addr.toString(16).padStart(8, '0')}: ${bytes}  ${disassemble(view.getUint32(off, true), view.getUint32(off + 4, true), symbols)}`);
        }
    }
    return out;
}
