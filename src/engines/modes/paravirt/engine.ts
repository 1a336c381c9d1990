import { evtchn } from '../../../domain/events/pv.js';
import { insn } from '../../../domain/events/guest.js';
import { trap } from '../../../domain/events/vmm.js';
import { Cr0, Vector } from '../../../domain/isa/arch.js';
import { Op } from '../../../domain/isa/table.js';
import { Reg } from '../../../domain/state/layout.js';
import { Access, Right, Status, type Fault } from '../../cpu/context.js';
import { deliver, type DeliveredBy } from '../../cpu/deliver.js';
import type { GuestPort } from '../../cpu/port.js';
import { acknowledge } from '../../cpu/pic.js';
import { Processor } from '../../cpu/processor.js';
import { retireTablesFor } from '../../cpu/retire.js';
import { Outcome, executeSystem, type SystemResult } from '../../cpu/system.js';
import { PAGE_WALK_REFS, Tlb, identityEntry, newWalk, pageFault, walk } from '../../cpu/tlb.js';
import { directView } from '../../cpu/view.js';
import { launchDeprivileged } from '../../vmm/launch.js';
import { TRIPLE_FAULT, type End, type Env, type ModeEngine } from '../../env.js';
import { SharedInfo } from '../../pv/abi.js';
import { serveHypercall, type HypercallOutcome, type HypervisorPort } from '../../pv/hypercalls.js';
import { serveBlockRing } from '../../pv/ring.js';
import { FAST_SYSCALL_REG, eventsEnabled, readSharedInfo, sharedInfoAddress, updateClock, virtualIfView, writeSharedInfo } from '../../pv/shared-info.js';
import { guestFrames } from '../../pv/validate.js';
import { ringCompressedView } from '../../vmm/ring-compression.js';

/** Where the hypervisor keeps its own IDT, which every fault of the guest goes through. */

const onHardware = { spec: insn, variant: 'cpu' } as const;

/**
 * Paravirtualization (Barham et al., SOSP 2003): the guest kernel runs deprivileged at CPL 1,
 * knows it, and calls the hypervisor (`vmcall`) instead of executing privileged
 * instructions. Its page tables are real and the hardware walks them (direct paging), but
 * a page-table page is never writable to the guest: it changes them through validated
 * mmu_update. Its interrupt flag is the upcall mask in the shared info page, a plain store.
 * Faults reach the hypervisor, which bounces them to the guest's trap table, except the
 * system-call vector the guest registered as fast, which the hardware delivers directly.
 */
