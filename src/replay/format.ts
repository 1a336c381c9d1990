import { VlabError } from '../domain/errors.js';

/**
 * Trace files, format version 3 (docs/trace-format.md): a 12-byte preamble, then chunks.
 * A chunk is: u32 body length, u8 kind, u32 recording id, the body, u32 CRC-32 of kind,
 * id and body (little-endian). The recording id is the CRC-32 of the header chunk's body,
 * so a chunk of another recording is rejected where it starts.
 */
export const MAGIC = 'VLABTRC\0';
export const FORMAT_VERSION = 3;
export const PREAMBLE_BYTES = 12; // magic, u16 version, u16 reserved
export const CHUNK_OVERHEAD = 13;
export const FOOTER_MAGIC = 0x58444956; // "VIDX"
export const FOOTER_BYTES = 8; // u32 offset of the index chunk, u32 FOOTER_MAGIC

export const ChunkKind = { HEADER: 1, EVENTS: 2, PAGE: 3, CHECKPOINT: 4, INDEX: 5 } as const;
/** Set in a chunk's kind byte when its body is deflated. */
export const DEFLATED = 0x80;
export type ChunkKind = (typeof ChunkKind)[keyof typeof ChunkKind];
export const CHUNK_NAMES: Readonly<Record<number, string>> = { 1: 'header', 2: 'events', 3: 'page', 4: 'checkpoint', 5: 'index' };

/** Events between checkpoints by default: about a hundredth of a second of the bare core (225 M/s on compute, the flat core). */
export const DEFAULT_CHECKPOINT_EVERY = 1 << 21;

export function traceError(file: string, message: string, offset?: number, chunk?: number): VlabError {
  const where = offset === undefined ? '' : chunk === undefined ? ` at byte ${offset}` : ` in chunk ${chunk} at byte ${offset}`;
  return new VlabError('E_TRACE', `${file}: ${message}${where}`);
}
