import { takeWhile } from 'rxjs';
import type { EventBatch } from '../domain/events/batch.js';
import { applyEvent } from '../domain/evolve.js';
import { Machine, initialState } from '../domain/state/machine.js';
import { startRun } from '../engines/run.js';
import { eventText } from './event-text.js';
import { ChunkKind } from './format.js';
import { TraceReader } from './reader.js';
import { stateDifference } from './state-diff.js';

export interface Divergence {
  readonly index: number;
  readonly recorded: string;
  readonly live: string;
  readonly difference: readonly string[];
}

export interface ReexecResult {
  readonly events: number; // compared
  readonly divergence: Divergence | undefined;
}

function sameEvent(a: EventBatch, i: number, b: EventBatch, j: number): boolean {
  for (const column of ['type', 'vcpu', 'a', 'b', 'c', 'd', 'cost'] as const) if (a[column][i] !== b[column][j]) return false;
  const [ea, eb] = [a.effectsOf(i), b.effectsOf(j)];
  return ea.length === eb.length && ea.every((e, k) => e.kind === eb[k]?.kind && e.a === eb[k]?.a && e.b === eb[k]?.b);
}

/** Runs the engine again from the recorded config and compares it with the trace, event by event. */
export function reexecute(path: string): ReexecResult {
  const reader = new TraceReader(path);
  const recorded = (function* () {
    for (const chunk of reader.chunks()) if (chunk.kind === ChunkKind.EVENTS) yield reader.batchOf(chunk);
  })();
  const config = reader.header.config;
  const [mr, ml] = [new Machine(initialState(config)), new Machine(initialState(config))];
  let trace = recorded.next();
  let j = 0;
  let compared = 0;
  let divergence: Divergence | undefined;
  startRun(config).events$.pipe(takeWhile(() => divergence === undefined)).subscribe((live) => {
    for (let i = 0; i < live.length && divergence === undefined; i++) {
      while (!trace.done && j >= trace.value.length) [trace, j] = [recorded.next(), 0];
      const rec = trace.done ? undefined : trace.value;
      applyEvent(ml, live, i);
      if (rec !== undefined) applyEvent(mr, rec, j);
      if (rec === undefined || !sameEvent(rec, j, live, i)) {
        divergence = {
          index: live.start + i,
          recorded: rec === undefined ? '(the trace ends here)' : eventText(rec.at(j)),
          live: eventText(live.at(i)),
          difference: stateDifference(mr.seal(), ml.seal()),
        };
      }
      j++;
      compared++;
    }
  });
  while (divergence === undefined && !trace.done && j >= trace.value.length) [trace, j] = [recorded.next(), 0];
  if (divergence === undefined && !trace.done) {
    divergence = { index: compared, recorded: eventText(trace.value.at(j)), live: '(the run ends here)', difference: [] };
  }
  reader.close();
  return { events: compared, divergence };
}
