import type { Event } from './events/event.js';
import { specByTypeStrict } from './events/registry.js';
import type { GuestSight } from './events/spec.js';
import { Hasher } from './state/hash.js';
import { CPU_REGISTERS, Reg } from './state/layout.js';
import { EFFECTS, machineKind, vmFields, vmKind, type MachineState, type VmState } from './state/schema.js';

/**
 * How a mode splits the CPU the guest believes in between the physical CPU and the VMM's
 * virtual CPU (a mode spec declares it). Under ring compression the physical CPU holds
 * the general registers, pc and arithmetic flags while the guest runs; the virtual CPU
 * holds CPL, IF and IOPL, control registers, descriptor tables, MSRs and the halt state.
 */
export interface CpuProjection {
  readonly fromVcpu: readonly number[];
  readonly vcpuFlags: number; // flag bits taken from the virtual CPU
  /** The physical ring the guest's most privileged rings share; there the guest's CPL is the virtual CPU's. */
  readonly compressedRing?: number;
}

export const DIRECT: CpuProjection = { fromVcpu: [], vcpuFlags: 0 };

/** The guest's CPL under a projection. */
export function guestCpl(vm: Cpus, projection: CpuProjection): number {
  const real = vm.cpu[Reg.CPL] as number;
  return real === projection.compressedRing ? (vm.vcpu[Reg.CPL] as number) : real;
}

interface Cpus {
  readonly cpu: ArrayLike<number>;
  readonly vcpu: ArrayLike<number>;
}

/** The CPU the guest believes it has, in the CPU register layout. */
export function guestRegisters(vm: Cpus, projection: CpuProjection, regs = new Uint32Array(CPU_REGISTERS)): Uint32Array {
  for (let r = 0; r < regs.length; r++) regs[r] = vm.cpu[r] as number;
  for (const r of projection.fromVcpu) regs[r] = vm.vcpu[r] as number;
  regs[Reg.CPL] = guestCpl(vm, projection);
  if (projection.vcpuFlags !== 0) {
    regs[Reg.FLAGS] = (((vm.cpu[Reg.FLAGS] as number) & ~projection.vcpuFlags) | ((vm.vcpu[Reg.FLAGS] as number) & projection.vcpuFlags)) >>> 0;
  }
  return regs;
}

/** What one guest-visible event shows the guest. */
export interface GuestStep extends GuestSight {
  readonly registers: Uint32Array; // after the event, as the guest sees them
  readonly effects: readonly { readonly code: number; readonly a: number; readonly b: number }[]; // on guest-visible fields
}

const GUEST_EFFECT = new Set(EFFECTS.filter((e) => e.guestVisible).map((e) => e.code));

/** The guest's view of an event, given its VM after the event; undefined for the hypervisor's own events. */
export function guestView(event: Event, after: Cpus, projection: CpuProjection): GuestStep | undefined {
  const sight = specByTypeStrict(event.type).guest(event as never);
  if (sight === undefined) return undefined;
  return { ...sight, registers: guestRegisters(after, projection), effects: event.effects.filter((e) => GUEST_EFFECT.has(e.code)) };
}

/** A guest step as one comparable string. */
export function guestStepKey(s: GuestStep): string {
  return `${s.kind} ${s.pc} ${s.detail.join(',')} | ${s.registers.join(',')} | ${s.effects.map((e) => `${e.code}:${e.a}=${e.b}`).join(' ')}`;
}

/** Hash of everything the guest can observe at the end of a run: equal across equivalent modes. */
export function guestViewHash(state: MachineState, projection: CpuProjection, vmIndex = 0): string {
  const vm = state.vms[vmIndex] as VmState;
  const h = new Hasher().words(guestRegisters(vm, projection));
  for (const f of vmFields()) if (vmKind(f).visibility === 'guest' && f !== 'ended') vmKind(f).hash(h, vm[f]);
  machineKind('outcome').hash(h, vm.ended ?? state.outcome); // one VM of several ends by itself: what it sees is its own end
  return h.digest();
}
