import type { CostKey } from '../cost/keys.js';
import type { EventBatch } from './batch.js';

/** How an event's field is stored in the columnar batch (batch.ts). */
export type FieldSpec =
  | { readonly kind: 'u32' }
  | { readonly kind: 'i32' }
  | { readonly kind: 'u8' } // a small number, in the variant column when that is free
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'hash64' } // two u32 columns, read as 16 hex digits
  | { readonly kind: 'extra' }; // a non-numeric payload kept beside the columns (a run's config)

export const u32 = { kind: 'u32' } as const;
export const i32 = { kind: 'i32' } as const;
export const u8 = { kind: 'u8' } as const;
export const hash64 = { kind: 'hash64' } as const;
export const oneOf = <const V extends readonly string[]>(values: V): { readonly kind: 'enum'; readonly values: V } => ({ kind: 'enum', values });
export function extra<T>(): { readonly kind: 'extra'; readonly type?: T } {
  return { kind: 'extra' };
}

export type Fields = Readonly<Record<string, FieldSpec>>;
type ValueOf<S> = S extends { kind: 'enum'; values: readonly (infer V)[] } ? V : S extends { kind: 'hash64' } ? string : S extends { kind: 'extra'; type?: infer T } ? T : number;
export type Payload<F extends Fields> = { readonly [K in keyof F]: ValueOf<F[K]> };

export type Family = 'guest' | 'vmm' | 'bt' | 'vmx' | 'pv' | 'run';

/** What the guest can see an event as (domain/guest-view.ts GuestStep adds its registers and the effects it sees). */
export const GUEST_SIGHT_KINDS = ['retire', 'exception', 'interrupt', 'io', 'irq', 'idle'] as const;

/** The fields that hold a number in a column (an enum holds its value's index). */
type NumericField<F extends Fields> = { [K in keyof F]: F[K] extends { kind: 'extra' } | { kind: 'hash64' } ? never : K }[keyof F] & string;

/** Which fields show the guest what: its pc (0 when absent) and the detail, as column values (an enum as its index). */
export interface GuestSightSpec<Field extends string = string> {
  readonly kind: (typeof GUEST_SIGHT_KINDS)[number];
  readonly pc?: Field;
  readonly detail: readonly Field[];
}

export type Charge = (key: CostKey, times?: number) => void;

/** How evolve's accounting treats an event beside its effects. */
export type Accounting = 'none' | 'retire' | 'idle' | 'end' | 'vm-end' | 'switch';

/** One event type, declared once: its fields, rendering, guest view, cost and accounting. */
export interface EventSpec<T extends string = string, F extends Fields = Fields> {
  readonly type: T;
  readonly code: number; // type code in batches and traces: never reused, never renumbered
  readonly family: Family;
  readonly doc: string;
  readonly fields: F;
  readonly accounting: Accounting;
  text(e: Payload<F>): string;
  /** What the guest sees of the event; absent for the hypervisor's own events. */
  readonly guest?: GuestSightSpec<NumericField<F>>;
  charge(e: Payload<F>, add: Charge): void;
}

export function defineEvent<const T extends string, const F extends Fields>(spec: EventSpec<T, F>): EventSpec<T, F> {
  return spec;
}

export type Column = 'a' | 'b' | 'c' | 'd' | 'e';
export const COLUMNS: readonly Column[] = ['a', 'b', 'c', 'd', 'e'];

/** Where each field of a spec lives: the first small field in `variant`, the others in a–e in order. */
export type Placement = Readonly<Record<string, { readonly column: Column | 'variant' | 'extra'; readonly second?: Column }>>;

export function placement(fields: Fields): Placement {
  const out: Record<string, { column: Column | 'variant' | 'extra'; second?: Column }> = {};
  let next = 0;
  let variantFree = true;
  const column = (): Column => {
    const c = COLUMNS[next++];
    if (c === undefined) throw new Error('event spec: more fields than columns');
    return c;
  };
  for (const [name, f] of Object.entries(fields)) {
    if ((f.kind === 'enum' || f.kind === 'u8') && variantFree) {
      out[name] = { column: 'variant' };
      variantFree = false;
    } else if (f.kind === 'extra') out[name] = { column: 'extra' };
    else if (f.kind === 'hash64') out[name] = { column: column(), second: column() };
    else out[name] = { column: column() };
  }
  return out;
}

/** Reads one field of an event: made once per field (registry.ts), so each read is a monomorphic column load. */
export type FieldReader = (batch: EventBatch, i: number) => unknown;

/** Reads the value a field holds in its column for event i (an enum's index). */
export type ColumnReader = (batch: EventBatch, i: number) => number;

/** The reader of one column. */
export function columnReader(column: Column | 'variant'): ColumnReader {
  switch (column) {
    case 'variant': return (batch, i) => batch.variant[i] as number;
    case 'a': return (batch, i) => batch.a[i] as number;
    case 'b': return (batch, i) => batch.b[i] as number;
    case 'c': return (batch, i) => batch.c[i] as number;
    case 'd': return (batch, i) => batch.d[i] as number;
    case 'e': return (batch, i) => batch.e[i] as number;
    default: {
      const unreachable: never = column;
      return unreachable;
    }
  }
}

export function fieldReader(f: FieldSpec, at: Placement[string]): FieldReader {
  if (at.column === 'extra') return (batch, i) => batch.extras.get(i);
  const raw = columnReader(at.column);
  switch (f.kind) {
    case 'u32':
    case 'u8': return raw;
    case 'i32': return (batch, i) => raw(batch, i) | 0;
    case 'enum': return (batch, i) => f.values[raw(batch, i)] ?? f.values[0];
    case 'hash64': {
      const second = columnReader(at.second as Column);
      return (batch, i) => raw(batch, i).toString(16).padStart(8, '0') + second(batch, i).toString(16).padStart(8, '0');
    }
    case 'extra': return () => undefined;
    default: {
      const unreachable: never = f;
      return unreachable;
    }
  }
}

/** Writes one field's value into the open event i. */
export function writeField(batch: EventBatch, i: number, f: FieldSpec, at: Placement[string], value: unknown): void {
  if (at.column === 'extra') {
    batch.extras.set(i, value);
    return;
  }
  let raw: number;
  switch (f.kind) {
    case 'enum': raw = Math.max(0, f.values.indexOf(value as string)); break;
    case 'hash64': {
      const text = value as string;
      batch[at.second as Column][i] = parseInt(text.slice(8, 16), 16);
      raw = parseInt(text.slice(0, 8), 16);
      break;
    }
    default: raw = value as number;
  }
  if (at.column === 'variant') batch.variant[i] = raw;
  else batch[at.column][i] = raw;
}
