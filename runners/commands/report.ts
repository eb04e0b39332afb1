/** `resnet-repro report`: the static site from any number of results. */
import { join } from 'node:path';
import { writeSite } from '../../reports/site.js';
import type { RegisterCommand } from './options.js';
import { comparisonFor, readResultsAt, suiteByName } from './shared.js';

export async function reportCommand(paths: string[], options: { out: string; baseline?: string }): Promise<string> {
  const inputs = paths.map((p) => {
    const results = readResultsAt(p);
    const { comparison, baseline } = comparisonFor(results, options.baseline);
    return { results, suite: suiteByName(results.suite.name), comparison, baseline };
  });
  const pages = await writeSite(options.out, inputs);
  return `${join(options.out, 'index.html')} (${pages.length} page${pages.length === 1 ? '' : 's'})`;
}

export const register: RegisterCommand = (program) => {
  program
    .command('report')
    .description('write a static HTML site: an index of runs and a page per suite run (tables, error curves, Fig. 7, throughput, history, environment; CSV for each)')
    .argument('<results...>', 'results.json files or folders (several of one suite give its history)')
    .requiredOption('--out <dir>', 'site folder, e.g. site/')
    .option('--baseline <file>', 'baseline to compare with (default: the recorded one for each result)')
    .action(async (paths: string[], options: { out: string; baseline?: string }) => {
      process.stdout.write(`${await reportCommand(paths, options)}\n`);
    });
};
