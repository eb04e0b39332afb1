/**
 * `resnet-repro bench`: throughput of the forward pass and of a training step
 * (images/s, mean and p99 step time; warm-up excluded) per model × backend,
 * measured with tinybench; the input pipeline on its own; our training loop
 * against a bare step on the same batch size (the harness overhead); and,
 * when given, a reference framework on the same models.
 *
 * This machine's speed drifts by tens of percent over minutes, so a ratio of
 * two figures measured minutes apart says little. Every figure is therefore
 * measured in rounds: each round times every task of a model in turn (the
 * order reversed every other round), and ratios are taken within a round,
 * then summarised by their median and range over the rounds.
 * Benchmarks are commands whose numbers are written down, never assertions.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { max, mean, median, min, quantileSorted } from 'simple-statistics';
import { Bench } from 'tinybench';
import { type BackendChoice, type BackendInfo, backendRecord, describeBackend, initBackend } from '../backend.js';
import type { BackendRecord } from '../records/identity.js';
import { openDataset } from '../data/datasets.js';
import { rng } from '../data/rng.js';
import { buildModel, decayedWeights } from '../models/build.js';
import { parseModelName } from '../models/names.js';
import { SGD_RECIPE } from '../train/schedule.js';
import { planRun, startEvaluation } from '../train/plan.js';
import { Sgd } from '../train/sgd.js';
import { train } from '../train/train.js';

export type BenchTask = 'forward' | 'train-step' | 'train-loop' | 'pipeline';

export interface BenchRow {
  readonly model: string;
  /** A tfjs backend, "js" for the input pipeline, or the reference's name (e.g. "pytorch 2.13.0+cpu"). */
  readonly backend: string;
  readonly task: BenchTask;
  readonly batchSize: number;
  /** Median over rounds of each round's images/s. */
  readonly imagesPerSecond: number;
  /** Each round's images/s: batch size / that round's mean time per run. */
  readonly roundImagesPerSecond: number[];
  /** Mean and 99th percentile of all timed runs' milliseconds. */
  readonly meanMs: number;
  readonly p99Ms: number;
  readonly samples: number;
  /** Reference rows only: the backend whose rounds they were timed in. */
  readonly pairedWith?: string;
}

/** A ratio measured within each round: ours / reference images/s, or loop / bare-step time − 1. */
export interface PairedFigure {
  /**
   * vs-reference: ours / the reference's images/s. harness-overhead: the loop's
   * time per iteration / a bare step's − 1. outside-step: the part of that
   * spent outside the step (batch preparation, bookkeeping), measured in the
   * loop's own iterations: iteration time / the step's time in it − 1.
   */
  readonly kind: 'vs-reference' | 'harness-overhead' | 'outside-step';
  readonly model: string;
  readonly backend: string;
  readonly task: BenchTask;
  /** The reference's name, "train-step" for the harness overhead, "step-in-loop" for outside-step. */
  readonly against: string;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly rounds: number[];
}

export interface BenchOptions {
  readonly models: readonly string[];
  readonly backends: readonly BackendChoice[];
  readonly batchSize: number;
  /** Timed runs per task per round (after warm-up: 2 runs in the first round, 1 after). */
  readonly samples: number;
  readonly rounds: number;
  /** Training-loop iterations timed per round for the harness overhead (0 skips it). */
  readonly loopIterations: number;
  /** Also profile one forward pass and one training step per model (after the timed rounds, so it is warm). */
  readonly profile?: boolean;
  /** Times the same models in another framework, interleaved with ours. */
  readonly reference?: ReferenceRunner;
  readonly log?: (line: string) => void;
}

export interface BenchReport {
  readonly createdAt: string;
  readonly batchSize: number;
  readonly rounds: number;
  /** Each backend as runs record it: versions, CPU identity (model, cores, vector extensions), native kernel settings. */
  readonly backends: readonly (BackendRecord & { readonly choice: BackendChoice })[];
  readonly rows: BenchRow[];
  readonly paired: PairedFigure[];
  /** With `profile`: one forward pass and one training step per model and backend (and the reference), time per kernel. */
  readonly profiles?: StepProfile[];
}

