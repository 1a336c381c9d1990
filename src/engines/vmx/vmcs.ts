import { effectCode } from '../../domain/state/schema.js';
import { IntrInfo, PinControl, Proc2Control, ProcControl, Vmcs } from '../../domain/state/vmcs.js';
import { hasErrorCode } from '../../domain/isa/arch.js';
import type { LiveVm } from '../../domain/state/machine.js';
import type { EventLog } from '../cpu/log.js';
import type { VmxControls } from './controls.js';

const VMCS_SET = effectCode('vmcs.set');

/** The execution-control words of the VMCS for these controls (SDM §24.6). */
export function controlWords(c: VmxControls): ReadonlyMap<number, number> {
  const proc =
    (c.hltExiting ? ProcControl.HLT_EXITING : 0) | (c.invlpgExiting ? ProcControl.INVLPG_EXITING : 0) |
    (c.rdtscExiting ? ProcControl.RDTSC_EXITING : 0) | (c.cr3LoadExiting ? ProcControl.CR3_LOAD_EXITING : 0) |
    (c.cr3StoreExiting ? ProcControl.CR3_STORE_EXITING : 0) | (c.cr8LoadExiting ? ProcControl.CR8_LOAD_EXITING : 0) |
    (c.cr8StoreExiting ? ProcControl.CR8_STORE_EXITING : 0) | (c.io === 'all' ? ProcControl.UNCONDITIONAL_IO_EXITING : 0) |
    (typeof c.io === 'number' || c.io === 'none' ? ProcControl.USE_IO_BITMAPS : 0) | (c.msrExiting ? 0 : ProcControl.USE_MSR_BITMAPS) |
    (c.useTprShadow ? ProcControl.USE_TPR_SHADOW : 0) | (c.useTscOffsetting ? ProcControl.USE_TSC_OFFSETTING : 0) |
    ProcControl.ACTIVATE_SECONDARY_CONTROLS; // interrupt-window exiting is set by the VMM while it holds an interrupt

  const proc2 = (c.ept ? Proc2Control.ENABLE_EPT : 0) | (c.descriptorTableExiting ? Proc2Control.DESCRIPTOR_TABLE_EXITING : 0);
  return new Map([
    [Vmcs.PIN_CONTROLS, c.externalInterruptExiting ? PinControl.EXTERNAL_INTERRUPT_EXITING : 0],
    [Vmcs.PROC_CONTROLS, proc >>> 0],
    [Vmcs.PROC2_CONTROLS, proc2],
    [Vmcs.EXCEPTION_BITMAP, c.exceptionBitmap >>> 0],
    [Vmcs.IO_BITMAP_PORT, typeof c.io === 'number' ? c.io : 0xffffffff],
    [Vmcs.CR0_MASK, c.cr0Mask >>> 0],
    [Vmcs.CR4_MASK, c.cr4Mask >>> 0],
    [Vmcs.TSC_OFFSET, c.tscOffset >>> 0],
    [Vmcs.TPR_THRESHOLD, c.tprThreshold],
    [Vmcs.EPT_POINTER, c.ept ? 0x1e : 0], // write-back, 4-level walk (SDM §24.6.11)
    [Vmcs.HOST_CR3, 0xffc0_2000],
    [Vmcs.HOST_RIP, 0xffc0_3000],
  ]);
}

/** The VMCS as the VMM and the processor write it: each write an effect on the VM's `vmcs` field. */
export class VmcsAccess {
  constructor(
    private readonly vm: LiveVm,
    private readonly log: EventLog,
  ) {}

  set(field: number, value: number): void {
    if (((this.vm.vmcs[field] as number) >>> 0) === value >>> 0) return;
    this.vm.vmcs[field] = value | 0;
    this.log.effect(VMCS_SET, field, value >>> 0);
  }

  get(field: number): number {
    return (this.vm.vmcs[field] as number) >>> 0;
  }

  /** VM-entry interruption-information for a vector (SDM §24.8.3). */
  static injection(vector: number, external: boolean): number {
    return (IntrInfo.VALID | (external ? IntrInfo.EXTERNAL : IntrInfo.HARDWARE_EXCEPTION) | (!external && hasErrorCode(vector) ? IntrInfo.DELIVER_ERROR_CODE : 0) | vector) >>> 0;
  }
}
