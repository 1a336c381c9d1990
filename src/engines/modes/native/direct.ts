import { Cr0, Flag } from '../../../domain/isa/arch.js';
import { Reg } from '../../../domain/state/layout.js';
import { Status, type Fault } from '../../cpu/context.js';
import { deliver, type DeliveredBy } from '../../cpu/deliver.js';
import { rowOf } from '../../cpu/decode.js';
import { retireTablesFor } from '../../cpu/retire.js';
import type { GuestPort } from '../../cpu/port.js';
import { Processor } from '../../cpu/processor.js';
import { acknowledge } from '../../cpu/pic.js';
import { Outcome, executeSystem, type Retirement, type SystemResult } from '../../cpu/system.js';
import { PAGE_WALK_REFS, Tlb, guestPagingMiss } from '../../cpu/tlb.js';
import { directView } from '../../cpu/view.js';
import { TRIPLE_FAULT, type End, type Env, type ModeEngine } from '../../env.js';
import { insn } from '../../../domain/events/guest.js';

/** How instructions retire when the guest's own CPU state is the machine's: plain ones, and system ones by sensitivity. */
export interface DirectRetirement {
  readonly plain: Retirement;
  readonly innocuous: Retirement;
  readonly sensitive: Retirement;
  /** Who delivers exceptions and interrupts: the hardware, or the interpreter that models it. */
  readonly delivery: DeliveredBy;
}


/**
 * The guest's CPU state is the machine's CPU and its own page tables translate (through a
 * software TLB): bare metal, and an interpreter that models the whole CPU, alike.
 */
export function directEngine(env: Env, retirement: DirectRetirement): ModeEngine {
  const { vm, log } = env;
  const tlb = new Tlb(vm.memory.size >>> 12);
  const processor: Processor = new Processor(env, {
    walkRefs: () => (((vm.cpu[Reg.CR0] as number) & Cr0.PG) !== 0 ? PAGE_WALK_REFS : 0),
    regs: vm.cpu,
    tlb: tlb.entries,
    watch: tlb.watch,
    retire: retireTablesFor(retirement.plain, env.cpu),
    miss: (vaddr, access, user) => miss(vaddr, access, user),
    onWatchedStore: () => {
      tlb.flush();
      return false;
    },
    flat: () => ((vm.cpu[Reg.CR0] as number) & Cr0.PG) === 0,
  });
  const miss = guestPagingMiss(tlb, vm.memory, vm.cpu, Reg.CR0, Reg.CR3, processor.core.fault);
  const port: GuestPort = { core: processor.core, view: directView(vm.cpu, log), log, vm, vmIndex: env.vmIndex, isa: env.config.isa };
  const result: SystemResult = { outcome: Outcome.DONE, exitCode: 0, pagingChanged: false, invlpg: -1 };

  const deliverFault = (f: Fault): End | undefined =>
    deliver(port, f.vector, f.errorCode, f.software ? (f.pc + 8) >>> 0 : f.pc, f.software ? 'software' : 'fault', f.address, retirement.delivery) ? undefined : TRIPLE_FAULT;

  function system(): End | undefined {
    const { lo, imm } = processor.core;
    const row = rowOf(lo);
    const by = row.sensitivity === 'innocuous' ? retirement.innocuous : retirement.sensitive;
    executeSystem(port, (vm.cpu[Reg.PC] as number) >>> 0, lo, imm, by, result);
    if (result.outcome === Outcome.FAULT) return deliverFault(processor.core.fault);
    if (result.pagingChanged) tlb.flush();
    if (result.invlpg >= 0) tlb.flushPage(result.invlpg >>> 12);
    return result.outcome === Outcome.EXIT ? { reason: 'exit', exitCode: result.exitCode } : undefined;
  }

  return {
    launch: () => undefined,
    run(n) {
      const status = processor.run(n);
      if (status === Status.SYSTEM) return system();
      if (status === Status.FAULT) return deliverFault(processor.core.fault);
      return undefined;
    },
    interrupt: (line) =>
      deliver(port, 32 + line, 0, (vm.cpu[Reg.PC] as number) >>> 0, 'external', 0, retirement.delivery, () => {
        acknowledge(vm, log, line);
        if (vm.cpu[Reg.HALTED] !== 0) port.view.set(Reg.HALTED, 0);
      }),
    interruptsEnabled: () => ((vm.cpu[Reg.FLAGS] as number) & Flag.IF) !== 0,
    halted: () => vm.cpu[Reg.HALTED] !== 0,
    dispose: () => tlb.release(),
  };
}

export const onHardware: Retirement = { spec: insn, variant: 'cpu' };
