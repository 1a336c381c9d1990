import type { RunConfig } from '../domain/config.js';
import type { EventBatch } from '../domain/events/batch.js';
import type { EventType } from '../domain/events/event.js';
import { EVENT_TYPES, specOf } from '../domain/events/registry.js';
import { guestViewHash } from '../domain/guest-view.js';
import type { MachineState } from '../domain/state/machine.js';
import { stateHash } from '../domain/state/state-hash.js';
import { modeSpec } from './modes/registry.js';
import { startRun } from './run.js';

/** The outcome of a run, as `vlab run --json` prints it. */
export interface RunSummary {
  readonly guest: string;
  readonly mode: string;
  readonly isa: RunConfig['isa'];
  readonly cpu: string;
  readonly endReason: string;
  readonly exitCode: number;
  readonly console: string;
  readonly guestInsns: number;
  readonly events: number;
  readonly countsByType: Readonly<Partial<Record<EventType, number>>>;
  readonly cycles: number;
  readonly cyclesByType: Readonly<Partial<Record<EventType, number>>>;
  readonly stateHash: string;
  readonly guestViewHash: string;
}

/** Counts events and cycles by type, batch by batch, without materializing events. */
export class EventTally {
  readonly counts = new Float64Array(256);
  readonly cycles = new Float64Array(256);

  add(batch: EventBatch): void {
    for (let i = 0; i < batch.length; i++) {
      const t = batch.type[i] as number;
      this.counts[t] = (this.counts[t] as number) + 1;
      this.cycles[t] = (this.cycles[t] as number) + (batch.cost[i] as number);
    }
  }

  byType(column: Float64Array): Partial<Record<EventType, number>> {
    const out: Partial<Record<EventType, number>> = {};
    for (const type of EVENT_TYPES) {
      const code = EVENT_TYPES.indexOf(type);
      const spec = specOf(code);
      if ((this.counts[spec.code] as number) > 0) out[type] = column[spec.code] as number;
    }
    return out;
  }
}

export function summarize(config: RunConfig, state: MachineState, tally: EventTally, console: string): RunSummary {
  return {
    guest: config.guest,
    mode: config.mode,
    isa: config.isa,
    cpu: config.cpu,
    endReason: state.outcome?.reason ?? 'error',
    exitCode: state.outcome?.exitCode ?? 0,
    console,
    guestInsns: state.vms[0]?.retired ?? 0,
    events: state.seq,
    countsByType: tally.byType(tally.counts),
    cycles: state.cycles,
    cyclesByType: tally.byType(tally.cycles),
    stateHash: stateHash(state),
    guestViewHash: guestViewHash(state, modeSpec(config.mode).projection),
  };
}

/** Runs to the end and summarizes. */
export function runToSummary(config: RunConfig, onBatch?: (batch: EventBatch) => void): RunSummary {
  const run = startRun(config);
  const tally = new EventTally();
  let console = '';
  run.machine.vm(0).console.sink = (byte) => (console += String.fromCharCode(byte));
  run.events$.subscribe((batch) => {
    tally.add(batch);
    onBatch?.(batch);
  });
  return summarize(config, run.state(), tally, console);
}
