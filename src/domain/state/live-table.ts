/**
 * A sparse table of 32-bit keys to non-zero 32-bit values in a flat typed array, so a
 * hardware model can index it directly (a shadow page table by virtual page number is
 * one array read). Sealing lists the entries in key order, in O(entries touched).
 */
export interface FrozenTable {
  readonly keys: Uint32Array; // ascending
  readonly values: Uint32Array;
}

export const EMPTY_TABLE: FrozenTable = { keys: new Uint32Array(0), values: new Uint32Array(0) };

export function tableGet(t: FrozenTable, key: number): number {
  let lo = 0;
  let hi = t.keys.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const k = t.keys[mid] as number;
    if (k === key) return t.values[mid] as number;
    if (k < key) lo = mid + 1;
    else hi = mid - 1;
  }
  return 0;
}

export class LiveTable {
  readonly values: Int32Array;
  private touched: number[] = [];
  private count = 0;

  constructor(readonly domain: number, frozen: FrozenTable = EMPTY_TABLE) {
    this.values = new Int32Array(domain);
    frozen.keys.forEach((k, i) => this.set(k, frozen.values[i] as number));
  }

  get size(): number {
    return this.count;
  }

  get(key: number): number {
    return this.values[key] as number;
  }

  set(key: number, value: number): void {
    if (value === 0) return this.clear(key);
    if (this.values[key] === 0) {
      this.touched.push(key);
      this.count++;
    }
    this.values[key] = value;
  }

  clear(key: number): void {
    if (this.values[key] === 0) return;
    this.values[key] = 0;
    this.count--;
  }

  flush(): void {
    for (const k of this.touched) this.values[k] = 0;
    this.touched = [];
    this.count = 0;
  }

  /** Keys of the present entries, ascending. */
  keys(): number[] {
    const present = [...new Set(this.touched.filter((k) => this.values[k] !== 0))].sort((a, b) => a - b);
    this.touched = present.slice();
    return present;
  }

  freeze(): FrozenTable {
    const keys = this.keys();
    return { keys: Uint32Array.from(keys), values: Uint32Array.from(keys, (k) => this.values[k] as number) };
  }
}
