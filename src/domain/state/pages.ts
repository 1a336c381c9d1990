import { PAGE_SHIFT, PAGE_SIZE } from '../isa/arch.js';

/**
 * Guest-physical memory (and disk) as an immutable map of 4 KiB pages shared between
 * versions; pages never written are absent and read as zero. A snapshot costs O(pages
 * written since the previous one): `LiveMemory` copies only its dirty pages when sealed.
 */
export interface PageMap {
  readonly size: number; // bytes
  readonly pages: readonly (Uint8Array | undefined)[];
}

export function emptyPageMap(size: number): PageMap {
  return { size, pages: new Array<Uint8Array | undefined>(Math.ceil(size / PAGE_SIZE)).fill(undefined) };
}

export function readPage32(map: PageMap, addr: number): number {
  const page = map.pages[addr >>> PAGE_SHIFT];
  if (page === undefined) return 0;
  const o = addr & 0xffc;
  return ((page[o] as number) | ((page[o + 1] as number) << 8) | ((page[o + 2] as number) << 16) | ((page[o + 3] as number) << 24)) >>> 0;
}

/**
 * The working copy of a page map: one flat buffer the CPU core reads and writes directly
 * (`bytes`, and `words` for aligned words), and a dirty byte per page, set by every write.
 */
export class LiveMemory {
  readonly size: number;
  readonly bytes: Uint8Array;
  readonly words: Int32Array;
  readonly dirty: Uint8Array;
  private sealed: (Uint8Array | undefined)[];

  constructor(map: PageMap) {
    this.size = map.size;
    this.bytes = new Uint8Array(map.pages.length * PAGE_SIZE);
    this.words = new Int32Array(this.bytes.buffer);
    this.dirty = new Uint8Array(map.pages.length);
    this.sealed = map.pages.slice();
    map.pages.forEach((page, i) => page !== undefined && this.bytes.set(page, i * PAGE_SIZE));
  }

  read8(addr: number): number {
    return this.bytes[addr] as number;
  }

  read32(addr: number): number {
    if ((addr & 3) === 0) return (this.words[addr >>> 2] as number) >>> 0;
    const b = this.bytes;
    return ((b[addr] as number) | ((b[addr + 1] as number) << 8) | ((b[addr + 2] as number) << 16) | ((b[addr + 3] as number) << 24)) >>> 0;
  }

  write8(addr: number, value: number): void {
    this.bytes[addr] = value;
    this.dirty[addr >>> PAGE_SHIFT] = 1;
  }

  write32(addr: number, value: number): void {
    if ((addr & 3) === 0) this.words[addr >>> 2] = value;
    else for (let i = 0; i < 4; i++) this.bytes[addr + i] = value >>> (8 * i);
    this.dirty[addr >>> PAGE_SHIFT] = 1;
    this.dirty[(addr + 3) >>> PAGE_SHIFT] = 1;
  }

  writeBytes(addr: number, bytes: Uint8Array): void {
    this.bytes.set(bytes, addr);
    for (let p = addr >>> PAGE_SHIFT; p <= (addr + bytes.length - 1) >>> PAGE_SHIFT; p++) this.dirty[p] = 1;
  }

  /** The contents as an immutable map: dirty pages are copied, the rest shared with the last seal. */
  seal(): PageMap {
    for (let p = 0; p < this.dirty.length; p++) {
      if (this.dirty[p] === 0) continue;
      this.dirty[p] = 0;
      this.sealed[p] = this.bytes.slice(p * PAGE_SIZE, (p + 1) * PAGE_SIZE);
    }
    return { size: this.size, pages: this.sealed.slice() };
  }
}
