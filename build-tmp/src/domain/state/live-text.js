export const TAIL_BYTES = 4096;
export const EMPTY_TEXT = { length: 0, h1: 0x811c9dc5, h2: 0x01000193, tail: '' };
export class LiveText {
    length;
    h1;
    h2;
    tail;
    recent = '';
    /** Called with each byte appended: how a live run streams its console out. */
    sink;
    constructor(frozen = EMPTY_TEXT) {
        this.length = frozen.length;
        this.h1 = frozen.h1;
        this.h2 = frozen.h2;
        this.tail = frozen.tail;
    }
    append(byte) {
        const b = byte & 0xff;
        this.length++;
        this.h1 = Math.imul(this.h1 ^ b, 0x01000193) >>> 0;
        this.h2 = (Math.imul(this.h2, 31) + b + this.length) >>> 0;
        this.recent += String.fromCharCode(b);
        if (this.recent.length >= TAIL_BYTES)
            this.compact();
        this.sink?.(b);
    }
    text() {
        this.compact();
        return this.tail;
    }
    freeze() {
        return { length: this.length, h1: this.h1, h2: this.h2, tail: this.text() };
    }
    compact() {
        this.tail = (this.tail + this.recent).slice(-TAIL_BYTES);
        this.recent = '';
    }
}
