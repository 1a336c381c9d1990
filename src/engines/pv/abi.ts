/**
 * The paravirtual ABI (docs/paravirt.md), after Xen's: a hypercall is `vmcall` with its
 * number in r0 and arguments in r1–r4; the result comes back in r0, negative on refusal.
 * The guest's source says the same numbers in guests/minios/platform.s.
 */
export const Hypercall = {
  SET_TRAP_TABLE: 0, // r1 = address of an IDT-format descriptor (limit, base); r2 = the fast system-call vector
  MMU_UPDATE: 1, // r1 = address of (pte address, value) pairs, r2 = how many
  MMUEXT_OP: 2, // r1 = MmuextOp, r2 = its argument
  UPDATE_VA_MAPPING: 3, // r1 = linear address, r2 = new PTE
  STACK_SWITCH: 4, // r1 = kernel stack for entries from user mode
  SET_TIMER_OP: 5, // r1 = period in guest instructions (0 stops)
  SCHED_OP: 6, // r1 = SchedOp, r2 = its argument (the exit code of shutdown)
  EVENT_CHANNEL_OP: 7, // r1 = EvtchnOp, r2 = the port
  CONSOLE_IO: 8, // r1 = the character to write
  IRET: 9, // the guest pushed r0 on its interrupt frame; pops both
  SHARED_INFO: 10, // r1 = the page the guest gives for the shared info (Xen's add_to_physmap)
} as const;
export type HypercallNr = (typeof Hypercall)[keyof typeof Hypercall];


export const MmuextOp = { NEW_BASEPTR: 0, INVLPG: 1, PIN_TABLE: 2, UNPIN_TABLE: 3 } as const;
export const SchedOp = { YIELD: 0, BLOCK: 1, SHUTDOWN: 2 } as const;
export const EvtchnOp = { BIND_VIRQ: 0, SEND: 1, UNMASK: 2 } as const;

/** Errno-style refusals (Xen's values). */
export const Errno = { EPERM: -1, ENOENT: -2, EFAULT: -14, EINVAL: -22, ENOSYS: -38 } as const;

/**
 * The shared info page (words): the virtual interrupt flag, pending event bits, the virtual
 * clock (system time in timer counts, as Xen's vcpu_time_info.system_time), the faulting
 * address, and the host's cycle counter when the clock was written (its tsc_timestamp).
 */
export const SharedInfo = { UPCALL_MASK: 0, PENDING: 4, CLOCK: 8, CR2: 12, TSC_STAMP: 16 } as const;

/** Event channel ports: a virtual IRQ n is port n; the block device's ring is BLOCK_PORT. */
export const BLOCK_PORT = 31;

/**
 * The block ring page (docs/paravirt.md): producer and consumer indexes, the event indexes
 * that suppress notifications (virtio's EVENT_IDX), then RING_SLOTS request slots.
 */
export const BlockRing = { REQ_PROD: 0, REQ_EVENT: 4, RSP_PROD: 8, RSP_EVENT: 12, SLOTS: 16 } as const;
export const RING_SLOTS = 32;
/** A request slot: op (0 read, 1 write), sector, guest buffer, status (written by the backend). */
export const Slot = { OP: 0, SECTOR: 4, BUFFER: 8, STATUS: 12, BYTES: 16 } as const;

/** The top of guest-physical memory that the hypervisor keeps for itself: the guest may not map it. */
export const HYPERVISOR_BYTES = 0x10000;