/** Another framework timing the same models (scripts/bench_pytorch.py behind runners/bench/pytorch.ts). */
export interface ReferenceRunner {
  /** e.g. "pytorch 2.13.0+cpu" */
  readonly backend: string;
  /** Per-run milliseconds of `samples` timed runs after `warmup` untimed ones. */
  time(model: string, task: 'forward' | 'train-step', samples: number, warmup: number): Promise<number[]>;
  /** One forward pass or training step under the framework's profiler: self time per operator. */
  profile(model: string, pass: ProfiledPass): Promise<StepProfile>;
  close(): void;
}

/** What a profile times: an evaluation's forward pass (inference mode) or a training step. */
export type ProfiledPass = 'forward' | 'train-step';
const PROFILED_PASSES: readonly ProfiledPass[] = ['forward', 'train-step'];

/** Where one forward pass's or training step's time goes, by kernel (tfjs) or operator (PyTorch's profiler, self time). */
export interface StepProfile {
  readonly model: string;
  readonly backend: string;
  readonly pass: ProfiledPass;
  /** Wall time of the profiled pass (profiling adds a little per kernel). */
  readonly wallMs: number;
  /** Heaviest first. */
  readonly kernels: readonly KernelTime[];
}

export interface KernelTime {
  readonly name: string;
  readonly calls: number;
  readonly totalMs: number;
}

/** Per-run milliseconds of `samples` timed runs after `warmup` untimed ones. */
type Block = (samples: number, warmup: number) => Promise<number[]>;

/** A block timed by tinybench. */
const tinybenchBlock =
  (name: string, fn: () => void | Promise<void>): Block =>
  async (samples, warmup) => {
    const bench = new Bench({ iterations: samples, time: 0, warmup: warmup > 0, warmupIterations: warmup, warmupTime: 0, retainSamples: true });
    bench.add(name, fn);
    await bench.run();
    const result = bench.tasks[0]!.result;
    if (result.state !== 'completed') throw new Error(`benchmark ${name} ${result.state}${'error' in result ? `: ${String(result.error)}` : ''}`);
    return [...(result.latency.samples ?? [])];
  };

/** Forward pass and bare training step of one model on the active backend, built once for all rounds. */
function modelBlocks(name: string, batchSize: number): { forward: Block; step: Block; profile: (pass: ProfiledPass) => Promise<StepProfile>; dispose: () => void } {
  const spec = parseModelName(name);
  const built = buildModel(spec, { seed: 1 });
  const x = tf.randomNormal([batchSize, spec.inputSize, spec.inputSize, 3], 0, 1, 'float32', 1);
  const labels = tf.oneHot(tf.tensor1d(Array.from({ length: batchSize }, (_, i) => i % spec.numClasses), 'int32'), spec.numClasses);
  const variables = built.model.trainableWeights.map((w) => w.read() as tf.Variable);
  const sgd = new Sgd(SGD_RECIPE, new Set(decayedWeights(built).map((w) => w.name)));
  // What the loop does per step, without batch preparation or bookkeeping.
  const step = () =>
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => tf.losses.softmaxCrossEntropy(labels, built.model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, variables);
      value.dataSync();
      sgd.apply(variables, grads, 0.01);
    });
  // The evaluation's forward pass, as training runs it (fused where the kernel runs). Its weights are folded
  // once: the steps timed in between change their values, which timing does not depend on.
  const evaluation = startEvaluation(planRun(spec, { iterations: 1 }), built);
  const forward = () => tf.tidy(() => void evaluation.logits(x as tf.Tensor4D).dataSync());
  return {
    forward: tinybenchBlock('forward', forward),
    step: tinybenchBlock('train-step', step),
    profile: async (pass) => {
      const run = pass === 'forward' ? forward : step;
      run(); // warm: the first pass of a model allocates and picks kernels
      const start = performance.now();
      const calls = await selfTimes(run);
      const wallMs = performance.now() - start;
      return { model: spec.name, backend: tf.getBackend(), pass, wallMs, kernels: byKernel(calls) };
    },
    dispose: () => {
      evaluation.dispose();
      sgd.dispose();
      built.model.dispose();
      tf.dispose([x, labels]);
    },
  };
}

