import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { MachineState } from '../domain/state/machine.js';
import { RunTally } from '../engines/tally.js';
import { IntervalRunner, type BlockResult, type CheckpointAt } from './interval.js';
import type { TraceReader } from './reader.js';

const WORKER = new URL('./replay-worker.js', import.meta.url);

/** Who re-executes a checkpoint interval: nobody yet, this thread, a worker, a worker that has answered. */
export const enum Claim {
  FREE = 0,
  MINE = 1,
  WORKER = 2,
  ANSWERED = 3,
}

/** The tallies of consecutive pieces of a run, as the whole run's. */
export function joinTallies(parts: readonly ReturnType<RunTally['toJSON']>[]): RunTally {
  const t = new RunTally();
  const exits = new Map<number, { count: number; cycles: number; ledger: number[] }>();
  const ledgers = new Map<number, number[]>();
  const add = (into: number[], from: readonly number[]): void => from.forEach((n, k) => (into[k] = (into[k] ?? 0) + n));
  for (const part of parts) {
    for (const [code, n] of part.counts) t.counts[code] = (t.counts[code] as number) + n;
    for (const [code, n] of part.cycles) t.cycles[code] = (t.cycles[code] as number) + n;
    for (const [code, row] of part.ledgers) add(ledgers.get(code) ?? ledgers.set(code, []).get(code) ?? [], row);
    for (const [reason, count, cycles, ledger] of part.exits ?? []) {
      const row = exits.get(reason) ?? { count: 0, cycles: 0, ledger: [] };
      exits.set(reason, { count: row.count + count, cycles: row.cycles + cycles, ledger: row.ledger });
      add(row.ledger, ledger);
    }
    t.readsTimestamp ||= part.readsTimestamp;
  }
  const json = t.toJSON();
  return RunTally.fromJSON({ ...json, ledgers: [...ledgers], ...(exits.size === 0 ? {} : { exits: [...exits].map(([reason, r]) => [reason, r.count, r.cycles, r.ledger]) }) });
}

/** Worker threads exist only where the code is built (dist/): the test runner loads the sources, which a worker cannot. */
export const workersAvailable = (): boolean => WORKER.pathname.endsWith('.js') && existsSync(fileURLToPath(WORKER));

/** A worker's answer for one interval. */
export interface IntervalAnswer {
  readonly interval: number;
  readonly result?: BlockResult;
  readonly error?: string;
}

/**
 * Events of replay a new thread must have ahead of it to pay for its start (about 0.2 s,
 * in which the bare core re-executes 30–45 M events): idle workers are always used, new
 * ones only for a trace long enough.
 */
const EVENTS_PER_THREAD_START = 1 << 25;

function worthHaving(workers: number, checkpoints: readonly CheckpointAt[], eventsPerThreadStart: number): number {
  const events = checkpoints.at(-1)?.seq ?? 0;
  return Math.min(workers, idle.length + (eventsPerThreadStart <= 0 ? workers : Math.floor(events / eventsPerThreadStart)));
}

/**
 * Re-executes the checkpoint intervals of a trace on this thread and `workers` worker
 * threads at once. This thread takes intervals from the front, one continuous run, as a
 * serial replay does; the workers take them from the back (all but the last, which this
 * thread runs for the final state), each from the recorded state of the checkpoint
 * before it. Each interval is claimed once through a shared array, so a worker slow to
 * start costs nothing but its start: on a short trace this thread simply does it all.
 * A divergence met by a run resumed from a checkpoint is not trusted (a mode whose
 * resumed run is not exactly the continuous one would report what a serial replay does
 * not): the front run then goes on alone through the rest, as a serial replay would.
 * Waits synchronously (Atomics.wait), so replay stays a synchronous function. Returns the
 * pieces of the run in trace order; throws when a worker fails for any reason but a
 * divergence.
 */
