/**
 * One live run per output folder. The lock file holds the owner's pid; a lock
 * left by a process that no longer exists is taken over, with a note. The
 * lock appears with its pid already in it (written to a temporary file, then
 * hard-linked into place, which fails if a lock exists), so no other run can
 * ever read an empty lock and take it for a stale one.
 */
import { linkSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
function alive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (error) {
        return error.code === 'EPERM';
    }
}
export function lockRunFolder(dir, log) {
    const path = join(dir, 'run.lock');
    for (let attempt = 0; attempt < 2; attempt++) {
        const mine = `${path}.${process.pid}`;
        try {
            writeFileSync(mine, String(process.pid));
            linkSync(mine, path);
            removeLeftovers(dir, log);
            return () => rmSync(path, { force: true });
        }
        catch (error) {
            if (error.code !== 'EEXIST')
                throw error;
            const owner = Number(readFileSync(path, 'utf8').trim());
            if (Number.isInteger(owner) && owner > 0 && alive(owner)) {
                throw new InputError(`${dir} is in use by another run (pid ${owner}). Wait for it, stop it, or choose another --out.`);
            }
            log(`taking over the stale lock of pid ${owner || '?'} in ${dir}`);
            rmSync(path, { force: true });
        }
        finally {
            rmSync(mine, { force: true });
        }
    }
    throw new InputError(`could not lock ${dir}`);
}
/** Temporary files (`<name>.tmp-<pid>`) that a killed process left in the folder we now own. */
function removeLeftovers(dir, log) {
    for (const name of readdirSync(dir)) {
        const pid = Number(/\.tmp-(\d+)$/.exec(name)?.[1]);
        if (pid > 0 && pid !== process.pid && !alive(pid)) {
            rmSync(join(dir, name), { force: true });
            log(`removed ${name}, left by a process that no longer runs`);
        }
    }
}
//# sourceMappingURL=lock.js.map