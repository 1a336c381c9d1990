import type { RunConfig } from '../config.js';
import type { Effect, EffectKind } from './effects.js';
import { EVENT_TYPES, type Event, type EventType } from './event.js';
import { END_REASONS } from './run.js';
import { SHADOW_OPS, TRAP_CAUSES, WORLD_SWITCH_DIRECTIONS } from './vmm.js';

export const BATCH_CAPACITY = 4096;

/**
 * Events in columns, one typed array per field, so producing an event allocates nothing
 * and recording a batch is a near-copy. Payload columns a–d mean what `eventAt` says for
 * each type. Effects live in one pool of (kind, a, b) triples; event i owns triples
 * effectStart[i] .. effectStart[i + 1].
 */
export class EventBatch {
  /** Sequence number of the first event. */
  start: number;
  length = 0;
  readonly type: Uint8Array;
  readonly vcpu: Uint8Array; // vm << 4 | vcpu
  readonly a: Uint32Array;
  readonly b: Uint32Array;
  readonly c: Uint32Array;
  readonly d: Uint32Array;
  readonly cost: Uint32Array;
  readonly effectStart: Uint32Array;
  effects: Uint32Array;
  effectCount = 0;
  /** Non-numeric payloads (the run config of run-start), by event index. */
  readonly extras = new Map<number, unknown>();

  constructor(start = 0, capacity = BATCH_CAPACITY) {
    this.start = start;
    this.type = new Uint8Array(capacity);
    this.vcpu = new Uint8Array(capacity);
    this.a = new Uint32Array(capacity);
    this.b = new Uint32Array(capacity);
    this.c = new Uint32Array(capacity);
    this.d = new Uint32Array(capacity);
    this.cost = new Uint32Array(capacity);
    this.effectStart = new Uint32Array(capacity + 1);
    this.effects = new Uint32Array(capacity * 12);
  }

  /** A copy that stays valid after the producer reuses this batch. */
  clone(): EventBatch {
    const copy = new EventBatch(this.start, Math.max(this.length, 1));
    copy.length = this.length;
    for (const column of ['type', 'vcpu', 'a', 'b', 'c', 'd', 'cost'] as const) copy[column].set(this[column].subarray(0, this.length));
    copy.effectStart.set(this.effectStart.subarray(0, this.length + 1));
    copy.effects = this.effects.slice(0, this.effectCount * 3);
    copy.effectCount = this.effectCount;
    for (const [i, extra] of this.extras) copy.extras.set(i, extra);
    return copy;
  }

  get capacity(): number {
    return this.type.length;
  }

  get full(): boolean {
    return this.length === this.type.length;
  }

  /** Opens event `length`; add effects, then `close` it. */
  open(typeCode: number, a: number, b: number, c: number, d: number): number {
    const i = this.length;
    this.type[i] = typeCode;
    this.a[i] = a;
    this.b[i] = b;
    this.c[i] = c;
    this.d[i] = d;
    return i;
  }

  effect(kind: EffectKind, a: number, b: number): void {
    let n = this.effectCount * 3;
    if (n + 3 > this.effects.length) this.growEffects();
    const pool = this.effects;
    pool[n++] = kind;
    pool[n++] = a;
    pool[n] = b;
    this.effectCount++;
  }

  close(cost: number): number {
    const i = this.length;
    this.cost[i] = cost;
    this.effectStart[i + 1] = this.effectCount;
    this.length = i + 1;
    return i;
  }

  /** Drops effects added since the event was opened (an instruction that faulted midway). */
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

  typeOf(i: number): EventType {
    return EVENT_TYPES[this.type[i] as number] as EventType;
  }

  effectsOf(i: number): Effect[] {
    const out: Effect[] = [];
    for (let e = this.effectStart[i] as number; e < (this.effectStart[i + 1] as number); e++) {
      out.push({ kind: this.effects[3 * e] as EffectKind, a: this.effects[3 * e + 1] as number, b: this.effects[3 * e + 2] as number });
    }
    return out;
  }

  at(i: number): Event {
    return eventAt(this, i);
  }

  *[Symbol.iterator](): IterableIterator<Event> {
    for (let i = 0; i < this.length; i++) yield eventAt(this, i);
  }

  private growEffects(): void {
    const bigger = new Uint32Array(this.effects.length * 2);
    bigger.set(this.effects);
    this.effects = bigger;
  }
}

const hex8 = (n: number): string => n.toString(16).padStart(8, '0');

export function hashFromWords(hi: number, lo: number): string {
  return hex8(hi) + hex8(lo);
}

/** The typed view of event i: the meaning of each column, per type. */
export function eventAt(batch: EventBatch, i: number): Event {
  const base = {
    seq: batch.start + i,
    vm: (batch.vcpu[i] as number) >>> 4,
    vcpu: (batch.vcpu[i] as number) & 0xf,
    cost: batch.cost[i] as number,
    effects: batch.effectsOf(i),
  };
  const a = batch.a[i] as number;
  const b = batch.b[i] as number;
  const c = batch.c[i] as number;
  const d = batch.d[i] as number;
  const type = batch.typeOf(i);
  switch (type) {
    case 'insn':
    case 'emulate':
      return { ...base, type, pc: a, word: b, imm: c, next: d };
    case 'exception':
      return { ...base, type, vector: a, errorCode: b, pc: c };
    case 'interrupt':
      return { ...base, type, vector: a, pc: c };
    case 'io':
      return { ...base, type, port: a, value: b, direction: c === 0 ? 'in' : 'out' };
    case 'irq':
      return { ...base, type, line: a };
    case 'idle':
      return { ...base, type, steps: a };
    case 'trap':
      return { ...base, type, cause: TRAP_CAUSES[a] ?? 'exception', vector: b, pc: c, errorCode: d };
    case 'shadow-pt':
      return { ...base, type, op: SHADOW_OPS[a] ?? 'fill', vaddr: b, paddr: c };
    case 'world-switch':
      return { ...base, type, direction: WORLD_SWITCH_DIRECTIONS[a] ?? 'to-vmm' };
    case 'translate':
      return { ...base, type, pc: a, length: b, rewritten: c };
    case 'tc-hit':
      return { ...base, type, pc: a };
    case 'tc-invalidate':
      return { ...base, type, page: a, count: b };
    case 'callout':
      return { ...base, type, pc: a, word: b };
    case 'vmexit':
      return { ...base, type, reason: a, qualification: b, pc: c };
    case 'vmentry':
      return { ...base, type, pc: a };
    case 'hypercall':
      return { ...base, type, nr: a, args: [b, c, d], result: (batch.extras.get(i) as number | undefined) ?? 0 };
    case 'evtchn':
      return { ...base, type, port: a, op: b === 0 ? 'notify' : 'upcall' };
    case 'ring':
      return { ...base, type, ring: a, op: b === 0 ? 'kick' : 'complete', count: c };
    case 'run-start':
      return { ...base, type, config: batch.extras.get(i) as RunConfig };
    case 'checkpoint':
      return { ...base, type, index: a, hash: hashFromWords(b, c) };
    case 'run-end':
      return { ...base, type, reason: END_REASONS[a] ?? 'error', exitCode: b | 0 };
    default: {
      const unreachable: never = type;
      return unreachable;
    }
  }
}
