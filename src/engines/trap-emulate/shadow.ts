import type { EventBatch } from '../../domain/events/batch.js';
import { Eff } from '../../domain/events/effects.js';
import { Cr0, PAGE_SHIFT, Pte } from '../../domain/isa/arch.js';
import { Reg } from '../../domain/state/layout.js';
import { TRACED, type Machine } from '../../domain/state/machine.js';
import { Access, generalProtection, pageFault, walk, type AccessKind, type Fault, type Mmu } from '../cpu/mmu.js';

/**
 * Shadow paging (Adams & Agesen 2006 §2.4): the hardware walks the VMM's shadow page table,
 * filled lazily from the guest's tables on hidden page faults. Guest page-table pages are
 * write-protected in the shadow ("traced"), so the VMM sees every PTE write.
 *
 * A shadow entry is `frame | P | W | U`; keys below TRACED are virtual page numbers, keys
 * `TRACED | pfn` mark traced guest page-table pages.
 */
export class ShadowMmu implements Mmu {
  constructor(private readonly m: Machine) {}

  translate(vaddr: number, access: AccessKind, user: boolean, fault: Fault): number {
    const m = this.m;
    if (!((m.vcpu[Reg.CR0] as number) & Cr0.PG)) {
      return vaddr < m.memory.size ? vaddr : generalProtection(fault);
    }
    const entry = m.shadow.get(vaddr >>> PAGE_SHIFT);
    if (entry === undefined) return pageFault(fault, vaddr, false, access, user);
    if ((user && !(entry & Pte.U)) || (access === Access.WRITE && !(entry & Pte.W))) {
      return pageFault(fault, vaddr, true, access, user);
    }
    return ((entry & 0xfffff000) | (vaddr & 0xfff)) >>> 0;
  }
}

export interface GuestWalk {
  readonly paddr: number; // -1 when the guest's own tables fault
  readonly ptFrame: number;
}

/** Walks the guest's page tables with the guest's CR0/CR3, as the guest's MMU would. */
export function guestWalk(m: Machine, vaddr: number, access: AccessKind, user: boolean, fault: Fault): GuestWalk {
  const cr0 = m.vcpu[Reg.CR0] as number;
  const cr3 = m.vcpu[Reg.CR3] as number;
  const paddr = walk(m.memory, cr3, (cr0 & Cr0.WP) !== 0, vaddr, access, user, fault);
  const pde = m.memory.read32(((cr3 & 0xfffff000) + ((vaddr >>> 22) << 2)) >>> 0);
  return { paddr, ptFrame: pde & 0xfffff000 };
}

export const isTraced = (m: Machine, frame: number): boolean => m.shadow.has(TRACED | (frame >>> PAGE_SHIFT));

/** Adds a SHADOW_SET effect tracing a guest page-table page, write-protecting its existing mappings. */
function trace(m: Machine, out: EventBatch, frame: number): void {
  if (isTraced(m, frame)) return;
  out.effect(Eff.SHADOW_SET, TRACED | (frame >>> PAGE_SHIFT), 1);
  for (const [vpn, entry] of m.shadow) {
    if (vpn < TRACED && (entry & 0xfffff000) === frame && entry & Pte.W) out.effect(Eff.SHADOW_SET, vpn, entry & ~Pte.W);
  }
}

/**
 * Effects of a shadow fill for `vaddr` after a successful guest walk: the guest's PD and
 * PT pages become traced; the entry is writable only when the guest allows it, the guest
 * maps it writable and the target is not itself a traced page-table page.
 */
export function fillEffects(m: Machine, out: EventBatch, vaddr: number, walked: GuestWalk): void {
  const cr3Frame = (m.vcpu[Reg.CR3] as number) & 0xfffff000;
  trace(m, out, cr3Frame);
  trace(m, out, walked.ptFrame);
  const pde = m.memory.read32(cr3Frame + ((vaddr >>> 22) << 2));
  const pte = m.memory.read32(walked.ptFrame + (((vaddr >>> PAGE_SHIFT) & 0x3ff) << 2));
  const frame = walked.paddr & 0xfffff000;
  const rights = pde & pte & (Pte.W | Pte.U);
  const tracedTarget = frame === cr3Frame || frame === walked.ptFrame || isTraced(m, frame);
  const entry = frame | Pte.P | (rights & Pte.U) | (tracedTarget ? 0 : rights & Pte.W);
  out.effect(Eff.SHADOW_SET, vaddr >>> PAGE_SHIFT, entry >>> 0);
}

/** Would the filled entry let this access through, so the instruction can run natively? */
export function fillAllows(m: Machine, vaddr: number, access: AccessKind, walked: GuestWalk): boolean {
  if (access !== Access.WRITE) return true;
  const cr3Frame = (m.vcpu[Reg.CR3] as number) & 0xfffff000;
  const frame = walked.paddr & 0xfffff000;
  if (frame === cr3Frame || frame === walked.ptFrame || isTraced(m, frame)) return false;
  const pde = m.memory.read32(cr3Frame + ((vaddr >>> 22) << 2));
  const pte = m.memory.read32(walked.ptFrame + (((vaddr >>> PAGE_SHIFT) & 0x3ff) << 2));
  return (pde & pte & Pte.W) !== 0;
}

/**
 * Effects that drop the shadow entries derived from a guest page-table word written at
 * `paddr`: a PDE covers 1024 pages, a PTE one page of every directory slot pointing at it.
 */
export function syncEffects(m: Machine, out: EventBatch, paddr: number): number {
  const frame = paddr & 0xfffff000;
  const index = (paddr & 0xfff) >>> 2;
  const cr3Frame = (m.vcpu[Reg.CR3] as number) & 0xfffff000;
  let dropped = 0;
  for (const vpn of m.shadow.keys()) {
    if (vpn >= TRACED) continue;
    const viaPde = frame === cr3Frame && vpn >>> 10 === index;
    const pde = m.memory.read32(cr3Frame + ((vpn >>> 10) << 2));
    const viaPte = (pde & 0xfffff000) === frame && (vpn & 0x3ff) === index;
    if (viaPde || viaPte) {
      out.effect(Eff.SHADOW_CLEAR, vpn, 0);
      dropped++;
    }
  }
  return dropped;
}
