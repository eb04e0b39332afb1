/** `resnet-repro baseline record`: a baseline from complete results, or more seeds pooled into one. */
import { appendBaseline, recordBaseline } from '../compare/baseline.js';
import { defaultBaselinePath, readBaseline, writeBaseline } from '../records/baseline.js';
import { InputError } from '../errors.js';
import { gitState } from '../git.js';
import type { RegisterCommand } from './options.js';
import { readResultsAt, suiteByName } from './shared.js';

export function recordCommand(path: string, options: { out?: string; append?: boolean }): string {
  const results = readResultsAt(path);
  const suite = suiteByName(results.suite.name);
  const git = gitState();
  const baseline = recordBaseline(results, suite, git ? `${git.commit}${git.dirty ? '+changes' : ''}` : null);
  const out = options.out ?? defaultBaselinePath(suite.name, results.preset, results.backend.name);
  if (options.append) {
    const existing = readBaseline(out);
    if (!existing) throw new InputError(`--append: there is no baseline at ${out} to pool into (record one without --append first)`);
    writeBaseline(out, appendBaseline(existing, baseline, out));
  } else {
    writeBaseline(out, baseline);
  }
  return out;
}

export const register: RegisterCommand = (program) => {
  program
    .command('baseline')
    .description('recorded baselines')
    .command('record')
    .description('record a baseline (mean, std, n and each seed\'s value; curve envelopes; the machine) from complete results, for review in a pull request')
    .argument('<results>', 'results.json, or the folder holding it')
    .option('--out <file>', 'default: baselines/recorded/<suite>/<preset>/<backend>.json')
    .option('--append', 'pool these runs (new seeds, same recipe and machine) into the existing baseline, keeping its history')
    .action((path: string, options: { out?: string; append?: boolean }) => {
      process.stdout.write(`${recordCommand(path, options)}\n`);
    });
};
