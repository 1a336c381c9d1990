import { Hasher, hashPages } from './hash.js';
import { LiveMemory, emptyPageMap, readPage32, type PageMap } from './pages.js';
import { EMPTY_TABLE, LiveTable, type FrozenTable } from './live-table.js';
import { EMPTY_TEXT, LiveText, type FrozenText } from './live-text.js';

/**
 * Who can observe a field: the guest (its view must match across equivalent modes), only
 * the hypervisor, or the guest through its mode's projection of the CPU (guest-view.ts).
 */
export type Visibility = 'guest' | 'vmm' | 'projected';

/** What a field needs to build its initial value. */
export interface FieldInit {
  readonly memoryBytes: number;
  readonly disk: Uint8Array;
  readonly segments: readonly { readonly addr: number; readonly bytes: Uint8Array }[];
}

/** Where packed pages go and come from: a trace stores each page once and refers to it by id. */
export type PageId = (page: Uint8Array) => number;
export type PageById = (id: number) => Uint8Array;

/** One kind of effect on a field: `(a, b)` words applied to the live value. */
export interface EffectOp<L> {
  readonly op: string;
  apply(live: L, a: number, b: number): void;
  text(field: string, a: number, b: number): string;
}

/**
 * A kind of state field. Everything that handles machine state — hashing, checkpoint
 * packing, state diff, `inspect`, the guest view, evolve — goes through these, so a new
 * field is declared once, in schema.ts.
 */
export interface FieldKind<F, L> {
  readonly visibility: Visibility;
  initial(init: FieldInit): F;
  thaw(frozen: F): L;
  freeze(live: L): F;
  hash(h: Hasher, value: F): void;
  pack(value: F, pageId: PageId): unknown;
  unpack(packed: unknown, page: PageById): F;
  diff(field: string, a: F, b: F, limit: number): string[];
  show(field: string, value: F): string[];
  json(value: F): unknown;
  readonly ops: readonly EffectOp<L>[];
  /** Gives pooled buffers back when a run is over. */
  release?(live: L): void;
}

export type FrozenOf<K> = K extends FieldKind<infer F, unknown> ? F : never;
export type LiveOf<K> = K extends FieldKind<unknown, infer L> ? L : never;

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;
const bytesOf = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
const wordsOf = (bytes: Uint8Array): Uint32Array => new Uint32Array(bytes.slice().buffer);

/** A register file with named registers (CPU, virtual CPU, device registers, VMCS fields). */
export function registers(names: readonly string[], visibility: Visibility): FieldKind<Uint32Array, Int32Array> {
  return {
    visibility,
    initial: () => new Uint32Array(names.length),
    thaw: (f) => new Int32Array(f.buffer.slice(f.byteOffset, f.byteOffset + f.byteLength)),
    freeze: (l) => new Uint32Array(l.buffer.slice(0)),
    hash: (h, v) => void h.words(v),
    pack: (v) => bytesOf(v),
    unpack: (p) => wordsOf(p as Uint8Array),
    diff: (field, a, b) => names.flatMap((n, i) => (a[i] === b[i] ? [] : [`${field}.${n}: ${hex(a[i] ?? 0)} vs ${hex(b[i] ?? 0)}`])),
    show: (field, v) => {
      const out: string[] = [];
      for (let i = 0; i < names.length; i += 6) {
        out.push(`${field.padEnd(6)}${names.slice(i, i + 6).map((n, k) => `${n.padStart(11)} ${hex(v[i + k] ?? 0).padEnd(10)}`).join('')}`);
      }
      return out;
    },
    json: (v) => Object.fromEntries(names.map((n, i) => [n, v[i]])),
    ops: [{ op: 'set', apply: (l, a, b) => void (l[a] = b), text: (field, a, b) => `${field === 'cpu' ? '' : `${field}.`}${names[a] ?? a}=${hex(b)}` }],
  };
}

/** Anonymous words (a device buffer). */
export function words(count: number, visibility: Visibility): FieldKind<Uint32Array, Int32Array> {
  const named = registers(Array.from({ length: count }, (_, i) => String(i)), visibility);
  return {
    ...named,
    show: (field, v) => [`${field}: ${v.filter((w) => w !== 0).length} of ${count} words non-zero`],
    json: (v) => Array.from(v),
    ops: [
      { op: 'set', apply: (l, a, b) => void (l[a] = b), text: (field, a, b) => `${field}[${a}]=${hex(b)}` },
      { op: 'clear', apply: (l) => void l.fill(0), text: (field) => `${field}=cleared` },
    ],
  };
}

