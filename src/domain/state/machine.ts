import { vmConfigs, type RunConfig } from '../config.js';
import type { FieldInit } from './fields.js';
import { MACHINE_SCHEMA, machineFields, machineKind, vmFields, vmKind, type LiveVmFields, type MachineState, type RunOutcome, type Schedule, type VmState } from './schema.js';
import { Reg } from './layout.js';

export type { MachineState, VmState, RunOutcome, Schedule, VmShare } from './schema.js';

/** The working copy of one VM's state: its fields as schema.ts declares them, and its console input. */
export type LiveVm = LiveVmFields & {
  readonly input: string;
  seal(): VmState;
  release(): void;
};

export function liveVm(state: VmState, input: string): LiveVm {
  const fields = Object.fromEntries(vmFields().map((f) => [f, vmKind(f).thaw(state[f])])) as Record<string, unknown>;
  return Object.assign(fields as LiveVmFields, {
    input,
    seal: (): VmState => Object.fromEntries(vmFields().map((f) => [f, vmKind(f).freeze(fields[f])])) as unknown as VmState,
    release: (): void => vmFields().forEach((f) => vmKind(f).release?.(fields[f])),
  });
}

/**
 * The whole machine as a mutable working copy: the live run changes it in place as it
 * logs each effect; replay changes it only through evolve. `seal()` makes the immutable
 * `MachineState`, at a cost proportional to what changed since the last seal.
 */
export class Machine {
  readonly vms: LiveVm[];
  seq: number;
  cycles: number;
  ledger: Float64Array;
  outcome: RunOutcome | undefined;
  schedule: Schedule;
  /** Charges counted but not yet added to `cycles` and `ledger` (a CPU core adds its in bulk). */
  private readonly pending: (() => void)[] = [];

  constructor(state: MachineState, inputs: readonly string[] = []) {
    this.vms = state.vms.map((vm, i) => liveVm(vm, inputs[i] ?? ''));
    this.seq = state.seq;
    this.cycles = state.cycles;
    this.ledger = MACHINE_SCHEMA.ledger.thaw(state.ledger);
    this.outcome = state.outcome;
    this.schedule = state.schedule;
  }

  vm(index: number): LiveVm {
    const vm = this.vms[index];
    if (vm === undefined) throw new RangeError(`no VM ${index}`);
    return vm;
  }

  /** Registers a source of deferred charges, settled before cycles or the ledger are read. */
  defer(settle: () => void): void {
    this.pending.push(settle);
  }

  /** Adds every deferred charge: call before reading `cycles` or `ledger`. */
  settle(): void {
    for (const settle of this.pending) settle();
  }

  seal(): MachineState {
    this.settle();
    return { vms: this.vms.map((vm) => vm.seal()), seq: this.seq, cycles: this.cycles, ledger: this.ledger.slice(), outcome: this.outcome, schedule: this.schedule };
  }

  /** Gives pooled buffers back: the machine must not be used after. */
  release(): void {
    for (const vm of this.vms) vm.release();
  }
}

function initialVm(init: FieldInit, entry: number): VmState {
  const fields = Object.fromEntries(vmFields().map((f) => [f, vmKind(f).initial(init)])) as unknown as VmState;
  const cpu = (fields.cpu as Uint32Array).slice();
  cpu[Reg.PC] = entry;
  return { ...fields, cpu };
}

const initialStates = new WeakMap<object, WeakMap<Uint8Array, Map<number, MachineState>>>();

/** Reset state of the machine with each guest image loaded (DESIGN §2); immutable, so shared by runs of the same image and disk. */
export function initialState(config: Pick<RunConfig, 'image' | 'disk' | 'memoryBytes'>): MachineState {
  let byDisk = initialStates.get(config.image);
  if (byDisk === undefined) initialStates.set(config.image, (byDisk = new WeakMap()));
  let bySize = byDisk.get(config.disk);
  if (bySize === undefined) byDisk.set(config.disk, (bySize = new Map()));
  let state = bySize.get(config.memoryBytes);
  if (state === undefined) bySize.set(config.memoryBytes, (state = resetState(config)));
  return state;
}

function resetState(config: Pick<RunConfig, 'image' | 'disk' | 'memoryBytes'>): MachineState {
  const init: FieldInit = { memoryBytes: config.memoryBytes, disk: config.disk, segments: config.image.segments };
  const machine = Object.fromEntries(machineFields().map((f) => [f, machineKind(f).initial(init)])) as unknown as Omit<MachineState, 'vms'>;
  return { ...machine, vms: [initialVm(init, config.image.entry)] };
}

/** Reset state of a run: with several VMs (docs/multi-vm.md), each VM's own reset state, side by side. */
export function initialRunState(config: RunConfig): MachineState {
  const first = initialState(config);
  if (config.extraVms === undefined) return first;
  return { ...first, vms: vmConfigs(config).map((vm) => initialState({ ...vm, memoryBytes: config.memoryBytes }).vms[0] as VmState) };
}

/** Each VM's console input, VM 0 first. */
export function vmInputs(config: RunConfig): string[] {
  return vmConfigs(config).map((vm) => vm.input);
}

/** The working copy of a run's initial state (the console input comes from the config). */
export function initialMachine(config: RunConfig): Machine {
  return new Machine(initialRunState(config), vmInputs(config));
}
