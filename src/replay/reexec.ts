import { VlabError } from '../domain/errors.js';
import type { EventBatch } from '../domain/events/batch.js';
import { applyEvent } from '../domain/evolve.js';
import { initialMachine } from '../domain/state/machine.js';
import { startRun } from '../engines/run.js';
import { eventText } from './event-text.js';
import { withReader, type TraceReader } from './reader.js';
import { eventsFrom } from './source.js';
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
  for (const column of ['type', 'ctx', 'variant', 'a', 'b', 'c', 'd', 'e', 'cost'] as const) if (a[column][i] !== b[column][j]) return false;
  const [ea, eb] = [a.effectsOf(i), b.effectsOf(j)];
  return ea.length === eb.length && ea.every((e, k) => e.code === eb[k]?.code && e.a === eb[k]?.a && e.b === eb[k]?.b);
}

/** Runs the engine again from the recorded config and compares it with the recorded events, event by event. */
export function reexecute(source: TraceReader | string): ReexecResult {
  if (typeof source === 'string') return withReader(source, reexecute);
  const reader = source;
  if (!reader.header.events) throw new VlabError('E_USAGE', `${reader.path} holds no events to compare (record it with --events); vlab replay re-executes it and checks its checkpoints`);
  const config = reader.header.config;
  const recorded = eventsFrom(reader, 0, undefined);
  const [mr, ml] = [initialMachine(config), initialMachine(config)];
  let trace = recorded.next();
  let j = 0;
  let compared = 0;
  let divergence: Divergence | undefined;
  const run = startRun(config);
  for (let done = false; !done && divergence === undefined; ) {
    done = run.runUntil(run.machine.seq + 4096, (live) => {
      for (let i = 0; i < live.length && divergence === undefined; i++) {
        while (trace.done !== true && j >= trace.value.length) [trace, j] = [recorded.next(), 0];
        const rec = trace.done === true ? undefined : trace.value;
        applyEvent(ml, live, i);
        if (rec !== undefined) applyEvent(mr, rec, j);
        if (rec === undefined || !sameEvent(rec, j, live, i)) {
          divergence = { index: live.start + i, recorded: rec === undefined ? '(the trace ends here)' : eventText(rec.at(j)), live: eventText(live.at(i)), difference: stateDifference(mr.seal(), ml.seal()) };
        }
        j++;
        compared++;
      }
    });
  }
  while (divergence === undefined && trace.done !== true && j >= trace.value.length) [trace, j] = [recorded.next(), 0];
  if (divergence === undefined && trace.done !== true) divergence = { index: compared, recorded: eventText(trace.value.at(j)), live: '(the run ends here)', difference: [] };
  return { events: compared, divergence };
}
