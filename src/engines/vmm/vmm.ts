import { emulate } from '../../domain/events/vmm.js';
import { PfError, Vector } from '../../domain/isa/arch.js';
import { Reg } from '../../domain/state/layout.js';
import { Status, type Fault } from '../cpu/context.js';
import { DECODE_INFO, Decoded } from '../cpu/decode.js';
import { deliver, type DeliveredBy } from '../cpu/deliver.js';
import { fetch, raise } from '../cpu/memory.js';
import { acknowledge } from '../cpu/pic.js';
import type { GuestPort } from '../cpu/port.js';
import { Processor } from '../cpu/processor.js';
import { retireTablesFor } from '../cpu/retire.js';
import { Outcome, executeSystem, type Retirement, type SystemResult } from '../cpu/system.js';
import { PAGE_WALK_REFS, Tlb, guestPagingMiss } from '../cpu/tlb.js';
import type { CpuView } from '../cpu/view.js';
import { TRIPLE_FAULT, type End, type Env } from '../env.js';
import type { ShadowPaging } from './shadow.js';

/**
 * The VMM's side of a deprivileged guest: it emulates a guest instruction on the guest's
 * CPU (a view that knows which half of the CPU holds what) through the guest's own page
 * tables, reflects faults and injects interrupts through the guest's IDT. Its stores to
 * traced page-table pages are watched like the guest's, so the shadow follows them.
 */
export class Vmm {
  readonly port: GuestPort;
  private readonly processor: Processor;
  private readonly guestTlb: Tlb;
  private readonly pending: number[] = [];
  private readonly result: SystemResult = { outcome: Outcome.DONE, exitCode: 0, pagingChanged: false, invlpg: -1 };

  constructor(
    private readonly env: Env,
    view: CpuView,
    private readonly shadow: ShadowPaging,
    private readonly onPagingChange: () => void,
    private readonly retirement: Retirement = { spec: emulate, variant: 'trap' },
    guestCpu: Int32Array = env.vm.vcpu, // where the guest's CR0 and CR3 are (the CPU itself in non-root mode)
  ) {
    const vm = env.vm;
    this.guestTlb = new Tlb(vm.memory.size >>> 12);
    this.processor = new Processor(env, {
      walkRefs: () => (shadow.guestPaging ? PAGE_WALK_REFS : 0),
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
    const miss = guestPagingMiss(this.guestTlb, vm.memory, guestCpu, Reg.CR0, Reg.CR3, this.processor.core.fault);
    this.port = { core: this.processor.core, view, log: env.log, vm, vmIndex: env.vmIndex, isa: env.config.isa };
  }

  private get user(): boolean {
    return this.port.view.get(Reg.CPL) === 3;
  }

  /** The first word of the guest's instruction at pc, through its own paging, or -1. */
  peek(pc: number): number {
    this.guestTlb.flush();
    return fetch(this.port.core, pc, this.user) ? this.port.core.lo : -1;
  }

  /** Emulates the guest instruction at its pc; a fault it raises is reflected into the guest. */
  emulate(): End | undefined {
    this.guestTlb.flush();
    const core = this.port.core;
    const pc = (this.env.vm.cpu[Reg.PC] as number) >>> 0;
    if (!fetch(core, pc, this.user)) return this.reflect({ ...core.fault, pc });
    const lo = core.lo | 0;
    const kind = lo >>> 16 === 0 ? (DECODE_INFO[lo] as number) : Decoded.INVALID;
    let end: End | undefined;
    if (kind === Decoded.INVALID) {
      raise(core, Vector.UD, 0, pc);
      end = this.reflect(core.fault);
    } else if (kind === Decoded.PLAIN) {
      if (this.processor.run(1) === Status.FAULT) end = this.reflect(core.fault);
    } else end = this.system(pc, core.lo, core.imm);
    this.syncPending();
    return end;
  }

  private system(pc: number, lo: number, imm: number): End | undefined {
    const r = executeSystem(this.port, pc, lo, imm, this.retirement, this.result);
    if (r.outcome === Outcome.FAULT) return this.reflect(this.port.core.fault);
    if (r.invlpg >= 0) this.shadow.invlpg(r.invlpg);
    if (r.pagingChanged) {
      this.shadow.flush();
      this.onPagingChange();
    }
    return r.outcome === Outcome.EXIT ? { reason: 'exit', exitCode: r.exitCode } : undefined;
  }

  /** A page fault under shadow paging: a true one is the guest's; a hidden one fills the shadow, or the VMM emulates a traced write. */
  pageFault(f: Fault): End | undefined {
    if (!this.shadow.guestPaging) return this.reflect(f);
    const guestFault = { ...f };
    const w = this.shadow.guestWalk(f.address, f.access, (f.errorCode & PfError.U) !== 0, guestFault);
    if (w.entry < 0) return this.reflect(guestFault);
    if (this.shadow.fillAllows(w, f.access)) {
      this.shadow.fill(f.address, w);
      return undefined;
    }
    return this.emulate();
  }

  /** Delivers a fault through the guest's IDT on its CPU (`by` the processor on a VM entry that injects it, under hardware assist). */
  reflect(f: Fault, by: DeliveredBy = 'vmm'): End | undefined {
    this.guestTlb.flush();
    const ok = deliver(this.port, f.vector, f.errorCode, f.software ? (f.pc + 8) >>> 0 : f.pc, f.software ? 'software' : 'fault', f.address, by);
    this.syncPending();
    return ok ? undefined : TRIPLE_FAULT;
  }

  /** Injects IRQ `line` into the guest, waking it from hlt. */
  inject(line: number, by: DeliveredBy = 'vmm'): boolean {
    this.guestTlb.flush();
    const { vm, log } = this.env;
    const ok = deliver(this.port, 32 + line, 0, (vm.cpu[Reg.PC] as number) >>> 0, 'external', 0, by, () => {
      acknowledge(vm, log, line);
      if (this.port.view.get(Reg.HALTED) !== 0) this.port.view.set(Reg.HALTED, 0);
    });
    this.syncPending();
    return ok;
  }

  dispose(): void {
    this.guestTlb.release();
  }

  /** Shadow syncs for the traced page-table words the VMM's last work wrote. */
  private syncPending(): void {
    while (this.pending.length > 0) this.shadow.sync(this.pending.shift() as number);
  }
}
