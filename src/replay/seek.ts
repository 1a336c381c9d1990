import { applyEvent } from '../domain/evolve.js';
import { Machine, initialRunState, vmInputs, type MachineState } from '../domain/state/machine.js';
import { startRun } from '../engines/run.js';
import type { TraceReader } from './reader.js';
import { checkpointBefore, eventsFrom } from './source.js';

export interface Seeked {
  readonly state: MachineState; // after `events` events
  readonly checkpoint: MachineState; // the nearest checkpoint at or before it
  readonly events: number;
}

/**
 * The state after the first `n` events, from the nearest checkpoint at or before n. An
 * inputs trace re-executes at most one checkpoint interval with the bare core; when that
 * stops past n (n falls inside a step of several events), or for a trace of events, the
 * events are folded up to n exactly.
 */
export function seek(reader: TraceReader, n: number): Seeked {
  const config = reader.header.config;
  const start = checkpointBefore(reader, n);
  const checkpoint = start ?? initialRunState(config);
  if (checkpoint.seq < n && !reader.header.events) {
    const run = startRun(config, { from: start, events: false });
    run.runUntil(n);
    const state = run.state();
    if (state.seq === n || (state.outcome !== undefined && state.seq < n)) return { state, checkpoint, events: state.seq }; // past n (the last step, an exit and its ends): fold below
  }
  const m = new Machine(checkpoint, vmInputs(config));
  if (m.seq < n) {
    for (const batch of eventsFrom(reader, m.seq, start)) {
      for (let i = Math.max(0, m.seq - batch.start); i < batch.length && m.seq < n; i++) applyEvent(m, batch, i);
      if (m.seq >= n) break;
    }
  }
  return { state: m.seal(), checkpoint, events: m.seq };
}
