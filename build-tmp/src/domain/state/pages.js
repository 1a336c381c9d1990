import { PAGE_SHIFT, PAGE_SIZE } from '../isa/arch.js';
import { acquireZeroed, releaseZeroed } from './pool.js';
export function emptyPageMap(size) {
    return { size, pages: new Array(Math.ceil(size / PAGE_SIZE)).fill(undefined) };
}
export function readPage32(map, addr) {
    const page = map.pages[addr >>> PAGE_SHIFT];
    if (page === undefined)
        return 0;
    const o = addr & 0xffc;
    return (page[o] | (page[o + 1] << 8) | (page[o + 2] << 16) | (page[o + 3] << 24)) >>> 0;
}
const ZERO_PAGE = new Uint8Array(PAGE_SIZE);
/**
 * The working copy of a page map. It starts paged (copy-on-write pages: cheap to make, as
 * replay makes one per fold); an engine asks for `flat()`, one buffer its core indexes
 * directly, after which the pages are copied out only when sealed, and only the dirty ones.
 */
export class LiveMemory {
    size;
    pages;
    owned;
    shared = true;
    flatForm;
    touched;
    constructor(map) {
        this.size = map.size;
        this.pages = map.pages;
        this.owned = new Uint8Array(this.pages.length);
    }
    /** The flat buffer (allocated and filled on first use). */
    flat() {
        if (this.flatForm !== undefined)
            return this.flatForm;
        const buffer = acquireZeroed(this.pages.length * PAGE_SIZE);
        const bytes = new Uint8Array(buffer);
        this.touched = new Uint8Array(this.pages.length);
        this.pages.forEach((page, i) => {
            if (page === undefined)
                return;
            bytes.set(page, i * PAGE_SIZE);
            this.touched[i] = 1;
        });
        const dirty = new Uint8Array(this.pages.length);
        this.owned.forEach((o, i) => (dirty[i] = o));
        this.flatForm = { bytes, words: new Int32Array(buffer), dirty };
        return this.flatForm;
    }
    read8(addr) {
        if (this.flatForm !== undefined)
            return this.flatForm.bytes[addr] ?? 0;
        return this.pages[addr >>> PAGE_SHIFT]?.[addr & 0xfff] ?? 0;
    }
    read32(addr) {
        if (this.flatForm !== undefined && (addr & 3) === 0)
            return (this.flatForm.words[addr >>> 2] ?? 0) >>> 0;
        return (this.read8(addr) | (this.read8(addr + 1) << 8) | (this.read8(addr + 2) << 16) | (this.read8(addr + 3) << 24)) >>> 0;
    }
    write8(addr, value) {
        const f = this.flatForm;
        if (f === undefined) {
            this.writablePage(addr >>> PAGE_SHIFT)[addr & 0xfff] = value;
            return;
        }
        f.bytes[addr] = value;
        f.dirty[addr >>> PAGE_SHIFT] = 1;
    }
    write32(addr, value) {
        const f = this.flatForm;
        if (f !== undefined && (addr & 3) === 0) {
            f.words[addr >>> 2] = value;
            f.dirty[addr >>> PAGE_SHIFT] = 1;
            return;
        }
        for (let i = 0; i < 4; i++)
            this.write8(addr + i, value >>> (8 * i));
    }
    /** Loads bytes (an image, a disk): page by page, leaving all-zero spans of absent pages absent. */
    writeBytes(addr, bytes) {
        for (let done = 0; done < bytes.length;) {
            const at = addr + done;
            const n = Math.min(bytes.length - done, PAGE_SIZE - (at & 0xfff));
            const chunk = bytes.subarray(done, done + n);
            done += n;
            if (this.flatForm !== undefined) {
                this.flatForm.bytes.set(chunk, at);
                this.flatForm.dirty[at >>> PAGE_SHIFT] = 1;
            }
            else if (this.pages[at >>> PAGE_SHIFT] !== undefined || chunk.some((b) => b !== 0)) {
                this.writablePage(at >>> PAGE_SHIFT).set(chunk, at & 0xfff);
            }
        }
    }
    /** The contents as an immutable map; later writes copy again. */
    seal() {
        const f = this.flatForm;
        if (f !== undefined) {
            const pages = this.pages.slice();
            for (let p = 0; p < f.dirty.length; p++) {
                if (f.dirty[p] === 0)
                    continue;
                f.dirty[p] = 0;
                this.touched[p] = 1;
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
    release() {
        const f = this.flatForm;
        if (f === undefined)
            return;
        this.flatForm = undefined;
        for (let p = 0; p < f.dirty.length; p++) {
            if (f.dirty[p] !== 0 || this.touched?.[p] === 1)
                f.bytes.fill(0, p * PAGE_SIZE, (p + 1) * PAGE_SIZE);
        }
        releaseZeroed(f.bytes.buffer);
    }
    page(pageNumber) {
        return this.pages[pageNumber] ?? ZERO_PAGE;
    }
    writablePage(pageNumber) {
        if (this.owned[pageNumber] === 1)
            return this.pages[pageNumber];
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
