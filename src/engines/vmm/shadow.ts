import { Eff } from '../../domain/events/effects.js';
import { shadowPt } from '../../domain/events/vmm.js';
import { Cr0 } from '../../domain/isa/arch.js';
import { Reg } from '../../domain/state/layout.js';
import type { LiveVm } from '../../domain/state/machine.js';
import { Access, Right, type Fault } from '../cpu/context.js';
import type { EventLog } from '../cpu/log.js';
import { identityEntry, newWalk, pageFault, walk, type Tlb, type Walk } from '../cpu/tlb.js';

const WRITE_RIGHTS = Right.KW | Right.UW;

/**
 * Shadow paging (Adams & Agesen 2006 §2.4): the hardware translates through the VMM's
 * shadow page table (the VM's `shadow` field, by virtual page number, in the TLB entry
 * format), filled lazily from the guest's tables on hidden page faults. The guest's
 * page-table pages are traced (`traced`, by frame number): no shadow entry lets the
 * guest write them, so the VMM sees every PTE write and drops the entries derived from it.
 * Shared by every mode that shadows the guest's page tables.
 */
export class ShadowPaging {
  private readonly walked: Walk = newWalk();

  constructor(
    private readonly vm: LiveVm,
    private readonly log: EventLog,
    private readonly vmIndex: number,
    /** Where the guest's own CR0 and CR3 are: the virtual CPU, or the CPU itself in non-root mode (hardware-assist). */
    private readonly guestCpu: Int32Array = vm.vcpu,
  ) {}

  /** Is the guest's paging on (its virtual CR0.PG)? */
  get guestPaging(): boolean {
    return ((this.guestCpu[Reg.CR0] as number) & Cr0.PG) !== 0;
  }

  /** The hardware's table while the guest's paging is on. */
  get table(): Int32Array {
    return this.vm.shadow.flat();
  }

  /** Walks the guest's own tables with its CR0 and CR3, as its MMU would. */
  guestWalk(vaddr: number, access: Access, user: boolean, fault: Fault): Walk {
    return walk(this.vm.memory, this.guestCpu[Reg.CR0] as number, this.guestCpu[Reg.CR3] as number, vaddr, access, user, fault, this.walked);
  }

  private traced(frame: number): boolean {
    return this.vm.traced.get(frame >>> 12) !== 0;
  }

  private tracedTarget(w: Walk): boolean {
    return w.frame === w.pdFrame || w.frame === w.ptFrame || this.traced(w.frame);
  }

  /** Would a fill from this walk let the access through, so the instruction can run natively? */
  fillAllows(w: Walk, access: Access): boolean {
    return access !== Access.WRITE || !this.tracedTarget(w);
  }

  private set(vpn: number, entry: number): void {
    this.vm.shadow.set(vpn, entry);
    this.log.effect(Eff.SHADOW_SET, vpn, entry >>> 0);
  }

  /** Starts tracing a guest page-table page: existing entries mapping it lose their write rights. */
  private trace(frame: number): void {
    if (this.traced(frame)) return;
    this.vm.traced.set(frame >>> 12, 1);
    this.log.effect(Eff.TRACE, frame >>> 12, 1);
    for (const vpn of this.vm.shadow.keys()) {
      const entry = this.vm.shadow.get(vpn);
      if ((entry & 0xfffff000) === frame && (entry & WRITE_RIGHTS) !== 0) this.set(vpn, entry & ~WRITE_RIGHTS);
    }
  }

  /** A hidden page fault's fill: the guest's directory and table pages become traced. */
  fill(vaddr: number, w: Walk): void {
    this.log.open(shadowPt, this.vmIndex, { op: 'fill', vaddr, paddr: (w.frame | (vaddr & 0xfff)) >>> 0 });
    this.trace(w.pdFrame);
    this.trace(w.ptFrame);
    this.set(vaddr >>> 12, this.tracedTarget(w) ? w.entry & ~WRITE_RIGHTS : w.entry);
    this.log.close();
  }

  /** After a write to a traced page: drops the entries derived from the word at paddr (a PDE covers 1024 pages). */
  sync(paddr: number): void {
    const frame = paddr & 0xfffff000;
    const index = (paddr & 0xffc) >>> 2;
    const pd = (this.guestCpu[Reg.CR3] as number) & 0xfffff000;
    this.log.open(shadowPt, this.vmIndex, { op: 'sync', vaddr: 0, paddr });
    for (const vpn of this.vm.shadow.keys()) {
      const pde = this.vm.memory.read32(pd + ((vpn >>> 10) << 2));
      const viaPde = frame === pd && vpn >>> 10 === index;
      const viaPte = (pde & 0xfffff000) === frame && (vpn & 0x3ff) === index;
      if (viaPde || viaPte) {
        this.vm.shadow.clear(vpn);
        this.log.effect(Eff.SHADOW_CLEAR, vpn, 0);
      }
    }
    this.log.close();
  }

  invlpg(vaddr: number): void {
    const vpn = vaddr >>> 12;
    this.log.open(shadowPt, this.vmIndex, { op: 'invlpg', vaddr, paddr: 0 });
    if (this.vm.shadow.get(vpn) !== 0) {
      this.vm.shadow.clear(vpn);
      this.log.effect(Eff.SHADOW_CLEAR, vpn, 0);
    }
    this.log.close();
  }

  /** A new address space (CR3 or CR0 written): the whole shadow and every trace go. */
  flush(): void {
    this.log.open(shadowPt, this.vmIndex, { op: 'flush', vaddr: 0, paddr: 0 });
    this.vm.shadow.flush();
    this.log.effect(Eff.SHADOW_FLUSH, 0, 0);
    this.vm.traced.flush();
    this.log.effect(Eff.UNTRACE_ALL, 0, 0);
    this.log.close();
  }
}

/**
 * The hardware TLB's miss under a software VMM: with the guest's paging on, a hidden page
 * fault the VMM resolves from the guest's tables (a shadow fill, or the guest's own fault);
 * with it off, the identity map of guest-physical memory.
 */
export function shadowMiss(vm: LiveVm, shadow: ShadowPaging, identity: Tlb, fault: () => Fault): (vaddr: number, access: Access, user: boolean) => number {
  return (vaddr, access, user) => {
    const f = fault();
    if (!shadow.guestPaging) {
      const entry = identityEntry(vm.memory, vaddr, f);
      return entry < 0 ? -1 : identity.fill(vaddr >>> 12, entry);
    }
    return pageFault(f, vaddr, vm.shadow.get(vaddr >>> 12) !== 0, access, user);
  };
}
