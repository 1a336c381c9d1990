/**
 * A run's console as its summary reports it, in bounded memory: the last KEEP_BYTES bytes
 * in a ring, after a line saying how many earlier bytes were not kept. Appending makes no
 * garbage, so a guest printing for a long time leaves nothing for the collector either.
 * (The state keeps only a short tail and a hash, live-text.ts; whoever wants every byte
 * takes it from the console sink as it comes.)
 */
export class ConsoleCapture {
  static readonly KEEP_BYTES = 1 << 20;

  private length = 0;
  private readonly ring = new Uint8Array(ConsoleCapture.KEEP_BYTES);

  append(byte: number): void {
    this.ring[this.length % ConsoleCapture.KEEP_BYTES] = byte;
    this.length++;
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
function latin1(bytes: Uint8Array): string {
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
