import { Pte } from '../../../src/domain/isa/arch.js';

/**
 * The conformance guest's physical memory map (4 KiB pages, identity-mapped when paging
 * is on). Every address a generator or the kernel names comes from here; the body is
 * assembled with these names defined, so generated assembly reads `st [RESUME], r6`.
 */
export const Layout = {
  KERNEL: 0x1000, // kernel code: entry, vector stubs, handlers (user-readable)
  BODY: 0x4000, // generated code, entered at CPL 0 (user-readable)
  HARNESS_DATA: 0x7000, // supervisor: resume address, handler scratch, log
  IDT: 0x8000, // supervisor: 256 gates
  KSTACK_PAGE: 0x9000, // supervisor: kernel stack, also ESP0
  KSTACK: 0xa000,
  USTACK_PAGE: 0xa000, // user stack for rings 1–3
  USTACK: 0xb000,
  USER_DATA: 0xb000, // user read-write: descriptor copies, scratch
  KERNEL_DATA: 0xc000, // supervisor read-write scratch
  USER_RO: 0xd000, // user read-only
  PD: 0x10000, // page directory
  PT0: 0x11000, // maps 0–4 MiB; its entry 0x11 maps PT0 itself
  PT1: 0x12000, // maps 4 MiB up: 16 identity pages beyond the end of RAM
  DATA_PAGES: 0x20000, // 8 data pages whose rights each program chooses
  CODE_PAGES: 0x28000, // 4 code pages, an 8-byte instruction straddling each boundary
  RAM_END: 0x400000,
} as const;

export const DATA_PAGE_COUNT = 8;
export const CODE_PAGE_COUNT = 4;
export const BEYOND_RAM_PAGES = 16;

/** Where, in the harness data page, the kernel keeps its words. */
export const HarnessData = {
  RESUME: Layout.HARNESS_DATA, // where the exception handler resumes: the next step
  SAVED_R0: Layout.HARNESS_DATA + 0x4,
  SAVED_R6: Layout.HARNESS_DATA + 0x8,
  LOG_AT: Layout.HARNESS_DATA + 0xc, // byte offset of the next log record
  EOI: Layout.HARNESS_DATA + 0x10, // non-zero: the interrupt handler sends end-of-interrupt
  IDT_DESC: Layout.HARNESS_DATA + 0x18,
  LOG: Layout.HARNESS_DATA + 0x100, // 16 records of 8 words: vector, 5 frame words, CR2, sp
} as const;

export const LOG_RECORD_BYTES = 32;
export const LOG_BYTES = 16 * LOG_RECORD_BYTES;

/** Gates: DPL 0 except the ones listed; vector 0x33 is not present. */
export const Gate = { SYSCALL: 0x30, DPL1: 0x31, DPL2: 0x32, ABSENT: 0x33 } as const;

export const PAGE_RIGHTS = {
  absent: 0,
  'ro-kernel': Pte.P,
  'rw-kernel': Pte.P | Pte.W,
  'ro-user': Pte.P | Pte.U,
  'rw-user': Pte.P | Pte.W | Pte.U,
} as const;
export type PageRights = keyof typeof PAGE_RIGHTS;

/** Address of the PTE (in PT0, or PT1 from 4 MiB) that maps a linear address. */
export function pteAddress(vaddr: number): number {
  const table = vaddr < Layout.RAM_END ? Layout.PT0 : Layout.PT1;
  return table + (((vaddr >>> 12) & 0x3ff) << 2);
}

export const dataPage = (i: number): number => Layout.DATA_PAGES + i * 0x1000;
export const codePage = (i: number): number => Layout.CODE_PAGES + i * 0x1000;

/** Names the generated body may use, as assembler defines. */
export const BODY_SYMBOLS: Readonly<Record<string, number>> = { ...Layout, ...HarnessData, ...Gate };
