import { writeSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** Where a command writes: injectable so tests read exactly what a user sees. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  readonly isTTY: boolean;
  /** stderr is a terminal: progress is drawn there, and only then. */
  readonly errIsTTY?: boolean;
  /** The lines of standard input, for interactive commands (vlab debug). */
  readonly lines?: () => AsyncIterable<string>;
  /** Echo each input line, prefixed by a prompt, so a scripted session reads as a transcript. */
  readonly echo?: boolean;
}

/** The reader of our output went away (`vlab inspect … | head`): stop quietly, as Unix tools do. */
export class OutputClosed extends Error {}

/**
 * Writes all of it now, so a command that streams stops as soon as its reader is gone
 * (EPIPE) instead of producing into a closed pipe; a full non-blocking pipe is waited on.
 */
function writeAll(fd: number, text: string): void {
  const bytes = Buffer.from(text);
  for (let done = 0; done < bytes.length; ) {
    try {
      done += writeSync(fd, bytes, done);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') throw new OutputClosed();
      if (code !== 'EAGAIN') throw e;
    }
  }
}

export const processIo: Io = {
  out: (text) => writeAll(1, text),
  err: (text) => writeAll(2, text),
  isTTY: process.stdout.isTTY === true,
  errIsTTY: process.stderr.isTTY === true,
  lines: () => createInterface({ input: process.stdin, terminal: false }),
  echo: process.stdin.isTTY !== true,
};

/** `--no-color` on the command line (set by main before a command runs). */
let colourFlag: boolean | undefined;

export function setColourFlag(colour: boolean | undefined): void {
  colourFlag = colour;
}

/**
 * Whether to colour what goes to `io`: `--no-color` wins, then NO_COLOR (any non-empty
 * value, no-color.org), then FORCE_COLOR (any value but 0), else only on a terminal.
 */
export function wantColour(io: Io, env: NodeJS.ProcessEnv = process.env): boolean {
  if (colourFlag === false) return false;
  if ((env.NO_COLOR ?? '') !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0';
  return io.isTTY;
}
