/**
 * `resnet-repro bench`: throughput of the forward pass and of a training step
 * (images/s, mean and p99 step time; warm-up excluded) per model × backend,
 * measured with tinybench; the input pipeline on its own; and our training
 * loop against a bare step on the same batch size (the harness overhead).
 * Benchmarks are commands whose numbers are written down, never assertions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { Bench } from 'tinybench';
import { type BackendChoice, type BackendInfo, initBackend } from '../backend.js';
import { openDataset } from '../data/datasets.js';
import { rng } from '../data/rng.js';
import { buildModel, decayedWeights } from '../models/build.js';
import { parseModelName } from '../models/names.js';
import { SGD_RECIPE } from '../train/schedule.js';
import { Sgd } from '../train/sgd.js';
import { train } from '../train/train.js';

export type BenchTask = 'forward' | 'train-step' | 'train-loop' | 'pipeline';

export interface BenchRow {
  readonly model: string;
  /** A tfjs backend, or "pytorch <version>" for the reference script's rows. */
  readonly backend: string;
  readonly task: BenchTask;
  readonly batchSize: number;
  readonly imagesPerSecond: number;
  readonly meanMs: number;
  readonly p99Ms: number;
  readonly samples: number;
}

export interface BenchOptions {
  readonly models: readonly string[];
  readonly backends: readonly BackendChoice[];
  readonly batchSize: number;
  /** Measured samples per task (after warm-up). */
  readonly samples: number;
  /** Training-loop iterations timed for the harness overhead (0 skips it). */
  readonly loopIterations: number;
  readonly log?: (line: string) => void;
}

export interface BenchReport {
  readonly createdAt: string;
  readonly backends: readonly Pick<BackendInfo, 'choice' | 'versions' | 'cpuModel' | 'gpuModel'>[];
  readonly rows: BenchRow[];
}

/** Runs tinybench tasks; rows use 1000 / mean latency (tinybench's mean throughput averages per-sample rates and overstates). */
async function measure(tasks: { name: string; fn: () => void | Promise<void> }[], samples: number): Promise<Map<string, { meanMs: number; p99Ms: number; samples: number }>> {
  const bench = new Bench({ iterations: samples, time: 0, warmupIterations: 2, warmupTime: 0 });
  for (const t of tasks) bench.add(t.name, t.fn);
  await bench.run();
  const out = new Map<string, { meanMs: number; p99Ms: number; samples: number }>();
  for (const task of bench.tasks) {
    const result = task.result;
    if (result.state !== 'completed') throw new Error(`benchmark ${task.name} ${result.state}${'error' in result ? `: ${String(result.error)}` : ''}`);
    out.set(task.name, { meanMs: result.latency.mean, p99Ms: result.latency.p99, samples: result.latency.samplesCount });
  }
  return out;
}

const row = (model: string, backend: string, task: BenchTask, batchSize: number, m: { meanMs: number; p99Ms: number; samples: number }): BenchRow => ({
  model,
  backend,
  task,
  batchSize,
  imagesPerSecond: (1000 * batchSize) / m.meanMs,
  ...m,
});

/** Forward and bare training step of one model on the active backend. */
async function benchModel(name: string, backend: string, options: BenchOptions): Promise<BenchRow[]> {
  const spec = parseModelName(name);
  const built = buildModel(spec, { seed: 1 });
  const b = options.batchSize;
  const x = tf.randomNormal([b, spec.inputSize, spec.inputSize, 3], 0, 1, 'float32', 1);
  const labels = tf.oneHot(tf.tensor1d(Array.from({ length: b }, (_, i) => i % spec.numClasses), 'int32'), spec.numClasses);
  const variables = built.model.trainableWeights.map((w) => w.read() as tf.Variable);
  const sgd = new Sgd(SGD_RECIPE, new Set(decayedWeights(built).map((w) => w.name)));
  try {
    const results = await measure(
      [
        { name: 'forward', fn: () => tf.tidy(() => void (built.model.apply(x, { training: false }) as tf.Tensor).dataSync()) },
        {
          // What the loop does per step, without batch preparation or bookkeeping.
          name: 'train-step',
          fn: () =>
            tf.tidy(() => {
              const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(labels, built.model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, variables);
              value.dataSync();
              sgd.apply(variables, grads, 0.01);
            }),
        },
      ],
      options.samples,
    );
    return [row(spec.name, backend, 'forward', b, results.get('forward')!), row(spec.name, backend, 'train-step', b, results.get('train-step')!)];
  } finally {
    sgd.dispose();
    built.model.dispose();
    tf.dispose([x, labels]);
  }
}

/**
 * The training loop itself on generated data: per-iteration wall time
 * between consecutive progress events (batch preparation, the step, the
 * bookkeeping), warm-up and the final evaluation excluded.
 */
async function benchLoop(name: string, info: BackendInfo, options: BenchOptions): Promise<BenchRow> {
  const stamps: number[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'bench-loop-'));
  try {
    await train({
      model: name,
      data: openDataset({ name: 'synthetic', trainLimit: Math.max(options.batchSize * 4, 512), testLimit: 16 }),
      iterations: options.loopIterations + 2,
      seed: 1,
      outDir: dir,
      resume: false,
      batchSize: options.batchSize,
      logEvery: 1,
      evalEvery: options.loopIterations + 2,
      checkpointEvery: options.loopIterations + 2,
      backend: info,
      onProgress: (e) => {
        if (e.point) stamps.push(performance.now());
      },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const deltas = stamps.slice(1).map((t, i) => t - stamps[i]!).slice(1); // the first two iterations are warm-up
  const sorted = [...deltas].sort((a, b) => a - b);
  const meanMs = deltas.reduce((a, b) => a + b, 0) / deltas.length;
  return row(parseModelName(name).name, info.choice, 'train-loop', options.batchSize, { meanMs, p99Ms: sorted[Math.min(sorted.length - 1, Math.floor(0.99 * sorted.length))]!, samples: deltas.length });
}

/** The CIFAR input pipeline alone: augmentation of in-memory images into a float batch. */
async function benchPipeline(options: BenchOptions): Promise<BenchRow> {
  const data = openDataset({ name: 'synthetic', trainLimit: 4096, testLimit: 16 });
  let it = 0;
  const results = await measure(
    [{ name: 'pipeline', fn: async () => void (await data.trainBatch(Uint32Array.from({ length: options.batchSize }, (_, i) => (it * options.batchSize + i) % 4096), rng(1, 'augment', it++))) }],
    Math.max(options.samples, 20),
  );
  return row('cifar-augmentation', 'js', 'pipeline', options.batchSize, results.get('pipeline')!);
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const log = options.log ?? (() => {});
  const rows: BenchRow[] = [];
  const backends: BenchReport['backends'][number][] = [];
  rows.push(await benchPipeline(options));
  for (const choice of options.backends) {
    const info = await initBackend(choice, { gradients: true });
    backends.push({ choice: info.choice, versions: info.versions, cpuModel: info.cpuModel, gpuModel: info.gpuModel });
    for (const model of options.models) {
      log(`${choice}: ${model}`);
      rows.push(...(await benchModel(model, info.choice, options)));
      if (options.loopIterations > 0) rows.push(await benchLoop(model, info, options));
    }
  }
  return { createdAt: new Date().toISOString(), backends, rows };
}
