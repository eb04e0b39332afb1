/**
 * The training loop: the paper's CIFAR-10 recipe (SGD, momentum 0.9, weight
 * decay 1e-4, batch 128, lr 0.1 ÷10 at 32k/48k of 64k, warm-up for the
 * deepest nets), seeded, checkpointed and resumable, recording the curves of
 * Fig. 6 into a validated run record.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { stringify } from 'csv-stringify/sync';
import type { BackendInfo } from '../backend.js';
import { InputError, UsageError } from '../errors.js';
import { augmentedBatch, type Batch, plainBatch } from '../data/augment.js';
import { loadCifar10 } from '../data/cifar10.js';
import { type ImageSet, perPixelMean } from '../data/images.js';
import { permutation, rng } from '../data/rng.js';
import { syntheticImages } from '../data/synthetic.js';
import { buildModel, type BuiltModel, decayedWeights } from '../models/build.js';
import { archFacts } from '../models/count.js';
import { parseModelName } from '../models/names.js';
import type { ArchSpec } from '../models/spec.js';
import { readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { lockRunFolder } from './lock.js';
import { RUN_SCHEMA_VERSION, RunRecord, type TestPoint, type TrainPoint } from './record.js';
import { CIFAR_SCHEDULE, CIFAR_WARMUP, learningRate, type Schedule, scheduleFor } from './schedule.js';
import { Sgd } from './sgd.js';

export type DatasetName = 'cifar10' | 'synthetic';

export interface TrainOptions {
  readonly model: string;
  readonly dataset: DatasetName;
  /** Folder with CIFAR-10's binary files (cifar10 only). */
  readonly dataDir?: string;
  /** Train on 45k and test on the 5k validation images (cifar10 only). */
  readonly validationSplit?: boolean;
  readonly iterations: number;
  /** Overrides the recipe's base learning rate (0.1). */
  readonly learningRate?: number;
  readonly seed: number;
  readonly outDir: string;
  readonly resume: boolean;
  readonly batchSize: number;
  readonly logEvery: number;
  readonly evalEvery: number;
  readonly checkpointEvery: number;
  /** Use only the first N training / test images (small runs and tests). */
  readonly trainLimit?: number;
  readonly testLimit?: number;
  /** Images generated per split for the synthetic dataset. */
  readonly syntheticSize?: { train: number; test: number };
  readonly backend: BackendInfo;
  readonly onProgress?: (event: ProgressEvent) => void;
  readonly log?: (line: string) => void;
  /** Polled between steps; true stops the run as interrupted (checkpointed, resumable). */
  readonly shouldStop?: () => boolean;
}

export interface ProgressEvent {
  readonly iteration: number;
  readonly iterations: number;
  readonly point?: TrainPoint;
  readonly test?: TestPoint;
}

interface CheckpointHeader {
  readonly model: string;
  readonly seed: number;
  readonly dataset: string;
  readonly iteration: number;
  readonly warming: boolean;
  readonly wallSeconds: number;
  readonly startedAt: string;
  readonly curves: { train: TrainPoint[]; test: TestPoint[] };
}

const DEFAULT_SYNTHETIC = { train: 5_000, test: 1_000 };
const EVAL_BATCH = 500;

/** The paper's recipe for a model: warm-up for ResNets of 110 layers and more (§4.2). */
export function recipeFor(spec: ArchSpec, iterations: number): Schedule {
  const schedule = scheduleFor(CIFAR_SCHEDULE, iterations);
  const deep = spec.family === 'resnet' && spec.depth >= 110;
  return deep ? { ...schedule, warmup: { ...CIFAR_WARMUP, maxIterations: Math.min(CIFAR_WARMUP.maxIterations, iterations) } } : schedule;
}

function loadData(options: TrainOptions): { train: ImageSet; test: ImageSet; testSplit: string; dir: string | null } {
  if (options.dataset === 'synthetic') {
    const size = options.syntheticSize ?? DEFAULT_SYNTHETIC;
    return { train: syntheticImages('train', size.train), test: syntheticImages('test', size.test), testSplit: 'test', dir: null };
  }
  if (!options.dataDir) throw new UsageError('cifar10 needs a data folder: --data DIR or RESNET_REPRO_DATA');
  const [trainSplit, testSplit] = options.validationSplit ? (['train45k', 'val5k'] as const) : (['train', 'test'] as const);
  return {
    train: loadCifar10(options.dataDir, trainSplit, options.trainLimit),
    test: loadCifar10(options.dataDir, testSplit, options.testLimit),
    testSplit,
    dir: options.dataDir,
  };
}

