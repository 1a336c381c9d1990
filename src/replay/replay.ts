import { VlabError } from '../domain/errors.js';
import type { EventBatch } from '../domain/events/batch.js';
import { applyBatch } from '../domain/evolve.js';
import { Machine, initialState } from '../domain/state/machine.js';
import { stateHash } from '../domain/state/state-hash.js';
import { EventTally, summarize, type RunSummary } from '../engines/summary.js';
import { ChunkKind } from './format.js';
import { TraceReader } from './reader.js';

export interface ReplayResult {
  readonly summary: RunSummary;
  readonly checkpoints: number; // verified
  readonly damage: VlabError | undefined; // with --salvage: why the replay stopped early
  readonly complete: boolean; // the trace ends with its index: the recording finished
}

/**
 * Folds `evolve` over a trace, with no engine (STYLE rule 2), and checks the state hash of
 * every checkpoint. With `salvage`, damage ends the replay instead of failing it.
 */
export function replayTrace(path: string, salvage = false): ReplayResult {
  const reader = new TraceReader(path);
  try {
    const config = reader.header.config;
    const m = new Machine(initialState(config));
    const tally = new EventTally();
    let checkpoints = 0;
    let damage: VlabError | undefined;
    let complete = false;
    let decoded: EventBatch | undefined;
    try {
      for (const chunk of reader.chunks()) {
        if (chunk.kind === ChunkKind.EVENTS) {
          const batch = reader.batchOf(chunk, decoded);
          decoded = batch;
          if (batch.start !== m.seq) throw new VlabError('E_TRACE', `${path}: events ${batch.start}.. follow event ${m.seq - 1} in chunk ${chunk.number} at byte ${chunk.offset}`);
          applyBatch(m, batch);
          tally.add(batch);
        } else if (chunk.kind === ChunkKind.CHECKPOINT) {
          const checkpoint = reader.checkpointOf(chunk);
          const hash = stateHash(m.seal());
          if (hash !== checkpoint.hash) {
            throw new VlabError('E_DIVERGENCE', `${path}: replay diverged: after event ${m.seq - 1} the state hash is ${hash}, the checkpoint in chunk ${chunk.number} says ${checkpoint.hash}`);
          }
          checkpoints++;
        }
      }
      complete = reader.index() !== undefined;
    } catch (e) {
      if (!(salvage && e instanceof VlabError && e.code === 'E_TRACE')) throw e;
      damage = e;
    }
    return { summary: summarize(config, m.seal(), tally), checkpoints, damage, complete };
  } finally {
    reader.close();
  }
}
