import type { RunConfig } from '../domain/config.js';
import type { EndReason } from '../domain/events/run.js';
import type { CpuProfile } from '../domain/cost/profile.js';
import type { LiveVm, Machine } from '../domain/state/machine.js';
import type { CoreContext, Status, Translation } from './cpu/context.js';
import type { EventLog } from './cpu/log.js';
import type { GuestPort } from './cpu/port.js';

/** What a mode's engine is given to run one VM. */
export interface Env {
  readonly config: RunConfig;
  readonly machine: Machine;
  readonly vm: LiveVm;
  readonly vmIndex: number;
  readonly log: EventLog;
  readonly cpu: CpuProfile;
  /** The core variants of this run (evented, or bare: no events kept), by translation. */
  readonly runCore: Readonly<Record<Translation, RunCore>>;
}

export type RunCore = (c: CoreContext, n: number) => Status;

/** How a run ends (run-end event). */
export interface End {
  readonly reason: EndReason;
  readonly exitCode: number;
}

export const TRIPLE_FAULT: End = { reason: 'triple-fault', exitCode: 0 };

/**
 * A mode's engine: how the guest's instructions, faults and interrupts are handled. The
 * shared run loop (loop.ts) owns time, the interrupt controller, halt and the budget.
 */
export interface ModeEngine {
  /** Sets up the machine for the mode after run-start (a VMM launching its guest). */
  launch(): void;
  /** Runs up to n guest instructions, returning after the first that is not plain, or when the run ends. */
  run(n: number): End | undefined;
  /** Delivers IRQ `line` to the guest (its interrupt flag is set); false on a triple fault. */
  interrupt(line: number): boolean;
  /** The interrupt flag as the guest set it. */
  interruptsEnabled(): boolean;
  /** Has the guest executed `hlt` and not been woken yet? */
  halted(): boolean;
  /** Gives pooled buffers back when the run is over. */
  dispose(): void;
}

/**
 * How a `vmcall` reached the VMM: by a VM exit (its own `vmexit`/`vmentry` events price the
 * transition), or directly, as a paravirtual guest's software interrupt into the hypervisor
 * (priced with the call's retirement: docs/cost-model.md).
 */
export type VmcallEntry = 'vmexit' | 'hypercall';

/** Serves a guest's `vmcall` (a paravirtual driver's call, in hybrid) with the VMM's port; an engine without one makes it #UD. */
export type VmcallService = (port: GuestPort, pc: number, word: number, imm: number, entry: VmcallEntry) => End | undefined;