/** The written pages of a map as (index, page id) pairs: one pass, no array for each unwritten page (a 4 MiB memory has 1,024). */
function writtenPages(map: PageMap, pageId: PageId): [number, number][] {
  const written: [number, number][] = [];
  map.pages.forEach((p, i) => {
    if (p !== undefined) written.push([i, pageId(p)]);
  });
  return written;
}

/** Byte-addressed pages: guest-physical memory, a disk. */
export function pages(sizeOf: (init: FieldInit) => number, load: (init: FieldInit, live: LiveMemory) => void, visibility: Visibility): FieldKind<PageMap, LiveMemory> {
  return {
    visibility,
    initial: (init) => {
      const live = new LiveMemory(emptyPageMap(sizeOf(init)));
      load(init, live);
      return live.seal();
    },
    thaw: (f) => new LiveMemory(f),
    freeze: (l) => l.seal(),
    hash: (h, v) => hashPages(h, v),
    pack: (v, pageId) => ({ size: v.size, pages: writtenPages(v, pageId) }),
    unpack: (p, page) => {
      const packed = p as { size: number; pages: [number, number][] };
      const map = emptyPageMap(packed.size);
      const out = map.pages.slice();
      for (const [i, id] of packed.pages) out[i] = page(id);
      return { size: packed.size, pages: out };
    },
    diff: (field, a, b, limit) => {
      const out: string[] = [];
      for (let p = 0; p < a.pages.length && out.length < limit; p++) {
        if (a.pages[p] === b.pages[p]) continue;
        for (let addr = p << 12; addr < (p + 1) << 12 && out.length < limit; addr += 4) {
          const [x, y] = [readPage32(a, addr), readPage32(b, addr)];
          if (x !== y) out.push(`${field} ${hex(addr)}: ${hex(x)} vs ${hex(y)}`);
        }
      }
      return out;
    },
    show: (field, v) => [`${field}: ${v.size} bytes, ${v.pages.filter((p) => p !== undefined).length} pages written`],
    json: (v) => ({ size: v.size, pagesWritten: v.pages.flatMap((p, i) => (p === undefined ? [] : [i])) }),
    release: (l) => l.release(),
    ops: [
      { op: 'write8', apply: (l, a, b) => l.write8(a, b), text: (field, a, b) => `${field}8[${hex(a)}]=${hex(b)}` },
      { op: 'write32', apply: (l, a, b) => l.write32(a, b), text: (field, a, b) => `${field}32[${hex(a)}]=${hex(b)}` },
    ],
  };
}

/** A sparse table of non-zero words by key (a shadow page table, an EPT, traced pages). */
export function table(domain: number, visibility: Visibility): FieldKind<FrozenTable, LiveTable> {
  return {
    visibility,
    initial: () => EMPTY_TABLE,
    thaw: (f) => new LiveTable(domain, f),
    freeze: (l) => l.freeze(),
    hash: (h, v) => void h.words(v.keys).words(v.values),
    pack: (v) => ({ keys: bytesOf(v.keys), values: bytesOf(v.values) }),
    unpack: (p) => {
      const packed = p as { keys: Uint8Array; values: Uint8Array };
      return { keys: wordsOf(packed.keys), values: wordsOf(packed.values) };
    },
    diff: (field, a, b, limit) => {
      const [ma, mb] = [new Map(Array.from(a.keys, (k, i) => [k, a.values[i]])), new Map(Array.from(b.keys, (k, i) => [k, b.values[i]]))];
      const keys = [...new Set([...ma.keys(), ...mb.keys()])].sort((x, y) => x - y);
      return keys.filter((k) => ma.get(k) !== mb.get(k)).slice(0, limit).map((k) => `${field}[${hex(k)}]: ${hex(ma.get(k) ?? 0)} vs ${hex(mb.get(k) ?? 0)}`);
    },
    show: (field, v) => [`${field}: ${v.keys.length} entries`],
    json: (v) => Object.fromEntries(Array.from(v.keys, (k, i) => [hex(k), v.values[i]])),
    release: (l) => l.release(),
    ops: [
      { op: 'set', apply: (l, a, b) => l.set(a, b), text: (field, a, b) => `${field}[${hex(a)}]=${hex(b)}` },
      { op: 'clear', apply: (l, a) => l.clear(a), text: (field, a) => `${field}[${hex(a)}]=-` },
      { op: 'flush', apply: (l) => l.flush(), text: (field) => `${field}=flushed` },
    ],
  };
}

