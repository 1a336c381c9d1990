import { effectSpec } from '../state/schema.js';
import type { Event, Effect } from './event.js';
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
  start: number;
  length = 0;
  readonly type: Uint8Array;
  readonly ctx: Uint8Array; // vm << 4 | vcpu
  readonly variant: Uint8Array;
  readonly a: Uint32Array;
  readonly b: Uint32Array;
  readonly c: Uint32Array;
  readonly d: Uint32Array;
  readonly e: Uint32Array;
  readonly cost: Uint32Array;
  readonly effectStart: Uint32Array;
  effects: Uint32Array;
  effectCount = 0;
  /** Non-numeric payloads (the run config of run-start), by event index. */
  readonly extras = new Map<number, unknown>();

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

  get capacity(): number {
    return this.type.length;
  }

  /** Events that can still be added. */
  get room(): number {
    return this.type.length - this.length;
  }

  /** A copy that stays valid after the producer reuses this batch; into `reuse` when it has the room. */
  clone(reuse?: EventBatch): EventBatch {
    const copy = reuse !== undefined && reuse.capacity >= this.length ? reuse : new EventBatch(this.start, Math.max(this.length, 1));
    copy.start = this.start;
    copy.length = this.length;
    for (const column of ['type', 'ctx', 'variant', 'a', 'b', 'c', 'd', 'e', 'cost'] as const) copy[column].set(this[column].subarray(0, this.length));
    copy.effectStart.set(this.effectStart.subarray(0, this.length + 1));
    const effects = this.effects.subarray(0, this.effectCount * 3);
    if (copy.effects.length >= effects.length) copy.effects.set(effects);
    else copy.effects = effects.slice();
    copy.effectCount = this.effectCount;
    copy.extras.clear();
    for (const [i, extra] of this.extras) copy.extras.set(i, extra);
    return copy;
  }

  /** Opens event `length` with its columns in spec order; add effects, then `close` it. */
  open(code: number, ctx: number, variant: number, a: number, b: number, c: number, d: number, e: number): number {
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

  effect(code: number, a: number, b: number): void {
    let n = this.effectCount * 3;
    if (n + 3 > this.effects.length) this.growEffects();
    const pool = this.effects;
    pool[n++] = code;
    pool[n++] = a;
    pool[n] = b;
    this.effectCount++;
  }

  /** Closes the open event with the cost its spec charges (the run's pricer computes it). */
  close(cost: number): number {
    const i = this.length;
    this.cost[i] = cost;
    this.effectStart[i + 1] = this.effectCount;
    this.length = i + 1;
    return i;
  }

  /** Drops effects added since the event was opened. */
  abandon(): void {
    this.effectCount = this.effectStart[this.length] as number;
  }

  clear(start: number): void {
    this.start = start;
    this.length = 0;
    this.effectCount = 0;
    this.effectStart[0] = 0;
    this.extras.clear();
  }

  typeOf(i: number): Event['type'] {
    return specOf(this.type[i] as number).type as Event['type'];
  }

  effectsOf(i: number): Effect[] {
    const out: Effect[] = [];
    for (let e = this.effectStart[i] as number; e < (this.effectStart[i + 1] as number); e++) {
      const code = this.effects[3 * e] as number;
      out.push({ effect: effectSpec(code).name, code, a: this.effects[3 * e + 1] as number, b: this.effects[3 * e + 2] as number });
    }
    return out;
  }

  at(i: number): Event {
    return eventAt(this, i);
  }

  *[Symbol.iterator](): IterableIterator<Event> {
    for (let i = 0; i < this.length; i++) yield eventAt(this, i);
  }

  /** Room for `n` more effects without growing. */
  reserveEffects(n: number): void {
    while ((this.effectCount + n) * 3 > this.effects.length) this.growEffects();
  }

  private growEffects(): void {
    const bigger = new Uint32Array(this.effects.length * 2);
    bigger.set(this.effects);
    this.effects = bigger;
  }
}
