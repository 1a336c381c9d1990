import { MACHINE_SCHEMA, machineFields, machineKind, vmFields, vmKind } from './schema.js';
import { Reg } from './layout.js';
/** The working copy of one VM's state, its fields as schema.ts declares them. */
export class LiveVm {
    input;
    constructor(state, input) {
        this.input = input;
        for (const field of vmFields())
            this[field] = vmKind(field).thaw(state[field]);
    }
    seal() {
        return Object.fromEntries(vmFields().map((f) => [f, vmKind(f).freeze(this[f])]));
    }
    release() {
        for (const f of vmFields())
            vmKind(f).release?.(this[f]);
    }
}
/**
 * The whole machine as a mutable working copy: the live run changes it in place as it
 * logs each effect; replay changes it only through evolve. `seal()` makes the immutable
 * `MachineState`, at a cost proportional to what changed since the last seal.
 */
export class Machine {
    vms;
    seq;
    cycles;
    ledger;
    outcome;
    /** Charges counted but not yet added to `cycles` and `ledger` (a CPU core adds its in bulk). */
    pending = [];
    constructor(state, inputs = []) {
        this.vms = state.vms.map((vm, i) => new LiveVm(vm, inputs[i] ?? ''));
        this.seq = state.seq;
        this.cycles = state.cycles;
        this.ledger = MACHINE_SCHEMA.ledger.thaw(state.ledger);
        this.outcome = state.outcome;
    }
    vm(index) {
        const vm = this.vms[index];
        if (vm === undefined)
            throw new RangeError(`no VM ${index}`);
        return vm;
    }
    /** Registers a source of deferred charges, settled before cycles or the ledger are read. */
    defer(settle) {
        this.pending.push(settle);
    }
    /** Adds every deferred charge: call before reading `cycles` or `ledger`. */
    settle() {
        for (const settle of this.pending)
            settle();
    }
    seal() {
        this.settle();
        return { vms: this.vms.map((vm) => vm.seal()), seq: this.seq, cycles: this.cycles, ledger: this.ledger.slice(), outcome: this.outcome };
    }
    /** Gives pooled buffers back: the machine must not be used after. */
    release() {
        for (const vm of this.vms)
            vm.release();
    }
}
function initialVm(init, entry) {
    const fields = Object.fromEntries(vmFields().map((f) => [f, vmKind(f).initial(init)]));
    const cpu = fields.cpu.slice();
    cpu[Reg.PC] = entry;
    return { ...fields, cpu };
}
/** Reset state of the machine with each guest image loaded (DESIGN §2). */
export function initialState(config) {
    const init = { memoryBytes: config.memoryBytes, disk: config.disk, segments: config.image.segments };
    const machine = Object.fromEntries(machineFields().map((f) => [f, machineKind(f).initial(init)]));
    return { ...machine, vms: [initialVm(init, config.image.entry)] };
}
/** The working copy of a run's initial state (the console input comes from the config). */
export function initialMachine(config) {
    return new Machine(initialState(config), [config.input]);
}
