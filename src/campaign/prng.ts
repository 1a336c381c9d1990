/** A seeded generator (mulberry32): the same seed, the same campaign, bit for bit. */
export class Prng {
  private s: number;

  constructor(seed: number) {
    this.s = seed >>> 0;
  }

  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x1_0000_0000;
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  u32(): number {
    return Math.floor(this.next() * 0x1_0000_0000) >>> 0;
  }
}

/** The seed of case k of a campaign: every case replays alone from it (`vlab fuzz KIND --seed S --count 1`). */
export const caseSeed = (seed: number, k: number): number => (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + k * 0x27d4eb2f) >>> 0;
