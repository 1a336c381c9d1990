import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { EventBatch } from '../domain/events/batch.js';
import { TraceFile, type CheckpointBody, type TraceHeader, type TraceIndex } from './writer.js';

/**
 * The worker thread of `record --events` (worker-writer.ts): it owns the trace file and
 * does the packing, deflating and writing of event chunks, off the thread that runs the
 * guest. Each message is acknowledged through the shared counter, so the recorder never
 * runs more than a few batches ahead.
 */
export type WorkerMessage =
  | { readonly kind: 'batch'; readonly start: number; readonly columns: Record<string, Uint8Array | Uint32Array>; readonly extras: [number, unknown][]; readonly length: number; readonly effectCount: number }
  | { readonly kind: 'checkpoint'; readonly body: CheckpointBody; readonly first: number; readonly pages: Uint8Array[]; readonly last: boolean }
  | { readonly kind: 'finish'; readonly tally: TraceIndex['tally'] }
  | { readonly kind: 'abandon' };

const { path, header, inFlight, reply } = workerData as { path: string; header: TraceHeader; inFlight: Int32Array; reply: MessagePort };
let file: TraceFile | undefined;

function handle(message: WorkerMessage): void {
  file ??= new TraceFile(path, header);
  switch (message.kind) {
    case 'batch': {
      const batch = new EventBatch(message.start, Math.max(1, message.length));
      for (const [name, column] of Object.entries(message.columns)) (batch as unknown as Record<string, typeof column>)[name]?.set(column as never);
      batch.effects = message.columns.effects as Uint32Array;
      batch.length = message.length;
      batch.effectCount = message.effectCount;
      for (const [i, extra] of message.extras) batch.extras.set(i, extra);
      file.batch(batch);
      return;
    }
    case 'checkpoint':
      file.pages(message.first, message.pages);
      file.checkpoint(message.body, message.last);
      return;
    case 'finish':
      file.finish(message.tally);
      reply.postMessage({ done: true, bytes: file.bytes });
      return;
    case 'abandon':
      file.abandon();
      reply.postMessage({ done: true, bytes: file.bytes });
      return;
    default: {
      const unreachable: never = message;
      return unreachable;
    }
  }
}

parentPort?.on('message', (message: WorkerMessage) => {
  try {
    handle(message);
  } catch (e) {
    reply.postMessage({ done: true, error: (e as Error).message, code: (e as NodeJS.ErrnoException).code });
  } finally {
    Atomics.sub(inFlight, 0, 1);
    Atomics.notify(inFlight, 0);
  }
});
