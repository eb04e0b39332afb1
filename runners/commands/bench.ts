/** `resnet-repro bench`: the throughput table, with PyTorch beside it when asked. */
import { existsSync, statSync } from 'node:fs';
import { BACKEND_REQUESTS, type BackendChoice, type BackendRequest, initBackend } from '../backend.js';
import { type BenchReport, type PairedFigure, runBench } from '../bench/bench.js';
import { startPytorch } from '../bench/pytorch.js';
import { UsageError } from '../errors.js';
import { parseModelName } from '../models/names.js';
import { writeFileAtomically } from '../files.js';
import { MAX_BATCH, wholeNumber } from './options.js';

export interface BenchCommandOptions {
  backends?: string;
  batch: string;
  samples: string;
  rounds: string;
  loop: string;
  pytorch?: boolean;
  json?: string;
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
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const overhead = report.paired
    .filter((f) => f.kind === 'harness-overhead')
    .flatMap((f) => {
      const outside = report.paired.find((o) => o.kind === 'outside-step' && o.model === f.model && o.backend === f.backend);
      return [
        `harness overhead ${f.model} on ${f.backend}: ${range(f, percent)}: the training loop's time per iteration against a bare step's`,
        ...(outside ? [`  of which outside the step (batch preparation, bookkeeping), timed in the same iterations: ${range(outside, percent)}`] : []),
      ];
    });
  const notes = [
    `images/s: median over ${report.rounds} round${report.rounds === 1 ? '' : 's'}; ratios are taken within each round (median, and the range over rounds); mean and p99 ms over all timed runs.`,
    ...overhead,
  ];
  return `${[line(header), ...rows.map(line), '', ...notes].join('\n')}\n`;
}

export async function benchCommand(models: string[], options: BenchCommandOptions, backendRequest: BackendRequest): Promise<void> {
  const names = (models.length > 0 ? models : ['resnet20', 'resnet56', 'resnet110']).map((m) => parseModelName(m).name);
  let backends: BackendChoice[];
  if (options.backends) {
    backends = options.backends.split(',').map((b) => b.trim()) as BackendChoice[];
    for (const b of backends) if (!BACKEND_REQUESTS.includes(b) || b === ('auto' as string)) throw new UsageError(`unknown backend "${b}" in --backends`);
  } else {
    backends = [(await initBackend(backendRequest, { gradients: true })).choice];
  }
  if (options.json && existsSync(options.json) && statSync(options.json).isDirectory()) throw new UsageError(`--json names a file to write; ${options.json} is a folder`);
  const batch = wholeNumber('--batch', options.batch, 1, MAX_BATCH)!;
  const samples = wholeNumber('--samples', options.samples, 1)!;
  if (options.pytorch) {
    for (const m of names) if (!/^resnet\d+$/.test(m) || parseModelName(m).dataset !== 'cifar10') throw new UsageError(`--pytorch compares CIFAR ResNets (resnet20, resnet56, …), not ${m}`);
  }
  const rounds = wholeNumber('--rounds', options.rounds, 1)!;
  const loopIterations = wholeNumber('--loop', options.loop, 0)!;
  const reference = options.pytorch ? await startPytorch(batch) : undefined;
  try {
    const report = await runBench({ models: names, backends, batchSize: batch, samples, rounds, loopIterations, reference, log: (l) => process.stderr.write(`bench: ${l}\n`) });
    process.stdout.write(formatBench(report));
    if (options.json) writeFileAtomically(options.json, `${JSON.stringify(report, null, 1)}\n`);
  } finally {
    reference?.close();
  }
}
