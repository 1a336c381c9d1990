import { workerData, type MessagePort } from 'node:worker_threads';
import type { CheckpointAt } from './interval.js';

/**
 * A worker thread of parallel replay (parallel.ts): claims checkpoint intervals from the
 * back of the trace, one at a time, until it meets one the replaying thread has taken;
 * re-executes each from its recorded starting state and answers with the result before
 * marking it answered. Every failure, loading included, is an answer too, so the
 * replaying thread never waits for an interval that will not be answered.
 */
const { path, checkpoints, claims, reply } = workerData as { path: string; checkpoints: CheckpointAt[]; claims: Int32Array; reply: MessagePort };
const [FREE, MINE, WORKER, ANSWERED] = [0, 1, 2, 3]; // parallel.ts: Claim

function answer(interval: number, message: object, transfer: ArrayBuffer[] = []): void {
  reply.postMessage({ interval, ...message }, transfer);
  Atomics.store(claims, interval, ANSWERED);
  Atomics.notify(claims, interval);
}

let current = -1;
try {
  const { withReader } = await import('./reader.js');
  const { IntervalRunner } = await import('./interval.js');
  withReader(path, (reader) => {
    for (let i = checkpoints.length - 2; i >= 0; i--) {
      const was = Atomics.compareExchange(claims, i, FREE, WORKER);
      if (was === MINE) return;
      if (was !== FREE) continue;
      current = i;
      const result = new IntervalRunner(reader, checkpoints, i).through(i);
      current = -1;
      answer(i, { result }, [result.consoleTail.buffer as ArrayBuffer]);
    }
  });
} catch (e) {
  if (current >= 0) answer(current, { error: e instanceof Error ? e.message : String(e) });
}
