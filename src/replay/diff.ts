import type { RunConfig } from '../domain/config.js';
import type { EventBatch } from '../domain/events/batch.js';
import { applyEvent } from '../domain/evolve.js';
import { GuestStep, type CpuProjection } from '../domain/guest-view.js';
import { Machine, initialRunState, vmInputs } from '../domain/state/machine.js';
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

/** The machine a side's events fold into: every VM's reset state. */
const machineOf = (config: RunConfig): Machine => new Machine(initialRunState(config), vmInputs(config));

/** The guest-visible steps of one VM of a run (VM 0 unless asked), one at a time, folding the machine along; streams, keeps nothing. */
export class GuestSteps {
  /** The current step's event index. */
  seq = -1;
  readonly step = new GuestStep();
  private readonly projection: CpuProjection;
  private readonly batches: Iterator<EventBatch>;
  private batch: EventBatch | undefined;
  private i = 0;

  constructor(
    side: Pick<DiffSide, 'config' | 'batches'>,
    private readonly machine = machineOf(side.config),
    private readonly tally = new RunTally(),
    private readonly vm = 0,
  ) {
    this.projection = modeSpec(side.config.mode).projection;
    this.batches = side.batches[Symbol.iterator]();
  }

  /** Moves to the next step; false when the run has no more. */
  next(): boolean {
    for (;;) {
      const batch = this.batch;
      if (batch === undefined || this.i >= batch.length) {
        if (!this.load()) return false;
        continue;
      }
      const i = this.i++;
      applyEvent(this.machine, batch, i);
      if ((batch.ctx[i] as number) >>> 4 !== this.vm || !this.step.read(batch, i, this.machine.vm(this.vm), this.projection)) continue;
      this.seq = batch.start + i;
      return true;
    }
  }

  /** The current step's event, rendered. */
  text(): string {
    return eventText((this.batch as EventBatch).at(this.i - 1));
  }

  /** Tallies the rest of the run without folding it: all a diff needs once the views have parted. */
  drain(): void {
    this.batch = undefined; // tallied whole when it was loaded
    for (let r = this.batches.next(); r.done !== true; r = this.batches.next()) this.tally.addBatch(r.value);
  }

  private load(): boolean {
    const r = this.batches.next();
    if (r.done === true) return false;
    this.batch = r.value;
    this.i = 0;
    this.tally.addBatch(r.value);
    return true;
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

/** Aligns two runs' guest views (of VM `vm` when they hold several) and finds the first guest-visible divergence, in bounded memory. */
export function diffRuns(a: DiffSide, b: DiffSide, vm = 0): DiffResult {
  const machines = [machineOf(a.config), machineOf(b.config)] as const;
  const tallies: [RunTally, RunTally] = [new RunTally(), new RunTally()];
  const [sa, sb] = [new GuestSteps(a, machines[0], tallies[0], vm), new GuestSteps(b, machines[1], tallies[1], vm)];
  let divergence: GuestDivergence | undefined;
  for (let step = 0; divergence === undefined; step++) {
    const [x, y] = [sa.next(), sb.next()];
    if (!x && !y) break;
    if (!x || !y || !sa.step.sameAs(sb.step)) {
      divergence = {
        step,
        events: [x ? sa.seq : undefined, y ? sb.seq : undefined],
        texts: [x ? sa.text() : '(no more guest steps)', y ? sb.text() : '(no more guest steps)'],
        difference: guestDifference(machines[0].seal(), machines[1].seal(), [modeSpec(a.config.mode).projection, modeSpec(b.config.mode).projection], vm),
      };
    }
  }
  sa.drain();
  sb.drain();
  return { divergence, tallies };
}
