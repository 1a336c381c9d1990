import type { Mode, RunConfig } from '../domain/config.js';
import type { EventBatch } from '../domain/events/batch.js';
import { applyEvent } from '../domain/evolve.js';
import { guestStepKey, guestView } from '../domain/guest-view.js';
import { Machine, initialState } from '../domain/state/machine.js';
import { EventTally } from '../engines/summary.js';
import { eventText } from './event-text.js';
import { stateDifference } from './state-diff.js';

/** One side of a diff: a run's config and its event batches, from a trace or a live run. */
export interface DiffSide {
  readonly label: string;
  readonly config: RunConfig;
  readonly batches: Iterable<EventBatch>;
}

export interface Step {
  readonly seq: number;
  readonly signature: string;
  readonly text: string;
}

/** The guest-visible steps of a run (domain guestView), folding the machine along. */
export function* guestSteps(side: Pick<DiffSide, 'config' | 'batches'>, m = new Machine(initialState(side.config)), tally = new EventTally()): Generator<Step> {
  const mode: Mode = side.config.mode;
  for (const batch of side.batches) {
    tally.add(batch);
    for (let i = 0; i < batch.length; i++) {
      applyEvent(m, batch, i);
      const event = batch.at(i);
      const view = guestView(event, m, mode);
      if (view !== undefined) yield { seq: event.seq, signature: guestStepKey(view), text: eventText(event) };
    }
  }
}

export interface GuestDivergence {
  readonly step: number; // index among guest-visible steps
  readonly events: [number | undefined, number | undefined]; // event index on each side
  readonly texts: [string, string];
  readonly difference: readonly string[];
}

export interface DiffResult {
  readonly divergence: GuestDivergence | undefined;
  readonly tallies: [EventTally, EventTally];
}

/** Aligns two runs' guest views and finds the first guest-visible divergence. */
export function diffRuns(a: DiffSide, b: DiffSide): DiffResult {
  const machines = [new Machine(initialState(a.config)), new Machine(initialState(b.config))] as const;
  const tallies: [EventTally, EventTally] = [new EventTally(), new EventTally()];
  const [sa, sb] = [guestSteps(a, machines[0], tallies[0]), guestSteps(b, machines[1], tallies[1])];
  let divergence: GuestDivergence | undefined;
  for (let step = 0; divergence === undefined; step++) {
    const [x, y] = [sa.next(), sb.next()];
    if (x.done && y.done) break;
    if (x.done || y.done || x.value.signature !== y.value.signature) {
      divergence = {
        step,
        events: [x.done ? undefined : x.value.seq, y.done ? undefined : y.value.seq],
        texts: [x.done ? '(no more guest steps)' : x.value.text, y.done ? '(no more guest steps)' : y.value.text],
        difference: stateDifference(machines[0].seal(), machines[1].seal(), [a.config.mode, b.config.mode]),
      };
    }
  }
  for (const _ of sa);
  for (const _ of sb);
  return { divergence, tallies };
}
