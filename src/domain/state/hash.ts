import type { PageMap } from './pages.js';

/**
 * A 64-bit hash as two 32-bit lanes (murmur3-style mixing), deterministic across runs and
 * platforms. Sealed pages are immutable, so their hashes are cached by identity.
 */
export class Hasher {
  private h1 = 0x9747b28c;
  private h2 = 0x85ebca6b;

  word(w: number): this {
    let k = Math.imul(w | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    this.h1 ^= k;
    this.h1 = Math.imul((this.h1 << 13) | (this.h1 >>> 19), 5) + 0xe6546b64;
    this.h2 ^= Math.imul(k ^ (k >>> 16), 0x85ebca6b);
    this.h2 = Math.imul((this.h2 << 17) | (this.h2 >>> 15), 9) + 0x1b873593;
    return this;
  }

  words(ws: ArrayLike<number>): this {
    this.word(ws.length);
    for (let i = 0; i < ws.length; i++) this.word(ws[i] as number);
    return this;
  }

  number(n: number): this {
    return this.word(n % 0x1_0000_0000).word(Math.floor(n / 0x1_0000_0000));
  }

  string(s: string): this {
    this.word(s.length);
    for (let i = 0; i < s.length; i++) this.word(s.charCodeAt(i));
    return this;
  }

  digest(): string {
    const f1 = fmix(this.h1 ^ this.h2);
    const f2 = fmix(this.h2 + f1);
    return (f1 >>> 0).toString(16).padStart(8, '0') + (f2 >>> 0).toString(16).padStart(8, '0');
  }

  /** The hash as one number of 53 bits: cheaper than the text where only equality matters. */
  digestNumber(): number {
    const f1 = fmix(this.h1 ^ this.h2);
    const f2 = fmix(this.h2 + f1);
    return (f1 >>> 11) * 0x1_0000_0000 + (f2 >>> 0);
  }
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

const pageHashes = new WeakMap<Uint8Array, string>();

export function pageHash(page: Uint8Array): string {
  let h = pageHashes.get(page);
  if (h === undefined) {
    const words = new Uint32Array(page.buffer, page.byteOffset, page.byteLength >>> 2);
    h = words.every((w) => w === 0) ? 'zero' : new Hasher().words(words).digest();
    pageHashes.set(page, h);
  }
  return h;
}

/** Pages never written and pages written with zeros hash alike. */
export function hashPages(h: Hasher, map: PageMap): void {
  h.word(map.size);
  map.pages.forEach((page, i) => {
    if (page === undefined) return;
    const ph = pageHash(page);
    if (ph !== 'zero') h.word(i).string(ph);
  });
}
