import { insn } from '../../../domain/events/guest.js';
import { trap, worldSwitch, type TrapCause } from '../../../domain/events/vmm.js';
import { Eff } from '../../../domain/events/effects.js';
import { Cr0, Flag, PfError, Vector } from '../../../domain/isa/arch.js';
import { isPortIo } from '../../../domain/cost/classes.js';
import { Op } from '../../../domain/isa/table.js';
import { Reg } from '../../../domain/state/layout.js';
import { Status, type Access, type Fault } from '../../cpu/context.js';
import type { GuestPort } from '../../cpu/port.js';
import { Processor } from '../../cpu/processor.js';
import { retireTablesFor } from '../../cpu/retire.js';
import { Outcome, executeSystem, type SystemResult } from '../../cpu/system.js';
import { PAGE_WALK_REFS, Tlb, identityEntry, pageFault } from '../../cpu/tlb.js';
import { directView } from '../../cpu/view.js';
import type { End, Env, ModeEngine, VmcallService } from '../../env.js';
import { ringCompressedView } from '../../vmm/ring-compression.js';
import { ShadowPaging } from '../../vmm/shadow.js';
import { Vmm } from '../../vmm/vmm.js';

/** Where the VMM keeps its own descriptor tables: what `sidt`/`sgdt` leak on `classic`. */
export const VMM_IDT_BASE = 0xffc0_0000;
export const VMM_GDT_BASE = 0xffc0_1000;

const onHardware = { spec: insn, variant: 'cpu' } as const;

/**
 * Classic trap-and-emulate (Popek & Goldberg 1974): the guest kernel runs deprivileged at
 * CPL 1 with the VMM's IDT, shadow page tables and IF kept set. Every fault reaches the
 * VMM as a `trap`; the VMM emulates the instruction on the virtual CPU, fills or syncs the
 * shadow page table, or reflects the fault into the guest through the guest's own IDT.
 * Sensitive unprivileged instructions do not trap: on `classic` they silently do the
 * wrong thing on the physical CPU, which is the point.
 */
export function trapEmulateEngine(env: Env, vmcall?: VmcallService): ModeEngine {
  const { vm, log } = env;
  const identity = new Tlb(vm.memory.size >>> 12);
  const shadow = new ShadowPaging(vm, log, env.vmIndex);
  const hardware: Processor = new Processor(env, {
    walkRefs: () => (shadow.guestPaging ? PAGE_WALK_REFS : 0),
    regs: vm.cpu,
    tlb: identity.entries,
    watch: new Int32Array(identity.watch.length),
    retire: retireTablesFor(onHardware, env.cpu),
    miss: (vaddr, access, user) => hiddenFault(vaddr, access, user),
    onWatchedStore: () => false,
  });
  const useTable = (): void => {
    identity.flush();
    hardware.core.tlb = shadow.guestPaging ? shadow.table : identity.entries;
  };
  const vmm = new Vmm(env, ringCompressedView(vm, log), shadow, useTable);
  useTable();
  const port: GuestPort = { core: hardware.core, view: directView(vm.cpu, log), log, vm, vmIndex: env.vmIndex, isa: env.config.isa };
  const result: SystemResult = { outcome: Outcome.DONE, exitCode: 0, pagingChanged: false, invlpg: -1 };

  /** The hardware's miss: with the guest's paging on, a hidden page fault for the VMM; off, the identity map. */
  function hiddenFault(vaddr: number, access: Access, user: boolean): number {
    const f = hardware.core.fault;
    if (!shadow.guestPaging) {
      const entry = identityEntry(vm.memory, vaddr, f);
      return entry < 0 ? -1 : identity.fill(vaddr >>> 12, entry);
    }
    return pageFault(f, vaddr, vm.shadow.get(vaddr >>> 12) !== 0, access, user);
  }

  function launch(): void {
    log.open(worldSwitch, env.vmIndex, { direction: 'to-guest', target: env.vmIndex });
    const set = (reg: number, value: number): void => {
      vm.cpu[reg] = value;
      log.effect(Eff.CPU, reg, value >>> 0);
    };
    set(Reg.CPL, 1);
    set(Reg.FLAGS, Flag.IF);
    set(Reg.CR0, (Cr0.PE | Cr0.WP | Cr0.PG) | 0);
    set(Reg.IDTR_BASE, VMM_IDT_BASE);
    set(Reg.IDTR_LIMIT, 0x7ff);
    set(Reg.GDTR_BASE, VMM_GDT_BASE);
    set(Reg.GDTR_LIMIT, 0xff);
    log.close();
  }

  const trapped = (cause: TrapCause, f: Fault): void => log.emit(trap, env.vmIndex, { cause, vector: f.vector, pc: f.pc, errorCode: f.errorCode });

  /** A page fault: a true one is the guest's; a hidden one fills the shadow, or the VMM emulates a traced write. */
  function pageFaulted(f: Fault): End | undefined {
    if (!shadow.guestPaging) return vmm.reflect(f);
    const guestFault = { ...f };
    const w = shadow.guestWalk(f.address, f.access, (f.errorCode & PfError.U) !== 0, guestFault);
    if (w.entry < 0) return vmm.reflect(guestFault);
    if (shadow.fillAllows(w, f.access)) {
      shadow.fill(f.address, w);
      return undefined;
    }
    return vmm.emulate();
  }

  function dispatch(f: Fault): End | undefined {
    if (f.software) {
      trapped('exception', f);
      return vmm.reflect(f);
    }
    if (f.vector === Vector.PF) {
      trapped('page-fault', f);
      return pageFaulted(f);
    }
    if (f.vector === Vector.GP && vmm.port.view.get(Reg.CPL) === 0) {
      const lo = vmm.peek(f.pc);
      trapped(lo >= 0 && isPortIo(lo & 0xff) ? 'io' : 'privileged', f);
      return vmm.emulate();
    }
    trapped('exception', f);
    return f.vector === Vector.GP || f.vector === Vector.UD ? vmm.emulate() : vmm.reflect(f);
  }

  return {
    launch,
    run(n) {
      const status = hardware.run(n);
      if (status === Status.SYSTEM) {
        const { lo, imm } = hardware.core;
        if (vmcall !== undefined && (lo & 0xff) === Op.VMCALL) return vmcall(vmm.port, (vm.cpu[Reg.PC] as number) >>> 0, lo, imm);
        executeSystem(port, (vm.cpu[Reg.PC] as number) >>> 0, lo, imm, onHardware, result);
        if (result.outcome === Outcome.FAULT) return dispatch(hardware.core.fault);
        return result.outcome === Outcome.EXIT ? { reason: 'exit', exitCode: result.exitCode } : undefined;
      }
      return status === Status.FAULT ? dispatch(hardware.core.fault) : undefined;
    },
    interrupt: (line) => vmm.inject(line),
    interruptsEnabled: () => ((vm.vcpu[Reg.FLAGS] as number) & Flag.IF) !== 0,
    halted: () => vm.vcpu[Reg.HALTED] !== 0,
    dispose: () => {
      identity.release();
      vmm.dispose();
    },
  };
}