/**
 * Each kernel call of `f` with its self time. tf.profile lists a
 * custom-gradient op (tfjs's fused conv2d, our fused batch norm) as an entry
 * whose time includes the kernels it ran, which it lists too; the nesting is
 * read by wrapping the engine's per-kernel profiler for the duration, so each
 * millisecond is counted once. Native ops that gradient functions run on the
 * backend directly (our FusedBatchNormGradV3 and ReluGrad) are no kernel
 * calls: they are timed by wrapping the native backend's execute methods
 * while no kernel is running (TensorFlow's eager execution returns when the
 * op is done), and listed as "<op> (direct)".
 */
async function selfTimes(f: () => void): Promise<{ name: string; ms: number }[]> {
  const profiler = (tf.engine() as unknown as { profiler: { profileKernel: (...args: unknown[]) => unknown } }).profiler;
  const original = profiler.profileKernel;
  const depths: number[] = []; // in completion order, as tf.profile lists the calls
  let depth = 0;
  profiler.profileKernel = function (this: unknown, ...args: unknown[]) {
    depth++;
    try {
      return original.apply(this, args);
    } finally {
      depth--;
      depths.push(depth);
    }
  };
  const direct: { name: string; ms: number }[] = [];
  const restoreDirect = timeDirectOps(() => depth === 0, (name, ms) => direct.push({ name: `${name} (direct)`, ms }));
  let info: Awaited<ReturnType<typeof tf.profile>>;
  try {
    info = await tf.profile(() => f());
  } finally {
    profiler.profileKernel = original;
    restoreDirect();
  }
  // A call completes after the calls nested in it: subtract their totals, gathered one level down.
  const nested: number[] = [];
  const kernels = info.kernels.map((k, i) => {
    const d = depths[i] ?? 0;
    const total = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    const self = Math.max(0, total - (nested[d + 1] ?? 0));
    nested[d + 1] = 0;
    nested[d] = (nested[d] ?? 0) + total;
    // On native TensorFlow the only custom gradient called outside a named op is our fused batch norm's (one per BN layer).
    const name = k.name === 'unnamed scope' && tf.getBackend() === 'tensorflow' ? 'fused batch norm forward (custom gradient)' : k.name;
    return { name, ms: self };
  });
  return [...kernels, ...direct];
}

/**
 * Times each op run through the native backend's execute methods while
 * `outsideKernels()` holds (inside a kernel, the kernel's own timing has it);
 * returns the undo. Off the native backend there is nothing to wrap.
 */
function timeDirectOps(outsideKernels: () => boolean, report: (name: string, ms: number) => void): () => void {
  if (tf.getBackend() !== 'tensorflow') return () => {};
  type Execute = (name: string, ...rest: unknown[]) => unknown;
  const backend = tf.backend() as unknown as Record<'executeSingleOutput' | 'executeMultipleOutputs', Execute>;
  const saved = { executeSingleOutput: backend.executeSingleOutput, executeMultipleOutputs: backend.executeMultipleOutputs };
  for (const key of ['executeSingleOutput', 'executeMultipleOutputs'] as const) {
    const run = saved[key];
    backend[key] = function (this: unknown, name: string, ...rest: unknown[]) {
      if (!outsideKernels()) return run.call(this, name, ...rest);
      const start = performance.now();
      try {
        return run.call(this, name, ...rest);
      } finally {
        report(name, performance.now() - start);
      }
    };
  }
  return () => Object.assign(backend, saved);
}

