import type { RetireTables } from './context.js';
import { Status, newFault, type Access, type CoreContext } from './context.js';
import { DECODE_INFO } from './decode.js';
import { COST_KEYS } from '../../domain/cost/keys.js';
import type { Env } from '../env.js';

export interface ProcessorSetup {
  /** Page-walk references a TLB miss costs now (0: the guest's paging is off, no TLB to model). */
  walkRefs(): number;
  readonly regs: Int32Array;
  readonly tlb: Int32Array;
  readonly watch: Int32Array;
  readonly retire: RetireTables;
  miss(vaddr: number, access: Access, user: boolean): number;
  onWatchedStore(paddr: number): boolean;
  /**
   * Are linear addresses physical now, every RAM page mapped with every right, as the
   * identity TLB entries of a guest with paging off are? The core then runs flat: it checks
   * an access against RAM size instead of looking its page up. Absent: never.
   */
  flat?(): boolean;
}

/**
 * Instructions per call of the core: a burst runs as slices of it. A core called once for
 * a long burst runs as on-stack-replacement code compiled before its epilogue had type
 * feedback, whose speed varies by process (compute bare 85 or 150 M/s); called for short
 * slices it is compiled whole, as the reference interpreter is (bench/reference).
 */
const SLICE = 1024;

/**
 * The CPU core bound to one VM's memory and the run's log: `run` executes plain
 * instructions with the run's core variant (evented or bare) and advances the event and
 * instruction counters at once; the cycles and ledger charges of what it retired are
 * added when the machine settles (before anything reads them).
 */
export class Processor {
  readonly core: CoreContext;

  private readonly walkRefs: () => number;
  private readonly flat: () => boolean;

  constructor(private readonly env: Env, setup: ProcessorSetup) {
    this.walkRefs = env.config.tlbModel === false ? () => 0 : setup.walkRefs;
    this.flat = setup.flat ?? (() => false);
    const mem = env.vm.memory.flat();
    this.core = {
      regs: setup.regs,
      mem: mem.bytes,
      mem32: mem.words,
      memBytes: env.vm.memory.size,
      dirty: mem.dirty,
      tlb: setup.tlb,
      watch: setup.watch,
      info: DECODE_INFO,
      retire: setup.retire,
      out: env.log.out,
      ctx: env.vmIndex << 4,
      fault: newFault(),
      lo: 0,
      imm: 0,
      retired: new Int32Array(COST_KEYS.length),
      events: 0,
      mtlb: env.vm.tlbModel,
      walkRefs: 0,
      walked: 0,
      walkRefsNow: this.walkRefs,
      miss: (vaddr, access, user) => setup.miss(vaddr, access, user),
      onWatchedStore: (paddr) => setup.onWatchedStore(paddr),
    };
    env.machine.defer(() => this.settle());
  }

  run(n: number): Status {
    const c = this.core;
    c.walkRefs = this.walkRefs();
    const { runCore } = this.env;
    const core = c.walkRefs > 0 ? runCore['tlb-model'] : this.flat() ? runCore.flat : runCore.paged;
    let status: Status = Status.BUDGET;
    for (let left = n; left > 0 && status === Status.BUDGET; ) {
      const before = c.events;
      status = core(c, Math.min(left, SLICE));
      if (c.events === before) break;
      left -= c.events - before;
    }
    const { machine, vm } = this.env;
    machine.seq += c.events;
    vm.retired += c.events;
    vm.ticks += c.events;
    c.events = 0;
    return status;
  }

  /** Adds the cycles and ledger charges of the instructions retired since the last settle, to the machine and the tally. */
  private settle(): void {
    const c = this.core;
    const { retired, retire } = c;
    const { machine, log } = this.env;
    const row = log.tally.ledgerOf(retire.code);
    let count = 0;
    let cycles = 0;
    for (let k = 0; k < retire.classKey.length; k++) {
      const n = retired[k] as number;
      if (n === 0) continue;
      retired[k] = 0;
      count += n;
      cycles += n * (retire.classCycles[k] as number);
      const key = retire.classKey[k] as number;
      machine.ledger[key] = (machine.ledger[key] as number) + n;
      row[key] = (row[key] as number) + n;
    }
    if (c.walked > 0) {
      machine.ledger[retire.walkKey] = (machine.ledger[retire.walkKey] as number) + c.walked;
      row[retire.walkKey] = (row[retire.walkKey] as number) + c.walked;
      cycles += c.walked * retire.walkCycles;
      c.walked = 0;
    }
    if (count === 0) return;
    if (retire.extraKey >= 0) {
      machine.ledger[retire.extraKey] = (machine.ledger[retire.extraKey] as number) + count;
      row[retire.extraKey] = (row[retire.extraKey] as number) + count;
    }
    machine.cycles += cycles;
    log.tally.bulk(retire.code, count, cycles);
  }
}
