import { Eff } from '../../domain/events/effects.js';
import { Flag } from '../../domain/isa/arch.js';
import { Reg } from '../../domain/state/layout.js';
import type { LiveVm } from '../../domain/state/machine.js';
import type { CoreContext } from '../cpu/context.js';
import type { EventLog } from '../cpu/log.js';
import { writePhysical32 } from '../cpu/memory.js';
import type { CpuView } from '../cpu/view.js';
import { SharedInfo } from './abi.js';

/** Where the guest's shared info page is: kept in the virtual CPU's MSR 1 (0: not yet given). */
export const SHARED_INFO_REG = Reg.MSR0 + 1;
/** The fast system-call vector + 1 (0: none), kept in the virtual CPU's MSR 2. */
export const FAST_SYSCALL_REG = Reg.MSR0 + 2;

export const sharedInfoAddress = (vm: LiveVm): number => (vm.vcpu[SHARED_INFO_REG] as number) >>> 0;

/**
 * The hypervisor's own record of a guest's registrations, in the virtual CPU whatever the
 * mode: under hardware assist the guest's CPU is the physical one and its MSRs its own.
 */
export function recordRegistration(vm: LiveVm, log: EventLog, reg: typeof SHARED_INFO_REG | typeof FAST_SYSCALL_REG, value: number): void {
  vm.vcpu[reg] = value;
  log.effect(Eff.VCPU, reg, value >>> 0);
}

/** The guest's virtual interrupt flag: its shared info's upcall_mask is clear (masked until the page is given). */
export function eventsEnabled(vm: LiveVm): boolean {
  const at = sharedInfoAddress(vm);
  return at !== 0 && vm.memory.read32(at + SharedInfo.UPCALL_MASK) === 0;
}

export function writeSharedInfo(vm: LiveVm, core: CoreContext, field: number, value: number): void {
  const at = sharedInfoAddress(vm);
  if (at !== 0) writePhysical32(core, at + field, value);
}

/**
 * The hypervisor updates the virtual clock (Xen's vcpu_time_info): the system time, in timer
 * counts (the guest's instructions retired and idle steps, the VM's time base), and the host
 * cycle counter it was taken at, so a guest can extrapolate with rdtsc. On each upcall and timer set.
 */
export function updateClock(vm: LiveVm, core: CoreContext, log: EventLog): void {
  if (sharedInfoAddress(vm) === 0) return;
  log.machine.settle();
  writeSharedInfo(vm, core, SharedInfo.CLOCK, vm.ticks % 0x1_0000_0000);
  writeSharedInfo(vm, core, SharedInfo.TSC_STAMP, log.machine.cycles % 0x1_0000_0000);
}

export function readSharedInfo(vm: LiveVm, field: number): number {
  const at = sharedInfoAddress(vm);
  return at === 0 ? 0 : vm.memory.read32(at + field) >>> 0;
}

/**
 * The guest's CPU as the hypervisor sees it: the ring-compressed CPU, except that IF is
 * the shared info's upcall_mask (a frame built for the guest carries it, and loading
 * flags, as an iret or a delivery does, sets it). cli and sti are the guest's plain stores to it.
 */
export function virtualIfView(vm: LiveVm, core: CoreContext, inner: CpuView): CpuView {
  return {
    get(reg) {
      if (reg !== Reg.FLAGS) return inner.get(reg);
      return ((inner.get(Reg.FLAGS) & ~Flag.IF) | (eventsEnabled(vm) ? Flag.IF : 0)) >>> 0;
    },
    set(reg, value) {
      inner.set(reg, value);
      if (reg === Reg.FLAGS) writeSharedInfo(vm, core, SharedInfo.UPCALL_MASK, (value & Flag.IF) !== 0 ? 0 : 1);
    },
  };
}
