/** `resnet-repro run`: a suite (or one shard of it), then the comparison and the gate. */
import { join } from 'node:path';
import { Option } from 'commander';
import type { PresetName } from '../../suites/define.js';
import { describeBackend, initBackend, speedAdvice } from '../backend.js';
import { runSuite } from '../suite/run.js';
import { parseShard, presetOf } from '../suite/units.js';
import { FAULT_NAMES, type FaultName } from '../train/faults.js';
import { list, MAX_ITERATIONS, type RegisterCommand, whole } from './options.js';
import { consoleProgress, EXIT_INTERRUPTED, type GateOutputOptions, gate, MAX_FIRST_SEED, MAX_SEEDS, presetOption, suiteByName, untilSignalled, withGateOutputs } from './shared.js';
import { dataDirectory } from './train.js';

export interface RunOptions extends GateOutputOptions {
  preset: PresetName;
  models?: string[];
  seeds?: number;
  firstSeed?: number;
  iterations?: number;
  evalEvery?: number;
  data?: string;
  shard?: { index: number; count: number };
  out?: string;
  fault?: FaultName;
  conformance: boolean;
}

export async function runCommand(name: string, options: RunOptions, backendRequest: Parameters<typeof initBackend>[0]): Promise<number> {
  const suite = suiteByName(name);
  const { preset } = options;
  const shard = options.shard ?? { index: 1, count: 1 };
  const dataset = suite.kind === 'training' ? presetOf(suite, preset).dataset : undefined;
  const dataDir = dataset && dataset !== 'synthetic' ? dataDirectory(options.data, dataset) : undefined;
  const backend = await initBackend(backendRequest, { gradients: suite.kind === 'training' });
  process.stderr.write(`${describeBackend(backend)}\n`);
  const advice = suite.kind === 'training' ? speedAdvice(backend) : undefined;
  if (advice) process.stderr.write(`${advice}\n`);
  const outDir = options.out ?? join('results', `${suite.name}-${preset}${shard.count > 1 ? `-shard${shard.index}of${shard.count}` : ''}`);
  const { value: results, stopped } = await untilSignalled((shouldStop) =>
    runSuite({
      suite,
      preset,
      overrides: {
        ...(options.models !== undefined ? { models: options.models } : {}),
        ...(options.seeds !== undefined ? { seeds: options.seeds } : {}),
        ...(options.firstSeed !== undefined ? { firstSeed: options.firstSeed } : {}),
        ...(options.iterations !== undefined ? { iterations: options.iterations } : {}),
        ...(options.evalEvery !== undefined ? { evalEvery: options.evalEvery } : {}),
      },
      dataDir,
      shard,
      outDir,
      backend,
      ...(options.fault ? { fault: options.fault } : {}),
      ...consoleProgress,
      shouldStop,
      conformance: options.conformance,
    }),
  );
  process.stderr.write(`results: ${join(outDir, 'results.json')} (${results.wallSeconds.toFixed(0)} s)\n`);
  if (stopped || results.runs.some((r) => r.record.status === 'interrupted')) return EXIT_INTERRUPTED;
  if (shard.count > 1) {
    process.stdout.write(`shard ${shard.index}/${shard.count} done: merge every shard's results with "resnet-repro merge", then "resnet-repro compare"\n`);
    return 0;
  }
  return gate(results, options);
}

export const register: RegisterCommand = (program, cli) => {
  withGateOutputs(
    program
      .command('run')
      .description('run a suite (or one shard), compare with its baseline and the paper, and gate: exit 0 pass, 1 regression or failed claim, 2 incomplete, 4 inconclusive')
      .argument('<suite>', 'suite name ("resnet-repro list")')
      .addOption(presetOption())
      .option('--models <list>', 'comma-separated models instead of the preset\'s', list)
      .option('--seeds <n>', 'seeds per model', whole('--seeds', 1, MAX_SEEDS))
      .option('--first-seed <n>', 'first seed (default 1): other seeds sample the same recipe, e.g. to pool into a baseline', whole('--first-seed', 1, MAX_FIRST_SEED))
      .option('--iterations <n>', 'iterations per run', whole('--iterations', 1, MAX_ITERATIONS))
      .option('--eval-every <n>', 'iterations between evaluations on the test set (part of the recipe a baseline must match)', whole('--eval-every', 1, MAX_ITERATIONS))
      .option('--data <dir>', 'dataset folder (default: $RESNET_REPRO_DATA, else ~/.cache/resnet-repro/data/<dataset>)')
      .option('--shard <i/n>', 'run shard i of n (balanced by cost); merge the shards afterwards', parseShard)
      .option('--out <dir>', 'output folder (default results/<suite>-<preset>); running again continues it')
      .addOption(new Option('--fault <name>', 'calibration only: plant a fault in the code path; recorded, never a baseline').choices(FAULT_NAMES))
      .option('--no-conformance', 'skip the conformance tier before training (to measure the statistics alone; smoke cannot pass without it)'),
  ).action(async (name: string, options: RunOptions) => {
    process.exitCode = await runCommand(name, options, cli.backend());
  });
};
