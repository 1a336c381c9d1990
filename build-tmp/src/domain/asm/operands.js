import { CONTROL_REGISTERS } from '../isa/encoding.js';
import { NO_BASE } from '../isa/table.js';
import { LineError } from './errors.js';
import { ExprParser } from './expr.js';
export function registerNumber(text) {
    const t = text.toLowerCase();
    if (t === 'sp')
        return 7;
    const m = /^r([0-7])$/.exec(t);
    return m === null ? undefined : Number(m[1]);
}
function controlRegister(text, col) {
    const m = /^cr([0-9]+)$/i.exec(text);
    if (m === null)
        return undefined;
    const n = Number(m[1]);
    if (!CONTROL_REGISTERS.includes(n))
        throw new LineError(`no control register ${text.toLowerCase()} (VX32 has cr0 cr2 cr3 cr4 cr8)`, col);
    return n;
}
/** Splits operand tokens at top-level commas. */
export function splitOperands(tokens) {
    const out = [];
    let current = [];
    let depth = 0;
    for (const t of tokens) {
        if (t.text === '[' || t.text === '(')
            depth++;
        if (t.text === ']' || t.text === ')')
            depth--;
        if (t.kind === 'punct' && t.text === ',' && depth === 0) {
            out.push(current);
            current = [];
        }
        else {
            current.push(t);
        }
    }
    if (current.length > 0 || out.length > 0)
        out.push(current);
    return out;
}
function memory(tokens, col) {
    const close = tokens[tokens.length - 1];
    if (close?.text !== ']')
        throw new LineError("expected ']'", close?.col ?? col);
    const inner = tokens.slice(1, -1);
    if (inner.length === 0)
        throw new LineError('empty memory operand', col);
    const first = inner[0];
    const firstReg = first.kind === 'ident' ? registerNumber(first.text) : undefined;
    if (firstReg !== undefined) {
        const sign = inner[1];
        if (sign !== undefined && sign.text !== '+' && sign.text !== '-')
            throw new LineError(`expected + or - after ${first.text}`, sign.col);
        return { kind: 'mem', base: firstReg, disp: inner.slice(2), negate: sign?.text === '-', col };
    }
    const last = inner[inner.length - 1];
    const lastReg = last.kind === 'ident' ? registerNumber(last.text) : undefined;
    if (lastReg !== undefined && inner[inner.length - 2]?.text === '+') {
        return { kind: 'mem', base: lastReg, disp: inner.slice(0, -2), negate: false, col };
    }
    return { kind: 'mem', base: NO_BASE, disp: inner, negate: false, col };
}
export function parseOperand(tokens, lineEnd) {
    const first = tokens[0];
    if (first === undefined)
        throw new LineError('missing operand', lineEnd);
    if (first.text === '[')
        return memory(tokens, first.col);
    if (tokens.length === 1 && first.kind === 'ident') {
        const reg = registerNumber(first.text);
        if (reg !== undefined)
            return { kind: 'gpr', n: reg, col: first.col };
        const cr = controlRegister(first.text, first.col);
        if (cr !== undefined)
            return { kind: 'cr', n: cr, col: first.col };
        if (first.text.toLowerCase() === 'cs')
            return { kind: 'cs', col: first.col };
    }
    return { kind: 'imm', tokens, col: first.col };
}
export function evaluate(tokens, resolve, col) {
    return ExprParser.evaluate(tokens, resolve, col);
}
