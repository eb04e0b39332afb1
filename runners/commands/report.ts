/** `resnet-repro report`: the static site from any number of results. */
import { join } from 'node:path';
import { writeSite } from '../../reports/site.js';
import type { RegisterCommand } from './options.js';
import { InputError, UsageError } from '../errors.js';
import { referencesFor, sameRecipe } from '../compare/reference.js';
import { NOISE_DEFAULTS, noiseRows } from '../compare/noise.js';
import { readHistory } from '../suite/history.js';
import { noisePointsAt } from './noise.js';
import { comparisonFor, readResultsAt, suiteByName } from './shared.js';

export interface ReportOptions {
  out: string;
  baseline?: string;
  history?: string;
  /** Result sets of one recipe at several lengths: drawn as the noise curve (as `resnet-repro noise` tables them). */
  noise?: string[];
}

export async function reportCommand(paths: string[], options: ReportOptions): Promise<string> {
  const stored = options.history ? readHistory(options.history) : [];
  if (paths.length === 0 && stored.length === 0) throw new UsageError(options.history ? `${options.history} holds no results yet: pass results.json files too` : 'pass results.json files or folders, or --history DIR');
  // A result set given on the command line may be in the store already.
  const seen = new Set(stored.map((s) => JSON.stringify(s.results)));
  // A folder a failed or interrupted run left without results is skipped and named, not fatal: the site shows what there is.
  const readable = paths.flatMap((p) => {
    try {
      return [{ path: p, results: readResultsAt(p) }];
    } catch (e) {
      if (!(e instanceof InputError) || !/holds no results\.json/.test(e.message)) throw e;
      process.stderr.write(`report: skipped ${p}: it holds no results.json (a run that failed before writing any?)\n`);
      return [];
    }
  });
  if (readable.length === 0 && stored.length === 0) throw new InputError(`none of ${paths.join(', ')} holds results: nothing to report`);
  const given = readable.filter((g) => !seen.has(JSON.stringify(g.results)));
  const inputs = [...stored.map((s) => ({ ...s, stored: true })), ...given.map((g) => ({ ...g, stored: false }))].flatMap(({ path, results, stored: old }) => {
    try {
      const { comparison, baseline } = comparisonFor(results, options.baseline);
      const references = referencesFor(results.suite.name, results.preset).filter((r) => sameRecipe(r.run, results.settings));
      return [{ results, suite: suiteByName(results.suite.name), comparison, baseline, references }];
    } catch (e) {
      // The store outlives suite versions: an entry this version cannot judge is left out, and said so.
      if (!old || !(e instanceof InputError || e instanceof UsageError)) throw e;
      process.stderr.write(`history: left out ${path}: ${e.message}\n`);
      return [];
    }
  });
  const noise = options.noise ? noiseRows(noisePointsAt(options.noise, NOISE_DEFAULTS.target), NOISE_DEFAULTS.detect) : [];
  const pages = await writeSite(options.out, inputs, { noise });
  return `${join(options.out, 'index.html')} (${pages.length} page${pages.length === 1 ? '' : 's'})`;
}

export const register: RegisterCommand = (program) => {
  program
    .command('report')
    .description('write a static HTML site: an index of runs and a page per suite run (tables, error curves, Fig. 7, throughput, history, environment; CSV for each)')
    .argument('[results...]', 'results.json files or folders (several of one suite give its history)')
    .requiredOption('--out <dir>', 'site folder, e.g. site/')
    .option('--baseline <file>', 'baseline to compare with (default: the recorded one for each result)')
    .option('--history <dir>', 'also every result set in this results store ("run --history" adds to it)')
    .option('--noise <results...>', 'also a page drawing the noise curve of these results (one recipe at several lengths, as "resnet-repro noise" tables them)')
    .action(async (paths: string[], options: ReportOptions) => {
      process.stdout.write(`${await reportCommand(paths, options)}\n`);
    });
};
