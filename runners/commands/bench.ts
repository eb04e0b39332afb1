/** `resnet-repro bench`: the throughput table, with PyTorch beside it when asked. */
import { existsSync, statSync } from 'node:fs';
import { textTable } from '../../reports/text-table.js';
import { type BackendChoice, type BackendRequest, initBackend } from '../backend.js';
import { type BenchReport, type PairedFigure, runBench, type StepProfile } from '../bench/bench.js';
import { startPytorch } from '../bench/pytorch.js';
import { UsageError } from '../errors.js';
import { parseModelName } from '../models/names.js';
import { writeFileAtomically } from '../files.js';
import { BACKEND_CHOICES, describeCpu, describeNativeKernels, isNativeBackend } from '../records/identity.js';
import { choiceList, MAX_BATCH, type RegisterCommand, whole } from './options.js';

export interface BenchCommandOptions {
  backends?: BackendChoice[];
  batch: number;
  samples: number;
  rounds: number;
  loop: number;
  pytorch?: boolean;
  json?: string;
  profile?: boolean;
}

/** Kernels shown per profile; the rest are summed into one line. */
const PROFILE_TOP = 12;

/** Each profiled pass: its heaviest kernels with calls, milliseconds and share of the kernels' sum. */
export function formatProfiles(profiles: readonly StepProfile[]): string {
  return profiles
    .map((p) => {
      const sum = p.kernels.reduce((a, k) => a + k.totalMs, 0);
      const shown = p.kernels.slice(0, PROFILE_TOP);
      const rest = p.kernels.slice(PROFILE_TOP);
      const unseen = p.wallMs - sum;
      const rows = [
        ...shown,
        ...(rest.length > 0 ? [{ name: `(${rest.length} others)`, calls: rest.reduce((a, k) => a + k.calls, 0), totalMs: rest.reduce((a, k) => a + k.totalMs, 0) }] : []),
        // tfjs: gradient functions that call the backend directly, and JavaScript; PyTorch: Python.
        ...(unseen > 0 ? [{ name: '(outside any kernel)', calls: 0, totalMs: unseen }] : []),
      ];
      const width = Math.max(...rows.map((k) => k.name.length));
      const lines = rows.map((k) => `  ${k.name.padEnd(width)}  ${String(k.calls).padStart(5)}  ${k.totalMs.toFixed(1).padStart(8)} ms  ${((100 * k.totalMs) / Math.max(sum, p.wallMs)).toFixed(1).padStart(5)} %`);
      const pass = p.pass === 'forward' ? 'one forward pass (evaluation)' : 'one training step';
      return [`profile ${p.model} on ${p.backend}: ${pass}, ${p.wallMs.toFixed(0)} ms wall while profiled; kernels (self time) sum to ${sum.toFixed(0)} ms`, ...lines].join('\n');
    })
    .join('\n\n');
}

const percent = (x: number) => `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} %`;
const range = (f: PairedFigure, show: (x: number) => string) => `${show(f.median)} (rounds ${show(f.min)} … ${show(f.max)})`;

