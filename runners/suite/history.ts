/**
 * The results store a nightly job keeps between runs: a folder, append-only,
 * one file per result set at `<suite>/<preset>/<backend>/<date>-<commit>.json`.
 * It can live in a branch (as github-action-benchmark keeps its data) or a
 * bucket; `run --history`/`compare --history` add to it and
 * `report --history` draws every page's history from it.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { InputError } from '../errors.js';
import { ensureDir, writeFileAtomically } from '../files.js';
import { commitOf, pathNames, readResults, type ResultSet } from '../records/results.js';

/** Adds `results` to the store; returns the file written, or the one already holding the same results. */
export function appendToHistory(dir: string, results: ResultSet): string {
  const folder = join(dir, ...pathNames('history', results.suite.name, results.preset, results.backend.name));
  ensureDir(folder);
  const date = results.createdAt.replace(/[:.]/g, '-').replace(/[^0-9TZ-]/g, '');
  // A commit from a results file becomes part of a path: only a hexadecimal hash is taken as one.
  const recorded = commitOf(results)?.commit;
  const commit = recorded && /^[0-9a-f]{7,64}$/i.test(recorded) ? recorded.slice(0, 7) : 'nogit';
  const text = `${JSON.stringify(results)}\n`;
  for (let k = 1; ; k++) {
    const path = join(folder, `${date}-${commit}${k > 1 ? `-${k}` : ''}.json`);
    if (!existsSync(path)) {
      writeFileAtomically(path, text);
      return path;
    }
    // Append-only: an existing file is never replaced; the same results twice are stored once.
    if (readFileSync(path, 'utf8') === text) return path;
  }
}

/** Every result set in the store (any depth), oldest first; a file that is not one is an error naming it. */
export function readHistory(dir: string): { path: string; results: ResultSet }[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new InputError(`history folder ${dir} does not exist: create it, or pass the folder "run --history" writes to`);
  const files: string[] = [];
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(d, entry.name);
      if (entry.name.startsWith('.')) continue; // e.g. the .git of a history kept on a branch
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.json')) files.push(path);
    }
  };
  walk(dir);
  return files
    .map((path) => {
      try {
        return { path, results: readResults(path) };
      } catch (e) {
        throw new InputError(`${relative(process.cwd(), path)} in the history folder is not a result set: ${(e as Error).message}`);
      }
    })
    .sort((a, b) => a.results.createdAt.localeCompare(b.results.createdAt));
}
