/**
 * The commit of this resnet-repro checkout (the code that measured), and
 * whether its working tree had changes; null for an installed package.
 * Asked in the package's folder, not the caller's: a nightly job may run
 * from anywhere.
 */
import { execFileSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { PACKAGE_ROOT } from './paths.js';
export function gitState() {
    try {
        const git = (args) => execFileSync('git', ['-C', PACKAGE_ROOT, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
        // Installed under node_modules of another repository, the commit would be that repository's.
        if (realpathSync(git(['rev-parse', '--show-toplevel'])) !== realpathSync(PACKAGE_ROOT))
            return null;
        return { commit: git(['rev-parse', 'HEAD']), dirty: git(['status', '--porcelain', '--untracked-files=no']) !== '' };
    }
    catch {
        return null;
    }
}
//# sourceMappingURL=git.js.map