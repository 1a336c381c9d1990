import { Cr0, PfError, Pte, Vector } from '../../domain/isa/arch.js';
import type { LiveMemory } from '../../domain/state/pages.js';
import { acquireZeroed, releaseZeroed } from '../../domain/state/pool.js';
import { Access, Right, type Fault } from './context.js';

/**
 * A software TLB: one entry per virtual page (tlb entry format: context.ts `Right`),
 * filled on a miss, flushed on CR3 and CR0 writes, invlpg, and stores to the page-table
 * pages its entries came from (`watch`). It is a cache only: VX32 has no architecturally
 * stale TLB entry (docs/machine.md, "Paging").
 */
export class Tlb {
  readonly entries = new Int32Array(acquireZeroed(4 << 20));
  readonly watch: Int32Array;
  private filled: number[] = [];
  private watched: number[] = [];

  constructor(frames: number) {
    this.watch = new Int32Array(frames);
  }

  fill(vpn: number, entry: number): number {
    if (this.entries[vpn] === 0) this.filled.push(vpn);
    this.entries[vpn] = entry;
    return entry;
  }

  watchFrame(frame: number): void {
    if (frame < this.watch.length && this.watch[frame] === 0) {
      this.watch[frame] = 1;
      this.watched.push(frame);
    }
  }

  flush(): void {
    for (const vpn of this.filled) this.entries[vpn] = 0;
    for (const frame of this.watched) this.watch[frame] = 0;
    this.filled = [];
    this.watched = [];
  }

  flushPage(vpn: number): void {
    this.entries[vpn] = 0;
  }

  /** Gives the entries back to the pool; the TLB must not be used after. */
  release(): void {
    this.flush();
    releaseZeroed(this.entries.buffer as ArrayBuffer);
  }
}

/** Memory references of a walk of VX32's two-level tables: what a TLB miss costs natively (and through a shadow table). */
export const PAGE_WALK_REFS = 2;

export function pageFault(fault: Fault, vaddr: number, present: boolean, access: Access, user: boolean): number {
  fault.vector = Vector.PF;
  fault.address = vaddr >>> 0;
  fault.access = access;
  fault.errorCode = (present ? PfError.P : 0) | (access === Access.WRITE ? PfError.W : 0) | (user ? PfError.U : 0);
  return -1;
}

export function generalProtection(fault: Fault): number {
  fault.vector = Vector.GP;
  fault.errorCode = 0;
  fault.address = 0;
  return -1;
}

const readPhysical = (mem: LiveMemory, paddr: number): number => (paddr + 4 <= mem.size ? mem.read32(paddr) : 0);

/** The TLB entry of a page the guest's paging is off for: identity, every right, within RAM. */
export function identityEntry(mem: LiveMemory, vaddr: number, fault: Fault): number {
  const frame = vaddr & 0xfffff000;
  if (frame >>> 0 >= mem.size) return generalProtection(fault);
  return frame | Right.P | Right.KW | Right.U | Right.UW;
}

/** The rights of a mapping, as a TLB entry grants them (a supervisor may write a read-only page unless CR0.WP). */
export function rightsOf(pteRights: number, wp: boolean): number {
  const w = (pteRights & Pte.W) !== 0;
  const u = (pteRights & Pte.U) !== 0;
  return Right.P | (w || !wp ? Right.KW : 0) | (u ? Right.U : 0) | (w && u ? Right.UW : 0);
}

export interface Walk {
  entry: number; // -1: the fault is set
  pdFrame: number;
  ptFrame: number;
  frame: number;
  rights: number; // PDE & PTE: W and U
}

/** A walk of two-level 10/10/12 tables from CR3 (docs/machine.md, "Paging"), as the guest's MMU does it. */
export function walk(mem: LiveMemory, cr0: number, cr3: number, vaddr: number, access: Access, user: boolean, fault: Fault, out: Walk): Walk {
  const va = vaddr >>> 0;
  out.pdFrame = cr3 & 0xfffff000;
  const pde = readPhysical(mem, (out.pdFrame + ((va >>> 22) << 2)) >>> 0);
  out.ptFrame = pde & 0xfffff000;
  out.entry = -1;
  if (!(pde & Pte.P)) return (pageFault(fault, va, false, access, user), out);
  const pte = readPhysical(mem, (out.ptFrame + (((va >>> 12) & 0x3ff) << 2)) >>> 0);
  if (!(pte & Pte.P)) return (pageFault(fault, va, false, access, user), out);
  const rights = pde & pte;
  out.rights = rights & (Pte.W | Pte.U);
  const wp = (cr0 & Cr0.WP) !== 0;
  if (user && !(rights & Pte.U)) return (pageFault(fault, va, true, access, user), out);
  if (access === Access.WRITE && !(rights & Pte.W) && (user || wp)) return (pageFault(fault, va, true, access, user), out);
  out.frame = pte & 0xfffff000;
  if (out.frame >>> 0 >= mem.size) return (generalProtection(fault), out);
  out.entry = out.frame | rightsOf(rights, wp);
  return out;
}

export const newWalk = (): Walk => ({ entry: -1, pdFrame: 0, ptFrame: 0, frame: 0, rights: 0 });

/** A TLB miss handler for the guest's own paging, read from a register file's CR0 and CR3. */
export function guestPagingMiss(tlb: Tlb, mem: LiveMemory, regs: Int32Array, cr0Index: number, cr3Index: number, fault: Fault): (vaddr: number, access: Access, user: boolean) => number {
  const w = newWalk();
  return (vaddr, access, user) => {
    const cr0 = regs[cr0Index] as number;
    if (!(cr0 & Cr0.PG)) {
      const entry = identityEntry(mem, vaddr, fault);
      return entry < 0 ? -1 : tlb.fill(vaddr >>> 12, entry);
    }
    walk(mem, cr0, regs[cr3Index] as number, vaddr, access, user, fault, w);
    if (w.entry < 0) return -1;
    tlb.watchFrame(w.pdFrame >>> 12);
    tlb.watchFrame(w.ptFrame >>> 12);
    return tlb.fill(vaddr >>> 12, w.entry);
  };
}
