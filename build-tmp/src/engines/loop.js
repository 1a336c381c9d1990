import { Observable } from 'rxjs';
import { cpuProfile } from '../domain/cost/profile.js';
import { VlabError } from '../domain/errors.js';
import { EventBatch } from '../domain/events/batch.js';
import { Eff } from '../domain/events/effects.js';
import { idle, irq } from '../domain/events/guest.js';
import { runEnd, runStart } from '../domain/events/run.js';
import { IrqLine } from '../domain/isa/arch.js';
import { Dev } from '../domain/state/layout.js';
import { Machine, initialMachine } from '../domain/state/machine.js';
import { runCore as runCoreBare } from './cpu/core-bare.js';
import { runCore as runCoreEvented } from './cpu/core-evented.js';
import { EventLog } from './cpu/log.js';
import { deliverableLine } from './cpu/pic.js';
import { TRIPLE_FAULT } from './env.js';
import { modeSpec } from './modes/registry.js';
/** Events an advance may add beyond the core's burst (a trap, its emulation, device and shadow events…). */
const RESERVE = 64;
function cpuOf(name) {
    const cpu = cpuProfile(name);
    if (cpu === undefined)
        throw new VlabError('E_USAGE', `unknown CPU profile '${name}'`);
    return cpu;
}
/**
 * The shared run loop: an interrupt, an idle period or a burst of guest instructions at a
 * time, until the exit port, `hlt` with interrupts off, a deadlock, a triple fault or the
 * budget. Synchronous and deterministic: time is the guest's instruction count.
 */
export function createRun(config, options = {}) {
    const spec = modeSpec(config.mode);
    const cpu = cpuOf(config.cpu);
    const machine = options.from === undefined ? initialMachine(config) : new Machine(options.from, [config.input]);
    const batch = options.events === false ? undefined : new EventBatch(machine.seq);
    const log = new EventLog(machine, cpu, batch);
    const env = { config, machine, vm: machine.vm(0), vmIndex: 0, log, cpu, runCore: batch === undefined ? runCoreBare : runCoreEvented };
    const engine = spec.engine(env);
    const until = options.until ?? Number.POSITIVE_INFINITY;
    const events$ = new Observable((subscriber) => {
        const flush = () => {
            if (batch === undefined)
                return;
            if (batch.length > 0)
                subscriber.next(batch);
            batch.clear(machine.seq);
        };
        if (options.from === undefined) {
            log.emit(runStart, 0, { config });
            engine.launch();
        }
        while (machine.outcome === undefined && !subscriber.closed && machine.seq < until) {
            const end = advance(env, engine, until);
            if (end !== undefined)
                log.emit(runEnd, 0, end);
            if (batch !== undefined && batch.room < 2 * RESERVE)
                flush();
        }
        flush();
        if (machine.outcome !== undefined) {
            final = machine.seal();
            engine.dispose();
            machine.release();
        }
        subscriber.complete();
    });
    let final;
    return { events$, state: () => final ?? machine.seal(), machine };
}
/** One step of the machine: a timer tick, an interrupt, an idle period or a burst of instructions; how the run ends when it does. */
function advance(env, engine, until) {
    const { vm, config } = env;
    const dev = vm.dev;
    const period = dev[Dev.TIMER_PERIOD] >>> 0;
    const toTick = (dev[Dev.TIMER_DEADLINE] - vm.ticks) | 0;
    if (period !== 0 && toTick <= 0) {
        timerTick(env, period);
        return undefined;
    }
    const line = dev[Dev.PIC_PENDING] === 0 ? -1 : deliverableLine(dev);
    if (line >= 0 && engine.interruptsEnabled())
        return engine.interrupt(line) ? undefined : TRIPLE_FAULT;
    if (engine.halted())
        return idleUntilTick(env, engine, period, toTick);
    if (vm.retired >= config.maxInsns)
        return { reason: 'budget', exitCode: 0 };
    let n = Math.min(config.maxInsns - vm.retired, until - env.machine.seq);
    if (period !== 0)
        n = Math.min(n, toTick);
    const out = env.log.out;
    if (out !== undefined)
        n = Math.min(n, out.room - RESERVE);
    return engine.run(Math.max(n, 1));
}
/** Halted: idle until the timer's next tick if it can wake the CPU; else the run is over. */
function idleUntilTick(env, engine, period, toTick) {
    if (!engine.interruptsEnabled())
        return { reason: 'halt', exitCode: 0 };
    const timerCanWake = period !== 0 && !(env.vm.dev[Dev.PIC_MASK] & (1 << IrqLine.TIMER));
    if (!timerCanWake)
        return { reason: 'deadlock', exitCode: 0 };
    env.log.emit(idle, env.vmIndex, { steps: toTick });
    return undefined;
}
function timerTick(env, period) {
    const { vm, log } = env;
    log.open(irq, env.vmIndex, { line: IrqLine.TIMER });
    vm.dev[Dev.PIC_PENDING] = vm.dev[Dev.PIC_PENDING] | (1 << IrqLine.TIMER);
    log.effect(Eff.DEV, Dev.PIC_PENDING, vm.dev[Dev.PIC_PENDING] >>> 0);
    vm.dev[Dev.TIMER_DEADLINE] = vm.dev[Dev.TIMER_DEADLINE] + period;
    log.effect(Eff.DEV, Dev.TIMER_DEADLINE, vm.dev[Dev.TIMER_DEADLINE] >>> 0);
    log.close();
}
