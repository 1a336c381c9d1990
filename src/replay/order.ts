import { ChunkKind, CHUNK_NAMES, traceError } from './format.js';
import type { Chunk, TraceReader } from './reader.js';
import type { TraceIndex } from './writer.js';

/**
 * The order a recording writes its chunks in (writer.ts), checked as a trace is read:
 * checkpoints after ever later events, event chunks back to back, and, in a finished
 * trace, exactly the chunks its index lists at the offsets it lists. A chunk reordered,
 * duplicated or spliced in is rejected at the byte where it starts.
 */
export class ChunkOrder {
  private lastCheckpoint = -1;
  private nextEvent = 0;
  private walked = 1; // the header, checked by the reader
  private readonly index: TraceIndex | undefined;
  /** Why the index cannot be read: raised at the end, so that the chunks before are still checked (and salvaged). */
  private readonly indexError: unknown;

  constructor(private readonly reader: TraceReader) {
    try {
      this.index = reader.index();
    } catch (e) {
      this.indexError = e;
    }
  }

  /**
   * A checkpoint's sequence number and hash as the index lists them (the chunk checked to be
   * the one listed), or undefined where the index does not say (a trace cut short, or
   * recorded before indexes held hashes): then the chunk itself must be decoded.
   */
  listedCheckpoint(chunk: Chunk): { seq: number; hash: string } | undefined {
    const entry = this.index?.chunks[this.walked];
    if (typeof entry?.hash !== 'string' || entry.offset !== chunk.offset || entry.kind !== ChunkKind.CHECKPOINT) return undefined;
    return { seq: entry.seq, hash: entry.hash };
  }

  /** A chunk met in file order; `seq` is a checkpoint's event count or an event chunk's first event. */
  see(chunk: Chunk, seq?: number): void {
    const path = this.reader.path;
    this.listed(chunk);
    if (chunk.kind === ChunkKind.CHECKPOINT && seq !== undefined) {
      if (seq <= this.lastCheckpoint) throw traceError(path, `out of order: a checkpoint after event ${seq} follows the one after event ${this.lastCheckpoint}`, chunk.offset, chunk.number);
      this.lastCheckpoint = seq;
    }
    if (chunk.kind === ChunkKind.EVENTS && seq !== undefined) {
      if (seq !== this.nextEvent) throw traceError(path, `out of order: events from ${seq} where event ${this.nextEvent} was next`, chunk.offset, chunk.number);
    }
  }

  /** An event chunk's length, once decoded. */
  events(count: number): void {
    this.nextEvent += count;
  }

  /** At the index: every chunk it lists was met, in its order. */
  finish(): void {
    if (this.indexError !== undefined) throw this.indexError;
    const index = this.index;
    if (index !== undefined && this.walked !== index.chunks.length) {
      throw traceError(this.reader.path, `the index lists ${index.chunks.length} chunks, the file holds ${this.walked}`);
    }
  }

  private listed(chunk: Chunk): void {
    const index = this.index;
    if (index === undefined || chunk.kind === ChunkKind.INDEX) return;
    const entry = index.chunks[this.walked];
    if (entry === undefined || entry.offset !== chunk.offset || entry.kind !== chunk.kind) {
      const expected = entry === undefined ? 'no more chunks' : `a ${CHUNK_NAMES[entry.kind] ?? 'unknown'} chunk at byte ${entry.offset}`;
      throw traceError(this.reader.path, `not the chunk the index lists (${expected}): reordered, duplicated or spliced`, chunk.offset, chunk.number);
    }
    this.walked++;
  }
}

/** Walks a whole trace with replay's checks on every chunk, without running it: for commands that read part of a trace. */
export function checkTrace(reader: TraceReader): void {
  const order = new ChunkOrder(reader);
  for (const chunk of reader.chunks()) {
    if (chunk.kind === ChunkKind.CHECKPOINT) order.see(chunk, reader.checkpointOf(chunk).seq);
    else if (chunk.kind === ChunkKind.EVENTS) {
      const batch = reader.batchOf(chunk);
      order.see(chunk, batch.start);
      order.events(batch.length);
    } else order.see(chunk);
  }
  order.finish();
}
