/** A failed step of assembly, raised inside a line and collected by the line's caller. */
export class LineError extends Error {
    col;
    constructor(message, col) {
        super(message);
        this.col = col;
    }
}
export function errorAt(src, col, message) {
    const where = src.macro === undefined ? message : `${message} (in macro ${src.macro})`;
    return { file: src.file, line: src.line, col, message: where, text: src.text };
}
/** `file:line:col: message`, then the source line and a caret under the column. */
export function formatAsmError(e) {
    const caret = `${' '.repeat(Math.max(0, e.col - 1))}^`;
    return `${e.file}:${e.line}:${e.col}: ${e.message}\n    ${e.text}\n    ${caret}`;
}
