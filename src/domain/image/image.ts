import { Hasher } from '../state/hash.js';

/** An assembled guest: loadable segments, entry point, symbols, metadata and a source map. */
export interface Image {
  readonly segments: readonly { readonly addr: number; readonly bytes: Uint8Array }[];
  readonly entry: number;
  readonly symbols: Readonly<Record<string, number>>;
  readonly meta: Readonly<Record<string, string | number>>;
  readonly lines: Readonly<Record<number, { readonly file: string; readonly line: number }>>;
}

/** Image files: "VXIMG", a version byte, a u32 header length, a JSON header, then the segments' bytes. */
export const IMAGE_MAGIC = 'VXIMG';
export const IMAGE_VERSION = 1;

export class ImageFormatError extends Error {}

interface Header {
  entry: number;
  symbols: Record<string, number>;
  meta: Record<string, string | number>;
  lines: Record<number, { file: string; line: number }>;
  segments: { addr: number; length: number }[];
}

export function encodeImage(image: Image): Uint8Array {
  const header: Header = {
    entry: image.entry,
    symbols: { ...image.symbols },
    meta: { ...image.meta },
    lines: { ...image.lines },
    segments: image.segments.map((s) => ({ addr: s.addr, length: s.bytes.length })),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const body = image.segments.reduce((n, s) => n + s.bytes.length, 0);
  const out = new Uint8Array(IMAGE_MAGIC.length + 5 + json.length + body);
  for (let i = 0; i < IMAGE_MAGIC.length; i++) out[i] = IMAGE_MAGIC.charCodeAt(i);
  out[5] = IMAGE_VERSION;
  new DataView(out.buffer).setUint32(6, json.length, true);
  out.set(json, 10);
  let at = 10 + json.length;
  for (const s of image.segments) {
    out.set(s.bytes, at);
    at += s.bytes.length;
  }
  return out;
}

export function isImageFile(bytes: Uint8Array): boolean {
  return bytes.length >= 5 && String.fromCharCode(...bytes.subarray(0, 5)) === IMAGE_MAGIC;
}

export function decodeImage(bytes: Uint8Array): Image {
  if (!isImageFile(bytes)) throw new ImageFormatError('not a VX32 image (bad magic)');
  if (bytes[5] !== IMAGE_VERSION) throw new ImageFormatError(`image format version ${bytes[5]} is not supported (this vlab reads version ${IMAGE_VERSION})`);
  if (bytes.length < 10) throw new ImageFormatError('image truncated in its header');
  const length = new DataView(bytes.buffer, bytes.byteOffset).getUint32(6, true);
  if (10 + length > bytes.length) throw new ImageFormatError('image truncated in its header');
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(bytes.subarray(10, 10 + length)));
  } catch {
    throw new ImageFormatError('image header is not valid JSON');
  }
  const header = checkHeader(parsed);
  let at = 10 + length;
  const segments = header.segments.map((s) => {
    if (at + s.length > bytes.length) throw new ImageFormatError(`image truncated in the segment at 0x${s.addr.toString(16)}`);
    const seg = { addr: s.addr, bytes: bytes.slice(at, at + s.length) };
    at += s.length;
    return seg;
  });
  return { entry: header.entry, symbols: header.symbols, meta: header.meta, lines: header.lines, segments };
}

const isU32 = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 0xffffffff;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The header's shape, field by field: a malformed one is an ImageFormatError naming the field, never a TypeError. */
function checkHeader(h: unknown): Header {
  if (!isRecord(h)) throw new ImageFormatError('image header is not an object');
  if (!isU32(h.entry)) throw new ImageFormatError('image header: entry is not a 32-bit address');
  if (!Array.isArray(h.segments)) throw new ImageFormatError('image header: segments is not a list');
  h.segments.forEach((s: unknown, i) => {
    if (!isRecord(s) || !isU32(s.addr) || !isU32(s.length)) throw new ImageFormatError(`image header: segment ${i} needs a 32-bit addr and length`);
  });
  for (const key of ['symbols', 'meta', 'lines'] as const) {
    if (h[key] !== undefined && !isRecord(h[key])) throw new ImageFormatError(`image header: ${key} is not an object`);
  }
  const symbols = Object.entries((h.symbols ?? {}) as Record<string, unknown>);
  if (symbols.some(([, v]) => !isU32(v))) throw new ImageFormatError('image header: a symbol is not a 32-bit value');
  return { entry: h.entry, segments: h.segments as Header['segments'], symbols: Object.fromEntries(symbols) as Record<string, number>, meta: (h.meta ?? {}) as Header['meta'], lines: (h.lines ?? {}) as Header['lines'] };
}

/** Why an image cannot be loaded into `memoryBytes` of RAM (a segment beyond it), or undefined when it fits. */
export function imageBeyondMemory(image: Image, memoryBytes: number): string | undefined {
  for (const s of image.segments) {
    if (s.addr + s.bytes.length > memoryBytes) {
      return `the segment at 0x${s.addr.toString(16)} (${s.bytes.length} bytes) ends beyond the guest's ${memoryBytes} bytes of RAM`;
    }
  }
  if (image.entry >= memoryBytes) return `the entry point 0x${image.entry.toString(16)} is beyond the guest's ${memoryBytes} bytes of RAM`;
  return undefined;
}

/** Deterministic hash of what the machine loads: entry and segments. */
export function imageHash(image: Image): string {
  const h = new Hasher().word(image.entry).word(image.segments.length);
  for (const s of image.segments) {
    h.word(s.addr).word(s.bytes.length);
    for (const b of s.bytes) h.word(b);
  }
  return h.digest();
}

/** Is the image a paravirtualized kernel (`.guest paravirt, 1`): one that calls a hypervisor instead of running privileged instructions? */
export const isParavirtualized = (image: Image): boolean => image.meta.paravirt === 1;
