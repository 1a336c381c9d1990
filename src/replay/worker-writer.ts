import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort } from 'node:worker_threads';
import { VlabError } from '../domain/errors.js';
import type { EventBatch } from '../domain/events/batch.js';
import type { MachineState } from '../domain/state/machine.js';
import type { RunTally } from '../engines/tally.js';
import type { WorkerMessage } from './trace-worker.js';
import { PageIds, TraceWriter, type TraceHeader, type TraceSink } from './writer.js';

/** Batches the recorder may run ahead of the worker's writing. */
const AHEAD = 16;
const WORKER = new URL('./trace-worker.js', import.meta.url);

/**
 * `record --events`: the event chunks are packed, deflated and written by a worker thread
 * while the guest runs. Pages are numbered here (their identity is this thread's), the
 * worker writes them. Finishing waits for the worker, so recording stays synchronous.
 */
export class WorkerTraceWriter implements TraceSink {
  private readonly worker: Worker;
  private readonly inFlight = new Int32Array(new SharedArrayBuffer(4));
  private readonly channel = new MessageChannel();
  private readonly pages = new PageIds();
  private written = 0;

  constructor(
    private readonly path: string,
    header: TraceHeader,
  ) {
    this.worker = new Worker(WORKER, { workerData: { path, header, inFlight: this.inFlight, reply: this.channel.port2 }, transferList: [this.channel.port2] });
  }

  private post(message: WorkerMessage, transfer: ArrayBuffer[] = []): void {
    while (Atomics.load(this.inFlight, 0) >= AHEAD) Atomics.wait(this.inFlight, 0, Atomics.load(this.inFlight, 0), 100);
    this.failed();
    Atomics.add(this.inFlight, 0, 1);
    this.worker.postMessage(message, transfer);
  }

  batch(batch: EventBatch): void {
    const n = batch.length;
    const columns: Record<string, Uint8Array | Uint32Array> = {};
    for (const name of ['type', 'ctx', 'variant', 'a', 'b', 'c', 'd', 'e', 'cost'] as const) columns[name] = batch[name].slice(0, n);
    columns.effectStart = batch.effectStart.slice(0, n + 1);
    columns.effects = batch.effects.slice(0, 3 * batch.effectCount);
    this.post({ kind: 'batch', start: batch.start, columns, extras: [...batch.extras], length: n, effectCount: batch.effectCount }, Object.values(columns).map((c) => c.buffer as ArrayBuffer));
  }

  checkpoint(state: MachineState, last = false): void {
    const fresh: Uint8Array[] = [];
    let first = -1;
    const body = this.pages.checkpoint(state, (id, page) => {
      if (first < 0) first = id;
      fresh.push(page);
    });
    this.post({ kind: 'checkpoint', body, first, pages: fresh, last });
  }

  finish(tally: RunTally): void {
    this.post({ kind: 'finish', tally: tally.toJSON() });
    this.settle();
  }

  abandon(): void {
    this.post({ kind: 'abandon' });
    this.settle();
  }

  bytesWritten(): number {
    return this.written;
  }

  /** Waits for the worker's last answer; its error, if any, becomes ours. */
  private settle(): void {
    while (Atomics.load(this.inFlight, 0) > 0) Atomics.wait(this.inFlight, 0, Atomics.load(this.inFlight, 0), 100);
    this.failed();
    void this.worker.terminate();
  }

  private failed(): void {
    for (let m = receiveMessageOnPort(this.channel.port1); m !== undefined; m = receiveMessageOnPort(this.channel.port1)) {
      const answer = m.message as { bytes?: number; error?: string; code?: string };
      this.written = answer.bytes ?? this.written;
      if (answer.error !== undefined) {
        void this.worker.terminate();
        throw new VlabError('E_IO', answer.code === 'E_IO' ? answer.error : `cannot write trace '${this.path}': ${answer.error}`);
      }
    }
  }
}

/**
 * The sink of a recording: event traces through the worker when it is built (dist/), on
 * this thread otherwise (the test runner loads the sources, which a worker cannot).
 */
export function traceSink(path: string, header: TraceHeader): TraceSink {
  const worker = header.events && WORKER.pathname.endsWith('.js') && existsSync(fileURLToPath(WORKER));
  return worker ? new WorkerTraceWriter(path, header) : new TraceWriter(path, header);
}
