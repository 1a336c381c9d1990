import { latin1 } from '../engines/console-capture.js';
import type { RunSummary } from '../engines/summary.js';
import type { Io } from './io.js';
import { summaryTable } from './summary-table.js';

const CHUNK_BYTES = 1 << 16;

/**
 * VM 0's console written out as the guest writes it, a chunk at a time (as QEMU's serial
 * port on stdio), so a guest printing without end costs no memory and loses no byte; the
 * summary follows. One VM only: several VMs' consoles are shown each after the run.
 */
export class ConsoleStream {
  private readonly chunk = new Uint8Array(CHUNK_BYTES);
  private used = 0;
  private last = 0x0a;

  constructor(private readonly io: Io) {}

  readonly byte = (b: number): void => {
    this.chunk[this.used++] = b;
    this.last = b;
    if (this.used === CHUNK_BYTES) this.flush();
  };

  /** The rest of the console, a newline if it did not end with one, then the summary: what runReport prints, without holding the console. */
  report(s: RunSummary, colour: boolean): string {
    this.flush();
    return `${this.last === 0x0a ? '' : '\n'}${summaryTable(s, colour)}\n`;
  }

  private flush(): void {
    if (this.used > 0) this.io.out(latin1(this.chunk.subarray(0, this.used)));
    this.used = 0;
  }
}
