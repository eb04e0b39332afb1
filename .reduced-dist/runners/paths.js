/** Locations inside the installed package, the same from sources (tsx) and from dist/. */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
function findPackageRoot(start) {
    for (let dir = start;; dir = dirname(dir)) {
        if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'baselines')))
            return dir;
        if (dirname(dir) === dir)
            throw new Error(`resnet-repro: package root not found above ${start}`);
    }
}
export const PACKAGE_ROOT = findPackageRoot(dirname(fileURLToPath(import.meta.url)));
export const BASELINES_DIR = join(PACKAGE_ROOT, 'baselines');
//# sourceMappingURL=paths.js.map