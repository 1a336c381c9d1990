import { VlabError } from '../domain/errors.js';

/** What each errno means, in the words of strerror(3). */
const CAUSES: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EISDIR: 'is a directory',
  ENOTDIR: 'a component of the path is not a directory',
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EEXIST: 'file exists',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
  EFBIG: 'file too large',
  ENAMETOOLONG: 'file name too long',
  ELOOP: 'too many levels of symbolic links',
  EBUSY: 'device or resource busy',
  EXDEV: 'not on the same file system',
};

/** `ENOSPC (no space left on device)`: the errno of a host error and its meaning. */
export function causeOf(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && Object.hasOwn(CAUSES, code)) return `${code} (${CAUSES[code]})`;
  if (typeof code === 'string') return code;
  return e instanceof Error ? e.message.split('\n')[0] ?? 'unknown error' : String(e);
}

/** One line naming the action, the path and the cause: `cannot write trace 'out/t.vtrace': ENOSPC (no space left on device)`. */
export function ioError(action: string, path: string, e: unknown): VlabError {
  if (e instanceof VlabError) return e;
  return new VlabError('E_IO', `cannot ${action} '${path}': ${causeOf(e)}`);
}
