import { Status, newFault } from './context.js';
import { DECODE_INFO } from './decode.js';
/**
 * The CPU core bound to one VM's memory and the run's log: `run` executes plain
 * instructions with the core variant of the run (evented or bare) and settles the
 * counters it kept into the machine, so the next event is numbered and timed right.
 */
export class Processor {
    env;
    core;
    constructor(env, setup) {
        this.env = env;
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
            retired: new Int32Array(256),
            events: 0,
            miss: (vaddr, access, user) => setup.miss(vaddr, access, user),
            onWatchedStore: (paddr) => setup.onWatchedStore(paddr),
        };
        env.machine.defer(() => this.settle());
    }
    run(n) {
        const c = this.core;
        const status = n > 0 ? this.env.runCore(c, n) : Status.BUDGET;
        const { machine, vm } = this.env;
        machine.seq += c.events;
        vm.retired += c.events;
        vm.ticks += c.events;
        c.events = 0;
        return status;
    }
    /** Adds the cycles and ledger charges of the instructions retired since the last time. */
    settle() {
        const c = this.core;
        const { cycles, key, extraKey } = c.retire;
        const machine = this.env.machine;
        const ledger = machine.ledger;
        let retired = 0;
        for (let op = 0; op < 256; op++) {
            const n = c.retired[op];
            if (n === 0)
                continue;
            c.retired[op] = 0;
            retired += n;
            machine.cycles += n * cycles[op];
            ledger[key[op]] = ledger[key[op]] + n;
        }
        if (extraKey >= 0)
            ledger[extraKey] = ledger[extraKey] + retired;
    }
}
