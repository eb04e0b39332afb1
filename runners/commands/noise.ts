/** `resnet-repro noise`: the noise curve of runs of one recipe at several lengths, and what each length costs to gate. */
import { noiseCells, noiseHeader } from '../../reports/noise-table.js';
import { textTable } from '../../reports/text-table.js';
import { NOISE_DEFAULTS, type NoisePoint, noisePoints, type NoiseRow, noiseRows } from '../compare/noise.js';
import { FLAGS } from './flags.js';
import { percentage, type RegisterCommand } from './options.js';
import { readResultsAt } from './shared.js';

/** The noise points of result sets given on the command line (sets of one recipe pool); a set without completed runs yet is named. */
export function noisePointsAt(paths: readonly string[], target: number): NoisePoint[] {
  const sets = paths.map((path) => ({ path, results: readResultsAt(path) }));
  for (const { path, results } of sets) {
    if (!results.runs.some((r) => r.record.status === 'completed')) process.stderr.write(`${path}: no completed runs yet (resume it with the run command that made it)\n`);
  }
  return noisePoints(sets.map((s) => s.results), target);
}

export function formatNoise(rows: readonly NoiseRow[], target: number, detect: number): string {
  return `${textTable(noiseHeader(target, detect), rows.map(noiseCells))}\n`;
}

export const register: RegisterCommand = (program) => {
  program
    .command('noise')
    .description("the noise curve: seed-to-seed σ of test and training error and of a time-to-target, and each run's wall time, for runs of one recipe at several lengths")
    .argument('<results...>', 'results.json files or folders (one per length)')
    .option('--target <percent>', 'time-to-target: the first evaluation with test error below this', percentage('--target', 'a test error in percent', '50 or 40', 99.99), NOISE_DEFAULTS.target)
    .addOption(FLAGS.detect('the test-error shift to size the design for, in points').default(NOISE_DEFAULTS.detect))
    .option('--json', 'print the points as JSON (errors as fractions)')
    .action((paths: string[], options: { target: number; detect: number; json?: boolean }) => {
      const rows = noiseRows(noisePointsAt(paths, options.target), options.detect);
      process.stdout.write(options.json ? `${JSON.stringify(rows, null, 1)}\n` : formatNoise(rows, options.target, options.detect));
    });
};
