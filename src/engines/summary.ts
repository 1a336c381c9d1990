import type { RunConfig } from '../domain/config.js';
import { cpuProfile, ledgerCycles, type CpuProfile } from '../domain/cost/profile.js';
import type { EventBatch } from '../domain/events/batch.js';
import type { EventType } from '../domain/events/event.js';
import { guestViewHash } from '../domain/guest-view.js';
import type { MachineState } from '../domain/state/machine.js';
import { stateHash } from '../domain/state/state-hash.js';
import { modeSpec } from './modes/registry.js';
import { ConsoleCapture } from './console-capture.js';
import { startRun } from './run.js';
import type { RunTally, VmExitStat } from './tally.js';

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
  /** VM exits by basic reason (hardware-assist), most cycles first; absent when there were none. */
  readonly vmExits?: readonly VmExitStat[];
}

/** A run's summary; with `pricedAs`, its cycles are those the same events cost under that CPU profile. */
export function summarize(config: RunConfig, state: MachineState, tally: RunTally, console: string, pricedAs?: CpuProfile): RunSummary {
  return {
    guest: config.guest,
    mode: config.mode,
    isa: config.isa,
    cpu: pricedAs?.name ?? config.cpu,
    endReason: state.outcome?.reason ?? 'error',
    exitCode: state.outcome?.exitCode ?? 0,
    console,
    guestInsns: state.vms[0]?.retired ?? 0,
    events: state.seq,
    countsByType: tally.countsByType(),
    cycles: pricedAs === undefined ? state.cycles : ledgerCycles(state.ledger, pricedAs),
    cyclesByType: tally.cyclesByType(pricedAs),
    stateHash: stateHash(state),
    guestViewHash: guestViewHash(state, modeSpec(config.mode).projection),
    ...vmExits(tally, pricedAs),
  };
}

function vmExits(tally: RunTally, pricedAs: CpuProfile | undefined): { vmExits?: readonly VmExitStat[] } {
  const exits = tally.exitsByReason(pricedAs);
  return exits.length === 0 ? {} : { vmExits: exits };
}

export interface SummaryOptions {
  /** Each batch of events as it is produced; without it the run keeps no events (the bare core). */
  readonly onBatch?: (batch: EventBatch) => void;
  /** Each console byte as the guest writes it. */
  readonly onConsole?: (byte: number) => void;
}

/** Runs to the end and summarizes. */
export function runToSummary(config: RunConfig, options: SummaryOptions = {}): RunSummary {
  const run = startRun(config, { events: options.onBatch !== undefined });
  const console = new ConsoleCapture();
  run.machine.vm(0).console.sink = (byte) => {
    console.append(byte);
    options.onConsole?.(byte);
  };
  run.runUntil(Number.POSITIVE_INFINITY, options.onBatch);
  return summarize(config, run.state(), run.tally, console.text(), cpuProfile(config.cpu));
}
