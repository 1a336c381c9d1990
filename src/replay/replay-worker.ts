import { parentPort, type MessagePort } from 'node:worker_threads';
import type { CheckpointAt } from './interval.js';

/**
 * A worker thread of parallel replay (parallel.ts), kept for the replays that follow: for
 * each job, claims checkpoint intervals from the back of the trace, one at a time, until
 * it meets one the replaying thread has taken; re-executes each from its recorded starting
 * state and answers with the result before marking it answered. Every failure, loading
 * included, is an answer too, so the replaying thread never waits for an interval that
 * will not be answered.
 */
interface Job {
  readonly path: string;
  readonly checkpoints: CheckpointAt[];
  readonly claims: Int32Array;
  readonly reply: MessagePort;
}

const [FREE, MINE, WORKER, ANSWERED] = [0, 1, 2, 3]; // parallel.ts: Claim
const modules = Promise.all([import('./reader.js'), import('./interval.js')]);

async function replay({ path, checkpoints, claims, reply }: Job): Promise<void> {
  const answer = (interval: number, message: object, transfer: ArrayBuffer[] = []): void => {
    reply.postMessage({ interval, ...message }, transfer);
    Atomics.store(claims, interval, ANSWERED);
    Atomics.notify(claims, interval);
  };
  let current = -1;
  try {
    const [{ withReader }, { IntervalRunner }] = await modules;
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
  } finally {
    reply.close();
  }
}

let jobs = Promise.resolve();
parentPort?.on('message', (job: Job) => {
  jobs = jobs.then(() => replay(job));
});
