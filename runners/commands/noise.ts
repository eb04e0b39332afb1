/** `resnet-repro noise`: the noise curve of runs of one recipe at several lengths, and what each length costs to gate. */
import { formatDuration, formatSummary } from '../../reports/reporter.js';
import { textTable } from '../../reports/text-table.js';
import { type NoisePoint, noisePoints, type NoiseRow, noiseRows } from '../compare/noise.js';
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
  const header = ['model', 'iterations', 'seeds', 'test error', 'training error', `first test error < ${Number((target * 100).toPrecision(4))} %`, 'one run: fastest (mean)', `seeds a side for ${(detect * 100).toFixed(1)} pts`, 'our CPU time for it'];
  const cells = rows.map((r) => [
    r.model,
    r.iterations.toLocaleString('en-US'),
    String(r.seeds.length),
    formatSummary('testError', r.testError),
    formatSummary('trainError', r.trainError),
    r.timeToTarget.iterations ? `${formatSummary('iterations', r.timeToTarget.iterations)} (${r.timeToTarget.reached}/${r.timeToTarget.runs} reached; every ${r.evalEvery})` : `not reached (0/${r.timeToTarget.runs})`,
    `${formatDuration(r.fastestSeconds)} (mean ${formatDuration(r.wallSeconds.mean)})`,
    r.seedsToDetect === null ? '–' : String(r.seedsToDetect),
    r.cpuSecondsToDetect === null ? '–' : formatDuration(r.cpuSecondsToDetect),
  ]);
  return `${textTable(header, cells)}\n`;
}

export const register: RegisterCommand = (program) => {
  program
    .command('noise')
    .description("the noise curve: seed-to-seed σ of test and training error and of a time-to-target, and each run's wall time, for runs of one recipe at several lengths")
    .argument('<results...>', 'results.json files or folders (one per length)')
    .option('--target <percent>', 'time-to-target: the first evaluation with test error below this', percentage('--target', 'a test error in percent', '50 or 40', 99.99), 0.5)
    .option('--detect <points>', 'the test-error shift to size the design for, in points', percentage('--detect', 'an effect in percentage points of error', '1 or 0.5'), 0.01)
    .option('--json', 'print the points as JSON (errors as fractions)')
    .action((paths: string[], options: { target: number; detect: number; json?: boolean }) => {
      const rows = noiseRows(noisePointsAt(paths, options.target), options.detect);
      process.stdout.write(options.json ? `${JSON.stringify(rows, null, 1)}\n` : formatNoise(rows, options.target, options.detect));
    });
};
