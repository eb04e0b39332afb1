/**
 * Writing outputs so that a crash, a full disk or a kill never leaves a
 * truncated file where a valid one was: a temporary file beside the target,
 * flushed to disk, then renamed over it. Failures a user can fix (no space,
 * no permission, a file where a folder should be) become InputErrors.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { InputError } from './errors.js';

const USER_FIXABLE: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOTDIR: 'a file stands where a folder is needed',
  EISDIR: 'it is a folder',
};

/** Writes `text` to `path` atomically, creating its folder. */
export function writeFileAtomically(path: string, text: string | Uint8Array): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(tmp, 'w');
    try {
      const bytes = typeof text === 'string' ? Buffer.from(text) : text;
      for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code && code in USER_FIXABLE) throw new InputError(`cannot write ${path}: ${USER_FIXABLE[code]} (${code}); nothing was changed there`);
    throw error;
  }
}
