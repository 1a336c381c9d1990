import { closeSync, fstatSync, fsyncSync, openSync, readSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { VlabError } from '../domain/errors.js';
import { ioError } from '../replay/io-error.js';

/** Largest inputs read whole, in bytes: a source or image, a disk image, console input, a sweep's results (vlab merge). */
export const INPUT_LIMITS = { source: 4 << 20, image: 64 << 20, disk: 64 << 20, sweepResults: 256 << 20 } as const;

function kindOf(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'EISDIR (is a directory)';
  if (st.isFIFO()) return 'a FIFO, not a regular file';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device, not a regular file';
  if (st.isSocket()) return 'a socket, not a regular file';
  return 'not a regular file';
}

/**
 * Reads a whole input file of at most `limit` bytes: refuses directories, FIFOs and
 * devices before opening them (an endless device would never end), and sizes before reading.
 */
export function readInput(path: string, what: string, limit: number): Buffer {
  let fd: number;
  try {
    const kind = kindOf(statSync(path));
    if (kind !== undefined) throw new VlabError('E_IO', `cannot read ${what} '${path}': ${kind}`);
    fd = openSync(path, 'r');
  } catch (e) {
    throw ioError(`read ${what}`, path, e);
  }
  try {
    const size = fstatSync(fd).size;
    if (size > limit) throw new VlabError('E_INPUT', `cannot read ${what} '${path}': ${size} bytes, more than the ${limit} allowed`);
    const bytes = Buffer.alloc(size);
    for (let done = 0; done < size; ) {
      const n = readSync(fd, bytes, done, size - done, done);
      if (n === 0) return bytes.subarray(0, done);
      done += n;
    }
    return bytes;
  } catch (e) {
    throw ioError(`read ${what}`, path, e);
  } finally {
    closeSync(fd);
  }
}

/**
 * Checks that `path` can become an output before any work is done: its directory exists,
 * and it is absent or a regular file (never a directory, FIFO or device replaced by rename).
 */
export function checkOutput(path: string, what: string): void {
  try {
    const dir = statSync(dirname(path) === '' ? '.' : dirname(path));
    if (!dir.isDirectory()) throw Object.assign(new Error('not a directory'), { code: 'ENOTDIR' });
  } catch (e) {
    throw ioError(`write ${what}`, path, e);
  }
  let st: Stats | undefined;
  try {
    st = statSync(path);
  } catch {
    return;
  }
  const kind = kindOf(st);
  if (kind !== undefined) throw new VlabError('E_IO', `cannot write ${what} '${path}': ${kind}`);
}

/** The temporary name an output is written under before it is renamed into place. */
export function temporaryOf(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
}

/** Writes `bytes` to a temporary file, syncs it and renames it to `path`: never a half-file under the final name. */
export function writeOutput(path: string, what: string, bytes: Uint8Array): void {
  checkOutput(path, what);
  const tmp = temporaryOf(path);
  try {
    const fd = openSync(tmp, 'w');
    try {
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    throw ioError(`write ${what}`, path, e);
  }
}

/** An output being written: to a temporary file, renamed to its name by `commit`, removed by `abandon`. */
export interface PendingOutput {
  write(text: string): void;
  commit(): void;
  abandon(): void;
}

/** Opens `path` for writing through a temporary file: the output is never held whole in memory, never a half-file under its name. */
export function openOutput(path: string, what: string): PendingOutput {
  checkOutput(path, what);
  const tmp = temporaryOf(path);
  let fd: number | undefined;
  let pending = '';
  const fail = (e: unknown): never => {
    if (fd !== undefined) closeSync(fd);
    fd = undefined;
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    if (e instanceof VlabError) throw e;
    throw ioError(`write ${what}`, path, e);
  };
  const flush = (): void => {
    const bytes = Buffer.from(pending, 'utf8');
    pending = '';
    for (let done = 0; done < bytes.length; ) done += writeSync(fd as number, bytes, done);
  };
  try {
    fd = openSync(tmp, 'w');
  } catch (e) {
    fail(e);
  }
  return {
    write(text) {
      pending += text;
      try {
        if (pending.length >= 1 << 16) flush();
      } catch (e) {
        fail(e);
      }
    },
    commit() {
      try {
        flush();
        fsyncSync(fd as number);
        closeSync(fd as number);
        fd = undefined;
        renameSync(tmp, path);
      } catch (e) {
        fail(e);
      }
    },
    abandon() {
      try {
        fail(undefined);
      } catch {
        // the output was never committed: nothing under its name
      }
    },
  };
}

/**
 * Streams an output through a temporary file that is synced and renamed to `path` when
 * `produce` returns: the whole output is never held in memory, never a half-file under its name.
 */
export function writeOutputStream(path: string, what: string, produce: (write: (text: string) => void) => void): void {
  const output = openOutput(path, what);
  try {
    produce((text) => output.write(text));
  } catch (e) {
    output.abandon();
    throw e;
  }
  output.commit();
}
