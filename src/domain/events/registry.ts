import type { CpuProfile } from '../cost/profile.js';
import { COST_KEY_INDEX, type CostKey } from '../cost/keys.js';
import { effectSpec } from '../state/schema.js';
import type { EventBatch } from './batch.js';
import { BT_EVENTS } from './bt.js';
import type { Effect, Event, EventType } from './event.js';
import { GUEST_EVENTS } from './guest.js';
import { PV_EVENTS } from './pv.js';
import { RUN_EVENTS } from './run.js';
import { GUEST_SIGHT_KINDS, columnReader, fieldReader, placement, writeField, type ColumnReader, type FieldReader, type Column, type EventSpec, type FieldSpec, type Fields, type Placement } from './spec.js';
import { VMM_EVENTS } from './vmm.js';
import { VMX_EVENTS } from './vmx.js';

/** Every event type, by family. Type codes are the specs' own and never change meaning. */
export const EVENT_SPECS: readonly EventSpec[] = [...GUEST_EVENTS, ...VMM_EVENTS, ...BT_EVENTS, ...VMX_EVENTS, ...PV_EVENTS, ...RUN_EVENTS] as unknown as EventSpec[];

const BY_CODE: readonly EventSpec[] = (() => {
  const out: EventSpec[] = [];
  for (const s of EVENT_SPECS) {
    if (out[s.code] !== undefined) throw new Error(`event specs: code ${s.code} used twice`);
    out[s.code] = s;
  }
  return out;
})();

const PLACEMENTS: readonly Placement[] = BY_CODE.map((s) => placement(s.fields));

export const EVENT_TYPES: readonly EventType[] = EVENT_SPECS.map((s) => s.type as EventType);
export const TypeCode: Readonly<Record<EventType, number>> = Object.fromEntries(EVENT_SPECS.map((s) => [s.type, s.code])) as Record<EventType, number>;

export function specOf(code: number): EventSpec {
  const spec = BY_CODE[code];
  if (spec === undefined) throw new RangeError(`unknown event type code ${code}`);
  return spec;
}

export function specByType(type: string): EventSpec | undefined {
  return EVENT_SPECS.find((s) => s.type === type);
}

export function specByTypeStrict(type: string): EventSpec {
  const spec = specByType(type);
  if (spec === undefined) throw new RangeError(`unknown event type ${type}`);
  return spec;
}

/** Each spec's fields with their places, by type code. */
const LAYOUTS: readonly (readonly [name: string, field: FieldSpec, at: Placement[string]][])[] = BY_CODE.map((s, code) =>
  Object.entries(s.fields).map(([name, f]) => [name, f, (PLACEMENTS[code] as Placement)[name] as Placement[string]] as const),
);

const READERS: readonly (readonly [name: string, read: FieldReader][])[] = LAYOUTS.map((fields) => fields.map(([name, f, at]) => [name, fieldReader(f, at)] as const));

/** A payload of each type with its fields in place, copied per event: filling present fields is cheap, adding them one by one is not. */
const TEMPLATES: readonly Record<string, unknown>[] = LAYOUTS.map((fields) => Object.fromEntries(fields.map(([name]) => [name, 0])));

/** The payload of event i as its spec names it. */
export function payloadAt(batch: EventBatch, i: number): Record<string, unknown> {
  const code = batch.type[i] as number;
  const out = { ...TEMPLATES[code] };
  for (const [name, read] of READERS[code] ?? []) out[name] = read(batch, i);
  return out;
}

/** What the guest sees of each type, read from the columns: its kind's index, pc and detail. */
interface SightColumns {
  readonly kind: number;
  readonly pc: ColumnReader | undefined;
  readonly detail: readonly ColumnReader[];
}

const SIGHTS: readonly (SightColumns | undefined)[] = BY_CODE.map((s, code) => {
  if (s.guest === undefined) return undefined;
  const at = PLACEMENTS[code] as Placement;
  const column = (name: string): ColumnReader => columnReader((at[name] as Placement[string]).column as Column | 'variant');
  return { kind: GUEST_SIGHT_KINDS.indexOf(s.guest.kind), pc: s.guest.pc === undefined ? undefined : column(s.guest.pc), detail: s.guest.detail.map(column) };
});

/**
 * What the guest sees of event i, as words written into `out` from `at`: the kind's index
 * (GUEST_SIGHT_KINDS), the pc, the detail's length and the detail. Returns the index after
 * them, or -1 for an event the guest does not see (the hypervisor's own).
 */
