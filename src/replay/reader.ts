import { closeSync, fstatSync, openSync, readSync, statSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { VlabError } from '../domain/errors.js';
import type { EventBatch } from '../domain/events/batch.js';
import { PAGE_SIZE } from '../domain/isa/arch.js';
import type { MachineState } from '../domain/state/machine.js';
import { unpack, unpackBatch, unpackState, type PackedBatch } from './codec.js';
import { unpackConfig, type PackedConfig } from './header-config.js';
import { decodeRuns } from './runs.js';
import { CHUNK_NAMES, CHUNK_OVERHEAD, ChunkKind, DEFLATED, FOOTER_BYTES, FOOTER_MAGIC, FORMAT_VERSION, MAGIC, PREAMBLE_BYTES, traceError } from './format.js';
import { LAYOUT } from './layout.js';
import type { CheckpointBody, TraceHeader, TraceIndex } from './writer.js';

export interface Chunk {
  readonly number: number; // 0-based position in the file, -1 when read by offset
  readonly kind: number;
  readonly deflated: boolean;
  readonly offset: number;
  readonly body: Uint8Array;
}

/**
 * Reads a trace chunk by chunk, without loading the file. Every chunk's length, CRC and
 * recording id are checked; the first bad one stops the reading with an error naming it
 * and its offset.
 */
export class TraceReader {
  readonly header: TraceHeader;
  readonly size: number;
  readonly recording: number;
  private readonly fd: number;
  private readonly pages = new Map<number, Uint8Array>();
  /** Offsets of the page chunks met reading from the start, not decoded yet. */
  private seenPages: number[] = [];
  private pageOffsets: Map<number, number> | undefined;
  private cachedIndex: TraceIndex | undefined | null = null;
  /** A small trace is read in one go; a large one chunk by chunk. */
  private whole: Uint8Array | undefined;

  constructor(readonly path: string) {
    this.fd = openTrace(path);
    this.size = fstatSync(this.fd).size;
    if (this.size <= WHOLE_FILE_BYTES) this.whole = this.read(0, this.size);
    this.checkPreamble();
    const first = this.chunkAt(PREAMBLE_BYTES, 0, false);
    if (first.kind !== ChunkKind.HEADER) throw traceError(path, `expected the header chunk, found a ${CHUNK_NAMES[first.kind] ?? 'unknown'} chunk`, first.offset, 0);
    this.recording = crc32(first.body);
    const header = this.decode<Omit<TraceHeader, 'config'> & { config: PackedConfig }>(first);
    this.header = { ...header, config: this.decoded(first, () => unpackConfig(header.config)) };
    if (header.layout !== LAYOUT) {
      throw new VlabError('E_TRACE_VERSION', `${path}: recorded by vlab ${header.vlabVersion} with events and state laid out as ${header.layout ?? 'unknown'}, this vlab lays them out as ${LAYOUT}: record it again with this vlab`);
    }
  }

  close(): void {
    closeSync(this.fd);
  }

  /** Every chunk after the header, in order; throws at the first damaged one. */
  *chunks(): Generator<Chunk> {
    const header = this.chunkAt(PREAMBLE_BYTES, 0);
    let offset = PREAMBLE_BYTES + header.body.length + CHUNK_OVERHEAD;
    let n = 1;
    while (offset < this.size) {
      if (this.isFooterAt(offset)) return;
      const chunk = this.chunkAt(offset, n);
      offset += chunk.body.length + CHUNK_OVERHEAD;
      n++;
      if (chunk.kind === ChunkKind.HEADER) throw traceError(this.path, 'a second header chunk: spliced from another trace', chunk.offset, chunk.number);
      if (chunk.kind === ChunkKind.PAGE && !this.seenPages.includes(chunk.offset)) this.seenPages.push(chunk.offset);
      yield chunk;
    }
  }

  batchOf(chunk: Chunk, reuse?: EventBatch): EventBatch {
    return unpackBatch(this.decode<PackedBatch>(chunk), reuse);
  }

  checkpointOf(chunk: Chunk): CheckpointBody {
    return this.decode<CheckpointBody>(chunk);
  }

  stateOf(checkpoint: CheckpointBody): MachineState | undefined {
    return checkpoint.state === undefined ? undefined : unpackState(checkpoint.state, (id) => this.page(id));
  }

  /** The index, when the recording finished; undefined for a file cut short. */
  index(): TraceIndex | undefined {
    if (this.cachedIndex !== null) return this.cachedIndex;
    this.cachedIndex = this.readIndex();
    return this.cachedIndex;
  }

  private readIndex(): TraceIndex | undefined {
    if (this.size < PREAMBLE_BYTES + FOOTER_BYTES) return undefined;
    const footer = this.read(this.size - FOOTER_BYTES, FOOTER_BYTES);
    const view = new DataView(footer.buffer, footer.byteOffset);
    if (view.getUint32(4, true) !== FOOTER_MAGIC) return undefined;
    const at = view.getUint32(0, true);
    let chunk: Chunk;
    try {
      chunk = this.chunkAt(at, -1);
    } catch {
      throw traceError(this.path, `damaged footer: it points to no valid index chunk (byte ${at})`, this.size - FOOTER_BYTES);
    }
    if (chunk.kind !== ChunkKind.INDEX) throw traceError(this.path, `damaged footer: byte ${at} holds a ${CHUNK_NAMES[chunk.kind] ?? 'unknown'} chunk, not the index`, this.size - FOOTER_BYTES);
    const index = this.decode<TraceIndex>(chunk);
    this.pageOffsets = new Map(index.pages);
    return index;
  }

  chunkAt(offset: number, number: number, checkRecording = true): Chunk {
    const where = number < 0 ? undefined : number;
    if (offset + CHUNK_OVERHEAD > this.size) throw traceError(this.path, `truncated: the file ends inside a chunk header (${this.size - offset} bytes left)`, offset, where);
    const head = this.read(offset, 4);
    const length = new DataView(head.buffer, head.byteOffset).getUint32(0, true);
    if (offset + CHUNK_OVERHEAD + length > this.size) throw traceError(this.path, `truncated: a chunk of ${length} bytes does not fit in the ${this.size - offset - CHUNK_OVERHEAD} bytes left`, offset, where);
    const framed = this.read(offset + 4, length + 9);
    const view = new DataView(framed.buffer, framed.byteOffset);
    if (crc32(framed.subarray(0, length + 5)) !== view.getUint32(length + 5, true)) throw traceError(this.path, 'damaged: CRC mismatch', offset, where);
    const kind = (framed[0] as number) & ~DEFLATED;
    if (CHUNK_NAMES[kind] === undefined) throw traceError(this.path, `damaged: unknown chunk kind ${kind}`, offset, where);
    const recording = view.getUint32(1, true);
    if (checkRecording && recording !== this.recording) {
      throw traceError(this.path, `a chunk of another recording (id ${hex(recording)}, this trace is ${hex(this.recording)})`, offset, where);
    }
    return { number, kind, deflated: ((framed[0] as number) & DEFLATED) !== 0, offset, body: framed.subarray(5, length + 5) };
  }

  private page(id: number): Uint8Array {
    if (!this.pages.has(id)) {
      if (this.pageOffsets === undefined) this.index();
      const holder = this.pageOffsets === undefined ? undefined : [...this.pageOffsets].filter(([first]) => first <= id).at(-1)?.[1];
      for (const offset of holder === undefined ? this.seenPages.splice(0) : [holder]) this.pageChunk(offset);
    }
    const page = this.pages.get(id);
    if (page === undefined) throw traceError(this.path, `damaged: a checkpoint refers to page ${id}, which is not in the trace`);
    return page;
  }

  /** Decodes a page chunk: pages first, first + 1, … */
  private pageChunk(offset: number): void {
    const chunk = this.chunkAt(offset, -1);
    const { first, pages } = this.decode<{ first: number; pages: Uint8Array[] }>(chunk);
    pages.forEach((runs, k) => this.pages.set(first + k, this.decoded(chunk, () => decodeRuns(runs, PAGE_SIZE) ?? fail())));
  }

  private decode<T>(chunk: Chunk): T {
    return this.decoded(chunk, () => unpack<T>(chunk.body, chunk.deflated));
  }

  /** What `decode` returns; any failure is the chunk's damage. */
  private decoded<T>(chunk: Chunk, decode: () => T): T {
    try {
      return decode();
    } catch {
      throw traceError(this.path, `damaged: the ${CHUNK_NAMES[chunk.kind] ?? ''} chunk does not decode`, chunk.offset, chunk.number < 0 ? undefined : chunk.number);
    }
  }

  private isFooterAt(offset: number): boolean {
    if (offset !== this.size - FOOTER_BYTES) return false;
    const footer = this.read(offset, FOOTER_BYTES);
    return new DataView(footer.buffer, footer.byteOffset).getUint32(4, true) === FOOTER_MAGIC;
  }

  private checkPreamble(): void {
    if (this.size === 0) throw traceError(this.path, 'empty file: not a vlab trace');
    const pre = this.read(0, Math.min(PREAMBLE_BYTES, this.size));
    const magic = String.fromCharCode(...pre.subarray(0, MAGIC.length));
    if (magic !== MAGIC) throw traceError(this.path, 'not a vlab trace (bad magic)', 0);
    if (this.size < PREAMBLE_BYTES) throw traceError(this.path, 'truncated in its preamble', 0);
    const version = new DataView(pre.buffer, pre.byteOffset).getUint16(8, true);
    if (version !== FORMAT_VERSION) {
      const advice = version > FORMAT_VERSION ? 'upgrade vlab' : 'record it again with this vlab';
      throw new VlabError('E_TRACE_VERSION', `${this.path}: trace format version ${version}, this vlab reads version ${FORMAT_VERSION}: ${advice}`);
    }
    if (pre[10] !== 0 || pre[11] !== 0) throw traceError(this.path, 'damaged preamble: reserved bytes are not zero', 10);
  }

  private read(offset: number, length: number): Uint8Array {
    if (this.whole !== undefined) return this.whole.subarray(offset, offset + length);
    const buffer = new Uint8Array(length);
    let done = 0;
    while (done < length) {
      const n = readSync(this.fd, buffer, done, length - done, offset + done);
      if (n === 0) break;
      done += n;
    }
    return buffer;
  }
}

const WHOLE_FILE_BYTES = 1 << 23;

const fail = (): never => {
  throw new Error('malformed');
};

const hex = (n: number): string => `0x${n.toString(16).padStart(8, '0')}`;

function openTrace(path: string): number {
  let isFile = false;
  try {
    isFile = statSync(path).isFile();
  } catch {
    throw new VlabError('E_IO', `${path}: no such trace file`);
  }
  if (!isFile) throw new VlabError('E_IO', `${path}: not a regular file, so not a trace file`);
  return openSync(path, 'r');
}

/** Opens a trace, hands it to `use`, and closes it whatever happens. */
export function withReader<T>(path: string, use: (reader: TraceReader) => T): T {
  const reader = new TraceReader(path);
  try {
    return use(reader);
  } finally {
    reader.close();
  }
}
