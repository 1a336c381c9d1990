import type { RetireTables } from './context.js';
import { Status, newFault, type Access, type CoreContext } from './context.js';
import { DECODE_INFO } from './decode.js';
import type { Env } from '../env.js';

export interface ProcessorSetup {
  readonly regs: Int32Array;
  readonly tlb: Int32Array;
  readonly watch: Int32Array;
  readonly retire: RetireTables;
  miss(vaddr: number, access: Access, user: boolean): number;
  onWatchedStore(paddr: number): boolean;
}

/**
 * The CPU core bound to one VM's memory and the run's log: `run` executes plain
 * instructions with the core variant of the run (evented or bare) and settles the
 * counters it kept into the machine, so the next event is numbered and timed right.
 */
export class Processor {
  readonly core: CoreContext;

  constructor(private readonly env: Env, setup: ProcessorSetup) {
    const mem = env.vm.memory;
    this.core = {
      regs: setup.regs,
      mem: mem.bytes,
      mem32: mem.words,
      memBytes: mem.size,
      dirty: mem.dirty,
      tlb: setup.tlb,
      watch: setup.watch,
      info: DECODE_INFO,
      retire: setup.retire,
      ledger: env.machine.ledger,
      out: env.log.out,
      ctx: env.vmIndex << 4,
      fault: newFault(),
      lo: 0,
      imm: 0,
      retired: 0,
      cycles: 0,
      events: 0,
      miss: (vaddr, access, user) => setup.miss(vaddr, access, user),
      onWatchedStore: (paddr) => setup.onWatchedStore(paddr),
    };
  }

  run(n: number): Status {
    const c = this.core;
    const status = n > 0 ? this.env.runCore(c, n) : Status.BUDGET;
    this.settle();
    return status;
  }

  /** Adds the core's counters to the machine. */
  settle(): void {
    const c = this.core;
    const { machine, vm } = this.env;
    machine.seq += c.events;
    machine.cycles += c.cycles;
    vm.retired += c.retired;
    vm.ticks += c.retired;
    c.events = 0;
    c.cycles = 0;
    c.retired = 0;
  }
}