export function replayIntervals(reader: TraceReader, checkpoints: readonly CheckpointAt[], workers: number, final: (state: MachineState) => void, eventsPerThreadStart = EVENTS_PER_THREAD_START): BlockResult[] {
  const n = checkpoints.length;
  const claims = new Int32Array(new SharedArrayBuffer(4 * n));
  claims[n - 1] = Claim.MINE;
  const inThread = !workersAvailable();
  const answers = new Map<number, BlockResult>();
  if (inThread) {
    // No worker can start: the back half goes as a worker would take it, so the same pieces are joined.
    for (let i = n - 2; i >= n >> 1; i--) {
      claims[i] = Claim.ANSWERED;
      answers.set(i, new IntervalRunner(reader, checkpoints, i).through(i));
    }
  }
  const started = inThread ? [] : Array.from({ length: worthHaving(workers, checkpoints, eventsPerThreadStart) }, () => spawn(reader.path, checkpoints, claims));
  const front = new IntervalRunner(reader, checkpoints, 0);
  let failed = false;
  try {
    let i = 0;
    while (i < n - 1 && Atomics.compareExchange(claims, i, Claim.FREE, Claim.MINE) === Claim.FREE && front.step(i)) i++;
    if (front.diverged !== undefined || i === n - 1) return alone(front, i, n, final);
    const last = new IntervalRunner(reader, checkpoints, n - 1);
    const lastPiece = last.through(n - 1);
    for (let k = i; k < n - 1; k++) {
      while (Atomics.load(claims, k) === Claim.WORKER) Atomics.wait(claims, k, Claim.WORKER, 1000);
      for (const { port } of started) collect(port, answers);
    }
    const pieces = [...Array.from({ length: n - 1 - i }, (_, k) => answers.get(i + k)), lastPiece];
    if (pieces.some((p) => p === undefined || p.divergence !== undefined)) return alone(front, i, n, final);
    if (lastPiece.divergence === undefined) last.result(final);
    return [front.result(), ...(pieces as BlockResult[])];
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    front.close();
    for (const { worker, port } of started) {
      port.close();
      release(worker, failed);
    }
  }
}

/** The front run goes on alone from interval `i` through the last, as a serial replay. */
function alone(front: IntervalRunner, i: number, n: number, final: (state: MachineState) => void): BlockResult[] {
  for (let k = i; k < n && front.diverged === undefined; k++) front.step(k);
  return [front.result(final)];
}

/**
 * Replay workers kept between replays of a process, idle ones waiting for their next job:
 * a thread starts in about 0.2 s here (mostly loading the engine's modules), longer than
 * replaying a short trace, so only a process's first parallel replay pays for it. They are
 * unref'd: an idle worker never keeps the process alive.
 */
const idle: Worker[] = [];

function spawn(path: string, checkpoints: readonly CheckpointAt[], claims: Int32Array): { worker: Worker; port: MessagePort } {
  const channel = new MessageChannel();
  const worker = idle.pop() ?? newWorker();
  worker.postMessage({ path, checkpoints, claims, reply: channel.port2 }, [channel.port2]);
  return { worker, port: channel.port1 };
}

function newWorker(): Worker {
  const worker = new Worker(WORKER);
  worker.unref();
  const gone = (): void => void (idle.includes(worker) && idle.splice(idle.indexOf(worker), 1));
  worker.once('exit', gone);
  worker.on('error', gone); // one that cannot load claims nothing: this thread does its share
  return worker;
}

/** A worker whose job is over goes back to the pool, unless it failed (then it is stopped). */
function release(worker: Worker, failed: boolean): void {
  if (failed) void worker.terminate();
  else idle.push(worker);
}

function collect(port: MessagePort, answers: Map<number, BlockResult>): void {
  for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
    const answer = m.message as IntervalAnswer;
    if (answer.result === undefined) throw new Error(`replay worker failed at interval ${answer.interval}: ${answer.error ?? 'no answer'}`);
    answers.set(answer.interval, answer.result);
  }
}
