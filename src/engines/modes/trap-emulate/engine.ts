import { insn } from '../../../domain/events/guest.js';
import { trap, type TrapCause } from '../../../domain/events/vmm.js';
import { Flag, Vector } from '../../../domain/isa/arch.js';
import { isPortIo } from '../../../domain/cost/classes.js';
import { Op } from '../../../domain/isa/table.js';
import { Reg } from '../../../domain/state/layout.js';
import { Status, type Fault } from '../../cpu/context.js';
import type { GuestPort } from '../../cpu/port.js';
import { Processor } from '../../cpu/processor.js';
import { retireTablesFor } from '../../cpu/retire.js';
import { Outcome, executeSystem, type SystemResult } from '../../cpu/system.js';
import { PAGE_WALK_REFS, Tlb } from '../../cpu/tlb.js';
import { directView } from '../../cpu/view.js';
import type { End, Env, ModeEngine, VmcallService } from '../../env.js';
import { ringCompressedView } from '../../vmm/ring-compression.js';
import { launchDeprivileged } from '../../vmm/launch.js';
import { ShadowPaging, shadowMiss } from '../../vmm/shadow.js';
import { Vmm } from '../../vmm/vmm.js';

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
    miss: shadowMiss(vm, shadow, identity, () => hardware.core.fault),
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

  const launch = (): void => launchDeprivileged(vm, log, env.vmIndex, { gdt: true });

  const trapped = (cause: TrapCause, f: Fault): void => log.emit(trap, env.vmIndex, { cause, vector: f.vector, pc: f.pc, errorCode: f.errorCode });

  function dispatch(f: Fault): End | undefined {
    if (f.software) {
      trapped('exception', f);
      return vmm.reflect(f);
    }
    if (f.vector === Vector.PF) {
      trapped('page-fault', f);
      return vmm.pageFault(f);
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
        if (vmcall !== undefined && (lo & 0xff) === Op.VMCALL) return vmcall(vmm.port, (vm.cpu[Reg.PC] as number) >>> 0, lo, imm, 'hypercall');
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
