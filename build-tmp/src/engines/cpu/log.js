import { chargesOf, openEvent } from '../../domain/events/registry.js';
import { accountFor } from '../../domain/evolve.js';
/**
 * Where a live run's events go, one at a time (the CPU core writes its own in bulk). The
 * engine changes the machine in place and logs each change as an effect of the open
 * event; closing prices the event by its spec under the CPU profile and advances the
 * same counters evolve does. With no batch (a bare run) effects are not kept, but every
 * event is still priced and accounted, so both runs reach the same state.
 */
export class EventLog {
    machine;
    cpu;
    batch;
    spec;
    payload = {};
    vm = 0;
    constructor(machine, cpu, batch) {
        this.machine = machine;
        this.cpu = cpu;
        this.batch = batch;
    }
    /** The batch events go to, or undefined in a bare run. */
    get out() {
        return this.batch;
    }
    open(spec, vm, payload) {
        this.spec = spec;
        this.payload = payload;
        this.vm = vm;
        if (this.batch !== undefined)
            openEvent(this.batch, spec, vm << 4, payload);
    }
    effect(code, a, b) {
        this.batch?.effect(code, a, b);
    }
    /** Closes the open event: its price under the CPU profile, then the counters. */
    close() {
        const spec = this.spec;
        let cost = 0;
        chargesOf(spec, this.payload, (k, n) => (cost += n * this.cpu.vector[k]));
        this.batch?.close(cost);
        accountFor(this.machine, this.machine.vms[this.vm], spec, this.payload, cost);
        this.spec = undefined;
    }
    /** An event with no effects, in one call. */
    emit(spec, vm, payload) {
        this.open(spec, vm, payload);
        this.close();
    }
}
