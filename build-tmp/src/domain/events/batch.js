import { effectSpec } from '../state/schema.js';
import { eventAt, specOf } from './registry.js';
export const BATCH_CAPACITY = 4096;
/** Effects an event may add without the batch growing (most instructions add one to three). */
export const EFFECTS_PER_EVENT = 4;
/**
 * Events in columns, one typed array per column, so producing an event allocates nothing
 * and recording a batch is a near-copy. What the columns `variant` and `a`–`e` hold for an
 * event is its spec's business (spec.ts `placement`): read events through `at(i)` or the
 * spec, never by column. Effects live in one pool of (code, a, b) triples; event i owns
 * triples effectStart[i] .. effectStart[i + 1].
 */
export class EventBatch {
    /** Sequence number of the first event. */
    start;
    length = 0;
    type;
    ctx; // vm << 4 | vcpu
    variant;
    a;
    b;
    c;
    d;
    e;
    cost;
    effectStart;
    effects;
    effectCount = 0;
    /** Non-numeric payloads (the run config of run-start), by event index. */
    extras = new Map();
    constructor(start = 0, capacity = BATCH_CAPACITY) {
        this.start = start;
        this.type = new Uint8Array(capacity);
        this.ctx = new Uint8Array(capacity);
        this.variant = new Uint8Array(capacity);
        this.a = new Uint32Array(capacity);
        this.b = new Uint32Array(capacity);
        this.c = new Uint32Array(capacity);
        this.d = new Uint32Array(capacity);
        this.e = new Uint32Array(capacity);
        this.cost = new Uint32Array(capacity);
        this.effectStart = new Uint32Array(capacity + 1);
        this.effects = new Uint32Array(capacity * EFFECTS_PER_EVENT * 3);
    }
    get capacity() {
        return this.type.length;
    }
    /** Events that can still be added. */
    get room() {
        return this.type.length - this.length;
    }
    /** A copy that stays valid after the producer reuses this batch. */
    clone() {
        const copy = new EventBatch(this.start, Math.max(this.length, 1));
        copy.length = this.length;
        for (const column of ['type', 'ctx', 'variant', 'a', 'b', 'c', 'd', 'e', 'cost'])
            copy[column].set(this[column].subarray(0, this.length));
        copy.effectStart.set(this.effectStart.subarray(0, this.length + 1));
        copy.effects = this.effects.slice(0, this.effectCount * 3);
        copy.effectCount = this.effectCount;
        for (const [i, extra] of this.extras)
            copy.extras.set(i, extra);
        return copy;
    }
    /** Opens event `length` with its columns in spec order; add effects, then `close` it. */
    open(code, ctx, variant, a, b, c, d, e) {
        const i = this.length;
        this.type[i] = code;
        this.ctx[i] = ctx;
        this.variant[i] = variant;
        this.a[i] = a;
        this.b[i] = b;
        this.c[i] = c;
        this.d[i] = d;
        this.e[i] = e;
        return i;
    }
    effect(code, a, b) {
        let n = this.effectCount * 3;
        if (n + 3 > this.effects.length)
            this.growEffects();
        const pool = this.effects;
        pool[n++] = code;
        pool[n++] = a;
        pool[n] = b;
        this.effectCount++;
    }
    /** Closes the open event with the cost its spec charges (the run's pricer computes it). */
    close(cost) {
        const i = this.length;
        this.cost[i] = cost;
        this.effectStart[i + 1] = this.effectCount;
        this.length = i + 1;
        return i;
    }
    /** Drops effects added since the event was opened. */
    abandon() {
        this.effectCount = this.effectStart[this.length];
    }
    clear(start) {
        this.start = start;
        this.length = 0;
        this.effectCount = 0;
        this.effectStart[0] = 0;
        this.extras.clear();
    }
    typeOf(i) {
        return specOf(this.type[i]).type;
    }
    effectsOf(i) {
        const out = [];
        for (let e = this.effectStart[i]; e < this.effectStart[i + 1]; e++) {
            const code = this.effects[3 * e];
            out.push({ effect: effectSpec(code).name, code, a: this.effects[3 * e + 1], b: this.effects[3 * e + 2] });
        }
        return out;
    }
    at(i) {
        return eventAt(this, i);
    }
    *[Symbol.iterator]() {
        for (let i = 0; i < this.length; i++)
            yield eventAt(this, i);
    }
    /** Room for `n` more effects without growing. */
    reserveEffects(n) {
        while ((this.effectCount + n) * 3 > this.effects.length)
            this.growEffects();
    }
    growEffects() {
        const bigger = new Uint32Array(this.effects.length * 2);
        bigger.set(this.effects);
        this.effects = bigger;
    }
}
