/**
 * Register files are flat Uint32Arrays with these indexes, so an effect names a register
 * by number and the hot path never allocates. The same layout serves the physical CPU
 * and a VMM's virtual CPU.
 */
export const Reg = {
  R0: 0,
  SP: 7,
  PC: 8,
  FLAGS: 9,
  CPL: 10,
  CR0: 11,
  CR2: 12,
  CR3: 13,
  CR4: 14,
  CR8: 15,
  IDTR_BASE: 16,
  IDTR_LIMIT: 17,
  GDTR_BASE: 18,
  GDTR_LIMIT: 19,
  MSR0: 20,
  HALTED: 24,
} as const;
export const CPU_REGISTERS = 25;

export const REG_NAMES: readonly string[] = [
  'r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'sp', 'pc', 'flags', 'cpl',
  'cr0', 'cr2', 'cr3', 'cr4', 'cr8', 'idtr.base', 'idtr.limit', 'gdtr.base', 'gdtr.limit',
  'msr0', 'msr1', 'msr2', 'msr3', 'halted',
];

export function crIndex(n: number): number {
  switch (n) {
    case 0: return Reg.CR0;
    case 2: return Reg.CR2;
    case 3: return Reg.CR3;
    case 4: return Reg.CR4;
    case 8: return Reg.CR8;
    default: throw new RangeError(`no control register cr${n}`);
  }
}

/** Device registers: interrupt controller, timer, console, disk, in one file. */
export const Dev = {
  PIC_PENDING: 0,
  PIC_MASK: 1,
  PIC_IN_SERVICE: 2,
  TIMER_PERIOD: 3,
  TIMER_DEADLINE: 4, // in ticks (guest instructions retired + idle steps)
  CONSOLE_INPUT_POS: 5,
  DISK_LBA: 6,
  DISK_COUNT: 7,
  DISK_STATUS: 8,
  DISK_COMMAND: 9,
  DISK_POS: 10, // word index into the sector buffer
  DISK_LENGTH: 11, // words in the buffer for the current command
} as const;
export const DEVICE_REGISTERS = 12;

export const DEV_NAMES: readonly string[] = [
  'pic.pending', 'pic.mask', 'pic.inService', 'timer.period', 'timer.deadline', 'console.inputPos',
  'disk.lba', 'disk.count', 'disk.status', 'disk.command', 'disk.pos', 'disk.length',
];

export const DISK_BUFFER_WORDS = 128 * 8;
export const MAX_DISK_SECTORS_PER_COMMAND = 8;

/** Entries of the cost-only TLB model (direct-mapped by virtual page number). */
export const TLB_MODEL_ENTRIES = 64;
