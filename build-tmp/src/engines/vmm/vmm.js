import { emulate } from '../../domain/events/vmm.js';
import { Vector } from '../../domain/isa/arch.js';
import { Reg } from '../../domain/state/layout.js';
import { Status } from '../cpu/context.js';
import { DECODE_INFO, Decoded } from '../cpu/decode.js';
import { deliver } from '../cpu/deliver.js';
import { fetch, raise } from '../cpu/memory.js';
import { acknowledge } from '../cpu/pic.js';
import { Processor } from '../cpu/processor.js';
import { retireTablesFor } from '../cpu/retire.js';
import { Outcome, executeSystem } from '../cpu/system.js';
import { Tlb, guestPagingMiss } from '../cpu/tlb.js';
import { TRIPLE_FAULT } from '../env.js';
/**
 * The VMM's side of a deprivileged guest: it emulates a guest instruction on the guest's
 * CPU (a view that knows which half of the CPU holds what) through the guest's own page
 * tables, reflects faults and injects interrupts through the guest's IDT. Its stores to
 * traced page-table pages are watched like the guest's, so the shadow follows them.
 */
export class Vmm {
    env;
    shadow;
    onPagingChange;
    retirement;
    port;
    processor;
    guestTlb;
    pending = [];
    result = { outcome: Outcome.DONE, exitCode: 0, pagingChanged: false, invlpg: -1 };
    constructor(env, view, shadow, onPagingChange, retirement = { spec: emulate, variant: 'trap' }) {
        this.env = env;
        this.shadow = shadow;
        this.onPagingChange = onPagingChange;
        this.retirement = retirement;
        const vm = env.vm;
        this.guestTlb = new Tlb(vm.memory.size >>> 12);
        this.processor = new Processor(env, {
            regs: vm.cpu,
            tlb: this.guestTlb.entries,
            watch: vm.traced.flat(),
            retire: retireTablesFor(retirement, env.cpu),
            miss: (vaddr, access, user) => miss(vaddr, access, user),
            onWatchedStore: (paddr) => {
                this.pending.push(paddr);
                return false;
            },
        });
        const miss = guestPagingMiss(this.guestTlb, vm.memory, vm.vcpu, Reg.CR0, Reg.CR3, this.processor.core.fault);
        this.port = { core: this.processor.core, view, log: env.log, vm, vmIndex: env.vmIndex, isa: env.config.isa };
    }
    get user() {
        return this.port.view.get(Reg.CPL) === 3;
    }
    /** The first word of the guest's instruction at pc, through its own paging, or -1. */
    peek(pc) {
        this.guestTlb.flush();
        return fetch(this.port.core, pc, this.user) ? this.port.core.lo : -1;
    }
    /** Emulates the guest instruction at its pc; a fault it raises is reflected into the guest. */
    emulate() {
        this.guestTlb.flush();
        const core = this.port.core;
        const pc = this.env.vm.cpu[Reg.PC] >>> 0;
        if (!fetch(core, pc, this.user))
            return this.reflect({ ...core.fault, pc });
        const lo = core.lo | 0;
        const kind = lo >>> 16 === 0 ? DECODE_INFO[lo] : Decoded.INVALID;
        let end;
        if (kind === Decoded.INVALID) {
            raise(core, Vector.UD, 0, pc);
            end = this.reflect(core.fault);
        }
        else if (kind === Decoded.PLAIN) {
            if (this.processor.run(1) === Status.FAULT)
                end = this.reflect(core.fault);
        }
        else
            end = this.system(pc, core.lo, core.imm);
        this.syncPending();
        return end;
    }
    system(pc, lo, imm) {
        const r = executeSystem(this.port, pc, lo, imm, this.retirement, this.result);
        if (r.outcome === Outcome.FAULT)
            return this.reflect(this.port.core.fault);
        if (r.invlpg >= 0)
            this.shadow.invlpg(r.invlpg);
        if (r.pagingChanged) {
            this.shadow.flush();
            this.onPagingChange();
        }
        return r.outcome === Outcome.EXIT ? { reason: 'exit', exitCode: r.exitCode } : undefined;
    }
    /** Delivers a fault through the guest's IDT on its CPU. */
    reflect(f) {
        this.guestTlb.flush();
        const ok = deliver(this.port, f.vector, f.errorCode, f.software ? (f.pc + 8) >>> 0 : f.pc, f.software ? 'software' : 'fault', f.address, 'vmm');
        this.syncPending();
        return ok ? undefined : TRIPLE_FAULT;
    }
    /** Injects IRQ `line` into the guest, waking it from hlt. */
    inject(line) {
        this.guestTlb.flush();
        const { vm, log } = this.env;
        const ok = deliver(this.port, 32 + line, 0, vm.cpu[Reg.PC] >>> 0, 'external', 0, 'vmm', () => {
            acknowledge(vm, log, line);
            if (this.port.view.get(Reg.HALTED) !== 0)
                this.port.view.set(Reg.HALTED, 0);
        });
        this.syncPending();
        return ok;
    }
    dispose() {
        this.guestTlb.release();
    }
    /** Shadow syncs for the traced page-table words the VMM's last work wrote. */
    syncPending() {
        while (this.pending.length > 0)
            this.shadow.sync(this.pending.shift());
    }
}
