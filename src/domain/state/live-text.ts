/**
 * Text a guest writes (its console), in bounded memory: the length, a running hash of every
 * byte, and the last TAIL_BYTES bytes. The whole text streams out through the events.
 */
export interface FrozenText {
  readonly length: number;
  readonly h1: number;
  readonly h2: number;
  readonly tail: string;
}

export const TAIL_BYTES = 4096;
export const EMPTY_TEXT: FrozenText = { length: 0, h1: 0x811c9dc5, h2: 0x01000193, tail: '' };

export class LiveText {
  length: number;
  private h1: number;
  private h2: number;
  private tail: string;
  private recent = '';
  /** Called with each byte appended: how a live run streams its console out. */
  sink: ((byte: number) => void) | undefined;

  constructor(frozen: FrozenText = EMPTY_TEXT) {
    this.length = frozen.length;
    this.h1 = frozen.h1;
    this.h2 = frozen.h2;
    this.tail = frozen.tail;
  }

  append(byte: number): void {
    const b = byte & 0xff;
    this.length++;
    this.h1 = Math.imul(this.h1 ^ b, 0x01000193) >>> 0;
    this.h2 = (Math.imul(this.h2, 31) + b + this.length) >>> 0;
    this.recent += String.fromCharCode(b);
    if (this.recent.length >= TAIL_BYTES) this.compact();
    this.sink?.(b);
  }

  text(): string {
    this.compact();
    return this.tail;
  }

  freeze(): FrozenText {
    return { length: this.length, h1: this.h1, h2: this.h2, tail: this.text() };
  }

  private compact(): void {
    this.tail = (this.tail + this.recent).slice(-TAIL_BYTES);
    this.recent = '';
  }
}
