/** Where a line of assembly came from, for error messages. */
export interface SourceLine {
  readonly file: string;
  readonly line: number; // 1-based
  readonly text: string; // the line as written
  readonly macro?: string; // the macro this line was expanded from
}

export interface AsmError {
  readonly file: string;
  readonly line: number;
  readonly col: number; // 1-based
  readonly message: string;
  readonly text: string;
}

/** A failed step of assembly, raised inside a line and collected by the line's caller. */
export class LineError extends Error {
  constructor(
    message: string,
    readonly col: number,
  ) {
    super(message);
  }
}

export function errorAt(src: SourceLine, col: number, message: string): AsmError {
  const where = src.macro === undefined ? message : `${message} (in macro ${src.macro})`;
  return { file: src.file, line: src.line, col, message: where, text: src.text };
}

/** `file:line:col: message`, then the source line and a caret under the column. */
export function formatAsmError(e: AsmError): string {
  const caret = `${' '.repeat(Math.max(0, e.col - 1))}^`;
  return `${e.file}:${e.line}:${e.col}: ${e.message}\n    ${e.text}\n    ${caret}`;
}