/** Kernel calls summed by name, heaviest first. */
export function byKernel(calls: readonly { readonly name: string; readonly ms: number }[]): KernelTime[] {
  const sums = new Map<string, KernelTime>();
  for (const { name, ms } of calls) {
    const s = sums.get(name) ?? { name, calls: 0, totalMs: 0 };
    sums.set(name, { name, calls: s.calls + 1, totalMs: s.totalMs + ms });
  }
  return [...sums.values()].sort((a, b) => b.totalMs - a.totalMs);
}

/**
 * The training loop itself on generated data: per-iteration wall time
 * between consecutive progress events (batch preparation, the step, the
 * bookkeeping); a fresh run each time, its first iterations and the final
 * evaluation excluded. `stepRounds` receives, per call, the loop's own timing
 * of the step in those same iterations, so the time spent outside the step is
 * measured without comparing across moments.
 */
function loopBlock(name: string, info: BackendInfo, batchSize: number): { block: Block; stepRounds: number[][] } {
  const stepRounds: number[][] = [];
  const block: Block = async (samples, warmup) => {
    const stamps: number[] = [];
    const steps: number[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'bench-loop-'));
    const skip = Math.max(warmup, 1); // the first delta starts at the first logged iteration
    try {
      await train({
        model: name,
        data: openDataset({ name: 'synthetic', trainLimit: Math.max(batchSize * 4, 512), testLimit: 16 }),
        iterations: samples + skip + 1,
        seed: 1,
        outDir: dir,
        resume: false,
        batchSize,
        logEvery: 1,
        evalEvery: samples + skip + 1,
        checkpointEvery: samples + skip + 1,
        backend: info,
        onProgress: (e) => {
          if (!e.point) return;
          stamps.push(performance.now());
          steps.push((1000 * batchSize) / e.point.imagesPerSecond); // logged every step: this step's own time
        },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    stepRounds.push(steps.slice(1 + skip));
    return stamps.slice(1).map((t, i) => t - stamps[i]!).slice(skip);
  };
  return { block, stepRounds };
}

/** The CIFAR input pipeline alone: augmentation of in-memory images into a float batch. */
function pipelineBlock(batchSize: number): Block {
  const data = openDataset({ name: 'synthetic', trainLimit: 4096, testLimit: 16 });
  let it = 0;
  return tinybenchBlock('pipeline', async () => void (await data.trainBatch(Uint32Array.from({ length: batchSize }, (_, i) => (it * batchSize + i) % 4096), rng(1, 'augment', it++))));
}

interface Series {
  readonly model: string;
  readonly backend: string;
  readonly task: BenchTask;
  readonly block: Block;
  /** Per round, the timed runs' milliseconds. */
  readonly rounds: number[][];
}

function toRow(s: Series, batchSize: number): BenchRow {
  const all = s.rounds.flat().sort((a, b) => a - b);
  const roundImagesPerSecond = s.rounds.map((r) => (1000 * batchSize) / mean(r));
  return {
    model: s.model,
    backend: s.backend,
    task: s.task,
    batchSize,
    imagesPerSecond: median(roundImagesPerSecond),
    roundImagesPerSecond,
    meanMs: mean(all),
    p99Ms: quantileSorted(all, 0.99),
    samples: all.length,
  };
}

/** One figure per round from `ours` and `against`'s timings of that round. */
function paired(kind: PairedFigure['kind'], ours: Series, against: { name: string; rounds: number[][] }, value: (ours: number[], against: number[]) => number): PairedFigure {
  const rounds = ours.rounds.map((r, i) => value(r, against.rounds[i]!));
  return { kind, model: ours.model, backend: ours.backend, task: ours.task, against: against.name, median: median(rounds), min: min(rounds), max: max(rounds), rounds };
}

const present = (series: (Series | undefined)[]): Series[] => series.filter((s): s is Series => s !== undefined);

/** Times one model's series in `options.rounds` rounds, reversing the order every other round. */
async function measureRounds(series: Series[], options: BenchOptions, label: string): Promise<void> {
  const log = options.log ?? (() => {});
  for (let round = 0; round < options.rounds; round++) {
    log(`${label}: round ${round + 1}/${options.rounds}`);
    const order = round % 2 === 0 ? series : [...series].reverse();
    for (const s of order) {
      const samples = s.task === 'train-loop' ? options.loopIterations : options.samples;
      s.rounds.push(await s.block(samples, round === 0 ? 2 : 1));
    }
  }
}

export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const { batchSize, reference } = options;
  const rows: BenchRow[] = [];
  const figures: PairedFigure[] = [];
  const backends: BenchReport['backends'][number][] = [];
  const profiles: StepProfile[] = [];

  const pipeline: Series = { model: 'cifar-augmentation', backend: 'js', task: 'pipeline', block: pipelineBlock(batchSize), rounds: [] };
  pipeline.rounds.push(await pipeline.block(Math.max(options.samples, 20), 2));
  rows.push(toRow(pipeline, batchSize));

  for (const choice of options.backends) {
    const info = await initBackend(choice, { gradients: true });
    backends.push({ choice: info.name, ...backendRecord(info) });
    options.log?.(describeBackend(info));
    for (const model of options.models) {
      const blocks = modelBlocks(model, batchSize);
      const name = parseModelName(model).name;
      const ours = (task: BenchTask, block: Block): Series => ({ model: name, backend: info.name, task, block, rounds: [] });
      const forward = ours('forward', blocks.forward);
      const step = ours('train-step', blocks.step);
      const loopTiming = options.loopIterations > 0 ? loopBlock(model, info, batchSize) : undefined;
      const loop = loopTiming && ours('train-loop', loopTiming.block);
      const theirs = (task: 'forward' | 'train-step'): Series | undefined =>
        reference && { model: name, backend: reference.backend, task, block: (n, w) => reference.time(name, task, n, w), rounds: [] };
      const refForward = theirs('forward');
      const refStep = theirs('train-step');
      // Step and loop stay adjacent in both orders: the overhead compares neighbours.
      try {
        await measureRounds(present([forward, step, loop, refStep, refForward]), options, `${info.name}: ${name}`);
        if (options.profile) {
          for (const pass of PROFILED_PASSES) {
            profiles.push({ ...(await blocks.profile(pass)), backend: info.name });
            if (reference) profiles.push(await reference.profile(name, pass));
          }
        }
      } finally {
        blocks.dispose();
      }
      rows.push(...present([forward, step, loop]).map((s) => toRow(s, batchSize)));
      // The reference is timed again beside each backend; its rows say which.
      rows.push(...present([refForward, refStep]).map((s) => ({ ...toRow(s, batchSize), pairedWith: info.name })));
      const throughputRatio = (a: number[], b: number[]) => mean(b) / mean(a);
      if (refForward && refStep) {
        const against = (s: Series) => ({ name: s.backend, rounds: s.rounds });
        figures.push(paired('vs-reference', forward, against(refForward), throughputRatio), paired('vs-reference', step, against(refStep), throughputRatio));
        if (loop) figures.push(paired('vs-reference', loop, against(refStep), throughputRatio));
      }
      if (loop && loopTiming) {
        const overhead = (a: number[], b: number[]) => mean(a) / mean(b) - 1;
        figures.push(paired('harness-overhead', loop, { name: 'train-step', rounds: step.rounds }, overhead), paired('outside-step', loop, { name: 'step-in-loop', rounds: loopTiming.stepRounds }, overhead));
      }
    }
  }
  return { createdAt: new Date().toISOString(), batchSize, rounds: options.rounds, backends, rows, paired: figures, ...(options.profile ? { profiles } : {}) };
}