function gitState(): { commit: string; dirty: boolean } | null {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
    return { commit, dirty };
  } catch {
    return null;
  }
}

/** Indices of the images in batch `iteration`: epoch-wise seeded shuffles, so any batch can be recomputed. */
class BatchOrder {
  private epoch = -1;
  private order: Uint32Array = new Uint32Array(0);

  constructor(
    private readonly count: number,
    private readonly seed: number,
  ) {}

  indices(iteration: number, batchSize: number): Uint32Array {
    const out = new Uint32Array(batchSize);
    for (let k = 0; k < batchSize; k++) {
      const global = iteration * batchSize + k;
      const epoch = Math.floor(global / this.count);
      if (epoch !== this.epoch) {
        this.epoch = epoch;
        this.order = permutation(this.count, rng(this.seed, 'order', epoch));
      }
      out[k] = this.order[global % this.count]!;
    }
    return out;
  }
}

function evaluate(built: BuiltModel, set: ImageSet, mean: Float32Array): { error: number; loss: number } {
  let wrong = 0;
  let lossSum = 0;
  for (let from = 0; from < set.count; from += EVAL_BATCH) {
    const batch = plainBatch(set, mean, from, EVAL_BATCH);
    const [w, l] = tf.tidy(() => {
      const logits = built.model.apply(toTensor(set, batch), { training: false }) as tf.Tensor2D;
      const labels = tf.tensor1d(batch.labels, 'int32');
      const miss = tf.notEqual(tf.argMax(logits, 1), labels).sum();
      const loss = tf.losses.softmaxCrossEntropy(tf.oneHot(labels, set.classes), logits, undefined, tf.Reduction.SUM);
      return [miss, loss];
    });
    wrong += w.dataSync()[0]!;
    lossSum += l.dataSync()[0]!;
    tf.dispose([w, l]);
  }
  return { error: wrong / set.count, loss: lossSum / set.count };
}

function toTensor(set: ImageSet, batch: Batch): tf.Tensor4D {
  return tf.tensor4d(batch.images, [batch.size, set.side, set.side, 3]);
}

