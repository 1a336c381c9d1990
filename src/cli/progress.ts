import cliProgress from 'cli-progress';
import type { Io } from './io.js';

/** A progress bar on stderr: drawn only on a terminal, and only once the work has gone on for DELAY_MS. */
export interface Progress {
  update(done: number, detail?: string): void;
  stop(): void;
}

const DELAY_MS = 1000;
const NONE: Progress = { update: () => {}, stop: () => {} };

/** `total` units of work (runs, guest instructions); stdout stays the results' alone. */
export function progressBar(io: Io, total: number, unit: string, clock: () => number = Date.now): Progress {
  if (io.errIsTTY !== true) return NONE;
  const started = clock();
  let bar: cliProgress.SingleBar | undefined;
  return {
    update(done, detail = '') {
      if (bar === undefined) {
        if (clock() - started < DELAY_MS) return;
        bar = new cliProgress.SingleBar(
          { stream: process.stderr, format: `[{bar}] {value}/{total} ${unit} {detail}`, barsize: 30, hideCursor: true, clearOnComplete: true, formatValue: (v, _o, type) => (type === 'value' || type === 'total' ? v.toLocaleString('en-US') : String(v)) },
          cliProgress.Presets.legacy,
        );
        bar.start(total, done, { detail });
      }
      bar.update(Math.min(done, total), { detail });
    },
    stop() {
      bar?.stop();
    },
  };
}
