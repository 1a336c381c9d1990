/**
 * Recycled zero-filled buffers for the large flat arrays of a live run (memory, TLBs,
 * shadow tables): allocating and dropping megabytes per run costs more than a short run
 * itself. A buffer goes back only when its owner has zeroed what it wrote.
 */
const pools = new Map<number, ArrayBuffer[]>();
const KEEP = 32;

export function acquireZeroed(bytes: number): ArrayBuffer {
  return pools.get(bytes)?.pop() ?? new ArrayBuffer(bytes);
}

export function releaseZeroed(buffer: ArrayBuffer): void {
  let pool = pools.get(buffer.byteLength);
  if (pool === undefined) pools.set(buffer.byteLength, (pool = []));
  if (pool.length < KEEP) pool.push(buffer);
}
