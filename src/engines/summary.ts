import { vmConfigs, type RunConfig } from '../domain/config.js';
import { cpuProfile, ledgerCycles, type CpuProfile } from '../domain/cost/profile.js';
import type { EventBatch } from '../domain/events/batch.js';
import type { EventType } from '../domain/events/event.js';
import { guestViewHash, type CpuProjection } from '../domain/guest-view.js';
import type { MachineState } from '../domain/state/machine.js';
import { stateHash } from '../domain/state/state-hash.js';
import { modeSpec } from './modes/registry.js';
import { captureConsoles } from './console-capture.js';
import { hostPlacement, placementText, type Placement } from './hypervisor/placement.js';
import { vmShares } from './hypervisor/share.js';
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
  /** Several VMs (docs/multi-vm.md): each VM's own result, VM 0 first; absent with one VM. */
  readonly vms?: readonly VmSummary[];
}

/** One VM of several: how it ended, what it printed, what it used of the CPU, where its RAM sits in host-physical memory. */
export interface VmSummary {
  readonly vm: number;
  readonly guest: string;
  readonly endReason: string;
  readonly exitCode: number;
  readonly console: string;
  readonly guestInsns: number;
  readonly events: number;
  readonly cycles: number;
  readonly hostPhysical: string;
  readonly guestViewHash: string;
}

/**
 * A run's summary; with `pricedAs`, its cycles are those the same events cost under that CPU
 * profile. `console` is VM 0's, or each VM's (several VMs; a VM without one shows its state's tail).
 */
export function summarize(config: RunConfig, state: MachineState, tally: RunTally, console: string | readonly string[], pricedAs?: CpuProfile): RunSummary {
  const consoles = typeof console === 'string' ? [console] : console;
  const projection = modeSpec(config.mode).projection;
  const vms = config.extraVms === undefined ? undefined : vmSummaries(config, state, consoles, projection, pricedAs);
  return {
    guest: config.guest,
    mode: config.mode,
    isa: config.isa,
    cpu: pricedAs?.name ?? config.cpu,
    endReason: state.outcome?.reason ?? 'error',
    exitCode: state.outcome?.exitCode ?? 0,
    console: vms === undefined ? (consoles[0] ?? '') : vms.map((v) => prefixed(v.vm, v.console)).join(''),
    guestInsns: state.vms.reduce((sum, vm) => sum + vm.retired, 0),
    events: state.seq,
    countsByType: tally.countsByType(),
    cycles: pricedAs === undefined ? state.cycles : ledgerCycles(state.ledger, pricedAs),
    cyclesByType: tally.cyclesByType(pricedAs),
    stateHash: stateHash(state),
    guestViewHash: guestViewHash(state, projection),
    ...vmExits(tally, pricedAs),
    ...(vms === undefined ? {} : { vms }),
  };
}

function vmSummaries(config: RunConfig, state: MachineState, consoles: readonly string[], projection: CpuProjection, pricedAs: CpuProfile | undefined): VmSummary[] {
  const shares = vmShares(state);
  const places = hostPlacement(config);
  const scale = pricedAs === undefined || state.cycles === 0 ? 1 : ledgerCycles(state.ledger, pricedAs) / state.cycles;
  return vmConfigs(config).map((vc, i) => {
    const vm = state.vms[i] as MachineState['vms'][number];
    const end = vm.ended ?? state.outcome;
    const share = shares[i] as { events: number; cycles: number };
    return {
      vm: i,
      guest: vc.guest,
      endReason: end?.reason ?? 'error',
      exitCode: end?.exitCode ?? 0,
      console: consoles[i] ?? vm.console.tail,
      guestInsns: vm.retired,
      events: share.events,
      cycles: Math.round(share.cycles * scale),
      hostPhysical: placementText(places[i] as Placement),
      guestViewHash: guestViewHash(state, projection, i),
    };
  });
}

/** A VM's console with each line prefixed by its VM, as several VMs' consoles print together. */
export function prefixed(vm: number, text: string): string {
  if (text.length === 0) return '';
  const body = text.endsWith('\n') ? text.slice(0, -1) : text;
  return `${body.split('\n').map((l) => `vm${vm}| ${l}`).join('\n')}\n`;
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
  const consoles = captureConsoles(run.machine.vms, options.onConsole);
  run.runUntil(Number.POSITIVE_INFINITY, options.onBatch);
  return summarize(config, run.state(), run.tally, consoles.map((c) => c.text()), cpuProfile(config.cpu));
}
