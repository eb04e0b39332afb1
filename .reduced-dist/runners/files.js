/**
 * Writing outputs so that a crash, a full disk or a kill never leaves a
 * truncated file where a valid one was: a temporary file beside the target,
 * flushed to disk, then renamed over it. Failures a user can fix (no space,
 * no permission, a file where a folder should be) become InputErrors.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { InputError } from './errors.js';
const USER_FIXABLE = {
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'read-only file system',
    ENOTDIR: 'a file stands where a folder is needed',
    EISDIR: 'it is a folder',
    ENOENT: 'no such place',
};
/** A file-system error that escaped with its path (EACCES on a lock, ENOSPC mid-write…), as an InputError; else undefined. */
export function fileSystemProblem(error) {
    const e = error;
    if (!e?.code || !(e.code in USER_FIXABLE) || !e.path)
        return undefined;
    return new InputError(`cannot ${e.syscall ?? 'use'} ${e.path}: ${USER_FIXABLE[e.code]} (${e.code})`);
}
/** A file-system error a user can fix, as an InputError naming the path; anything else unchanged. */
function explain(error, what) {
    const code = error.code;
    return code && code in USER_FIXABLE ? new InputError(`cannot ${what}: ${USER_FIXABLE[code]} (${code}); nothing was changed there`) : error;
}
/**
 * Creates a folder and its missing parents, one level at a time. (Node's
 * recursive mkdir loops forever on paths such as /proc/foo, ignoring
 * signals; one level at a time fails at once with the reason.)
 */
export function ensureDir(path) {
    const missing = [];
    let dir = resolve(path);
    for (;;) {
        try {
            if (!statSync(dir).isDirectory())
                throw new InputError(`cannot use ${path} as a folder: ${dir} is a file`);
            break;
        }
        catch (error) {
            if (error instanceof InputError)
                throw error;
            if (error.code !== 'ENOENT')
                throw explain(error, `use ${path} as a folder`);
            missing.unshift(dir);
            if (dirname(dir) === dir)
                break;
            dir = dirname(dir);
        }
    }
    for (const d of missing) {
        try {
            mkdirSync(d);
        }
        catch (error) {
            if (error.code === 'EEXIST' && statSync(d).isDirectory())
                continue;
            throw error.code === 'ENOENT' ? new InputError(`cannot create the folder ${path}: ${d} cannot be made there`) : explain(error, `create the folder ${path}`);
        }
    }
}
/** Writes `data` (text, bytes, or bytes in pieces) to `path` atomically, creating its folder. */
export function writeFileAtomically(path, data) {
    const tmp = `${path}.tmp-${process.pid}`;
    ensureDir(dirname(path));
    const pieces = typeof data === 'string' ? [Buffer.from(data)] : data instanceof Uint8Array ? [data] : data;
    try {
        const fd = openSync(tmp, 'w');
        try {
            for (const bytes of pieces)
                for (let off = 0; off < bytes.length;)
                    off += writeSync(fd, bytes, off);
            fsyncSync(fd);
        }
        finally {
            closeSync(fd);
        }
        renameSync(tmp, path);
    }
    catch (error) {
        try {
            rmSync(tmp, { force: true });
        }
        catch {
            // Not ours to remove (e.g. a folder by that name): the write's own error says more.
        }
        throw explain(error, `write ${path}`);
    }
}
//# sourceMappingURL=files.js.map