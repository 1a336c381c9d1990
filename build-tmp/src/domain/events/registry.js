import { COST_KEY_INDEX } from '../cost/keys.js';
import { effectSpec } from '../state/schema.js';
import { BT_EVENTS } from './bt.js';
import { GUEST_EVENTS } from './guest.js';
import { PV_EVENTS } from './pv.js';
import { RUN_EVENTS } from './run.js';
import { placement, readField, writeField } from './spec.js';
import { VMM_EVENTS } from './vmm.js';
import { VMX_EVENTS } from './vmx.js';
/** Every event type, by family. Type codes are the specs' own and never change meaning. */
export const EVENT_SPECS = [...GUEST_EVENTS, ...VMM_EVENTS, ...BT_EVENTS, ...VMX_EVENTS, ...PV_EVENTS, ...RUN_EVENTS];
const BY_CODE = (() => {
    const out = [];
    for (const s of EVENT_SPECS) {
        if (out[s.code] !== undefined)
            throw new Error(`event specs: code ${s.code} used twice`);
        out[s.code] = s;
    }
    return out;
})();
const PLACEMENTS = BY_CODE.map((s) => placement(s.fields));
export const EVENT_TYPES = EVENT_SPECS.map((s) => s.type);
export const TypeCode = Object.fromEntries(EVENT_SPECS.map((s) => [s.type, s.code]));
export function specOf(code) {
    const spec = BY_CODE[code];
    if (spec === undefined)
        throw new RangeError(`unknown event type code ${code}`);
    return spec;
}
export function specByType(type) {
    return EVENT_SPECS.find((s) => s.type === type);
}
export function specByTypeStrict(type) {
    const spec = specByType(type);
    if (spec === undefined)
        throw new RangeError(`unknown event type ${type}`);
    return spec;
}
/** Each spec's fields with their places, by type code. */
const LAYOUTS = BY_CODE.map((s, code) => Object.entries(s.fields).map(([name, f]) => [name, f, PLACEMENTS[code][name]]));
/** The payload of event i as its spec names it. */
export function payloadAt(batch, i) {
    const out = {};
    for (const [name, f, at] of LAYOUTS[batch.type[i]] ?? [])
        out[name] = readField(batch, i, f, at);
    return out;
}
/** The typed view of event i. */
export function eventAt(batch, i) {
    const spec = specOf(batch.type[i]);
    const effects = [];
    for (let e = batch.effectStart[i]; e < batch.effectStart[i + 1]; e++) {
        const code = batch.effects[3 * e];
        effects.push({ effect: effectSpec(code).name, code, a: batch.effects[3 * e + 1], b: batch.effects[3 * e + 2] });
    }
    return {
        seq: batch.start + i,
        vm: batch.ctx[i] >>> 4,
        vcpu: batch.ctx[i] & 0xf,
        cost: batch.cost[i],
        effects,
        type: spec.type,
        ...payloadAt(batch, i),
    };
}
/** Opens an event of `spec` with its fields by name; add effects, then close it with its price. */
export function openEvent(batch, spec, ctx, payload) {
    const i = batch.open(spec.code, ctx, 0, 0, 0, 0, 0, 0);
    for (const [name, f, at] of LAYOUTS[spec.code] ?? [])
        writeField(batch, i, f, at, payload[name]);
    return i;
}
/** The cost keys an event is charged, with multiplicity. */
export function chargesOf(spec, payload, into) {
    spec.charge(payload, (key, times = 1) => into(COST_KEY_INDEX[key], times));
}
/** The price of event i under a CPU profile: its charges, each at the profile's cycles. */
export function priceAt(batch, i, cpu) {
    let cycles = 0;
    chargesOf(specOf(batch.type[i]), payloadAt(batch, i), (k, n) => (cycles += n * cpu.vector[k]));
    return cycles;
}
/** The column layout of a spec, for the CPU core's hand-written emission of `insn` (checked by a test). */
export function placementOf(spec) {
    return PLACEMENTS[spec.code];
}