export function paravirtEngine(env: Env): ModeEngine {
  const { vm, log } = env;
  const memoryBytes = vm.memory.size;
  const firstHypervisorFrame = guestFrames(memoryBytes);
  const tlb = new Tlb(memoryBytes >>> 12);
  const hardware: Processor = new Processor(env, {
    walkRefs: () => (((vm.vcpu[Reg.CR0] as number) & Cr0.PG) !== 0 ? PAGE_WALK_REFS : 0),
    regs: vm.cpu,
    tlb: tlb.entries,
    watch: tlb.watch,
    retire: retireTablesFor(onHardware, env.cpu),
    miss: (vaddr, access, user) => miss(vaddr, access, user),
    onWatchedStore: () => false,
  });
  const core = hardware.core;

  // The page-table frames reachable from the current base: derived from the state, recomputed when stale.
  const tableFrames = new Uint8Array(memoryBytes >>> 12);
  let tablesBase = -1;
  const isPageTable = (frame: number): boolean => {
    const base = ((vm.vcpu[Reg.CR0] as number) & Cr0.PG) !== 0 ? ((vm.vcpu[Reg.CR3] as number) & 0xfffff000) >>> 0 : -1;
    if (base !== tablesBase) {
      tableFrames.fill(0);
      tablesBase = base;
      if (base >= 0) {
        tableFrames[base >>> 12] = 1;
        for (let i = 0; i < 1024; i++) {
          const pde = vm.memory.read32(base + 4 * i);
          if ((pde & 1) !== 0 && pde >>> 12 < tableFrames.length) tableFrames[pde >>> 12] = 1;
        }
      }
    }
    return frame < tableFrames.length && (tableFrames[frame] === 1 || vm.traced.get(frame) !== 0); // reachable, or pinned
  };
  const tablesChanged = (): void => {
    tablesBase = -2;
    tlb.flush();
  };

  const w = newWalk();
  /** The hardware walks the guest's own tables; a page-table page or a hypervisor frame is never writable to it. */
  function miss(vaddr: number, access: Access, user: boolean): number {
    const f = core.fault;
    const cr0 = vm.vcpu[Reg.CR0] as number;
    if (!(cr0 & Cr0.PG)) {
      const entry = identityEntry(vm.memory, vaddr, f);
      return entry < 0 ? -1 : tlb.fill(vaddr >>> 12, entry);
    }
    walk(vm.memory, cr0, vm.vcpu[Reg.CR3] as number, vaddr, access, user, f, w);
    if (w.entry < 0) return -1;
    if (w.frame >>> 12 >= firstHypervisorFrame) return pageFault(f, vaddr, false, access, user);
    let entry = w.entry;
    if (isPageTable(w.frame >>> 12)) {
      if (access === Access.WRITE) return pageFault(f, vaddr, true, access, user);
      entry &= ~(Right.KW | Right.UW);
    }
    return tlb.fill(vaddr >>> 12, entry);
  }

  const inner = ringCompressedView(vm, log);
  const view = virtualIfView(vm, core, inner);
  const hv: HypervisorPort = { vm, log, vmIndex: env.vmIndex, core, view, memoryBytes, paging: { memoryBytes, isPageTable }, entry: 'hypercall' };
  const hvPort: GuestPort = { core, view, log, vm, vmIndex: env.vmIndex, isa: env.config.isa };
  const hwPort: GuestPort = { core, view: directView(vm.cpu, log), log, vm, vmIndex: env.vmIndex, isa: env.config.isa };
  const result: SystemResult = { outcome: Outcome.DONE, exitCode: 0, pagingChanged: false, invlpg: -1 };
  const outcome: HypercallOutcome = { result: 0, flushTlb: false, invlpg: -1, kick: false, exit: undefined };

  const launch = (): void => launchDeprivileged(vm, log, env.vmIndex, { gdt: false });

  /** Bounces a fault or interrupt to the guest's trap table (a frame built by the hypervisor, or by the hardware). */
  function bounce(vector: number, errorCode: number, returnPc: number, kind: 'fault' | 'software', cr2: number, by: DeliveredBy): End | undefined {
    tlb.flush();
    const ok = deliver(hvPort, vector, errorCode, returnPc, kind, cr2, by, () => {
      if (vector === Vector.PF && kind === 'fault') writeSharedInfo(vm, core, SharedInfo.CR2, cr2);
    });
    return ok ? undefined : TRIPLE_FAULT;
  }

  function dispatch(f: Fault): End | undefined {
    const returnPc = f.software ? (f.pc + 8) >>> 0 : f.pc;
    const fast = (vm.vcpu[FAST_SYSCALL_REG] as number) - 1;
    if (f.software && f.vector === fast && vm.cpu[Reg.CPL] === 3) return bounce(f.vector, 0, returnPc, 'software', 0, 'cpu');
    const cause = f.software ? 'exception' : f.vector === Vector.PF ? 'page-fault' : f.vector === Vector.GP ? 'privileged' : 'exception';
    log.emit(trap, env.vmIndex, { cause, vector: f.vector, pc: f.pc, errorCode: f.errorCode });
    return bounce(f.vector, f.errorCode, returnPc, f.software ? 'software' : 'fault', f.address, 'vmm');
  }

  function hypercallAt(pc: number): End | undefined {
    serveHypercall(hv, pc, core.lo, core.imm, outcome);
    if (outcome.flushTlb) tablesChanged();
    if (outcome.invlpg >= 0) tlb.flushPage(outcome.invlpg >>> 12);
    if (outcome.kick) serveBlockRing(hv, sharedInfoAddress(vm) + 4096);
    return outcome.exit === undefined ? undefined : { reason: 'exit', exitCode: outcome.exit };
  }

  return {
    launch,
    run(n) {
      const status = hardware.run(n);
      if (status === Status.SYSTEM) {
        const { lo, imm } = core;
        const pc = (vm.cpu[Reg.PC] as number) >>> 0;
        if ((lo & 0xff) === Op.VMCALL) return hypercallAt(pc);
        executeSystem(hwPort, pc, lo, imm, onHardware, result);
        if (result.outcome === Outcome.FAULT) return dispatch(core.fault);
        return result.outcome === Outcome.EXIT ? { reason: 'exit', exitCode: result.exitCode } : undefined;
      }
      return status === Status.FAULT ? dispatch(core.fault) : undefined;
    },
    interrupt(line) {
      tlb.flush();
      log.open(evtchn, env.vmIndex, { op: 'upcall', port: line });
      writeSharedInfo(vm, core, SharedInfo.PENDING, readSharedInfo(vm, SharedInfo.PENDING) | (1 << line));
      updateClock(vm, core, log);
      log.close();
      return deliver(hvPort, 32 + line, 0, (vm.cpu[Reg.PC] as number) >>> 0, 'external', 0, 'vmm', () => {
        acknowledge(vm, log, line);
        if (vm.vcpu[Reg.HALTED] !== 0) view.set(Reg.HALTED, 0);
      });
    },
    interruptsEnabled: () => eventsEnabled(vm),
    halted: () => vm.vcpu[Reg.HALTED] !== 0,
    dispose: () => tlb.release(),
  };
}
