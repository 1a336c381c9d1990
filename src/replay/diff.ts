import type { RunConfig } from '../domain/config.js';
import type { EventBatch } from '../domain/events/batch.js';
import { payloadAt, specOf } from '../domain/events/registry.js';
import { applyEvent } from '../domain/evolve.js';
import { guestRegisters, type CpuProjection } from '../domain/guest-view.js';
import { Machine, initialRunState, vmInputs } from '../domain/state/machine.js';
import { EFFECTS } from '../domain/state/schema.js';
import { Hasher } from '../domain/state/hash.js';
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

/** One guest-visible step (domain guestView): what the event showed, then the guest's registers and the guest-visible effects. */
export interface Step {
  readonly seq: number;
  readonly signature: number;
  /** The event, rendered; only asked for the steps a report shows. */
  text(): string;
}

const GUEST_EFFECT = new Uint8Array(256);
for (const e of EFFECTS) if (e.guestVisible) GUEST_EFFECT[e.code] = 1;

const KINDS = ['retire', 'exception', 'interrupt', 'io', 'irq', 'idle'];

/** A 53-bit hash of everything the guest saw of a step: equal signatures, equal steps. */
function signature(batch: EventBatch, i: number, registers: Uint32Array, sight: { kind: string; pc: number; detail: readonly number[] }): number {
  const h = new Hasher().word(KINDS.indexOf(sight.kind)).word(sight.pc).words(sight.detail).words(registers);
  for (let e = batch.effectStart[i] as number; e < (batch.effectStart[i + 1] as number); e++) {
    const code = batch.effects[3 * e] as number;
    if (GUEST_EFFECT[code] === 1) h.word(code).word(batch.effects[3 * e + 1] as number).word(batch.effects[3 * e + 2] as number);
  }
  return h.digestNumber();
}

/** The machine a side's events fold into: every VM's reset state. */
const machineOf = (config: RunConfig): Machine => new Machine(initialRunState(config), vmInputs(config));

/** The guest-visible steps of one VM of a run (VM 0 unless asked), folding the machine along; streams, keeps nothing. */
export function* guestSteps(side: Pick<DiffSide, 'config' | 'batches'>, m = machineOf(side.config), tally = new RunTally(), vm = 0): Generator<Step> {
  const projection: CpuProjection = modeSpec(side.config.mode).projection;
  const registers = new Uint32Array(25);
  for (const batch of side.batches) {
    tally.addBatch(batch);
    for (let i = 0; i < batch.length; i++) {
      applyEvent(m, batch, i);
      if ((batch.ctx[i] as number) >>> 4 !== vm) continue;
      const sight = specOf(batch.type[i] as number).guest(payloadAt(batch, i) as never);
      if (sight === undefined) continue;
      guestRegisters(m.vm(vm), projection, registers);
      yield { seq: batch.start + i, signature: signature(batch, i, registers, sight), text: () => eventText(batch.at(i)) };
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

/** Aligns two runs' guest views (of VM `vm` when they hold several) and finds the first guest-visible divergence, in bounded memory. */
export function diffRuns(a: DiffSide, b: DiffSide, vm = 0): DiffResult {
  const machines = [machineOf(a.config), machineOf(b.config)] as const;
  const tallies: [RunTally, RunTally] = [new RunTally(), new RunTally()];
  const [sa, sb] = [guestSteps(a, machines[0], tallies[0], vm), guestSteps(b, machines[1], tallies[1], vm)];
  let divergence: GuestDivergence | undefined;
  for (let step = 0; divergence === undefined; step++) {
    const [x, y] = [sa.next(), sb.next()];
    if (x.done === true && y.done === true) break;
    if (x.done === true || y.done === true || x.value.signature !== y.value.signature) {
      divergence = {
        step,
        events: [x.done === true ? undefined : x.value.seq, y.done === true ? undefined : y.value.seq],
        texts: [x.done === true ? '(no more guest steps)' : x.value.text(), y.done === true ? '(no more guest steps)' : y.value.text()],
        difference: guestDifference(machines[0].seal(), machines[1].seal(), [modeSpec(a.config.mode).projection, modeSpec(b.config.mode).projection], vm),
      };
    }
  }
  for (const _ of sa);
  for (const _ of sb);
  return { divergence, tallies };
}
