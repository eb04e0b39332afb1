/**
 * `resnet-repro paper` (what `npm start` runs): every suite at one preset,
 * each gated against its baseline, then the report site — the whole paper
 * in a few minutes at smoke. Each invocation writes a fresh folder per
 * backend and time, so a second run, a run after `setup tensorflow` or one
 * on another machine never meets results it would have to refuse.
 */
import { join } from 'node:path';
import type { PresetName } from '../records/recipe.js';
import { SUITES } from '../../suites/index.js';
import { describeBackend, initBackend, speedAdvice, type BackendRequest } from '../backend.js';
import { EXIT_CODES, type Verdict } from '../compare/compare.js';
import { runSuite } from '../suite/run.js';
import { Option } from 'commander';
import { addFlags, FLAGS } from './flags.js';
import { list, type RegisterCommand } from './options.js';
import { reportCommand } from './report.js';
import { comparisonFor, consoleProgress, EXIT_INTERRUPTED, presetOption, suiteByName, untilSignalled } from './shared.js';
import { dataDirectory } from './train.js';
import { REPORTERS } from '../../reports/index.js';
import { formatDuration } from '../../reports/reporter.js';

export interface PaperOptions {
  preset: PresetName;
  suites?: string[];
  out?: string;
  site: string;
  data?: string;
}

/** Worst first: the job's exit code is the worst suite's. */
const SEVERITY: readonly Verdict[] = ['fail', 'incomplete', 'inconclusive', 'pass'];

export async function paperCommand(options: PaperOptions, backendRequest: BackendRequest): Promise<number> {
  const started = performance.now();
  const backend = await initBackend(backendRequest, { gradients: true });
  process.stderr.write(`${describeBackend(backend)}\n`);
  const advice = speedAdvice(backend);
  if (advice) process.stderr.write(`${advice}\n`);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const root = options.out ?? join('results', `paper-${options.preset}`, `${backend.name}-${stamp}`);
  const suites = (options.suites ?? SUITES.map((s) => s.name)).map(suiteByName).filter((s) => s.kind === 'architecture' || s.presets[options.preset] !== undefined);
  const outcomes: { suite: string; verdict: Verdict; dir: string }[] = [];
  const { stopped } = await untilSignalled(async (shouldStop) => {
    for (const suite of suites) {
      if (shouldStop()) return;
      const dataset = suite.kind === 'training' ? suite.presets[options.preset]!.dataset : undefined;
      const dir = join(root, suite.name);
      process.stderr.write(`\n== ${suite.name} (${suite.paper}) at ${options.preset}\n`);
      const results = await runSuite({
        suite,
        preset: options.preset,
        overrides: {},
        dataDir: dataset && dataset !== 'synthetic' ? dataDirectory(dataset === 'cifar10' ? options.data : undefined, dataset) : undefined,
        shard: { index: 1, count: 1 },
        outDir: dir,
        backend,
        ...consoleProgress,
        shouldStop,
      });
      if (results.runs.some((r) => r.record.status === 'interrupted')) return;
      const { comparison } = comparisonFor(results);
      process.stdout.write(`\n${REPORTERS.console.render(comparison)}`);
      outcomes.push({ suite: suite.name, verdict: comparison.verdict, dir });
    }
  });
  if (stopped) return EXIT_INTERRUPTED;
  const site = await reportCommand(outcomes.map((o) => o.dir), { out: options.site });
  const worst = SEVERITY.find((v) => outcomes.some((o) => o.verdict === v)) ?? 'pass';
  const lines = [
    '',
    `the paper at ${options.preset} on ${backend.name}, ${formatDuration((performance.now() - started) / 1000)}:`,
    ...outcomes.map((o) => `  ${o.verdict.toUpperCase().padEnd(12)} ${o.suite}`),
    `results: ${root}`,
    `site: ${site}`,
    `verdict: ${worst.toUpperCase()} (exit ${EXIT_CODES[worst]})`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT_CODES[worst];
}

export const register: RegisterCommand = (program, cli) => {
  const command = program
    .command('paper')
    .description('run every suite at a preset (default smoke: the whole paper in minutes), gate each against its baseline, and write the report site; exits with the worst verdict')
    .addOption(presetOption())
    .option('--suites <list>', 'comma-separated suites instead of all ("resnet-repro list")', list);
  addFlags(
    command,
    FLAGS.out('results folder (default results/paper-<preset>/<backend>-<time>: a fresh one each time)'),
    new Option('--site <dir>', 'report site folder').default('site'),
    FLAGS.data('the CIFAR-10 folder, for presets that train on it', 'cifar10'),
  ).action(async (options: PaperOptions) => {
      process.exitCode = await paperCommand(options, cli.backend());
    });
};
