import { Eff } from '../../domain/events/effects.js';
import { worldSwitch } from '../../domain/events/vmm.js';
import { Cr0, Flag } from '../../domain/isa/arch.js';
import { Reg } from '../../domain/state/layout.js';
import type { LiveVm } from '../../domain/state/machine.js';
import type { EventLog } from '../cpu/log.js';

/** Where a software VMM keeps its own descriptor tables: what `sidt`/`sgdt` leak on `classic`. */
export const VMM_IDT_BASE = 0xffc0_0000;
export const VMM_GDT_BASE = 0xffc0_1000;

/**
 * A software VMM takes the physical CPU for its guest (trap-and-emulate, binary
 * translation, paravirt): the guest kernel deprivileged at CPL 1, interrupts kept enabled
 * on the hardware, paging on (the shadow or the guest's validated tables), the VMM's IDT
 * and, when it has one, its GDT. One world switch event.
 */
export function launchDeprivileged(vm: LiveVm, log: EventLog, vmIndex: number, tables: { readonly gdt: boolean }): void {
  log.open(worldSwitch, vmIndex, { direction: 'to-guest', target: vmIndex, via: 'launch' });
  const set = (reg: number, value: number): void => {
    vm.cpu[reg] = value;
    log.effect(Eff.CPU, reg, value >>> 0);
  };
  set(Reg.CPL, 1);
  set(Reg.FLAGS, Flag.IF);
  set(Reg.CR0, (Cr0.PE | Cr0.WP | Cr0.PG) | 0);
  set(Reg.IDTR_BASE, VMM_IDT_BASE);
  set(Reg.IDTR_LIMIT, 0x7ff);
  if (tables.gdt) {
    set(Reg.GDTR_BASE, VMM_GDT_BASE);
    set(Reg.GDTR_LIMIT, 0xff);
  }
  log.close();
}
