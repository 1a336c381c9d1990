import { decodeLow } from '../../domain/isa/encoding.js';
import type { CowMemory } from '../../domain/state/memory.js';

const NOT_DECODED = -2;
export const INVALID = -1;

interface DecodedPage {
  version: number;
  lo: Int32Array; // validated low word, INVALID for #UD, NOT_DECODED
  imm: Int32Array;
}

/**
 * Decoded instructions by physical address, per page. A page's entry is dropped when the
 * page's bytes change, so self-modifying code is seen at the next fetch.
 */
export class DecodeCache {
  private readonly pages: (DecodedPage | undefined)[] = [];
  lo = 0;
  imm = 0;

  constructor(private readonly memory: CowMemory) {}

  /** Sets `lo` (INVALID when not an instruction) and `imm` for the instruction at a physical address. */
  decode(paddr: number): void {
    if ((paddr & 7) !== 0) {
      this.decodeUncached(paddr);
      return;
    }
    const pn = paddr >>> 12;
    const version = this.memory.pageVersion[pn] as number;
    let page = this.pages[pn];
    if (page === undefined || page.version !== version) {
      page = { version, lo: new Int32Array(512).fill(NOT_DECODED), imm: new Int32Array(512) };
      this.pages[pn] = page;
    }
    const slot = (paddr & 0xfff) >>> 3;
    const lo = page.lo[slot] as number;
    if (lo === NOT_DECODED) {
      this.decodeUncached(paddr);
      page.lo[slot] = this.lo;
      page.imm[slot] = this.imm;
      return;
    }
    this.lo = lo;
    this.imm = (page.imm[slot] as number) >>> 0;
  }

  private decodeUncached(paddr: number): void {
    this.decodeWords(this.memory.read32(paddr), this.memory.read32(paddr + 4));
  }

  decodeWords(lo: number, imm: number): void {
    this.imm = imm >>> 0;
    this.lo = decodeLow(lo) === undefined ? INVALID : lo;
  }
}
