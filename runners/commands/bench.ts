/** `resnet-repro bench`: the throughput table, with PyTorch beside it when asked. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BACKEND_REQUESTS, type BackendChoice, type BackendRequest, initBackend } from '../backend.js';
import { type BenchReport, type BenchRow, runBench } from '../bench/bench.js';
import { UsageError } from '../errors.js';
import { parseModelName } from '../models/names.js';
import { PACKAGE_ROOT } from '../paths.js';
import { wholeNumber } from './options.js';

export interface BenchCommandOptions {
  backends?: string;
  batch: string;
  samples: string;
  loop: string;
  pytorch?: boolean;
  json?: string;
}

/** Runs scripts/bench_pytorch.py; a missing python or torch is a clear error. */
function pytorchRows(models: readonly string[], batch: number, samples: number): BenchRow[] {
  const result = spawnSync('python3', [join(PACKAGE_ROOT, 'scripts', 'bench_pytorch.py'), '--models', models.join(','), '--batch', String(batch), '--samples', String(samples)], { encoding: 'utf8' });
  if (result.error) throw new UsageError(`--pytorch needs python3: ${result.error.message}`);
  if (result.status !== 0) {
    const why = /No module named 'torch'/.test(result.stderr) ? 'torch is not installed (pip install torch --index-url https://download.pytorch.org/whl/cpu, or apt-get install python3-torch)' : result.stderr.trim().split('\n').at(-1);
    throw new UsageError(`the PyTorch reference failed: ${why}`);
  }
  return result.stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as BenchRow);
}

export function formatBench(report: BenchReport): string {
  const torch = report.rows.filter((r) => r.backend.startsWith('pytorch'));
  const header = ['model', 'backend', 'task', 'batch', 'images/s', 'mean ms', 'p99 ms', 'n', 'vs PyTorch'];
  const rows = report.rows.map((r) => {
    const ref = torch.find((t) => t.model === r.model && t.task === (r.task === 'train-loop' ? 'train-step' : r.task));
    const ratio = ref && !r.backend.startsWith('pytorch') ? `${(r.imagesPerSecond / ref.imagesPerSecond).toFixed(2)}×` : '';
    return [r.model, r.backend, r.task, String(r.batchSize), r.imagesPerSecond.toFixed(1), r.meanMs.toFixed(1), r.p99Ms.toFixed(1), String(r.samples), ratio];
  });
  const overhead = report.rows
    .filter((r) => r.task === 'train-loop')
    .map((loop) => {
      const step = report.rows.find((s) => s.task === 'train-step' && s.model === loop.model && s.backend === loop.backend);
      return step ? `harness overhead ${loop.model} on ${loop.backend}: ${((loop.meanMs / step.meanMs - 1) * 100).toFixed(1)} % (loop ${loop.meanMs.toFixed(0)} ms vs bare step ${step.meanMs.toFixed(0)} ms per iteration)` : '';
    })
    .filter(Boolean);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return `${[line(header), ...rows.map(line), ...overhead].join('\n')}\n`;
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
  const batch = wholeNumber('--batch', options.batch, 1)!;
  const samples = wholeNumber('--samples', options.samples, 1)!;
  if (options.pytorch) {
    for (const m of names) if (!/^resnet\d+$/.test(m) || parseModelName(m).dataset !== 'cifar10') throw new UsageError(`--pytorch compares CIFAR ResNets (resnet20, resnet56, …), not ${m}`);
  }
  const report = await runBench({ models: names, backends, batchSize: batch, samples, loopIterations: wholeNumber('--loop', options.loop, 0)!, log: (l) => process.stderr.write(`bench: ${l}\n`) });
  if (options.pytorch) {
    process.stderr.write('bench: PyTorch reference\n');
    report.rows.push(...pytorchRows(names, batch, samples));
  }
  process.stdout.write(formatBench(report));
  if (options.json) writeFileSync(options.json, `${JSON.stringify(report, null, 1)}\n`);
}
