import { EventBatch } from './events/batch.js';
import { insn } from './events/guest.js';
import { chargesOf, openEvent, payloadAt, placementOf, specByTypeStrict, specOf } from './events/registry.js';
import { emulate } from './events/vmm.js';
import { Reg } from './state/layout.js';
import { Machine } from './state/machine.js';
import { EFFECTS } from './state/schema.js';
/** Each effect code's application to a VM, from the schema's declarations. */
const APPLY = [() => undefined, ...EFFECTS.map((e) => (vm, a, b) => e.op.apply(vm[e.field], a, b))];
const CPU_SET = EFFECTS.find((e) => e.name === 'cpu.set')?.code ?? -1;
const column = (spec, field) => placementOf(spec)[field]?.column;
const NEXT = { [insn.code]: column(insn, 'next'), [emulate.code]: column(emulate, 'next') };
/** Charges of retiring events by (type, variant, opcode): the fold's hot path, equal to the specs' `charge`. */
const RETIRE_CHARGES = new Map();
function retireCharges(batch, i) {
    const key = (batch.type[i] << 16) | (batch.variant[i] << 8) | (batch.b[i] & 0xff);
    let charges = RETIRE_CHARGES.get(key);
    if (charges === undefined) {
        const list = [];
        chargesOf(specOf(batch.type[i]), payloadAt(batch, i), (k, n) => list.push(k, n));
        charges = list;
        RETIRE_CHARGES.set(key, charges);
    }
    return charges;
}
/**
 * The counters an event advances beside its effects, from its spec and payload: the
 * sequence, the cycles, the ledger, and its spec's accounting. A live run calls it too,
 * after changing the state in place, so both reach the same state.
 */
export function accountFor(m, vm, spec, payload, cost) {
    m.seq++;
    m.cycles += cost;
    chargesOf(spec, payload, (k, n) => (m.ledger[k] = m.ledger[k] + n));
    switch (spec.accounting) {
        case 'retire':
            vm.cpu[Reg.PC] = payload.next;
            vm.retired++;
            vm.ticks++;
            return;
        case 'idle':
            vm.ticks += payload.steps;
            return;
        case 'end':
            m.outcome = { reason: payload.reason, exitCode: payload.exitCode };
            return;
        case 'none':
            return;
        default: {
            const unreachable = spec.accounting;
            return unreachable;
        }
    }
}
/** Accounting of event i of a batch; retiring events (most of them) without building their payload. */
function account(m, vm, batch, i) {
    const code = batch.type[i];
    const spec = specOf(code);
    if (spec.accounting !== 'retire')
        return accountFor(m, vm, spec, payloadAt(batch, i), batch.cost[i]);
    const charges = retireCharges(batch, i);
    for (let k = 0; k < charges.length; k += 2)
        m.ledger[charges[k]] = m.ledger[charges[k]] + charges[k + 1];
    m.seq++;
    m.cycles += batch.cost[i];
    vm.cpu[Reg.PC] = batch[NEXT[code]][i];
    vm.retired++;
    vm.ticks++;
}
/** Applies event i of a batch to a working machine: effects in order, then accounting. */
export function applyEvent(m, batch, i) {
    const vm = m.vms[batch.ctx[i] >>> 4];
    const pool = batch.effects;
    const end = 3 * batch.effectStart[i + 1];
    for (let e = 3 * batch.effectStart[i]; e < end; e += 3) {
        const code = pool[e];
        if (code === CPU_SET)
            vm.cpu[pool[e + 1]] = pool[e + 2];
        else
            APPLY[code](vm, pool[e + 1], pool[e + 2]);
    }
    account(m, vm, batch, i);
}
export function applyBatch(m, batch) {
    for (let i = 0; i < batch.length; i++)
        applyEvent(m, batch, i);
}
/** The reducer: (state, event) -> state. Replay folds it over a trace; no engine is needed. */
export function evolve(state, event, input = '') {
    const m = new Machine(state, [input]);
    applyBatch(m, batchOf(event));
    return m.seal();
}
/** Folds a whole batch with one working copy. */
export function evolveBatch(state, batch, input = '') {
    const m = new Machine(state, [input]);
    applyBatch(m, batch);
    return m.seal();
}
/** A one-event batch holding a typed event, so both views go through one application. */
function batchOf(event) {
    const batch = new EventBatch(event.seq, 1);
    const spec = specByTypeStrict(event.type);
    openEvent(batch, spec, (event.vm << 4) | event.vcpu, event);
    for (const e of event.effects)
        batch.effect(e.code, e.a, e.b);
    batch.close(event.cost);
    return batch;
}
