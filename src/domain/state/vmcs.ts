/**
 * The VMCS fields vlab models (Intel SDM Vol. 3C ch. 24), one word each, in the VM's
 * `vmcs` register file. The guest-state area is the VM's `cpu` itself while the guest runs
 * in non-root mode; the VMCS keeps what the processor keeps beside it.
 */
export const Vmcs = {
  // VM-execution control fields (§24.6)
  PIN_CONTROLS: 0, // bit 0 external-interrupt exiting
  PROC_CONTROLS: 1, // primary processor-based controls (ProcControl)
  PROC2_CONTROLS: 2, // secondary: bit 1 enable EPT, bit 2 descriptor-table exiting
  EXCEPTION_BITMAP: 3,
  IO_BITMAP_PORT: 4, // the one port the modelled I/O bitmap traps, or 0xffffffff for none
  CR0_MASK: 5,
  CR0_READ_SHADOW: 6,
  CR4_MASK: 7,
  CR4_READ_SHADOW: 8,
  TSC_OFFSET: 9,
  EPT_POINTER: 10,
  // VM-entry control fields (§24.8.3)
  ENTRY_INTR_INFO: 11,
  ENTRY_ERROR_CODE: 12,
  // VM-exit information fields (§24.9)
  EXIT_REASON: 13,
  EXIT_QUALIFICATION: 14,
  EXIT_INSN_LENGTH: 15,
  GUEST_LINEAR_ADDRESS: 16,
  GUEST_PHYSICAL_ADDRESS: 17,
  // host-state area (§24.5): where a VM exit lands
  HOST_CR3: 18,
  HOST_RIP: 19,
  // VM-execution control (§24.6.8): the TPR threshold, beside the virtual-APIC TPR (the guest's CR8)
  TPR_THRESHOLD: 20,
} as const;

export const VMCS_FIELD_NAMES: readonly string[] = [
  'pin', 'proc', 'proc2', 'exc.bitmap', 'io.port', 'cr0.mask', 'cr0.shadow', 'cr4.mask', 'cr4.shadow', 'tsc.offset',
  'eptp', 'entry.intr', 'entry.err', 'exit.reason', 'exit.qual', 'exit.len', 'guest.la', 'guest.pa', 'host.cr3', 'host.rip',
  'tpr.threshold',
];

/** Pin-based controls (§24.6.1). */
export const PinControl = { EXTERNAL_INTERRUPT_EXITING: 1 << 0 } as const;

/** Primary processor-based controls (§24.6.2, Table 24-6): the SDM's bit positions. */
export const ProcControl = {
  INTERRUPT_WINDOW_EXITING: 1 << 2,
  USE_TSC_OFFSETTING: 1 << 3,
  HLT_EXITING: 1 << 7,
  INVLPG_EXITING: 1 << 9,
  RDTSC_EXITING: 1 << 12,
  CR3_LOAD_EXITING: 1 << 15,
  CR3_STORE_EXITING: 1 << 16,
  CR8_LOAD_EXITING: 1 << 19,
  CR8_STORE_EXITING: 1 << 20,
  USE_TPR_SHADOW: 1 << 21,
  UNCONDITIONAL_IO_EXITING: 1 << 24,
  USE_IO_BITMAPS: 1 << 25,
  USE_MSR_BITMAPS: 1 << 28,
  ACTIVATE_SECONDARY_CONTROLS: 1 << 31,
} as const;

/** Secondary processor-based controls (§24.6.2, Table 24-7). */
export const Proc2Control = { ENABLE_EPT: 1 << 1, DESCRIPTOR_TABLE_EXITING: 1 << 2 } as const;

/** VM-entry interruption-information (§24.8.3): valid bit, type, vector. */
export const IntrInfo = { VALID: 1 << 31, DELIVER_ERROR_CODE: 1 << 11, EXTERNAL: 0 << 8, HARDWARE_EXCEPTION: 3 << 8 } as const;
