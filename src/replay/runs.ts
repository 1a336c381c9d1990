/**
 * Bytes as their runs of non-zero 32-bit words: what a trace stores of a page, an image
 * segment or a disk, which are mostly zeros. An encoding is a sequence of
 * `u32 byte offset | u32 byte length | the bytes` (little-endian); offsets are multiples of
 * 4 and runs are in increasing order. Zero gaps of up to GAP_WORDS words are kept inside a
 * run, since a new run costs 8 bytes.
 */
const GAP_WORDS = 2;

function aligned(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
}

export function encodeRuns(input: Uint8Array): Uint8Array {
  const bytes = aligned(input);
  const bounds = runBounds(bytes);
  let size = 0;
  for (let k = 0; k < bounds.length; k += 2) size += 8 + runBytes(bounds, k, bytes.length);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  for (let k = 0, at = 0; k < bounds.length; k += 2) {
    const from = (bounds[k] as number) * 4;
    const length = runBytes(bounds, k, bytes.length);
    view.setUint32(at, from, true);
    view.setUint32(at + 4, length, true);
    out.set(bytes.subarray(from, from + length), at + 8);
    at += 8 + length;
  }
  return out;
}

/** The runs as [start word, end word) pairs; a partial last word counts as one word. */
function runBounds(bytes: Uint8Array): number[] {
  const whole = bytes.length >>> 2;
  const words = new Int32Array(bytes.buffer, bytes.byteOffset, whole);
  const count = whole + (bytes.length % 4 === 0 ? 0 : 1);
  const bounds: number[] = [];
  let start = -1;
  let end = 0;
  for (let i = 0; i < count; i++) {
    const w = i < whole ? (words[i] as number) : tailWord(bytes, i);
    if (w === 0) continue;
    if (start < 0) start = i;
    else if (i - end > GAP_WORDS) {
      bounds.push(start, end);
      start = i;
    }
    end = i + 1;
  }
  if (start >= 0) bounds.push(start, end);
  return bounds;
}

function runBytes(bounds: readonly number[], k: number, total: number): number {
  return Math.min((bounds[k + 1] as number) * 4, total) - (bounds[k] as number) * 4;
}

function tailWord(bytes: Uint8Array, i: number): number {
  let w = 0;
  for (let b = i * 4; b < bytes.length; b++) w |= bytes[b] as number;
  return w;
}

/** The `length` bytes an encoding describes, or undefined when it is malformed. */
export function decodeRuns(encoded: Uint8Array, length: number): Uint8Array | undefined {
  const out = new Uint8Array(length);
  const view = new DataView(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  let last = 0;
  for (let at = 0; at < encoded.length; ) {
    if (at + 8 > encoded.length) return undefined;
    const from = view.getUint32(at, true);
    const n = view.getUint32(at + 4, true);
    if (from % 4 !== 0 || from < last || from + n > length || at + 8 + n > encoded.length) return undefined;
    out.set(encoded.subarray(at + 8, at + 8 + n), from);
    last = from + n;
    at += 8 + n;
  }
  return out;
}