/** Text the guest writes, kept as a bounded tail with a hash of all of it (live-text.ts). */
export function text(visibility: Visibility): FieldKind<FrozenText, LiveText> {
  return {
    visibility,
    initial: () => EMPTY_TEXT,
    thaw: (f) => new LiveText(f),
    freeze: (l) => l.freeze(),
    hash: (h, v) => void h.number(v.length).word(v.h1).word(v.h2),
    pack: (v) => v,
    unpack: (p) => p as FrozenText,
    diff: (field, a, b) => {
      if (a.length === b.length && a.h1 === b.h1 && a.h2 === b.h2) return [];
      let i = 0;
      while (i < a.tail.length && a.tail[i] === b.tail[i]) i++;
      return [`${field} (${a.length} vs ${b.length} bytes) from tail byte ${i}: ${JSON.stringify(a.tail.slice(i, i + 40))} vs ${JSON.stringify(b.tail.slice(i, i + 40))}`];
    },
    show: (field, v) => [`${field} (${v.length} bytes): ${JSON.stringify(v.tail.slice(-200))}`],
    json: (v) => ({ length: v.length, tail: v.tail }),
    ops: [{ op: 'append', apply: (l, _a, b) => l.append(b), text: (field, _a, b) => `${field}+=${JSON.stringify(String.fromCharCode(b & 0xff))}` }],
  };
}

/** A count kept by event accounting (no effect changes it). */
export function counter(visibility: Visibility): FieldKind<number, number> {
  return {
    visibility,
    initial: () => 0,
    thaw: (f) => f,
    freeze: (l) => l,
    hash: (h, v) => void h.number(v),
    pack: (v) => v,
    unpack: (p) => p as number,
    diff: (field, a, b) => (a === b ? [] : [`${field}: ${a} vs ${b}`]),
    show: (field, v) => [`${field} ${v}`],
    json: (v) => v,
    ops: [],
  };
}

/** Counts per named slot, as doubles (the cost ledger: events charged per cost key). */
export function counts(names: readonly string[], visibility: Visibility): FieldKind<Float64Array, Float64Array> {
  return {
    visibility,
    initial: () => new Float64Array(names.length),
    thaw: (f) => f.slice(),
    freeze: (l) => l.slice(),
    hash: (h, v) => v.forEach((n) => h.number(n)),
    pack: (v) => Array.from(v),
    unpack: (p) => Float64Array.from(p as number[]),
    diff: (field, a, b) => names.flatMap((n, i) => (a[i] === b[i] ? [] : [`${field}.${n}: ${a[i]} vs ${b[i]}`])),
    show: (field, v) => [`${field} ${names.flatMap((n, i) => ((v[i] ?? 0) > 0 ? [`${n}=${v[i]}`] : [])).join(' ')}`],
    json: (v) => Object.fromEntries(names.flatMap((n, i) => ((v[i] ?? 0) > 0 ? [[n, v[i]]] : []))),
    ops: [],
  };
}

/** A small immutable value set by event accounting (how the run ended). */
export function value<T>(visibility: Visibility, initialValue: T, describe: (v: T) => string): FieldKind<T, T> {
  return {
    visibility,
    initial: () => initialValue,
    thaw: (f) => f,
    freeze: (l) => l,
    hash: (h, v) => void h.string(describe(v)),
    pack: (v) => v ?? null,
    unpack: (p) => (p ?? initialValue) as T,
    diff: (field, a, b) => (describe(a) === describe(b) ? [] : [`${field}: ${describe(a)} vs ${describe(b)}`]),
    show: (field, v) => [`${field} ${describe(v)}`],
    json: (v) => v ?? null,
    ops: [],
  };
}

/**
 * A value only runs of several VMs set (scheduler, per-VM ends and shares): it hashes
 * nothing while it has its initial value, so one-VM states (and golden traces) keep
 * the hashes they had before the field existed; a trace without it unpacks the initial value.
 */
export function optional<T>(visibility: Visibility, initialValue: T, describe: (v: T) => string): FieldKind<T, T> {
  const base = value(visibility, initialValue, describe);
  return { ...base, hash: (h, v) => void (describe(v) === describe(initialValue) ? undefined : h.word(0x5eed).string(describe(v))) };
}

export { Hasher, EMPTY_TEXT, LiveText, LiveTable, LiveMemory };
