/**
 * Column layouts that deflate well: a u32 column becomes four byte planes (all low bytes,
 * then all second bytes, …), so the runs of equal high bytes compress to almost nothing;
 * pc-like columns are first replaced by their differences from the previous value.
 */
export function toPlanes(words: Uint32Array, deltas: boolean): Uint8Array {
  const n = words.length;
  const out = new Uint8Array(4 * n);
  let previous = 0;
  for (let i = 0; i < n; i++) {
    const w = words[i] as number;
    const v = deltas ? (w - previous) >>> 0 : w;
    previous = w;
    out[i] = v & 0xff;
    out[n + i] = (v >>> 8) & 0xff;
    out[2 * n + i] = (v >>> 16) & 0xff;
    out[3 * n + i] = v >>> 24;
  }
  return out;
}

export function fromPlanes(planes: Uint8Array, deltas: boolean, out: Uint32Array = new Uint32Array(planes.length >>> 2)): Uint32Array {
  const n = planes.length >>> 2;
  let previous = 0;
  for (let i = 0; i < n; i++) {
    const v = ((planes[i] as number) | ((planes[n + i] as number) << 8) | ((planes[2 * n + i] as number) << 16) | ((planes[3 * n + i] as number) << 24)) >>> 0;
    previous = deltas ? (previous + v) >>> 0 : v;
    out[i] = previous;
  }
  return out;
}

/** Effect triples (kind, a, b) as three columns, each in byte planes. */
export function effectsToPlanes(effects: Uint32Array, count: number): Uint8Array {
  const columns = new Uint32Array(3 * count);
  for (let e = 0; e < count; e++) {
    columns[e] = effects[3 * e] as number;
    columns[count + e] = effects[3 * e + 1] as number;
    columns[2 * count + e] = effects[3 * e + 2] as number;
  }
  return toPlanes(columns, false);
}

export function effectsFromPlanes(planes: Uint8Array, into?: Uint32Array): Uint32Array {
  const columns = fromPlanes(planes, false);
  const count = columns.length / 3;
  const effects = into !== undefined && into.length >= 3 * count ? into : new Uint32Array(3 * count);
  for (let e = 0; e < count; e++) {
    effects[3 * e] = columns[e] as number;
    effects[3 * e + 1] = columns[count + e] as number;
    effects[3 * e + 2] = columns[2 * count + e] as number;
  }
  return effects;
}
