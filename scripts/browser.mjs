#!/usr/bin/env node
/**
 * Finds the Chromium or Chrome the report tests drive (playwright-core never
 * downloads one): $CHROMIUM_PATH, $CHROME_PATH, then the usual names on PATH
 * and places. `node scripts/browser.mjs --ensure` (npm's pretest) installs
 * Debian's chromium when none is found and it can (root with apt-get), and
 * otherwise says exactly how, exiting 1. Prints the browser's path.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome'];
const PLACES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium', '/opt/google/chrome/chrome', '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome', '/Applications/Chromium.app/Contents/MacOS/Chromium'];

const executable = (path) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

export function findBrowser(env = process.env) {
  for (const variable of ['CHROMIUM_PATH', 'CHROME_PATH']) {
    if (env[variable]) {
      if (executable(env[variable])) return env[variable];
      throw new Error(`${variable}=${env[variable]} is not an executable file`);
    }
  }
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  for (const name of NAMES) for (const dir of dirs) if (executable(join(dir, name))) return join(dir, name);
  return PLACES.find(executable);
}

export const HOW_TO_GET_ONE =
  'The report tests open pages in a real Chromium or Chrome. Install one (Debian/Ubuntu: "sudo apt-get install chromium"; macOS: install Google Chrome) or point CHROMIUM_PATH at one.';

if (import.meta.url === `file://${process.argv[1]}`) {
  let found = findBrowser();
  if (!found && process.argv.includes('--ensure')) {
    const root = typeof process.getuid === 'function' && process.getuid() === 0;
    const apt = spawnSync('apt-get', ['--version'], { stdio: 'ignore' }).status === 0;
    if (root && apt) {
      process.stderr.write('no Chromium or Chrome found: installing Debian\'s chromium for the report tests (apt-get install chromium)…\n');
      const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
      spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
      spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: ['ignore', 'ignore', 'inherit'], env });
      found = findBrowser();
    }
  }
  if (!found) {
    process.stderr.write(`${HOW_TO_GET_ONE}\n`);
    process.exit(1);
  }
  process.stdout.write(`${found}\n`);
}
