import type { EventBatch } from '../domain/events/batch.js';
import { applyEvent } from '../domain/evolve.js';
import { Machine, initialState, type MachineState } from '../domain/state/machine.js';
import { ChunkKind, PREAMBLE_BYTES } from './format.js';
import type { TraceReader } from './reader.js';

export interface Seeked {
  readonly state: MachineState; // after `events` events
  readonly checkpoint: MachineState; // the nearest checkpoint at or before it
  readonly events: number;
}

/**
 * The state after the first `n` events: from the nearest checkpoint at or before n (found
 * in the index), folding at most one checkpoint interval of events.
 */
export function seek(reader: TraceReader, n: number): Seeked {
  const index = reader.index();
  let m = new Machine(initialState(reader.header.config));
  let checkpoint = m.seal();
  let from = PREAMBLE_BYTES;
  if (index !== undefined) {
    const best = index.chunks.filter((c) => c.kind === ChunkKind.CHECKPOINT && c.firstEvent <= n).at(-1);
    if (best !== undefined) {
      checkpoint = reader.stateOf(reader.checkpointOf(reader.chunkAt(best.offset, -1)));
      m = new Machine(checkpoint);
      from = best.offset;
    }
  }
  for (const chunk of reader.chunks(from)) {
    if (m.seq >= n) break;
    if (chunk.kind === ChunkKind.CHECKPOINT && index === undefined && reader.checkpointOf(chunk).state.seq <= n) {
      checkpoint = reader.stateOf(reader.checkpointOf(chunk));
    }
    if (chunk.kind === ChunkKind.EVENTS) foldUpTo(m, reader.batchOf(chunk), n);
  }
  return { state: m.seal(), checkpoint, events: m.seq };
}

function foldUpTo(m: Machine, batch: EventBatch, n: number): void {
  for (let i = 0; i < batch.length && m.seq < n; i++) {
    if (batch.start + i === m.seq) applyEvent(m, batch, i);
  }
}
