import type { CpuProfile } from '../domain/cost/profile.js';
import { VlabError } from '../domain/errors.js';
import type { EventBatch } from '../domain/events/batch.js';
import { applyBatch } from '../domain/evolve.js';
import { initialMachine, type MachineState } from '../domain/state/machine.js';
import { stateHash } from '../domain/state/state-hash.js';
import { ConsoleCapture, captureConsoles } from '../engines/console-capture.js';
import { startRun } from '../engines/run.js';
import { summarize, type RunSummary } from '../engines/summary.js';
import { RunTally } from '../engines/tally.js';
import { ChunkKind } from './format.js';
import { ChunkOrder, checkTrace } from './order.js';
import { withReader, type Chunk, type TraceReader } from './reader.js';
import { diverged, type CheckpointAt } from './interval.js';
import { joinTallies, replayIntervals } from './parallel.js';

export interface ReplayOptions {
  /** Damage ends the replay instead of failing it: everything before it is replayed. */
  readonly salvage?: boolean;
  /** Price the recorded run under this CPU profile (the run itself is not changed). */
  readonly pricedAs?: CpuProfile;
  /** Threads re-executing checkpoint intervals at once (an inputs trace); 1, the default, replays on this thread alone. */
  readonly jobs?: number;
  /**
   * Events of replay a worker thread not yet started must have ahead of it to be started
   * (parallel.ts: 2^25 by default, about what its start costs); threads kept from an
   * earlier replay are always used.
   */
  readonly eventsPerThreadStart?: number;
}

export interface ReplayResult {
  readonly summary: RunSummary;
  readonly checkpoints: number; // verified
  readonly damage: VlabError | undefined; // with salvage: why the replay stopped early
  readonly complete: boolean; // the trace ends with its index: the recording finished
  readonly how: 'reexecuted' | 'folded' | 'repriced';
}

/** What a replay walks: the trace's chunks, a way to reach a checkpoint's state, the tally and console so far. */
interface Walker {
  onEvents(chunk: Chunk): void;
  stateAt(checkpoint: { readonly seq: number }, chunk: Chunk): MachineState;
  final(): MachineState;
  readonly tally: RunTally;
  readonly console: () => readonly string[];
}

/** Re-executes the recorded config with the bare core, stopping at each checkpoint. */
function reexecution(reader: TraceReader): Walker {
  const run = startRun(reader.header.config, { events: false });
  const consoles = captureConsoles(run.machine.vms);
  return {
    onEvents: () => undefined,
    stateAt: (checkpoint) => {
      run.runUntil(checkpoint.seq);
      return run.state();
    },
    final: () => run.state(),
    tally: run.tally,
    console: () => consoles.map((c) => c.text()),
  };
}

/** Folds evolve over the recorded events: no engine at all (STYLE rule 2). */
function fold(reader: TraceReader): Walker {
  const m = initialMachine(reader.header.config);
  const tally = new RunTally();
  const consoles = captureConsoles(m.vms);
  let decoded: EventBatch | undefined;
  return {
    onEvents: (chunk) => {
      const batch = reader.batchOf(chunk, decoded);
      decoded = batch;
      if (batch.start !== m.seq) throw new VlabError('E_TRACE', `${reader.path}: events ${batch.start}.. follow event ${m.seq - 1} in chunk ${chunk.number} at byte ${chunk.offset}`);
      applyBatch(m, batch);
      tally.addBatch(batch);
    },
    stateAt: () => m.seal(),
    final: () => m.seal(),
    tally,
    console: () => consoles.map((c) => c.text()),
  };
}

/**
 * Replays a trace and checks every checkpoint's state hash: by re-executing its config
 * (an inputs trace) or by folding its events with no engine (`record --events`).
 */
