/** `resnet-repro calibrate`: the gate measured against clean reruns and planted faults. */
import { join } from 'node:path';
import { Option } from 'commander';
import type { PresetName } from '../records/recipe.js';
import { type BackendRequest, describeBackend, initBackend } from '../backend.js';
import { defaultBaselinePath, readBaseline } from '../records/baseline.js';
import { InputError, UsageError } from '../errors.js';
import { writeFileAtomically } from '../files.js';
import { calibrationTable } from '../../reports/calibration-table.js';
import { calibrate } from '../compare/calibrate.js';
import { presetOf } from '../suite/units.js';
import { FAULT_NAMES, type FaultName } from '../records/faults.js';
import { addFlags, FLAGS, type FlagValues } from './flags.js';
import { choiceList, type RegisterCommand, whole } from './options.js';
import { consoleProgress, EXIT_INTERRUPTED, presetOption, suiteByName, untilSignalled } from './shared.js';
import { dataDirectory } from './train.js';

export type CalibrateOptions = Pick<FlagValues, 'models' | 'seeds' | 'data' | 'out' | 'conformance'> & {
  preset: PresetName;
  reruns: number;
  faults?: FaultName[];
  baseline?: string;
};

export async function calibrateCommand(name: string, options: CalibrateOptions, backendRequest: BackendRequest): Promise<number> {
  const suite = suiteByName(name);
  if (suite.kind !== 'training') throw new UsageError(`${suite.name} counts architectures: nothing to calibrate`);
  const { preset } = options;
  const faults = options.faults ?? [...FAULT_NAMES];
  if (options.reruns === 0 && faults.length === 0) throw new UsageError('nothing to calibrate: --reruns 0 and no --faults; ask for clean reruns, faults, or both');
  const backend = await initBackend(backendRequest, { gradients: true });
  process.stderr.write(`${describeBackend(backend)}\n`);
  const path = options.baseline ?? defaultBaselinePath(suite.name, preset, backend.name);
  const data = readBaseline(path);
  if (!data) throw new InputError(`no baseline at ${path} to calibrate against: record one first ("resnet-repro run ${suite.name} --preset ${preset}", then "baseline record")`);
  const dataset = presetOf(suite, preset).dataset;
  const outDir = options.out ?? join('results', `calibrate-${suite.name}-${preset}`);
  const { value: rows, stopped } = await untilSignalled((shouldStop) =>
    calibrate({
      suite,
      preset,
      ...(options.models !== undefined ? { models: options.models } : {}),
      ...(options.seeds !== undefined ? { seeds: options.seeds } : {}),
      reruns: options.reruns,
      faults,
      baseline: { path, data },
      ...(dataset !== 'synthetic' ? { dataDir: dataDirectory(options.data, dataset) } : {}),
      outDir,
      backend,
      ...consoleProgress,
      shouldStop,
      conformance: options.conformance,
    }),
  );
  const table = calibrationTable(rows);
  writeFileAtomically(join(outDir, 'calibration.md'), table);
  writeFileAtomically(join(outDir, 'calibration.json'), `${JSON.stringify(rows, null, 1)}\n`);
  process.stdout.write(table);
  return stopped ? EXIT_INTERRUPTED : 0;
}

export const register: RegisterCommand = (program, cli) => {
  const command = program
    .command('calibrate')
    .description('measure the gate: clean reruns (new seeds) and each planted fault, compared with the recorded baseline; prints which faults are caught and the false alarms')
    .argument('<suite>', 'suite name ("resnet-repro list")')
    .addOption(presetOption());
  addFlags(
    command,
    FLAGS.models("the baseline's"),
    FLAGS.seeds("the baseline's"),
    new Option('--reruns <n>', 'clean reruns, each with new seeds').argParser(whole('--reruns', 0, 100)).default(2),
    new Option('--faults <list>', `comma-separated faults (default all: ${FAULT_NAMES.join(', ')})`).argParser(choiceList('--faults', FAULT_NAMES)),
    new Option('--baseline <file>', 'baseline to calibrate against (default: the recorded one for this suite × preset × backend)'),
    FLAGS.data(),
    FLAGS.out('output folder (default results/calibrate-<suite>-<preset>); running again continues it'),
    FLAGS.noConformance(': measure what the statistics alone catch'),
  ).action(async (name: string, options: CalibrateOptions) => {
    process.exitCode = await calibrateCommand(name, options, cli.backend());
  });
};
