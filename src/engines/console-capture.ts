/**
 * A run's console as its summary reports it, in bounded memory: the last KEEP_BYTES bytes
 * in a ring, after a line saying how many earlier bytes were not kept. The ring doubles up
 * to its size, then appending makes no garbage, so a guest printing for a long time leaves
 * nothing for the collector either.
 * (The state keeps only a short tail and a hash, live-text.ts; whoever wants every byte
 * takes it from the console sink as it comes.)
 */
export class ConsoleCapture {
  static readonly KEEP_BYTES = 1 << 20;

  private length = 0;
  private ring = new Uint8Array(0); // grows by doubling up to KEEP_BYTES: most consoles are short

  append(byte: number): void {
    if (this.length === this.ring.length && this.length < ConsoleCapture.KEEP_BYTES) this.grow();
    this.ring[this.length % ConsoleCapture.KEEP_BYTES] = byte;
    this.length++;
  }

  private grow(): void {
    const ring = new Uint8Array(Math.min(ConsoleCapture.KEEP_BYTES, Math.max(0x100, 2 * this.ring.length)));
    ring.set(this.ring);
    this.ring = ring;
  }

  /** Every byte appended so far, kept or not. */
  bytes(): number {
    return this.length;
  }

  /** The bytes kept, oldest first. */
  tail(): Uint8Array {
    const keep = ConsoleCapture.KEEP_BYTES;
    if (this.length <= keep) return this.ring.slice(0, this.length);
    const at = this.length % keep;
    const out = new Uint8Array(keep);
    out.set(this.ring.subarray(at));
    out.set(this.ring.subarray(0, at), keep - at);
    return out;
  }

  /** Appends another capture's bytes (`count` in all, the last of them `tail`): a console re-executed in pieces. */
  join(count: number, tail: Uint8Array): void {
    this.length += count - tail.length;
    for (const byte of tail) this.append(byte);
  }

  /** The bytes kept, one character each; a first line counts the bytes dropped before them. */
  text(): string {
    const keep = ConsoleCapture.KEEP_BYTES;
    if (this.length <= keep) return latin1(this.ring.subarray(0, this.length));
    const at = this.length % keep;
    const kept = latin1(this.ring.subarray(at)) + latin1(this.ring.subarray(0, at));
    return `[vlab: ${this.length - keep} earlier console bytes not kept]\n${kept}`;
  }
}

/** Bytes as characters 0–255, as the console has always been read (String.fromCharCode per byte). */
export function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 0x2000) out += String.fromCharCode(...bytes.subarray(i, i + 0x2000));
  return out;
}

/** A capture on each VM's console, VM 0 first; `onConsole` also gets VM 0's bytes as they come. */
export function captureConsoles(vms: readonly { console: { sink?: ((byte: number) => void) | undefined } }[], onConsole?: (byte: number) => void): ConsoleCapture[] {
  return vms.map((vm, i) => {
    const capture = new ConsoleCapture();
    vm.console.sink = i === 0 && onConsole !== undefined ? (byte) => (capture.append(byte), onConsole(byte)) : (byte) => capture.append(byte);
    return capture;
  });
}
