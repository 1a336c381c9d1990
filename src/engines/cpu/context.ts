import type { EventBatch } from '../../domain/events/batch.js';

/** Why the core stopped: its budget ran out, the next instruction is not plain, a fault, or a watched store asked to stop. */
export const Status = { BUDGET: 0, SYSTEM: 1, FAULT: 2, STOP: 3 } as const;
export type Status = (typeof Status)[keyof typeof Status];

/**
 * How a core variant translates an access: through the software TLB (`paged`), through it
 * with the cost-only TLB model too (`tlb-model`, paging on), or not at all (`flat`: paging
 * off, a linear address is physical and only RAM size bounds it).
 */
export const TRANSLATIONS = ['paged', 'tlb-model', 'flat'] as const;
export type Translation = (typeof TRANSLATIONS)[number];

export const Access = { READ: 0, WRITE: 1, FETCH: 2 } as const;
export type Access = (typeof Access)[keyof typeof Access];

/** A fault the hardware raised, for the mode to handle; nothing of the faulting instruction was applied. */
export interface Fault {
  vector: number;
  errorCode: number;
  address: number; // CR2 for #PF
  access: Access; // of a #PF
  pc: number; // the faulting instruction
  software: boolean; // `int n`: the pc to push is the next instruction
}

export const newFault = (): Fault => ({ vector: 0, errorCode: 0, address: 0, access: 0, pc: 0, software: false });

/**
 * The TLB entry format (tlb.ts): frame | rights. A hit needs every right the access asks:
 * P always, U for a user access, KW for a supervisor write, UW for a user write.
 */
export const Right = { P: 1 << 0, KW: 1 << 1, U: 1 << 2, UW: 1 << 3 } as const;

/** The rights an access needs (tlb.ts). */
export function rightsNeeded(access: Access, user: boolean): number {
  if (access === Access.WRITE) return user ? Right.P | Right.U | Right.UW : Right.P | Right.KW;
  return user ? Right.P | Right.U : Right.P;
}

/** How retired instructions are recorded and charged by this core: event type, variant, costs (retire.ts). */
export interface RetireTables {
  readonly code: number;
  readonly variant: number;
  readonly cycles: Float64Array; // by opcode: an evented instruction's cost
  readonly classCycles: Float64Array; // the same by cost class (cost-key index): what the core counts
  readonly classKey: Int32Array; // ledger index of a class's charge
  readonly extraKey: number; // ledger index charged once per instruction beside it, or -1
  readonly walkKey: number; // ledger index of one page-walk reference
  readonly walkCycles: number;
}

/**
 * What the CPU core runs on: one register file (the physical CPU while a guest runs, or a
 * VMM's scratch copy), guest-physical memory, a TLB with its miss handler, decode info for
 * the ISA profile, retirement tables, and (evented) the batch its events go to. Counters
 * are added back to the context when the core returns.
 */
export interface CoreContext {
  regs: Int32Array;
  mem: Uint8Array;
  mem32: Int32Array;
  memBytes: number;
  dirty: Uint8Array;
  tlb: Int32Array; // by virtual page number
  watch: Int32Array; // by frame number: a store there calls onWatchedStore
  info: Uint8Array; // decode.ts, by the low 16 bits of an instruction's first word
  retire: RetireTables;
  out: EventBatch | undefined;
  ctx: number; // vm << 4 | vcpu
  fault: Fault;
  /** The instruction the core stopped before (Status.SYSTEM). */
  lo: number;
  imm: number;
  /** Instructions retired by cost class (cost-key index), and events written, since the processor last settled them. */
  retired: Int32Array;
  events: number;
  /** The cost-only TLB model (the VM's tlbModel), the page-walk references a miss costs (0: no model), and those counted. */
  mtlb: Int32Array;
  walkRefs: number;
  walked: number;
  /** The page-walk references a miss costs at this moment, for the paths outside the core. */
  walkRefsNow(): number;
  /** Fills the TLB entry for vaddr and returns it, or returns -1 with `fault` set. */
  miss(vaddr: number, access: Access, user: boolean): number;
  /** A store reached a watched frame; returns true to stop the core after this instruction. */
  onWatchedStore(paddr: number): boolean;
}
