/** Architectural constants of VX32. Bit positions follow IA-32 (Intel SDM Vol. 3A §2.3, §4.3). */
export const Flag = {
    CF: 1 << 0,
    ZF: 1 << 6,
    SF: 1 << 7,
    IF: 1 << 9,
    OF: 1 << 11,
    IOPL: 3 << 12,
};
export const IOPL_SHIFT = 12;
export const ALU_FLAGS = Flag.CF | Flag.ZF | Flag.SF | Flag.OF;
export const SYSTEM_FLAGS = Flag.IF | Flag.IOPL;
export const ALL_FLAGS = ALU_FLAGS | SYSTEM_FLAGS;
export const Cr0 = { PE: 1 << 0, WP: 1 << 16, PG: 1 << 31 };
export const Cr4 = { TSD: 1 << 2 };
export const Pte = { P: 1 << 0, W: 1 << 1, U: 1 << 2, A: 1 << 5, D: 1 << 6 };
export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;
export const PAGE_MASK = 0xfffff000;
/** #PF error code bits (Intel SDM Vol. 3A §4.7). */
export const PfError = { P: 1 << 0, W: 1 << 1, U: 1 << 2 };
export const Vector = {
    DE: 0,
    BP: 3,
    UD: 6,
    DF: 8,
    GP: 13,
    PF: 14,
    TIMER: 32,
    CONSOLE: 33,
    DISK: 46,
};
/** Exceptions that push an error code (Intel SDM Vol. 3A Table 6-1). */
export const hasErrorCode = (vector) => vector === 8 || vector === 13 || vector === 14;
export const IRQ_BASE = 32;
export const IrqLine = { TIMER: 0, CONSOLE: 1, DISK: 14 };
export const Port = {
    PIC_COMMAND: 0x20, // write: end of interrupt
    PIC_MASK: 0x21,
    TIMER: 0x40, // write: period in guest instructions retired, 0 stops it
    DISK_DATA: 0x1f0,
    DISK_COUNT: 0x1f2,
    DISK_LBA: 0x1f3,
    DISK_STATUS: 0x1f7, // read: status; write: command
    CONSOLE_DATA: 0x3f8,
    CONSOLE_STATUS: 0x3fd,
    EXIT: 0xf4,
};
export const Msr = { ESP0: 0 };
export const MSR_COUNT = 4;
export const IDT_ENTRY_BYTES = 8;
export const IdtFlag = { PRESENT: 1 << 0, DPL_SHIFT: 1, DPL_MASK: 3 << 1 };
export const DEFAULT_ORIGIN = 0x1000;
export const DEFAULT_MEMORY_BYTES = 4 * 1024 * 1024;
