import { VlabError } from '../domain/errors.js';

/**
 * Trace files (docs/trace-format.md): a 12-byte preamble, then chunks. A chunk is
 * u32 body length, u8 kind, the body, u32 CRC-32 of kind and body (little-endian).
 */
export const MAGIC = 'VLABTRC\0';
export const FORMAT_VERSION = 1;
export const PREAMBLE_BYTES = 12; // magic, u16 version, u16 reserved
export const CHUNK_OVERHEAD = 9;
export const FOOTER_MAGIC = 0x58444956; // "VIDX"
export const FOOTER_BYTES = 8; // u32 offset of the index chunk, u32 FOOTER_MAGIC

export const ChunkKind = { HEADER: 1, EVENTS: 2, PAGE: 3, CHECKPOINT: 4, INDEX: 5 } as const;
export type ChunkKind = (typeof ChunkKind)[keyof typeof ChunkKind];
export const CHUNK_NAMES: Readonly<Record<number, string>> = { 1: 'header', 2: 'events', 3: 'page', 4: 'checkpoint', 5: 'index' };

/** msgpackr extension type codes reserved by vlab traces (none is used by format 1). */
export const RESERVED_EXTENSIONS: Readonly<Record<number, string>> = {
  0x40: 'reserved: event batch',
  0x41: 'reserved: machine snapshot',
  0x42: 'reserved: page reference',
};

export function traceError(file: string, message: string, offset?: number, chunk?: number): VlabError {
  const where = offset === undefined ? '' : chunk === undefined ? ` at byte ${offset}` : ` in chunk ${chunk} at byte ${offset}`;
  return new VlabError('E_TRACE', `${file}: ${message}${where}`);
}
