import { PAGE_SHIFT, PAGE_SIZE } from '../isa/arch.js';
import { acquireZeroed, releaseZeroed } from './pool.js';

/**
 * Guest-physical memory (and disk) as an immutable map of 4 KiB pages shared between
 * versions; pages never written are absent and read as zero. A snapshot costs O(pages
 * written since the previous one).
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

/** The flat form of a live memory: what the CPU core reads and writes directly. */
export interface FlatMemory {
  readonly bytes: Uint8Array;
  readonly words: Int32Array; // the same buffer, for aligned words
  readonly dirty: Uint8Array; // a byte per page, set by every write since the last seal
}

const ZERO_PAGE = new Uint8Array(PAGE_SIZE);

function allZero(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * The working copy of a page map. It starts paged (copy-on-write pages: cheap to make, as
 * replay makes one per fold); an engine asks for `flat()`, one buffer its core indexes
 * directly, after which the pages are copied out only when sealed, and only the dirty ones.
 */
export class LiveMemory {
  readonly size: number;
  private pages: (Uint8Array | undefined)[];
  private owned: Uint8Array;
  private shared = true;
  private flatForm: FlatMemory | undefined;
  private touched: Uint8Array | undefined;

  constructor(map: PageMap) {
    this.size = map.size;
    this.pages = map.pages as (Uint8Array | undefined)[];
    this.owned = new Uint8Array(this.pages.length);
  }

  /** The flat buffer (allocated and filled on first use). */
  flat(): FlatMemory {
    if (this.flatForm !== undefined) return this.flatForm;
    const buffer = acquireZeroed(this.pages.length * PAGE_SIZE);
    const bytes = new Uint8Array(buffer);
    this.touched = new Uint8Array(this.pages.length);
    this.pages.forEach((page, i) => {
      if (page === undefined) return;
      bytes.set(page, i * PAGE_SIZE);
      (this.touched as Uint8Array)[i] = 1;
    });
    const dirty = new Uint8Array(this.pages.length);
    this.owned.forEach((o, i) => (dirty[i] = o));
    this.flatForm = { bytes, words: new Int32Array(buffer), dirty };
    return this.flatForm;
  }

  read8(addr: number): number {
    if (this.flatForm !== undefined) return this.flatForm.bytes[addr] ?? 0;
    return this.pages[addr >>> PAGE_SHIFT]?.[addr & 0xfff] ?? 0;
  }

  read32(addr: number): number {
    if (this.flatForm !== undefined && (addr & 3) === 0) return ((this.flatForm.words[addr >>> 2] ?? 0) as number) >>> 0;
    return (this.read8(addr) | (this.read8(addr + 1) << 8) | (this.read8(addr + 2) << 16) | (this.read8(addr + 3) << 24)) >>> 0;
  }

  write8(addr: number, value: number): void {
    const f = this.flatForm;
    if (f === undefined) {
      this.writablePage(addr >>> PAGE_SHIFT)[addr & 0xfff] = value;
      return;
    }
    f.bytes[addr] = value;
    f.dirty[addr >>> PAGE_SHIFT] = 1;
  }

  write32(addr: number, value: number): void {
    const f = this.flatForm;
    if (f !== undefined && (addr & 3) === 0) {
      f.words[addr >>> 2] = value;
      f.dirty[addr >>> PAGE_SHIFT] = 1;
      return;
    }
    for (let i = 0; i < 4; i++) this.write8(addr + i, value >>> (8 * i));
  }

  /** Loads bytes (an image, a disk): page by page, leaving all-zero spans of absent pages absent. */
  writeBytes(addr: number, bytes: Uint8Array): void {
    for (let done = 0; done < bytes.length; ) {
      const at = addr + done;
      const n = Math.min(bytes.length - done, PAGE_SIZE - (at & 0xfff));
      const chunk = bytes.subarray(done, done + n);
      done += n;
      if (this.flatForm !== undefined) {
        this.flatForm.bytes.set(chunk, at);
        this.flatForm.dirty[at >>> PAGE_SHIFT] = 1;
      } else if (this.pages[at >>> PAGE_SHIFT] !== undefined || !allZero(chunk)) {
        this.writablePage(at >>> PAGE_SHIFT).set(chunk, at & 0xfff);
      }
    }
  }

  /** The contents as an immutable map; later writes copy again. */
  seal(): PageMap {
    const f = this.flatForm;
    if (f !== undefined) {
      const pages = this.pages.slice();
      for (let p = 0; p < f.dirty.length; p++) {
        if (f.dirty[p] === 0) continue;
        f.dirty[p] = 0;
        (this.touched as Uint8Array)[p] = 1;
        pages[p] = f.bytes.slice(p * PAGE_SIZE, (p + 1) * PAGE_SIZE);
      }
      this.pages = pages;
      return { size: this.size, pages: pages.slice() };
    }
    this.owned.fill(0);
    this.shared = true;
    return { size: this.size, pages: this.pages };
  }

  /** Gives the flat buffer back to the pool; the memory must not be used after. */
  release(): void {
    const f = this.flatForm;
    if (f === undefined) return;
    this.flatForm = undefined;
    for (let p = 0; p < f.dirty.length; p++) {
      if (f.dirty[p] !== 0 || this.touched?.[p] === 1) f.bytes.fill(0, p * PAGE_SIZE, (p + 1) * PAGE_SIZE);
    }
    releaseZeroed(f.bytes.buffer as ArrayBuffer);
  }

  page(pageNumber: number): Uint8Array {
    return this.pages[pageNumber] ?? ZERO_PAGE;
  }

  private writablePage(pageNumber: number): Uint8Array {
    if (this.owned[pageNumber] === 1) return this.pages[pageNumber] as Uint8Array;
    if (this.shared) {
      this.pages = this.pages.slice();
      this.shared = false;
    }
    const old = this.pages[pageNumber];
    const copy = old === undefined ? new Uint8Array(PAGE_SIZE) : old.slice();
    this.pages[pageNumber] = copy;
    this.owned[pageNumber] = 1;
    return copy;
  }
}
