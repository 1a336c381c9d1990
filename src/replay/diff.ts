import type { RunConfig } from '../domain/config.js';
import type { EventBatch } from '../domain/events/batch.js';
import { applyEvent } from '../domain/evolve.js';
import { guestStepKey, guestView, type CpuProjection } from '../domain/guest-view.js';
import { Machine, initialState } from '../domain/state/machine.js';
import { modeSpec } from '../engines/modes/registry.js';
import { RunTally } from '../engines/tally.js';
import { eventText } from './event-text.js';
import { guestDifference } from './state-diff.js';

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

/** The guest-visible steps of a run (domain guestView), folding the machine along; streams, keeps nothing. */
export function* guestSteps(side: Pick<DiffSide, 'config' | 'batches'>, m = new Machine(initialState(side.config), [side.config.input]), tally = new RunTally()): Generator<Step> {
  const projection: CpuProjection = modeSpec(side.config.mode).projection;
  for (const batch of side.batches) {
    tally.addBatch(batch);
    for (let i = 0; i < batch.length; i++) {
      applyEvent(m, batch, i);
      const event = batch.at(i);
      const view = guestView(event, m.vm(0), projection);
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
  readonly tallies: [RunTally, RunTally];
}

/** Aligns two runs' guest views and finds the first guest-visible divergence, in bounded memory. */
export function diffRuns(a: DiffSide, b: DiffSide): DiffResult {
  const machines = [new Machine(initialState(a.config), [a.config.input]), new Machine(initialState(b.config), [b.config.input])] as const;
  const tallies: [RunTally, RunTally] = [new RunTally(), new RunTally()];
  const [sa, sb] = [guestSteps(a, machines[0], tallies[0]), guestSteps(b, machines[1], tallies[1])];
  let divergence: GuestDivergence | undefined;
  for (let step = 0; divergence === undefined; step++) {
    const [x, y] = [sa.next(), sb.next()];
    if (x.done === true && y.done === true) break;
    if (x.done === true || y.done === true || x.value.signature !== y.value.signature) {
      divergence = {
        step,
        events: [x.done === true ? undefined : x.value.seq, y.done === true ? undefined : y.value.seq],
        texts: [x.done === true ? '(no more guest steps)' : x.value.text, y.done === true ? '(no more guest steps)' : y.value.text],
        difference: guestDifference(machines[0].seal(), machines[1].seal(), [modeSpec(a.config.mode).projection, modeSpec(b.config.mode).projection]),
      };
    }
  }
  for (const _ of sa);
  for (const _ of sb);
  return { divergence, tallies };
}
