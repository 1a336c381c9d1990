import type { RunConfig } from '../../domain/config.js';
import type { CpuProjection } from '../../domain/guest-view.js';
import type { SwitchVia } from '../../domain/events/vmm.js';
import type { IsaProfile } from '../../domain/isa/table.js';
import type { Env, ModeEngine } from '../env.js';

/** The classes of sensitive or privileged operation a mode must decide about (issue 7; DESIGN §5). */
export const INTERCEPT_CLASSES = [
  'privileged-instruction', // hlt-free kernel-only instructions: lidt, lgdt, mov crN, invlpg, wrmsr, rdmsr
  'sensitive-unprivileged', // pushf, popf, iret, sgdt, sidt, smsw, mov r,cs: the x86 holes on classic
  'control-register', // mov to or from crN
  'io', // in, out
  'interrupt-flag', // cli, sti
  'page-table-write', // a store to a page the guest uses as a page table
  'page-fault',
  'software-interrupt', // int n
  'halt', // hlt
  'timer-interrupt',
] as const;
export type InterceptClass = (typeof INTERCEPT_CLASSES)[number];

/** What happens to an operation of a class. */
export const HANDLINGS = {
  executes: 'runs directly on the hardware (an interrupt or fault is delivered by the hardware through the guest IDT)',
  'faults-to-guest': 'raises a fault the guest handles itself',
  traps: 'traps to the VMM, which emulates or reflects it',
  'vm-exit': 'causes a VM exit to the VMM',
  hypercall: 'is replaced by a hypercall in the modified guest',
  callout: 'is a callout from translated code into the VMM',
  inline: 'is translated into inline code against the virtual CPU',
  emulated: 'is interpreted by the VMM',
} as const;
export type Handling = keyof typeof HANDLINGS;

/** A handling, or one per ISA profile where the profile decides (trap-and-emulate's holes). */
export type Policy = Handling | Readonly<Record<IsaProfile, Handling>>;

/**
 * A virtualization mode, declared once: everything the CLI, `vlab list modes`, compare, the
 * docs' table and the conformance suite know about it comes from here.
 */
export interface ModeSpec {
  readonly name: string;
  readonly story: string;
  /** ISA profiles on which the mode claims equivalence with native. */
  readonly correctOn: readonly IsaProfile[];
  /** Must the guest kernel be modified for this mode (paravirtualized)? */
  readonly modifiedGuest: boolean;
  readonly policy: Readonly<Record<InterceptClass, Policy>>;
  /** How the guest's CPU is split between the physical and the virtual CPU (guest-view.ts). */
  readonly projection: CpuProjection;
  readonly engine: (env: Env) => ModeEngine;
  /**
   * How the mode's hypervisor switches the physical CPU between VMs, when it has one: only
   * such a mode runs several VMs (docs/multi-vm.md). Native has none: it is the machine itself.
   */
  readonly hypervisor?: Exclude<SwitchVia, 'launch'>;
  /** Other configurations the mode claims the same equivalence under (hardware-assist with EPT): the conformance suite runs each. */
  readonly variants?: readonly ModeVariant[];
  /** The build of a guest this mode is for, when the guest has one (guests named GUEST-pv, GUEST-pvdrivers): compare runs it. */
  readonly guestBuild?: 'pv' | 'pvdrivers';
}

/** A named configuration of a mode, e.g. `{ label: 'ept', config: { vmcs: 'ept=1' } }`. */
export interface ModeVariant {
  readonly label: string;
  readonly config: Partial<Pick<RunConfig, 'vmcs'>>;
}

export function handlingOn(policy: Policy, isa: IsaProfile): Handling {
  return typeof policy === 'string' ? policy : policy[isa];
}

export function uniform(handling: Handling, except: Partial<Record<InterceptClass, Policy>> = {}): Readonly<Record<InterceptClass, Policy>> {
  return Object.fromEntries(INTERCEPT_CLASSES.map((c) => [c, except[c] ?? handling])) as Record<InterceptClass, Policy>;
}
