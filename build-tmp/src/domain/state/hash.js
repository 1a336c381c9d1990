/**
 * A 64-bit hash as two 32-bit lanes (murmur3-style mixing), deterministic across runs and
 * platforms. Sealed pages are immutable, so their hashes are cached by identity.
 */
export class Hasher {
    h1 = 0x9747b28c;
    h2 = 0x85ebca6b;
    word(w) {
        let k = Math.imul(w | 0, 0xcc9e2d51);
        k = (k << 15) | (k >>> 17);
        k = Math.imul(k, 0x1b873593);
        this.h1 ^= k;
        this.h1 = Math.imul((this.h1 << 13) | (this.h1 >>> 19), 5) + 0xe6546b64;
        this.h2 ^= Math.imul(k ^ (k >>> 16), 0x85ebca6b);
        this.h2 = Math.imul((this.h2 << 17) | (this.h2 >>> 15), 9) + 0x1b873593;
        return this;
    }
    words(ws) {
        this.word(ws.length);
        for (let i = 0; i < ws.length; i++)
            this.word(ws[i]);
        return this;
    }
    number(n) {
        return this.word(n % 0x1_0000_0000).word(Math.floor(n / 0x1_0000_0000));
    }
    string(s) {
        this.word(s.length);
        for (let i = 0; i < s.length; i++)
            this.word(s.charCodeAt(i));
        return this;
    }
    digest() {
        const f1 = fmix(this.h1 ^ this.h2);
        const f2 = fmix(this.h2 + f1);
        return (f1 >>> 0).toString(16).padStart(8, '0') + (f2 >>> 0).toString(16).padStart(8, '0');
    }
}
function fmix(h) {
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    return h ^ (h >>> 16);
}
const pageHashes = new WeakMap();
export function pageHash(page) {
    let h = pageHashes.get(page);
    if (h === undefined) {
        const words = new Uint32Array(page.buffer, page.byteOffset, page.byteLength >>> 2);
        h = words.every((w) => w === 0) ? 'zero' : new Hasher().words(words).digest();
        pageHashes.set(page, h);
    }
    return h;
}
/** Pages never written and pages written with zeros hash alike. */
export function hashPages(h, map) {
    h.word(map.size);
    map.pages.forEach((page, i) => {
        if (page === undefined)
            return;
        const ph = pageHash(page);
        if (ph !== 'zero')
            h.word(i).string(ph);
    });
}
