import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { Packr } from 'msgpackr';
import { EventBatch } from '../domain/events/batch.js';
import type { PageMap } from '../domain/state/memory.js';
import type { MachineState } from '../domain/state/machine.js';
import { effectsFromPlanes, effectsToPlanes, fromPlanes, toPlanes } from './columns.js';

const packr = new Packr({ useRecords: false, moreTypes: true });

export function pack(value: unknown, compress = false): Uint8Array {
  const bytes = packr.pack(value);
  return compress ? deflateRawSync(bytes, { level: 1 }) : bytes;
}

export function unpack<T>(bytes: Uint8Array, compressed = false): T {
  return packr.unpack(compressed ? inflateRawSync(bytes) : bytes) as T;
}

const bytesOf = (a: ArrayBufferView, length: number, width: number): Uint8Array =>
  new Uint8Array(a.buffer, a.byteOffset, length * width).slice();

/** An event batch as columns in byte planes (columns.ts); pc-like columns as differences. */
export interface PackedBatch {
  start: number;
  length: number;
  type: Uint8Array;
  vcpu: Uint8Array;
  a: Uint8Array;
  b: Uint8Array;
  c: Uint8Array;
  d: Uint8Array;
  cost: Uint8Array;
  effectStart: Uint8Array;
  effects: Uint8Array;
  extras: [number, unknown][];
}

const DELTA_COLUMNS = { a: true, b: false, c: false, d: true, cost: false } as const;

export function packBatch(batch: EventBatch): PackedBatch {
  const n = batch.length;
  const column = (name: keyof typeof DELTA_COLUMNS): Uint8Array => toPlanes(batch[name].subarray(0, n), DELTA_COLUMNS[name]);
  return {
    start: batch.start,
    length: n,
    type: bytesOf(batch.type, n, 1),
    vcpu: bytesOf(batch.vcpu, n, 1),
    a: column('a'),
    b: column('b'),
    c: column('c'),
    d: column('d'),
    cost: column('cost'),
    effectStart: toPlanes(batch.effectStart.subarray(0, n + 1), true),
    effects: effectsToPlanes(batch.effects, batch.effectCount),
    extras: [...batch.extras],
  };
}


/** Decodes a batch, into `reuse` when it is big enough (replay keeps no batch). */
export function unpackBatch(p: PackedBatch, reuse?: EventBatch): EventBatch {
  const batch = reuse !== undefined && reuse.capacity >= p.length ? reuse : new EventBatch(p.start, Math.max(p.length, 1));
  batch.clear(p.start);
  batch.length = p.length;
  batch.type.set(p.type);
  batch.vcpu.set(p.vcpu);
  for (const name of ['a', 'b', 'c', 'd', 'cost'] as const) fromPlanes(p[name], DELTA_COLUMNS[name], batch[name]);
  fromPlanes(p.effectStart, true, batch.effectStart);
  batch.effects = effectsFromPlanes(p.effects, batch.effects);
  batch.effectCount = p.effects.length / 12;
  for (const [i, extra] of p.extras) batch.extras.set(i, extra);
  return batch;
}

const words = (bytes: Uint8Array): Uint32Array => new Uint32Array(bytes.slice().buffer);

/** A machine state whose pages are ids into the trace's page chunks. */
export interface PackedState {
  cpu: Uint8Array;
  vcpu: Uint8Array;
  dev: Uint8Array;
  diskBuffer: Uint8Array;
  memory: { size: number; pages: [number, number][] };
  disk: { size: number; pages: [number, number][] };
  shadow: [number, number][];
  console: string;
  input: string;
  seq: number;
  retired: number;
  ticks: number;
  cycles: number;
  outcome: MachineState['outcome'] | null;
}

export function packState(s: MachineState, pageId: (page: Uint8Array) => number): PackedState {
  const pages = (map: PageMap): { size: number; pages: [number, number][] } => ({
    size: map.size,
    pages: map.pages.flatMap((page, i): [number, number][] => (page === undefined ? [] : [[i, pageId(page)]])),
  });
  const arr = (a: Readonly<Uint32Array>): Uint8Array => bytesOf(a, a.length, 4);
  return {
    cpu: arr(s.cpu), vcpu: arr(s.vcpu), dev: arr(s.dev), diskBuffer: arr(s.diskBuffer),
    memory: pages(s.memory), disk: pages(s.disk), shadow: [...s.shadow],
    console: s.console, input: s.input, seq: s.seq, retired: s.retired, ticks: s.ticks, cycles: s.cycles, outcome: s.outcome ?? null,
  };
}

export function unpackState(p: PackedState, page: (id: number) => Uint8Array): MachineState {
  const map = (m: PackedState['memory']): PageMap => {
    const pages = new Array<Uint8Array | undefined>(m.size >>> 12).fill(undefined);
    for (const [i, id] of m.pages) pages[i] = page(id);
    return { size: m.size, pages };
  };
  return {
    cpu: words(p.cpu), vcpu: words(p.vcpu), dev: words(p.dev), diskBuffer: words(p.diskBuffer),
    memory: map(p.memory), disk: map(p.disk), shadow: new Map(p.shadow),
    console: p.console, input: p.input, seq: p.seq, retired: p.retired, ticks: p.ticks, cycles: p.cycles, outcome: p.outcome ?? undefined,
  };
}