function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Trains one model; always returns (and writes) a run record, whatever the outcome. */
export function train(options: TrainOptions): RunRecord {
  const log = options.log ?? (() => {});
  const spec = parseModelName(options.model);
  if (spec.dataset !== 'cifar10') throw new UsageError(`${spec.name} is an ImageNet model; training covers CIFAR-10-sized models (cifar10 or synthetic) so far`);
  for (const [name, value] of [['iterations', options.iterations], ['batch size', options.batchSize], ['logEvery', options.logEvery], ['evalEvery', options.evalEvery], ['checkpointEvery', options.checkpointEvery]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new UsageError(`${name} must be a positive integer, not ${value}`);
  }
  mkdirSync(options.outDir, { recursive: true });
  const unlock = lockRunFolder(options.outDir, log);
  try {
    return trainLocked(options, spec, log);
  } finally {
    unlock();
  }
}

function trainLocked(options: TrainOptions, spec: ArchSpec, log: (line: string) => void): RunRecord {
  const runPath = join(options.outDir, 'run.json');
  const checkpointPath = join(options.outDir, 'checkpoint.ckpt');
  if (!options.resume && (existsSync(runPath) || existsSync(checkpointPath))) {
    throw new InputError(`${options.outDir} already holds a run: pass --resume to continue it, or choose another --out.`);
  }
  if (options.resume && !existsSync(checkpointPath)) {
    throw new InputError(`nothing to resume in ${options.outDir}: no checkpoint.ckpt${existsSync(runPath) ? ' (its run.json says how it ended)' : ''}.`);
  }

  const data = loadData(options);
  const mean = perPixelMean(data.train);
  const recipe = recipeFor(spec, options.iterations);
  const schedule = options.learningRate === undefined ? recipe : { ...recipe, baseLearningRate: options.learningRate };
  const built = buildModel(spec, { seed: options.seed });
  const facts = archFacts(built);
  const variables = built.model.trainableWeights.map((w) => w.read() as tf.Variable);
  const decayed = new Set(decayedWeights(built).map((w) => w.name));
  const sgd = new Sgd({ momentum: 0.9, weightDecay: 1e-4 }, decayed);
  const order = new BatchOrder(data.train.count, options.seed);

  let state: CheckpointHeader = {
    model: spec.name,
    seed: options.seed,
    dataset: data.train.name,
    iteration: 0,
    warming: schedule.warmup !== undefined,
    wallSeconds: 0,
    startedAt: new Date().toISOString(),
    curves: { train: [], test: [] },
  };

  if (options.resume) {
    const saved = readCheckpoint<CheckpointHeader>(checkpointPath);
    const h = saved.header;
    if (h.model !== spec.name || h.seed !== options.seed || h.dataset !== data.train.name) {
      throw new InputError(`the checkpoint in ${options.outDir} is for ${h.model}, seed ${h.seed}, ${h.dataset}; asked for ${spec.name}, seed ${options.seed}, ${data.train.name}.`);
    }
    const byName = new Map(saved.tensors.map((t) => [t.name, t]));
    for (const w of built.model.weights) {
      const t = byName.get(`weight:${w.originalName}`);
      if (!t) throw new InputError(`checkpoint ${checkpointPath} lacks ${w.originalName}`);
      w.write(tf.tensor(t.values, t.shape));
    }
    for (const v of variables) {
      const original = built.model.trainableWeights.find((w) => w.name === v.name)!.originalName;
      const t = byName.get(`velocity:${original}`);
      if (t) sgd.velocity.set(v.name, tf.variable(tf.tensor(t.values, t.shape), false, `${v.name}/velocity`));
    }
    state = h;
    log(`resuming ${spec.name} at iteration ${h.iteration} of ${options.iterations}`);
  }

  const saveCheckpoint = () => {
    const originalOf = new Map(built.model.trainableWeights.map((w) => [w.name, w.originalName]));
    writeCheckpoint(checkpointPath, {
      header: state,
      tensors: [
        ...built.model.weights.map((w) => ({ name: `weight:${w.originalName}`, shape: w.shape as number[], values: w.read().dataSync() as Float32Array })),
        ...[...sgd.velocity].map(([name, v]) => ({ name: `velocity:${originalOf.get(name)}`, shape: v.shape, values: v.dataSync() as Float32Array })),
      ],
    });
  };

  let status: 'completed' | 'diverged' | 'interrupted' = 'completed';
  let divergedAt = -1;
  let windowWrong = 0;
  let windowLoss = 0;
  let windowSteps = 0;
  let windowStart = performance.now();
  let windowSeconds = 0;

  while (state.iteration < options.iterations) {
    if (options.shouldStop?.()) {
      status = 'interrupted';
      break;
    }
    const it = state.iteration;
    const lr = learningRate(schedule, it, state.warming);
    const stepStart = performance.now();
    const batch = augmentedBatch(data.train, mean, order.indices(it, options.batchSize), rng(options.seed, 'augment', it));
    const { loss, wrong } = tf.tidy(() => {
      const x = toTensor(data.train, batch);
      const labels = tf.tensor1d(batch.labels, 'int32');
      let miss: tf.Scalar | undefined;
      const { value, grads } = tf.variableGrads(() => {
        const logits = built.model.apply(x, { training: true }) as tf.Tensor2D;
        miss = tf.keep(tf.notEqual(tf.argMax(logits, 1), labels).sum());
        return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, data.train.classes), logits) as tf.Scalar;
      }, variables);
      const lossValue = value.dataSync()[0]!;
      if (Number.isFinite(lossValue)) sgd.apply(variables, grads, lr);
      return { loss: lossValue, wrong: miss! };
    });
    const missed = wrong.dataSync()[0]!;
    wrong.dispose();
    windowSeconds += (performance.now() - stepStart) / 1000;
    if (!Number.isFinite(loss)) {
      status = 'diverged';
      divergedAt = it;
      log(`${spec.name}: loss is ${loss} at iteration ${it}: the run diverged`);
      break;
    }
    windowWrong += missed;
    windowLoss += loss;
    windowSteps++;
    state = { ...state, iteration: it + 1 };

    const last = state.iteration === options.iterations;
    if (state.iteration % options.logEvery === 0 || last) {
      const point: TrainPoint = {
        iteration: state.iteration,
        trainError: windowWrong / (windowSteps * options.batchSize),
        loss: windowLoss / windowSteps,
        learningRate: lr,
        imagesPerSecond: (windowSteps * options.batchSize) / windowSeconds,
      };
      state.curves.train.push(point);
      if (state.warming && schedule.warmup && (point.trainError < schedule.warmup.untilTrainErrorBelow || state.iteration >= schedule.warmup.maxIterations)) {
        state = { ...state, warming: false };
        log(`${spec.name}: warm-up ends at iteration ${state.iteration} (training error ${(point.trainError * 100).toFixed(1)} %)`);
      }
      state = { ...state, wallSeconds: state.wallSeconds + (performance.now() - windowStart) / 1000 };
      windowStart = performance.now();
      options.onProgress?.({ iteration: state.iteration, iterations: options.iterations, point });
      windowWrong = windowLoss = windowSteps = windowSeconds = 0;
    } else if (state.warming && schedule.warmup && state.iteration >= schedule.warmup.maxIterations) {
      state = { ...state, warming: false };
    }
    if (state.iteration % options.evalEvery === 0 || last) {
      const result = evaluate(built, data.test, mean);
      const test: TestPoint = { iteration: state.iteration, testError: result.error, loss: result.loss };
      state.curves.test.push(test);
      options.onProgress?.({ iteration: state.iteration, iterations: options.iterations, test });
    }
    if (state.iteration % options.checkpointEvery === 0 && !last) saveCheckpoint();
  }
  state = { ...state, wallSeconds: state.wallSeconds + (performance.now() - windowStart) / 1000 };
  // Interrupted: where to resume. Completed: the trained weights (Fig. 7 reads them).
  if (status !== 'diverged') saveCheckpoint();

  const trainImages = state.curves.train.reduce((n, p) => n + p.imagesPerSecond, 0);
  const lastTrain = state.curves.train.at(-1);
  const lastTest = state.curves.test.at(-1);
  const common = {
    schemaVersion: RUN_SCHEMA_VERSION,
    model: spec.name,
    dataset: { name: data.train.name, dir: data.dir, trainImages: data.train.count, testImages: data.test.count, testSplit: data.testSplit },
    seed: options.seed,
    config: {
      batchSize: options.batchSize,
      iterations: options.iterations,
      schedule: { ...schedule, milestones: [...schedule.milestones] },
      momentum: 0.9,
      weightDecay: 1e-4,
      augment: true,
      logEvery: options.logEvery,
      evalEvery: options.evalEvery,
      checkpointEvery: options.checkpointEvery,
    },
    architecture: { layers: facts.layers, trainableParams: facts.trainableParams, multiplyAdds: facts.multiplyAdds },
    backend: { name: options.backend.choice, device: options.backend.device, versions: options.backend.versions },
    host: { cpuModel: options.backend.cpuModel, cpus: os.cpus().length, memoryBytes: os.totalmem(), platform: `${os.platform()} ${os.arch()}`, node: process.version },
    git: gitState(),
    startedAt: state.startedAt,
    finishedAt: new Date().toISOString(),
    wallSeconds: state.wallSeconds,
    iterations: state.iteration,
    imagesPerSecond: state.curves.train.length > 0 ? trainImages / state.curves.train.length : 0,
    curves: state.curves,
  };
  const partialMetrics = {
    ...(lastTrain ? { trainError: lastTrain.trainError, loss: lastTrain.loss } : {}),
    ...(lastTest ? { testError: lastTest.testError } : {}),
  };
  const record = RunRecord.parse(
    status === 'completed'
      ? { ...common, status, metrics: { trainError: lastTrain!.trainError, loss: lastTrain!.loss, testError: lastTest!.testError } }
      : status === 'diverged'
        ? { ...common, status, divergedAt, metrics: partialMetrics }
        : { ...common, status, metrics: partialMetrics, checkpoint: checkpointPath },
  );
  writeAtomically(runPath, `${JSON.stringify(record, null, 2)}\n`);
  writeAtomically(join(options.outDir, 'train-curve.csv'), stringify(record.curves.train, { header: true }));
  writeAtomically(join(options.outDir, 'test-curve.csv'), stringify(record.curves.test, { header: true }));
  sgd.dispose();
  built.model.dispose();
  return record;
}
