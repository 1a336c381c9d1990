import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { Packr } from 'msgpackr';
import { EventBatch } from '../domain/events/batch.js';
import type { PageById, PageId } from '../domain/state/fields.js';
import { machineFields, machineKind, vmFields, vmKind, type MachineState, type VmState } from '../domain/state/schema.js';
import { effectsFromPlanes, effectsToPlanes, fromPlanes, toPlanes } from './columns.js';

const packr = new Packr({ useRecords: false, moreTypes: true });

/** Bodies shorter than this are stored as they are: deflate's set-up costs more than it saves. */
const DEFLATE_FROM = 1024;

/**
 * Deflate's window and hash table sized to the input: a window larger than the input finds
 * nothing more, and zlib's set-up of its full-size state (some 270 KB, touched afresh in
 * each call) cost a 5 KB checkpoint 0.5 ms between two slices of the core, against 0.25 ms
 * sized. Any inflater reads the result (its window of 2^15 covers every smaller one).
 */
function deflateOptions(length: number): { level: number; windowBits: number; memLevel: number } {
  const windowBits = Math.min(15, Math.max(9, Math.ceil(Math.log2(length))));
  return { level: 1, windowBits, memLevel: windowBits - 7 };
}

/** A chunk body: msgpack, deflated when that pays; `deflated` says which. */
export function pack(value: unknown): { body: Uint8Array; deflated: boolean } {
  const bytes = packr.pack(value);
  return bytes.length < DEFLATE_FROM ? { body: bytes, deflated: false } : { body: deflateRawSync(bytes, deflateOptions(bytes.length)), deflated: true };
}

export function unpack<T>(bytes: Uint8Array, deflated: boolean): T {
  return packr.unpack(deflated ? inflateRawSync(bytes) : bytes) as T;
}

const bytesOf = (a: ArrayBufferView, length: number, width: number): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, length * width).slice();

const WORD_COLUMNS = ['a', 'b', 'c', 'd', 'e', 'cost'] as const;
/** Columns stored as differences from the previous event (a pc, a next pc). */
const DELTAS: Readonly<Record<(typeof WORD_COLUMNS)[number], boolean>> = { a: true, b: false, c: false, d: true, e: false, cost: false };

/** An event batch as byte columns (columns.ts): what an events chunk holds. */
export interface PackedBatch {
  start: number;
  length: number;
  type: Uint8Array;
  ctx: Uint8Array;
  variant: Uint8Array;
  words: Uint8Array[];
  effectStart: Uint8Array;
  effects: Uint8Array;
  extras: [number, unknown][];
}

export function packBatch(batch: EventBatch): PackedBatch {
  const n = batch.length;
  return {
    start: batch.start,
    length: n,
    type: bytesOf(batch.type, n, 1),
    ctx: bytesOf(batch.ctx, n, 1),
    variant: bytesOf(batch.variant, n, 1),
    words: WORD_COLUMNS.map((c) => toPlanes(batch[c].subarray(0, n), DELTAS[c])),
    effectStart: toPlanes(batch.effectStart.subarray(0, n + 1), true),
    effects: effectsToPlanes(batch.effects, batch.effectCount),
    extras: [...batch.extras],
  };
}

/** Decodes a batch, into `reuse` when it is big enough. */
export function unpackBatch(p: PackedBatch, reuse?: EventBatch): EventBatch {
  const batch = reuse !== undefined && reuse.capacity >= p.length ? reuse : new EventBatch(p.start, Math.max(p.length, 1));
  batch.clear(p.start);
  batch.length = p.length;
  batch.type.set(p.type);
  batch.ctx.set(p.ctx);
  batch.variant.set(p.variant);
  WORD_COLUMNS.forEach((c, i) => fromPlanes(p.words[i] as Uint8Array, DELTAS[c], batch[c]));
  fromPlanes(p.effectStart, true, batch.effectStart);
  batch.effects = effectsFromPlanes(p.effects, batch.effects);
  batch.effectCount = p.effects.length / 12;
  for (const [i, extra] of p.extras) batch.extras.set(i, extra);
  return batch;
}

/** A machine state field by field (schema.ts), its pages as ids into the trace's page chunks. */
export interface PackedState {
  machine: Record<string, unknown>;
  vms: Record<string, unknown>[];
}

export function packState(s: MachineState, pageId: PageId): PackedState {
  return {
    machine: Object.fromEntries(machineFields().map((f) => [f, machineKind(f).pack(s[f], pageId)])),
    vms: s.vms.map((vm) => Object.fromEntries(vmFields().map((f) => [f, vmKind(f).pack(vm[f], pageId)]))),
  };
}

export function unpackState(p: PackedState, page: PageById): MachineState {
  const machine = Object.fromEntries(machineFields().map((f) => [f, machineKind(f).unpack(p.machine[f], page)])) as unknown as Omit<MachineState, 'vms'>;
  const vms = p.vms.map((vm) => Object.fromEntries(vmFields().map((f) => [f, vmKind(f).unpack(vm[f], page)])) as unknown as VmState);
  return { ...machine, vms };
}
