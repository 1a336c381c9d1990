import type { RunConfig, VmConfig } from '../domain/config.js';
import type { Image } from '../domain/image/image.js';
import { decodeRuns, encodeRuns } from './runs.js';

/**
 * A run config as a trace's header holds it: disks and image segments as their runs of
 * non-zero words (runs.ts), an image's line table as columns (a file list, then
 * `pc, file index, line` as u32 triples, little-endian) instead of one object per line.
 */
export interface PackedBytes {
  readonly length: number;
  readonly runs: Uint8Array;
}

export interface PackedImage {
  readonly segments: { readonly addr: number; readonly bytes: PackedBytes }[];
  readonly entry: number;
  readonly symbols: Image['symbols'];
  readonly meta: Image['meta'];
  readonly files: string[];
  readonly lines: Uint8Array;
}

type Packed<C> = Omit<C, 'image' | 'disk'> & { readonly image: PackedImage; readonly disk: PackedBytes };
export type PackedConfig = Omit<Packed<RunConfig>, 'extraVms'> & { readonly extraVms?: Packed<VmConfig>[] };

const packBytes = (bytes: Uint8Array): PackedBytes => ({ length: bytes.length, runs: encodeRuns(bytes) });

function unpackBytes(p: PackedBytes): Uint8Array {
  const bytes = decodeRuns(p.runs, p.length);
  if (bytes === undefined) throw new Error('malformed runs');
  return bytes;
}

export function packImage(image: Image): PackedImage {
  const files: string[] = [];
  const fileIndex = new Map<string, number>();
  const entries = Object.entries(image.lines);
  const lines = new Uint8Array(entries.length * 12);
  const view = new DataView(lines.buffer);
  entries.forEach(([pc, { file, line }], k) => {
    let f = fileIndex.get(file);
    if (f === undefined) {
      f = files.push(file) - 1;
      fileIndex.set(file, f);
    }
    view.setUint32(k * 12, Number(pc), true);
    view.setUint32(k * 12 + 4, f, true);
    view.setUint32(k * 12 + 8, line, true);
  });
  const segments = image.segments.map((s) => ({ addr: s.addr, bytes: packBytes(s.bytes) }));
  return { segments, entry: image.entry, symbols: image.symbols, meta: image.meta, files, lines };
}

export function unpackImage(p: PackedImage): Image {
  if (p.lines.length % 12 !== 0) throw new Error('malformed line table');
  const view = new DataView(p.lines.buffer, p.lines.byteOffset, p.lines.byteLength);
  const lines: Record<number, { file: string; line: number }> = {};
  for (let at = 0; at < p.lines.length; at += 12) {
    const file = p.files[view.getUint32(at + 4, true)];
    if (file === undefined) throw new Error('malformed line table');
    lines[view.getUint32(at, true)] = { file, line: view.getUint32(at + 8, true) };
  }
  const segments = p.segments.map((s) => ({ addr: s.addr, bytes: unpackBytes(s.bytes) }));
  return { segments, entry: p.entry, symbols: p.symbols, meta: p.meta, lines };
}

function packVm<C extends VmConfig>(c: C): Packed<C> {
  return { ...c, image: packImage(c.image), disk: packBytes(c.disk) };
}

function unpackVm<C extends VmConfig>(p: Packed<C>): C {
  return { ...p, image: unpackImage(p.image), disk: unpackBytes(p.disk) } as unknown as C;
}

export function packConfig(config: RunConfig): PackedConfig {
  const extraVms = config.extraVms;
  return { ...packVm(config), ...(extraVms === undefined ? {} : { extraVms: extraVms.map(packVm) }) } as PackedConfig;
}

/** Throws on a malformed config (the reader reports the header chunk as damaged). */
export function unpackConfig(p: PackedConfig): RunConfig {
  const extraVms = p.extraVms;
  return { ...unpackVm(p as unknown as Packed<RunConfig>), ...(extraVms === undefined ? {} : { extraVms: extraVms.map(unpackVm) }) } as RunConfig;
}
