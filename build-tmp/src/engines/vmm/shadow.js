import { Eff } from '../../domain/events/effects.js';
import { shadowPt } from '../../domain/events/vmm.js';
import { Cr0 } from '../../domain/isa/arch.js';
import { Reg } from '../../domain/state/layout.js';
import { Access, Right } from '../cpu/context.js';
import { newWalk, walk } from '../cpu/tlb.js';
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
    vm;
    log;
    vmIndex;
    walked = newWalk();
    constructor(vm, log, vmIndex) {
        this.vm = vm;
        this.log = log;
        this.vmIndex = vmIndex;
    }
    /** Is the guest's paging on (its virtual CR0.PG)? */
    get guestPaging() {
        return (this.vm.vcpu[Reg.CR0] & Cr0.PG) !== 0;
    }
    /** The hardware's table while the guest's paging is on. */
    get table() {
        return this.vm.shadow.flat();
    }
    /** Walks the guest's own tables with its CR0 and CR3, as its MMU would. */
    guestWalk(vaddr, access, user, fault) {
        return walk(this.vm.memory, this.vm.vcpu[Reg.CR0], this.vm.vcpu[Reg.CR3], vaddr, access, user, fault, this.walked);
    }
    traced(frame) {
        return this.vm.traced.get(frame >>> 12) !== 0;
    }
    tracedTarget(w) {
        return w.frame === w.pdFrame || w.frame === w.ptFrame || this.traced(w.frame);
    }
    /** Would a fill from this walk let the access through, so the instruction can run natively? */
    fillAllows(w, access) {
        return access !== Access.WRITE || !this.tracedTarget(w);
    }
    set(vpn, entry) {
        this.vm.shadow.set(vpn, entry);
        this.log.effect(Eff.SHADOW_SET, vpn, entry >>> 0);
    }
    /** Starts tracing a guest page-table page: existing entries mapping it lose their write rights. */
    trace(frame) {
        if (this.traced(frame))
            return;
        this.vm.traced.set(frame >>> 12, 1);
        this.log.effect(Eff.TRACE, frame >>> 12, 1);
        for (const vpn of this.vm.shadow.keys()) {
            const entry = this.vm.shadow.get(vpn);
            if ((entry & 0xfffff000) === frame && (entry & WRITE_RIGHTS) !== 0)
                this.set(vpn, entry & ~WRITE_RIGHTS);
        }
    }
    /** A hidden page fault's fill: the guest's directory and table pages become traced. */
    fill(vaddr, w) {
        this.log.open(shadowPt, this.vmIndex, { op: 'fill', vaddr, paddr: (w.frame | (vaddr & 0xfff)) >>> 0 });
        this.trace(w.pdFrame);
        this.trace(w.ptFrame);
        this.set(vaddr >>> 12, this.tracedTarget(w) ? w.entry & ~WRITE_RIGHTS : w.entry);
        this.log.close();
    }
    /** After a write to a traced page: drops the entries derived from the word at paddr (a PDE covers 1024 pages). */
    sync(paddr) {
        const frame = paddr & 0xfffff000;
        const index = (paddr & 0xfff) >>> 2;
        const pd = this.vm.vcpu[Reg.CR3] & 0xfffff000;
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
    invlpg(vaddr) {
        const vpn = vaddr >>> 12;
        this.log.open(shadowPt, this.vmIndex, { op: 'invlpg', vaddr, paddr: 0 });
        if (this.vm.shadow.get(vpn) !== 0) {
            this.vm.shadow.clear(vpn);
            this.log.effect(Eff.SHADOW_CLEAR, vpn, 0);
        }
        this.log.close();
    }
    /** A new address space (CR3 or CR0 written): the whole shadow and every trace go. */
    flush() {
        this.log.open(shadowPt, this.vmIndex, { op: 'flush', vaddr: 0, paddr: 0 });
        this.vm.shadow.flush();
        this.log.effect(Eff.SHADOW_FLUSH, 0, 0);
        this.vm.traced.flush();
        this.log.effect(Eff.UNTRACE_ALL, 0, 0);
        this.log.close();
    }
}
