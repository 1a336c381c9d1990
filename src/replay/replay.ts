import type { CpuProfile } from '../domain/cost/profile.js';
import { VlabError } from '../domain/errors.js';
import type { EventBatch } from '../domain/events/batch.js';
import { applyBatch } from '../domain/evolve.js';
import { initialMachine, type MachineState } from '../domain/state/machine.js';
import { stateHash } from '../domain/state/state-hash.js';
import { captureConsoles } from '../engines/console-capture.js';
import { startRun } from '../engines/run.js';
import { summarize, type RunSummary } from '../engines/summary.js';
import { RunTally } from '../engines/tally.js';
import { ChunkKind } from './format.js';
import { ChunkOrder, checkTrace } from './order.js';
import { withReader, type Chunk, type TraceReader } from './reader.js';
import { stateDifference } from './state-diff.js';
import type { CheckpointBody } from './writer.js';

export interface ReplayOptions {
  /** Damage ends the replay instead of failing it: everything before it is replayed. */
  readonly salvage?: boolean;
  /** Price the recorded run under this CPU profile (the run itself is not changed). */
  readonly pricedAs?: CpuProfile;
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
  stateAt(checkpoint: CheckpointBody, chunk: Chunk): MachineState;
  final(): MachineState;
  readonly tally: RunTally;
  readonly console: () => readonly string[];
}

function diverged(reader: TraceReader, chunk: Chunk, checkpoint: CheckpointBody, live: MachineState): VlabError {
  const recorded = reader.stateOf(checkpoint);
  const lines = recorded === undefined ? [] : stateDifference(recorded, live).map((d) => `\n  ${d}`);
  const what = live.seq === checkpoint.seq ? `the state hash is ${stateHash(live)}` : `the run is at event ${live.seq}`;
  return new VlabError('E_DIVERGENCE', `${reader.path}: replay diverged at the checkpoint in chunk ${chunk.number} (byte ${chunk.offset}): after event ${checkpoint.seq} ${what}, the trace says ${checkpoint.hash}${lines.join('')}`);
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
      const checkpoint = reader.checkpointOf(chunk);
      order.see(chunk, checkpoint.seq);
      const live = walker.stateAt(checkpoint, chunk);
      if (live.seq !== checkpoint.seq || stateHash(live) !== checkpoint.hash) throw diverged(reader, chunk, checkpoint, live);
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