export function formatBench(report: BenchReport): string {
  const header = ['model', 'backend', 'task', 'batch', 'images/s', 'mean ms', 'p99 ms', 'n', 'vs reference'];
  const rows = report.rows.map((r) => {
    const ratio = report.paired.find((f) => f.kind === 'vs-reference' && f.model === r.model && f.backend === r.backend && f.task === r.task);
    const backend = r.pairedWith && report.backends.length > 1 ? `${r.backend} (beside ${r.pairedWith})` : r.backend;
    return [r.model, backend, r.task, String(r.batchSize), r.imagesPerSecond.toFixed(1), r.meanMs.toFixed(1), r.p99Ms.toFixed(1), String(r.samples), ratio ? `${ratio.median.toFixed(2)}× (${ratio.min.toFixed(2)}–${ratio.max.toFixed(2)})` : ''];
  });
  const overhead = report.paired
    .filter((f) => f.kind === 'harness-overhead')
    .flatMap((f) => {
      const outside = report.paired.find((o) => o.kind === 'outside-step' && o.model === f.model && o.backend === f.backend);
      return [
        `harness overhead ${f.model} on ${f.backend}: ${range(f, percent)}: the training loop's time per iteration against a bare step's`,
        ...(outside ? [`  of which outside the step (batch preparation, bookkeeping), timed in the same iterations: ${range(outside, percent)}`] : []),
      ];
    });
  const machines = report.backends.map((b) => {
    const native = isNativeBackend(b.choice) ? ` (${describeNativeKernels(b.env ?? {})})` : '';
    // The reference process inherits the environment, preloaded allocator included: both sides run on the same one.
    return `${b.choice}${native} on ${b.gpuModel ?? describeCpu(b)}, ${b.allocator ?? 'system'} allocator`;
  });
  const notes = [
    ...machines,
    `images/s: median over ${report.rounds} round${report.rounds === 1 ? '' : 's'}; ratios are taken within each round (median, and the range over rounds); mean and p99 ms over all timed runs.`,
    ...overhead,
  ];
  const right = header.map((_, i): 'left' | 'right' => (i < 3 ? 'left' : 'right'));
  return `${[textTable(header, rows, right), '', ...notes].join('\n')}\n`;
}

export async function benchCommand(models: string[], options: BenchCommandOptions, backendRequest: BackendRequest): Promise<void> {
  const names = (models.length > 0 ? models : ['resnet20', 'resnet56', 'resnet110']).map((m) => parseModelName(m).name);
  if (options.json && existsSync(options.json) && statSync(options.json).isDirectory()) throw new UsageError(`--json names a file to write; ${options.json} is a folder`);
  const backends = options.backends ?? [(await initBackend(backendRequest, { gradients: true })).name];
  const { batch, samples, rounds, loop: loopIterations } = options;
  if (options.pytorch) {
    for (const m of names) if (!/^resnet\d+$/.test(m) || parseModelName(m).dataset !== 'cifar10') throw new UsageError(`--pytorch compares CIFAR ResNets (resnet20, resnet56, …), not ${m}`);
  }
  const reference = options.pytorch ? await startPytorch(batch) : undefined;
  try {
    const report = await runBench({ models: names, backends, batchSize: batch, samples, rounds, loopIterations, reference, profile: options.profile === true, log: (l) => process.stderr.write(`bench: ${l}\n`) });
    process.stdout.write(formatBench(report));
    if (report.profiles) process.stdout.write(`\n${formatProfiles(report.profiles)}\n`);
    if (options.json) writeFileAtomically(options.json, `${JSON.stringify(report, null, 1)}\n`);
  } finally {
    reference?.close();
  }
}

export const register: RegisterCommand = (program, cli) => {
  program
    .command('bench')
    .description('forward and training-step throughput per model × backend (tinybench; warm-up excluded), the input pipeline alone, and the training loop against a bare step')
    .argument('[models...]', 'models (default resnet20 resnet56 resnet110)')
    .option('--backends <list>', 'comma-separated backends (default: the one --backend selects)', choiceList('--backends', BACKEND_CHOICES))
    .option('--batch <n>', 'batch size', whole('--batch', 1, MAX_BATCH), 128)
    .option('--samples <n>', 'timed runs per task per round (after warm-up: 2 runs in the first round, 1 after)', whole('--samples', 1, 10_000), 5)
    .option('--rounds <n>', 'rounds; each times every task in turn, ratios are taken within a round', whole('--rounds', 1, 1000), 3)
    .option('--loop <n>', 'training-loop iterations timed per round for the harness overhead (0 skips)', whole('--loop', 0, 100_000), 5)
    .option('--pytorch', 'time the same models in PyTorch (scripts/bench_pytorch.py; needs python3 and torch) in the same rounds, and print the ratio')
    .option('--profile', 'also profile one forward pass and one training step per model: time per kernel (tf.profile), and per operator in PyTorch (torch.profiler) with --pytorch')
    .option('--json <file>', 'write the rows as JSON')
    .action(async (models: string[], options: BenchCommandOptions) => {
      await benchCommand(models, options, cli.backend());
    });
};