export function replayTrace(trace: TraceReader | string, options: ReplayOptions = {}): ReplayResult {
  if (typeof trace === 'string') return withReader(trace, (reader) => replayTrace(reader, options));
  const reader = trace;
  // Intervals join one console; a trace of several VMs replays on one thread.
  if ((options.jobs ?? 1) > 1 && !reader.header.events && reader.header.config.extraVms === undefined) return replayInParallel(reader, options);
  const config = reader.header.config;
  const walker = reader.header.events ? fold(reader) : reexecution(reader);
  let checkpoints = 0;
  let damage: VlabError | undefined;
  let complete = false;
  const order = new ChunkOrder(reader);
  try {
    for (const chunk of reader.chunks()) {
      if (chunk.kind === ChunkKind.EVENTS) walker.onEvents(chunk);
      if (chunk.kind !== ChunkKind.CHECKPOINT) {
        order.see(chunk);
        continue;
      }
      const checkpoint = order.listedCheckpoint(chunk) ?? reader.checkpointOf(chunk);
      order.see(chunk, checkpoint.seq);
      const live = walker.stateAt(checkpoint, chunk);
      if (live.seq !== checkpoint.seq || stateHash(live) !== checkpoint.hash) throw diverged(reader, chunk, reader.checkpointOf(chunk), live);
      checkpoints++;
    }
    order.finish();
    complete = reader.index() !== undefined;
  } catch (e) {
    if (!(options.salvage === true && e instanceof VlabError && e.code === 'E_TRACE')) throw e;
    damage = e;
  }
  const summary = summarize(config, walker.final(), walker.tally, walker.console(), options.pricedAs);
  return { summary, checkpoints, damage, complete, how: reader.header.events ? 'folded' : 'reexecuted' };
}

/** Threads of one parallel replay, at most (each re-executes a block of its own). */
const MAX_JOBS = 64;

/**
 * An inputs trace replayed by several threads: the chunks are walked and checked in file
 * order here, as a serial replay walks them; the checkpoint intervals met before any
 * damage are then re-executed by this thread from the front and by workers from the back,
 * each worker's from the recorded state of the checkpoint before it (parallel.ts). The first divergence in trace order wins, then the damage, as in a
 * serial replay, whose result this is, message for message.
 */
function replayInParallel(reader: TraceReader, options: ReplayOptions): ReplayResult {
  const checkpoints: CheckpointAt[] = [];
  let walkError: unknown;
  let complete = false;
  const order = new ChunkOrder(reader);
  try {
    for (const chunk of reader.chunks()) {
      if (chunk.kind !== ChunkKind.CHECKPOINT) {
        order.see(chunk);
        continue;
      }
      const { seq, hash } = order.listedCheckpoint(chunk) ?? reader.checkpointOf(chunk);
      order.see(chunk, seq);
      checkpoints.push({ number: chunk.number, offset: chunk.offset, seq, hash });
    }
    order.finish();
    complete = reader.index() !== undefined;
  } catch (e) {
    walkError = e;
  }
  if (checkpoints.length < 2) return replayTrace(reader, { ...options, jobs: 1 });
  let final: MachineState | undefined;
  let results;
  try {
    results = replayIntervals(reader, checkpoints, Math.min(options.jobs ?? 1, MAX_JOBS) - 1, (state) => (final = state), options.eventsPerThreadStart);
  } catch {
    return replayTrace(reader, { ...options, jobs: 1 }); // a worker failed: the serial replay decides
  }
  const divergence = results.find((r) => r.divergence !== undefined)?.divergence;
  if (divergence !== undefined) throw new VlabError('E_DIVERGENCE', divergence);
  let damage: VlabError | undefined;
  if (walkError !== undefined) {
    if (!(options.salvage === true && walkError instanceof VlabError && walkError.code === 'E_TRACE')) throw walkError;
    damage = walkError;
  }
  const console = new ConsoleCapture();
  for (const r of results) console.join(r.consoleBytes, r.consoleTail);
  const tally = joinTallies(results.map((r) => r.tally));
  if (final === undefined) throw new Error('parallel replay: no final state');
  const summary = summarize(reader.header.config, final, tally, console.text(), options.pricedAs);
  return { summary, checkpoints: checkpoints.length, damage, complete, how: 'reexecuted' };
}

/**
 * The recorded run priced under another CPU profile, from the tally and final state the
 * finished trace holds: nothing runs again. Undefined for a trace cut short.
 */
export function repriceTrace(reader: TraceReader, cpu: CpuProfile): ReplayResult | undefined {
  checkTrace(reader);
  const index = reader.index();
  const last = index?.chunks.filter((c) => c.kind === ChunkKind.CHECKPOINT).at(-1);
  if (index === undefined || last === undefined) return undefined;
  const final = reader.stateOf(reader.checkpointOf(reader.chunkAt(last.offset, -1)));
  if (final === undefined) return undefined;
  const summary = summarize(reader.header.config, final, RunTally.fromJSON(index.tally), final.vms.map((vm) => vm.console.tail), cpu);
  return { summary, checkpoints: 0, damage: undefined, complete: true, how: 'repriced' };
}
