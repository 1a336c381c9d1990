import { Eff } from '../../domain/events/effects.js';
import type { CpuProjection } from '../../domain/guest-view.js';
import { ALU_FLAGS, Cr4, Flag, SYSTEM_FLAGS } from '../../domain/isa/arch.js';
import { Reg } from '../../domain/state/layout.js';
import type { LiveVm } from '../../domain/state/machine.js';
import type { EventLog } from '../cpu/log.js';
import type { CpuView } from '../cpu/view.js';

/**
 * Ring compression (Robin & Irvine 2000): a deprivileged guest kernel runs at CPL 1, so the
 * CPU the guest believes in is split. The physical CPU holds the general registers, pc
 * and arithmetic flags; the VMM's virtual CPU holds IF and IOPL, control registers,
 * descriptor tables, MSRs and the halt state. The guest's rings 0 and 1 both run in ring 1,
 * so there the VMM keeps the guest's CPL; in rings 2 and 3 the physical CPL is the guest's.
 */
export const RING_COMPRESSED: CpuProjection = {
  fromVcpu: [Reg.CR0, Reg.CR2, Reg.CR3, Reg.CR4, Reg.CR8, Reg.IDTR_BASE, Reg.IDTR_LIMIT, Reg.GDTR_BASE, Reg.GDTR_LIMIT, Reg.MSR0, Reg.MSR0 + 1, Reg.MSR0 + 2, Reg.MSR0 + 3, Reg.HALTED],
  vcpuFlags: SYSTEM_FLAGS,
  compressedRing: 1,
};

const FROM_VCPU = new Set(RING_COMPRESSED.fromVcpu);

/** The physical CPL a guest CPL runs at: the kernel's ring 0 is compressed into ring 1. */
export const realCpl = (guestCpl: number): number => (guestCpl === 0 ? 1 : guestCpl);

/** The VMM keeps IF set (and IOPL 0) on the physical CPU while the guest runs, so every interrupt and I/O reaches it. */
export const realFlags = (guestFlags: number): number => ((guestFlags & ALU_FLAGS) | Flag.IF) >>> 0;

/** The guest's CPU as the VMM reads and writes it: each write goes to the half that holds it. */
export function ringCompressedView(vm: LiveVm, log: EventLog): CpuView {
  const cpu = vm.cpu;
  const vcpu = vm.vcpu;
  const setCpu = (reg: number, value: number): void => {
    cpu[reg] = value;
    log.effect(Eff.CPU, reg, value >>> 0);
  };
  const setVcpu = (reg: number, value: number): void => {
    vcpu[reg] = value;
    log.effect(Eff.VCPU, reg, value >>> 0);
  };
  return {
    get(reg) {
      if (reg === Reg.FLAGS) return (((cpu[Reg.FLAGS] as number) & ~SYSTEM_FLAGS) | ((vcpu[Reg.FLAGS] as number) & SYSTEM_FLAGS)) >>> 0;
      if (reg === Reg.CPL) return cpu[Reg.CPL] === 1 ? (vcpu[Reg.CPL] as number) : (cpu[Reg.CPL] as number);
      return ((FROM_VCPU.has(reg) ? vcpu[reg] : cpu[reg]) as number) >>> 0;
    },
    set(reg, value) {
      if (reg === Reg.FLAGS) {
        setCpu(Reg.FLAGS, realFlags(value));
        setVcpu(Reg.FLAGS, value);
      } else if (reg === Reg.CPL) {
        setCpu(Reg.CPL, realCpl(value));
        setVcpu(Reg.CPL, value);
      } else if (reg === Reg.CR4) {
        setCpu(Reg.CR4, value & Cr4.TSD); // rdtsc must trap where the guest asked it to
        setVcpu(Reg.CR4, value);
      } else if (FROM_VCPU.has(reg)) setVcpu(reg, value);
      else setCpu(reg, value);
    },
  };
}
