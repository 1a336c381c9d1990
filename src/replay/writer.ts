import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import type { RunConfig } from '../domain/config.js';
import type { EventBatch } from '../domain/events/batch.js';
import type { MachineState } from '../domain/state/machine.js';
import { stateHash } from '../domain/state/state-hash.js';
import { pack, packBatch, packState } from './codec.js';
import { crc32 } from './crc32.js';
import { ChunkKind, FOOTER_BYTES, FOOTER_MAGIC, FORMAT_VERSION, MAGIC, PREAMBLE_BYTES } from './format.js';

export interface TraceHeader {
  readonly config: RunConfig;
  readonly vlabVersion: string;
  readonly profile: RunConfig['profile'];
  readonly checkpointEvery: number; // events between checkpoints
}

export interface ChunkEntry {
  readonly kind: number;
  readonly offset: number;
  readonly firstEvent: number; // events: the first event's index; checkpoint: events applied
  readonly count: number; // events in the chunk
}

export interface TraceIndex {
  readonly chunks: ChunkEntry[];
  readonly pages: [number, number][]; // page id -> offset of its page chunk
  readonly events: number;
}

/**
 * Writes a trace as the run goes: every chunk is written (and reaches the OS) as soon as it
 * is complete, so a crash loses at most the chunk being built. Memory does not grow with
 * the run: a page is written once, the first time a checkpoint refers to it.
 */
export class TraceWriter {
  private readonly fd: number;
  private offset = 0;
  private readonly index: ChunkEntry[] = [];
  private readonly pageIds = new WeakMap<Uint8Array, number>();
  private readonly pageOffsets: [number, number][] = [];
  private events = 0;

  constructor(readonly path: string, header: TraceHeader) {
    this.fd = openSync(path, 'w');
    const preamble = new Uint8Array(PREAMBLE_BYTES);
    for (let i = 0; i < MAGIC.length; i++) preamble[i] = MAGIC.charCodeAt(i);
    new DataView(preamble.buffer).setUint16(8, FORMAT_VERSION, true);
    this.write(preamble);
    this.chunk(ChunkKind.HEADER, pack(header, true), 0, 0);
  }

  batch(batch: EventBatch): void {
    this.chunk(ChunkKind.EVENTS, pack(packBatch(batch), true), batch.start, batch.length);
    this.events = batch.start + batch.length;
  }

  checkpoint(state: MachineState): void {
    const packed = packState(state, (page) => this.pageId(page));
    this.chunk(ChunkKind.CHECKPOINT, pack({ hash: stateHash(state), state: packed }, true), state.seq, 0);
  }

  /** Writes the index and its footer, and closes the file. */
  finish(): void {
    const at = this.offset;
    this.chunk(ChunkKind.INDEX, pack({ chunks: this.index, pages: this.pageOffsets, events: this.events } satisfies TraceIndex, true), 0, 0);
    const footer = new Uint8Array(FOOTER_BYTES);
    new DataView(footer.buffer).setUint32(0, at, true);
    new DataView(footer.buffer).setUint32(4, FOOTER_MAGIC, true);
    this.write(footer);
    fsyncSync(this.fd);
    closeSync(this.fd);
  }

  get bytesWritten(): number {
    return this.offset;
  }

  private pageId(page: Uint8Array): number {
    let id = this.pageIds.get(page);
    if (id === undefined) {
      id = this.pageOffsets.length;
      this.pageIds.set(page, id);
      this.pageOffsets.push([id, this.offset]);
      this.chunk(ChunkKind.PAGE, pack({ id, bytes: page }, true), 0, 0);
    }
    return id;
  }

  private chunk(kind: ChunkKind, body: Uint8Array, firstEvent: number, count: number): void {
    const framed = new Uint8Array(body.length + 9);
    const view = new DataView(framed.buffer);
    view.setUint32(0, body.length, true);
    framed[4] = kind;
    framed.set(body, 5);
    view.setUint32(5 + body.length, crc32(framed.subarray(4, 5 + body.length)), true);
    if (kind !== ChunkKind.INDEX) this.index.push({ kind, offset: this.offset, firstEvent, count });
    this.write(framed);
  }

  private write(bytes: Uint8Array): void {
    writeSync(this.fd, bytes);
    this.offset += bytes.length;
  }
}
