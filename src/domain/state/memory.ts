import { PAGE_SHIFT, PAGE_SIZE } from '../isa/arch.js';

/**
 * Copy-on-write physical memory in 4 KiB pages. A sealed `PageMap` is immutable and shared
 * between versions; a `CowMemory` is its transient working copy: a page is copied on its
 * first write and the copy is owned until `seal()`, so a snapshot costs O(pages written).
 * Pages never written read as zero and take no space.
 */
export interface PageMap {
  readonly size: number;
  readonly pages: readonly (Uint8Array | undefined)[];
}

export function emptyPageMap(size: number): PageMap {
  return { size, pages: new Array<Uint8Array | undefined>(size >>> PAGE_SHIFT).fill(undefined) };
}

const ZERO_PAGE = new Uint8Array(PAGE_SIZE);

export class CowMemory {
  readonly size: number;
  private pages: (Uint8Array | undefined)[];
  private owned: Uint8Array;
  private sharedArray = true;
  /** Bumped whenever a page's bytes may change: decoded-instruction caches key on it. */
  readonly pageVersion: Uint32Array;

  constructor(map: PageMap) {
    this.size = map.size;
    this.pages = map.pages as (Uint8Array | undefined)[];
    this.owned = new Uint8Array(this.pages.length);
    this.pageVersion = new Uint32Array(this.pages.length);
  }

  /** The current contents as an immutable map; later writes copy again. */
  seal(): PageMap {
    this.owned.fill(0);
    this.sharedArray = true;
    return { size: this.size, pages: this.pages };
  }

  /** Replace the whole contents (used when restoring a snapshot into a running engine). */
  reset(map: PageMap): void {
    this.pages = map.pages as (Uint8Array | undefined)[];
    this.owned.fill(0);
    this.sharedArray = true;
    for (let i = 0; i < this.pageVersion.length; i++) this.pageVersion[i] = (this.pageVersion[i] ?? 0) + 1;
  }

  page(pageNumber: number): Uint8Array {
    return this.pages[pageNumber] ?? ZERO_PAGE;
  }

  read8(addr: number): number {
    const page = this.pages[addr >>> PAGE_SHIFT];
    return page === undefined ? 0 : (page[addr & 0xfff] as number);
  }

  read32(addr: number): number {
    const offset = addr & 0xfff;
    const page = this.pages[addr >>> PAGE_SHIFT];
    if (offset <= PAGE_SIZE - 4) {
      if (page === undefined) return 0;
      return ((page[offset] as number) | ((page[offset + 1] as number) << 8) | ((page[offset + 2] as number) << 16) | ((page[offset + 3] as number) << 24)) >>> 0;
    }
    return (this.read8(addr) | (this.read8(addr + 1) << 8) | (this.read8(addr + 2) << 16) | (this.read8(addr + 3) << 24)) >>> 0;
  }

  write8(addr: number, value: number): void {
    this.writable(addr >>> PAGE_SHIFT)[addr & 0xfff] = value;
  }

  write32(addr: number, value: number): void {
    const offset = addr & 0xfff;
    if (offset <= PAGE_SIZE - 4) {
      const page = this.writable(addr >>> PAGE_SHIFT);
      page[offset] = value;
      page[offset + 1] = value >>> 8;
      page[offset + 2] = value >>> 16;
      page[offset + 3] = value >>> 24;
      return;
    }
    for (let i = 0; i < 4; i++) this.write8(addr + i, value >>> (8 * i));
  }

  writeBytes(addr: number, bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length; i++) this.write8(addr + i, bytes[i] as number);
  }

  private writable(pageNumber: number): Uint8Array {
    if (this.owned[pageNumber] === 1) {
      this.pageVersion[pageNumber] = (this.pageVersion[pageNumber] as number) + 1;
      return this.pages[pageNumber] as Uint8Array;
    }
    if (this.sharedArray) {
      this.pages = this.pages.slice();
      this.sharedArray = false;
    }
    const old = this.pages[pageNumber];
    const copy = old === undefined ? new Uint8Array(PAGE_SIZE) : old.slice();
    this.pages[pageNumber] = copy;
    this.owned[pageNumber] = 1;
    this.pageVersion[pageNumber] = (this.pageVersion[pageNumber] as number) + 1;
    return copy;
  }
}
