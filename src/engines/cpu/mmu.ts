import { Cr0, PAGE_SHIFT, PfError, Pte, Vector } from '../../domain/isa/arch.js';
import type { CowMemory } from '../../domain/state/memory.js';

export const Access = { READ: 0, WRITE: 1, FETCH: 2 } as const;
export type AccessKind = (typeof Access)[keyof typeof Access];

/** Where a failed access leaves its fault, for the CPU to raise. */
export interface Fault {
  vector: number;
  errorCode: number;
  address: number; // CR2 for #PF
  software: boolean; // raised by `int n`
  returnPc: number; // the pc to push: the faulting instruction, or the next one for `int n`
}

/** Translates a linear address for an access; -1 means a fault, described in `fault`. */
export interface Mmu {
  translate(vaddr: number, access: AccessKind, user: boolean, fault: Fault): number;
}

export function pageFault(fault: Fault, vaddr: number, present: boolean, access: AccessKind, user: boolean): number {
  fault.vector = Vector.PF;
  fault.address = vaddr >>> 0;
  fault.errorCode = (present ? PfError.P : 0) | (access === 1 ? PfError.W : 0) | (user ? PfError.U : 0);
  return -1;
}

export function generalProtection(fault: Fault, errorCode = 0): number {
  fault.vector = Vector.GP;
  fault.errorCode = errorCode;
  fault.address = 0;
  return -1;
}

/** Physical address after a walk of two-level 10/10/12 tables, or -1 with a #PF (docs/machine.md). */
export function walk(memory: CowMemory, cr3: number, wp: boolean, vaddr: number, access: AccessKind, user: boolean, fault: Fault): number {
  const pde = memory.read32(((cr3 & 0xfffff000) + ((vaddr >>> 22) << 2)) >>> 0);
  if (!(pde & Pte.P)) return pageFault(fault, vaddr, false, access, user);
  const pte = memory.read32(((pde & 0xfffff000) + (((vaddr >>> PAGE_SHIFT) & 0x3ff) << 2)) >>> 0);
  if (!(pte & Pte.P)) return pageFault(fault, vaddr, false, access, user);
  const rights = pde & pte;
  if (user && !(rights & Pte.U)) return pageFault(fault, vaddr, true, access, user);
  if (access === 1 && !(rights & Pte.W) && (user || wp)) return pageFault(fault, vaddr, true, access, user);
  return ((pte & 0xfffff000) | (vaddr & 0xfff)) >>> 0;
}

/** The guest's own paging, read from a register file's CR0/CR3: native, emulate, and a VMM walking guest tables. */
export class GuestMmu implements Mmu {
  constructor(
    private readonly memory: CowMemory,
    private readonly regs: Uint32Array,
    private readonly cr0Index: number,
    private readonly cr3Index: number,
  ) {}

  translate(vaddr: number, access: AccessKind, user: boolean, fault: Fault): number {
    const r = this.regs;
    const cr0 = r[this.cr0Index] as number;
    const paddr = cr0 & Cr0.PG ? walk(this.memory, r[this.cr3Index] as number, (cr0 & Cr0.WP) !== 0, vaddr, access, user, fault) : vaddr >>> 0;
    if (paddr < 0) return -1;
    return paddr < this.memory.size ? paddr : generalProtection(fault);
  }
}
