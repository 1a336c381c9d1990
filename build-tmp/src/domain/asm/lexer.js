import { LineError } from './errors.js';
const PUNCT = ['<<', '>>', ',', '[', ']', '(', ')', '+', '-', '*', '/', '%', '&', '|', '^', '~', ':'];
const ESCAPES = { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', "'": "'", '"': '"' };
const isIdentStart = (c) => /[A-Za-z_.\\@$]/.test(c);
const isIdent = (c) => /[A-Za-z0-9_.\\@$]/.test(c);
function readQuoted(line, start, quote) {
    let text = '';
    let i = start + 1;
    while (i < line.length && line[i] !== quote) {
        if (line[i] === '\\') {
            const escaped = ESCAPES[line[i + 1] ?? ''];
            if (escaped === undefined)
                throw new LineError(`unknown escape \\${line[i + 1] ?? ''}`, i + 1);
            text += escaped;
            i += 2;
        }
        else {
            text += line[i];
            i++;
        }
    }
    if (i >= line.length)
        throw new LineError(quote === '"' ? 'unterminated string' : 'unterminated character literal', start + 1);
    return { text, end: i + 1 };
}
function readNumber(line, start) {
    let end = start;
    while (end < line.length && /[0-9A-Za-z_]/.test(line[end]))
        end++;
    const raw = line.slice(start, end).replace(/_/g, '');
    const value = /^0x[0-9a-f]+$/i.test(raw) ? parseInt(raw.slice(2), 16)
        : /^0b[01]+$/i.test(raw) ? parseInt(raw.slice(2), 2)
            : /^[0-9]+$/.test(raw) ? parseInt(raw, 10) : NaN;
    if (Number.isNaN(value))
        throw new LineError(`bad number '${line.slice(start, end)}'`, start + 1);
    return { value, end };
}
/** Splits one line (comment already removed) into tokens. */
export function tokenize(line) {
    const tokens = [];
    let i = 0;
    while (i < line.length) {
        const c = line[i];
        if (c === ' ' || c === '\t' || c === '\r') {
            i++;
            continue;
        }
        if (c === '"' || c === "'") {
            const { text, end } = readQuoted(line, i, c);
            if (c === "'" && text.length !== 1)
                throw new LineError('a character literal holds one character', i + 1);
            tokens.push(c === '"' ? { kind: 'string', text, value: 0, col: i + 1 } : { kind: 'number', text, value: text.charCodeAt(0), col: i + 1 });
            i = end;
        }
        else if (/[0-9]/.test(c)) {
            const { value, end } = readNumber(line, i);
            tokens.push({ kind: 'number', text: line.slice(i, end), value, col: i + 1 });
            i = end;
        }
        else if (isIdentStart(c)) {
            let end = i + 1;
            while (end < line.length && isIdent(line[end]))
                end++;
            tokens.push({ kind: 'ident', text: line.slice(i, end), value: 0, col: i + 1 });
            i = end;
        }
        else {
            const p = PUNCT.find((q) => line.startsWith(q, i));
            if (p === undefined)
                throw new LineError(`unexpected character '${c}'`, i + 1);
            tokens.push({ kind: 'punct', text: p, value: 0, col: i + 1 });
            i += p.length;
        }
    }
    return tokens;
}
/** The line without its `;` comment (a `;` inside quotes does not start one). */
export function stripComment(line) {
    let quote = '';
    for (let i = 0; i < line.length; i++) {
        const c = line[i];
        if (quote !== '') {
            if (c === '\\')
                i++;
            else if (c === quote)
                quote = '';
        }
        else if (c === '"' || c === "'") {
            quote = c;
        }
        else if (c === ';') {
            return line.slice(0, i);
        }
    }
    return line;
}
