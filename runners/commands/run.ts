/** `resnet-repro run`: a suite (or one shard of it), then the comparison and the gate. */
import { join } from 'node:path';
import type { PresetName } from '../records/recipe.js';
import { describeBackend, initBackend, speedAdvice } from '../backend.js';
import { runSuite } from '../suite/run.js';
import { presetOf } from '../suite/units.js';
import { addFlags, FLAGS, type FlagValues } from './flags.js';
import type { RegisterCommand } from './options.js';
import { consoleProgress, EXIT_INTERRUPTED, type GateOutputOptions, gate, presetOption, suiteByName, untilSignalled, withGateOutputs } from './shared.js';
import { dataDirectory } from './train.js';

export type RunOptions = GateOutputOptions &
  Pick<FlagValues, 'models' | 'seeds' | 'firstSeed' | 'iterations' | 'evalEvery' | 'data' | 'shard' | 'out' | 'fault' | 'conformance'> & { preset: PresetName };

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
  const command = program
    .command('run')
    .description('run a suite (or one shard), compare with its baseline and the paper, and gate: exit 0 pass, 1 regression or failed claim, 2 incomplete, 4 inconclusive')
    .argument('<suite>', 'suite name ("resnet-repro list")')
    .addOption(presetOption());
  addFlags(
    command,
    FLAGS.models("the preset's"),
    FLAGS.seeds("the preset's"),
    FLAGS.firstSeed(),
    FLAGS.iterations(),
    FLAGS.evalEvery(),
    FLAGS.data(),
    FLAGS.shard(),
    FLAGS.out('output folder (default results/<suite>-<preset>); running again continues it'),
    FLAGS.fault(),
    FLAGS.noConformance(' before training (to measure the statistics alone; smoke cannot pass without it)'),
  );
  withGateOutputs(command).action(async (name: string, options: RunOptions) => {
    process.exitCode = await runCommand(name, options, cli.backend());
  });
};
