import { closeSync, fdatasyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { ioError } from './io-error.js';
import { crc32 } from 'node:zlib';
import type { RunConfig } from '../domain/config.js';
import type { EventBatch } from '../domain/events/batch.js';
import type { MachineState } from '../domain/state/machine.js';
import { stateHash } from '../domain/state/state-hash.js';
import type { RunTally } from '../engines/tally.js';
import { pack, packBatch, packState, type PackedState } from './codec.js';
import { packConfig } from './header-config.js';
import { encodeRuns } from './runs.js';
import { ChunkKind, DEFLATED, FOOTER_BYTES, FOOTER_MAGIC, FORMAT_VERSION, MAGIC, PREAMBLE_BYTES } from './format.js';

export interface TraceHeader {
  readonly config: RunConfig;
  readonly vlabVersion: string;
  readonly layout: string; // replay/layout.ts: the declarations the trace's codes refer to
  readonly checkpointEvery: number; // events between checkpoints
  readonly events: boolean; // does the trace hold every event, or only inputs and checkpoints?
}

export interface ChunkEntry {
  readonly kind: number;
  readonly offset: number;
  readonly seq: number; // events: the first event's index; checkpoint: events applied
  readonly count: number; // events in the chunk
  readonly hash?: string; // checkpoint: its state hash, so that replay need not decode the chunk to check it
}

export interface TraceIndex {
  readonly chunks: ChunkEntry[];
  readonly pages: [number, number][]; // first page id of a page chunk -> its offset
  readonly events: number;
  readonly tally: ReturnType<RunTally['toJSON']>;
}

/** A checkpoint chunk: the state hash after `seq` events, and the state itself, its pages by id. */
export interface CheckpointBody {
  readonly seq: number;
  readonly hash: string;
  readonly state?: PackedState;
}

/** Where a recording goes: written here, or by a worker thread (worker-writer.ts). */
export interface TraceSink {
  batch(batch: EventBatch): void;
  /** The state and its hash; the last one is synced with the index. */
  checkpoint(state: MachineState, last?: boolean): void;
  /** Writes the index, syncs, and gives the file its final name. */
  finish(tally: RunTally): void;
  /** Closes the file as it is: a prefix under PATH.partial. */
  abandon(): void;
  bytesWritten(): number;
}

/** Page ids of a trace: a page object is written once, the first time a state refers to it. */
export class PageIds {
  private readonly ids = new WeakMap<Uint8Array, number>();
  private next = 0;

  /** Packs a checkpoint; `fresh` receives each page not written before, with its id (ids count up from 0). */
  checkpoint(state: MachineState, fresh: (id: number, page: Uint8Array) => void): CheckpointBody {
    const packed = packState(state, (page) => {
      let id = this.ids.get(page);
      if (id === undefined) {
        id = this.next++;
        this.ids.set(page, id);
        fresh(id, page);
      }
      return id;
    });
    return { seq: state.seq, hash: stateHash(state), state: packed };
  }
}

/** Bytes written between two syncs of a trace at its checkpoints, at most (plus one checkpoint's). */
const SYNC_BYTES = 1 << 20;

/**
 * The trace file itself, written to `PATH.partial` and renamed to PATH when finished: a
 * recording cut short leaves its prefix there, never a half-file under the final name.
 * Chunks reach the OS at each checkpoint (one write), so a killed recorder loses at most
 * the last checkpoint interval. The file's data is synced at the end, and at a checkpoint
 * once SYNC_BYTES were written since the last sync, so a crash of the machine loses at
 * most about that much: a sync (0.5 ms here) at every checkpoint cost compute's recording 8%.
 */
export class TraceFile {
  private readonly fd: number;
  private offset = 0;
  private readonly index: ChunkEntry[] = [];
  private readonly pageOffsets: [number, number][] = [];
  private events = 0;
  private pending: Uint8Array[] = [];
  private synced = 0; // bytes of the file known to be on disk
  readonly recording: number;
  readonly partial: string;

  constructor(readonly path: string, header: TraceHeader) {
    this.partial = `${path}.partial`;
    this.fd = this.io(() => openSync(this.partial, 'w'));
    const preamble = new Uint8Array(PREAMBLE_BYTES);
    for (let i = 0; i < MAGIC.length; i++) preamble[i] = MAGIC.charCodeAt(i);
    new DataView(preamble.buffer).setUint16(8, FORMAT_VERSION, true);
    this.write(preamble);
    const body = pack({ ...header, config: packConfig(header.config) });
    this.recording = crc32(body.body);
    this.chunk(ChunkKind.HEADER, body, 0, 0);
  }

  get bytes(): number {
    return this.offset;
  }

  batch(batch: EventBatch): void {
    this.chunk(ChunkKind.EVENTS, pack(packBatch(batch)), batch.start, batch.length);
    this.events = batch.start + batch.length;
  }

  /** Pages first, first + 1, … in one chunk, each as its runs of non-zero words (runs.ts), deflated together. */
  pages(first: number, pages: readonly Uint8Array[]): void {
    if (pages.length === 0) return;
    this.pageOffsets.push([first, this.offset]);
    this.chunk(ChunkKind.PAGE, pack({ first, pages: pages.map(encodeRuns) }), first, pages.length);
  }

  checkpoint(body: CheckpointBody, last: boolean): void {
    this.chunk(ChunkKind.CHECKPOINT, pack(body), body.seq, 0, body.hash);
    this.events = Math.max(this.events, body.seq);
    this.flush();
    if (!last && this.offset - this.synced >= SYNC_BYTES) {
      this.io(() => fdatasyncSync(this.fd));
      this.synced = this.offset;
    }
  }

  finish(tally: ReturnType<RunTally['toJSON']>): void {
    const at = this.offset;
    const index: TraceIndex = { chunks: this.index, pages: this.pageOffsets, events: this.events, tally };
    this.chunk(ChunkKind.INDEX, pack(index), 0, 0);
    const footer = new Uint8Array(FOOTER_BYTES);
    new DataView(footer.buffer).setUint32(0, at, true);
    new DataView(footer.buffer).setUint32(4, FOOTER_MAGIC, true);
    this.write(footer);
    this.flush();
    this.io(() => {
      fdatasyncSync(this.fd);
      this.close();
      renameSync(this.partial, this.path);
    });
  }

  /** Gives up: the partial file is removed, so a failed recording leaves nothing behind. */
  abandon(): void {
    this.pending = [];
    this.close();
    try {
      unlinkSync(this.partial);
    } catch {
      // never created, or already gone
    }
  }

  private closed = false;

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  /** A host error while writing, as one line naming the trace and the cause. */
  private io<T>(act: () => T): T {
    try {
      return act();
    } catch (e) {
      throw ioError('write trace', this.path, e);
    }
  }

  private chunk(kind: ChunkKind, packed: ReturnType<typeof pack>, seq: number, count: number, hash?: string): void {
    const body = packed.body;
    const framed = new Uint8Array(body.length + 13);
    const view = new DataView(framed.buffer);
    view.setUint32(0, body.length, true);
    framed[4] = kind | (packed.deflated ? DEFLATED : 0);
    view.setUint32(5, this.recording, true);
    framed.set(body, 9);
    view.setUint32(9 + body.length, crc32(framed.subarray(4, 9 + body.length)), true);
    if (kind !== ChunkKind.INDEX) this.index.push({ kind, offset: this.offset, seq, count, ...(hash === undefined ? {} : { hash }) });
    this.write(framed);
  }

  private write(bytes: Uint8Array): void {
    this.pending.push(bytes);
    this.offset += bytes.length;
  }

  /** Hands the chunks written since the last flush to the OS, in one write. */
  private flush(): void {
    const bytes = Buffer.concat(this.pending);
    this.pending = [];
    this.io(() => {
      for (let done = 0; done < bytes.length; ) done += writeSync(this.fd, bytes, done);
    });
  }
}

/** A recording written on the thread that runs the guest. */
export class TraceWriter implements TraceSink {
  private readonly file: TraceFile;
  private readonly pages = new PageIds();

  constructor(path: string, header: TraceHeader) {
    this.file = new TraceFile(path, header);
  }

  batch(batch: EventBatch): void {
    this.file.batch(batch);
  }

  checkpoint(state: MachineState, last = false): void {
    const fresh: Uint8Array[] = [];
    let first = -1;
    const body = this.pages.checkpoint(state, (id, page) => {
      if (first < 0) first = id;
      fresh.push(page);
    });
    this.file.pages(first, fresh);
    this.file.checkpoint(body, last);
  }

  finish(tally: RunTally): void {
    this.file.finish(tally.toJSON());
  }

  abandon(): void {
    this.file.abandon();
  }

  bytesWritten(): number {
    return this.file.bytes;
  }
}