export function guestSightAt(batch: EventBatch, i: number, out: Uint32Array, at: number): number {
  const sight = SIGHTS[batch.type[i] as number];
  if (sight === undefined) return -1;
  out[at] = sight.kind;
  out[at + 1] = sight.pc === undefined ? 0 : sight.pc(batch, i);
  out[at + 2] = sight.detail.length;
  for (let k = 0; k < sight.detail.length; k++) out[at + 3 + k] = (sight.detail[k] as ColumnReader)(batch, i);
  return at + 3 + sight.detail.length;
}

/** The typed view of event i. */
export function eventAt(batch: EventBatch, i: number): Event {
  const spec = specOf(batch.type[i] as number);
  const effects: Effect[] = [];
  for (let e = batch.effectStart[i] as number; e < (batch.effectStart[i + 1] as number); e++) {
    const code = batch.effects[3 * e] as number;
    effects.push({ effect: effectSpec(code).name, code, a: batch.effects[3 * e + 1] as number, b: batch.effects[3 * e + 2] as number });
  }
  return {
    seq: batch.start + i,
    vm: (batch.ctx[i] as number) >>> 4,
    vcpu: (batch.ctx[i] as number) & 0xf,
    cost: batch.cost[i] as number,
    effects,
    type: spec.type,
    ...payloadAt(batch, i),
  } as unknown as Event;
}

/** Opens an event of `spec` with its fields by name; add effects, then close it with its price. */
export function openEvent<F extends Fields>(batch: EventBatch, spec: EventSpec<string, F>, ctx: number, payload: { readonly [K in keyof F]: unknown }): number {
  const i = batch.open(spec.code, ctx, 0, 0, 0, 0, 0, 0);
  for (const [name, f, at] of LAYOUTS[spec.code] ?? []) writeField(batch, i, f, at, payload[name]);
  return i;
}

/** The cost keys an event is charged, with multiplicity. */
export function chargesOf(spec: EventSpec, payload: Record<string, unknown>, into: (key: number, times: number) => void): void {
  spec.charge(payload as never, (key: CostKey, times = 1) => into(COST_KEY_INDEX[key], times));
}

/** The price of event i under a CPU profile: its charges, each at the profile's cycles. */
export function priceAt(batch: EventBatch, i: number, cpu: CpuProfile): number {
  let cycles = 0;
  chargesOf(specOf(batch.type[i] as number), payloadAt(batch, i), (k, n) => (cycles += n * (cpu.vector[k] as number)));
  return cycles;
}

/** The column layout of a spec, for the CPU core's hand-written emission of `insn` (checked by a test). */
export function placementOf(spec: EventSpec): Placement {
  return PLACEMENTS[spec.code] as Placement;
}

const RETIRE_CHARGES = new Map<number, readonly number[]>();
const retiringColumn = (code: number, field: string): Column | undefined =>
  BY_CODE[code]?.accounting === 'retire' ? ((PLACEMENTS[code] as Placement)[field]?.column as Column | undefined) : undefined;
const WORD_COLUMN = BY_CODE.map((_, code) => retiringColumn(code, 'word'));
const WALKS_COLUMN = BY_CODE.map((_, code) => retiringColumn(code, 'walks'));

/**
 * The charges of event i as (key index, times) pairs. A retiring event's depend only on its
 * type, variant, opcode and page-walk references (its spec charges by instruction class), so
 * they are computed once per such tuple: the hot path of folds and tallies.
 */
export function chargesAt(batch: EventBatch, i: number): readonly number[] {
  const code = batch.type[i] as number;
  const word = WORD_COLUMN[code];
  if (word === undefined) {
    const list: number[] = [];
    chargesOf(specOf(code), payloadAt(batch, i), (k, n) => list.push(k, n));
    return list;
  }
  const walks = WALKS_COLUMN[code];
  const key = (walks === undefined ? 0 : (batch[walks][i] as number) * 0x1000000) + ((code << 16) | ((batch.variant[i] as number) << 8) | ((batch[word][i] as number) & 0xff));
  let charges = RETIRE_CHARGES.get(key);
  if (charges === undefined) {
    const list: number[] = [];
    chargesOf(specOf(code), payloadAt(batch, i), (k, n) => list.push(k, n));
    RETIRE_CHARGES.set(key, (charges = list));
  }
  return charges;
}

/** The opcode of a retiring event (an instruction's), or -1 for any other event. */
export function opcodeAt(batch: EventBatch, i: number): number {
  const word = WORD_COLUMN[batch.type[i] as number];
  return word === undefined ? -1 : (batch[word][i] as number) & 0xff;
}
