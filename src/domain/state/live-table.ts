import { acquireZeroed, releaseZeroed } from './pool.js';

/**
 * A sparse table of 32-bit keys to non-zero 32-bit values. It starts as a map (cheap to
 * make, as replay makes one per fold); a hardware model asks for `flat()`, an array
 * indexed by key (a shadow page table by virtual page number is then one array read).
 * Sealing lists the entries in key order, in O(entries).
 */
export interface FrozenTable {
  readonly keys: Uint32Array; // ascending
  readonly values: Uint32Array;
}

export const EMPTY_TABLE: FrozenTable = { keys: new Uint32Array(0), values: new Uint32Array(0) };

export class LiveTable {
  private map = new Map<number, number>();
  private values: Int32Array | undefined;

  constructor(readonly domain: number, frozen: FrozenTable = EMPTY_TABLE) {
    frozen.keys.forEach((k, i) => this.map.set(k, frozen.values[i] as number));
  }

  get size(): number {
    return this.map.size;
  }

  /** The table as an array by key, kept in step with every later change. */
  flat(): Int32Array {
    if (this.values === undefined) {
      this.values = new Int32Array(acquireZeroed(4 * this.domain));
      for (const [k, v] of this.map) this.values[k] = v;
    }
    return this.values;
  }

  get(key: number): number {
    return this.map.get(key) ?? 0;
  }

  set(key: number, value: number): void {
    if (value === 0) return this.clear(key);
    this.map.set(key, value | 0);
    if (this.values !== undefined) this.values[key] = value;
  }

  clear(key: number): void {
    if (!this.map.delete(key)) return;
    if (this.values !== undefined) this.values[key] = 0;
  }

  flush(): void {
    if (this.values !== undefined) for (const k of this.map.keys()) this.values[k] = 0;
    this.map.clear();
  }

  /** Keys of the present entries, ascending. */
  keys(): number[] {
    return [...this.map.keys()].sort((a, b) => a - b);
  }

  freeze(): FrozenTable {
    const keys = this.keys();
    return { keys: Uint32Array.from(keys), values: Uint32Array.from(keys, (k) => (this.map.get(k) as number) >>> 0) };
  }

  /** Gives the flat array back to the pool; the table must not be used after. */
  release(): void {
    if (this.values === undefined) return;
    this.flush();
    releaseZeroed(this.values.buffer as ArrayBuffer);
    this.values = undefined;
  }
}
