/**
 * The training loop: the paper's recipes (SGD, momentum 0.9, weight decay
 * 1e-4; CIFAR-10: batch 128, lr 0.1 ÷10 at 1/2 and 3/4, warm-up for the
 * deepest nets; ImageNet: batch 256, ÷10 on plateau or at fixed steps),
 * seeded, checkpointed and resumable, recording the curves of Fig. 4 and 6
 * into a validated run record.
 */
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { stringify } from 'csv-stringify/sync';
import { mean } from 'simple-statistics';
import type { BackendInfo } from '../backend.js';
import type { Batch } from '../data/augment.js';
import { permutation, rng } from '../data/rng.js';
import type { TrainingData } from '../data/source.js';
import { InputError, UsageError } from '../errors.js';
import { ensureDir, writeFileAtomically } from '../files.js';
import { gitState } from '../git.js';
import { buildModel, type BuiltModel, decayedWeights } from '../models/build.js';
import { archFacts } from '../models/count.js';
import { parseModelName } from '../models/names.js';
import type { ArchSpec } from '../models/spec.js';
import { type Aspect, aspect, describeDifferences, differences } from '../records/differences.js';
import type { FaultName } from '../records/faults.js';
import { CPU, NUMERICS_ENVIRONMENT } from '../records/identity.js';
import { type FinalMetrics, identityOfSegment, type LoopSeconds, type MachineSegment, RUN_SCHEMA_VERSION, RunRecord, type TestPoint, type TrainPoint } from '../records/run-record.js';
import { type Checkpoint, readCheckpoint, type SavedTensor, writeCheckpoint } from './checkpoint.js';
import { lockRunFolder } from './lock.js';
import { buildPlanned, planRun, preparedBatch, startEvaluation, type TrainingPlan } from './plan.js';
import { learningRate, onPlateau, type Schedule } from './schedule.js';
import { Sgd } from './sgd.js';

export interface TrainOptions {
  readonly model: string;
  /** Where batches come from; its name is recorded as the run's dataset. */
  readonly data: TrainingData;
  readonly iterations: number;
  /** Overrides the recipe's base learning rate (0.1). */
  readonly learningRate?: number;
  /** ImageNet only: fixed steps at 1/4, 1/2, 3/4 instead of ÷10 on plateau. */
  readonly imagenetSchedule?: 'plateau' | 'step';
  readonly seed: number;
  readonly outDir: string;
  readonly resume: boolean;
  readonly batchSize: number;
  readonly logEvery: number;
  readonly evalEvery: number;
  readonly checkpointEvery: number;
  readonly backend: BackendInfo;
  readonly onProgress?: (event: ProgressEvent) => void;
  readonly log?: (line: string) => void;
  /** Polled between steps; true stops the run as interrupted (checkpointed, resumable). */
  readonly shouldStop?: () => boolean;
  /** A fault planted for calibrating the gate (faults.ts); recorded in the run record. */
  readonly fault?: FaultName;
}

export interface ProgressEvent {
  readonly iteration: number;
  readonly iterations: number;
  /** Where this process started (a resumed run starts past 0) and how long it has been training: the ETA's basis. */
  readonly startIteration: number;
  readonly elapsedSeconds: number;
  readonly point?: TrainPoint;
  readonly test?: TestPoint;
}

interface CheckpointHeader {
  readonly model: string;
  readonly seed: number;
  readonly dataset: string;
  /** The calibration fault the run trains with (absent in checkpoints written before faults existed: none). */
  readonly fault?: FaultName | null;
  readonly iteration: number;
  readonly warming: boolean;
  /** Plateau schedule: divisions so far, and held-out errors since the last one. */
  readonly plateauDrops: number;
  readonly errorsSinceDrop: number[];
  readonly wallSeconds: number;
  /** Seconds the loop waited for its next batch (0 when the pipeline keeps up). */
  readonly inputWaitSeconds: number;
  readonly startedAt: string;
  readonly curves: { train: TrainPoint[]; test: TestPoint[] };
  /** The steps since the last training-curve point, so a resumed run logs the same point (absent in older checkpoints). */
  readonly window?: Window;
  /** What the run was started with: a resume must continue the same run (absent in older checkpoints). */
  readonly recipe?: RunRecipe;
  /** The machine identities it trained on, each from the iteration it took over (absent in older checkpoints). */
  readonly machines?: MachineSegment[];
  /** Where the wall time went so far (absent in older checkpoints: then unknown for the whole run). */
  readonly loopSeconds?: LoopSeconds;
}

/** The settings a resumed run must share with the run it continues. */
interface RunRecipe {
  readonly iterations: number;
  readonly batchSize: number;
  readonly baseLearningRate: number;
  readonly schedule: string;
  readonly trainImages: number;
  readonly testImages: number;
  readonly logEvery: number;
  readonly evalEvery: number;
  /** The data's digest (TrainingData.digest); absent in checkpoints from before it was kept. */
  readonly dataDigest?: string | null;
}

/** A checkpoint continues one run: this model, seed, data and fault. */
const CHECKPOINT_RUN: readonly Aspect<Pick<CheckpointHeader, 'model' | 'seed' | 'dataset' | 'fault'>>[] = [
  aspect('model', (h) => h.model),
  aspect('seed', (h) => h.seed),
  aspect('dataset', (h) => h.dataset),
  aspect('fault', (h) => h.fault),
];

/** A resume continues the run it was started as: these must not change. */
const RESUMED_RECIPE: readonly Aspect<RunRecipe>[] = (
  [
    ['iterations', 'iterations'],
    ['batch size', 'batchSize'],
    ['base learning rate', 'baseLearningRate'],
    ['schedule', 'schedule'],
    ['training images', 'trainImages'],
    ['test images', 'testImages'],
    ['log interval', 'logEvery'],
    ['eval interval', 'evalEvery'],
    ['data (sha256 of its files)', 'dataDigest'],
  ] as const satisfies readonly (readonly [string, keyof RunRecipe])[]
).map(([name, key]) => aspect(name, (r: RunRecipe) => r[key]));

function recipeOf(options: TrainOptions, schedule: Schedule): RunRecipe {
  return {
    iterations: options.iterations,
    batchSize: options.batchSize,
    baseLearningRate: schedule.baseLearningRate,
    schedule: JSON.stringify({ ...schedule, baseLearningRate: undefined }),
    trainImages: options.data.trainCount,
    testImages: options.data.testCount,
    logEvery: options.logEvery,
    evalEvery: options.evalEvery,
    dataDigest: options.data.digest,
  };
}

const EVAL_BATCH = 250;

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

const toTensor = (data: Pick<TrainingData, 'side'>, batch: Batch) => tf.tensor4d(batch.images, [batch.size, data.side, data.side, 3]);

/** Top-1 and top-5 error and mean loss on the held-out split; multi-view batches average softmax scores per image. */
async function evaluate(plan: TrainingPlan, built: BuiltModel, data: TrainingData, view: 'single' | 'ten-crop'): Promise<{ top1: number; top5: number; loss: number }> {
  let wrong1 = 0;
  let wrong5 = 0;
  let lossSum = 0;
  let images = 0;
  const evaluation = startEvaluation(plan, built);
  try {
    for await (const batch of data.testBatches(EVAL_BATCH, view)) {
      const n = batch.size / batch.views;
      const [w1, w5, l] = tf.tidy(() => {
        const logits = evaluation.logits(toTensor(data, batch));
        const probs = tf.softmax(logits).reshape([n, batch.views, data.classes]).mean(1) as tf.Tensor2D;
        const labels = tf.tensor1d(batch.labels.filter((_, i) => i % batch.views === 0), 'int32');
        const k = Math.min(5, data.classes);
        const inTop5 = tf.equal(tf.topk(probs, k).indices, labels.expandDims(1)).any(1);
        const loss = tf.neg(tf.log(tf.add(tf.sum(tf.mul(probs, tf.oneHot(labels, data.classes)), 1), 1e-12))).sum();
        return [tf.notEqual(tf.argMax(probs, 1), labels).sum(), tf.logicalNot(inTop5).sum(), loss];
      });
      wrong1 += (await w1.data())[0]!;
      wrong5 += (await w5.data())[0]!;
      lossSum += (await l.data())[0]!;
      images += n;
      tf.dispose([w1, w5, l]);
    }
  } finally {
    evaluation.dispose();
  }
  return { top1: wrong1 / images, top5: wrong5 / images, loss: lossSum / images };
}


/** Trains one model; always returns (and writes) a run record, whatever the outcome. */
export async function train(options: TrainOptions): Promise<RunRecord> {
  const log = options.log ?? (() => {});
  const spec = parseModelName(options.model);
  const expected = spec.dataset === 'imagenet' ? 'an ImageNet-shaped set (imagenet or imagenet-standin)' : 'a CIFAR-10-shaped set (cifar10 or synthetic)';
  if (spec.dataset !== options.data.family) {
    throw new UsageError(`${spec.name} is trained on ${expected}, not ${options.data.name}`);
  }
  for (const [name, value] of [['iterations', options.iterations], ['batch size', options.batchSize], ['log interval', options.logEvery], ['eval interval', options.evalEvery], ['checkpoint interval', options.checkpointEvery]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new UsageError(`${name} must be a positive integer, not ${value}`);
  }
  ensureDir(options.outDir);
  const unlock = lockRunFolder(options.outDir, log);
  try {
    return await trainLocked(options, spec, log);
  } finally {
    unlock();
  }
}

/** What a run carries from step to step: the model, the optimiser and the loop's state, fresh or from a checkpoint. */
export interface Session {
  readonly built: BuiltModel;
  readonly variables: tf.Variable[];
  /** Variable name → the weight's name in checkpoints (stable across processes). */
  readonly originalName: Map<string, string>;
  readonly sgd: Sgd;
  readonly plan: TrainingPlan;
  readonly schedule: Schedule;
  readonly facts: { layers: number; trainableParams: number; multiplyAdds: number };
  state: CheckpointHeader;
}

function startSession(options: TrainOptions, spec: ArchSpec, checkpointPath: string, log: (line: string) => void): Session {
  const { data } = options;
  const { fault } = options;
  const plan = planRun(spec, options);
  const { schedule } = plan;
  const built = buildPlanned(plan, { seed: options.seed, inputSize: data.side, numClasses: data.classes });
  if (data.classes !== spec.numClasses) log(`${spec.name}: ${data.classes}-way classifier for ${data.name}'s ${data.classes} classes (the paper's has ${spec.numClasses})`);
  const session: Session = {
    built,
    variables: built.model.trainableWeights.map((w) => w.read() as tf.Variable),
    originalName: new Map(built.model.trainableWeights.map((w) => [w.name, w.originalName])),
    sgd: new Sgd(plan.sgd, new Set(decayedWeights(built).map((w) => w.name))),
    plan,
    schedule,
    facts: archFacts(built),
    state: {
      model: spec.name,
      seed: options.seed,
      dataset: data.name,
      fault: fault ?? null,
      iteration: 0,
      warming: schedule.warmup !== undefined,
      plateauDrops: 0,
      errorsSinceDrop: [],
      wallSeconds: 0,
      inputWaitSeconds: 0,
      startedAt: new Date().toISOString(),
      curves: { train: [], test: [] },
      window: EMPTY_WINDOW,
      recipe: recipeOf(options, schedule),
      machines: [machineSegment(options.backend, 0)],
      loopSeconds: { steps: 0, evaluation: 0, checkpoints: 0 },
    },
  };
  if (!options.resume) return session;

  const saved = readCheckpoint<CheckpointHeader>(checkpointPath);
  const h = saved.header;
  const otherRun = differences({ ...h, fault: h.fault ?? null }, { ...h, model: spec.name, seed: options.seed, dataset: data.name, fault: fault ?? null }, CHECKPOINT_RUN);
  if (otherRun.length > 0) throw new InputError(`the checkpoint in ${options.outDir} is of another run: ${describeDifferences(otherRun, 'in it', 'asked')}.`);
  if (!Number.isSafeInteger(h.iteration) || h.iteration < 0 || h.iteration > options.iterations) {
    throw new InputError(`the checkpoint in ${options.outDir} is at iteration ${h.iteration}, outside 0…${options.iterations}: it is not a checkpoint of this run.`);
  }
  const asked = recipeOf(options, schedule);
  // A checkpoint from before data digests were kept cannot say which copy it read: it adopts this one, and says so.
  const started = h.recipe && { ...h.recipe, dataDigest: h.recipe.dataDigest === undefined ? asked.dataDigest : h.recipe.dataDigest };
  if (h.recipe && h.recipe.dataDigest === undefined && asked.dataDigest) log(`${spec.name}: its checkpoint predates data digests; from iteration ${h.iteration} on it reads ${asked.dataDigest}`);
  if (started) {
    const changed = differences(started, asked, RESUMED_RECIPE);
    if (changed.length > 0) throw new InputError(`--resume continues a run with its own settings, but these differ: ${describeDifferences(changed, 'when started', 'now')}. Resume with the original settings${changed.some((c) => c.aspect.startsWith('data')) ? ' and the copy of the data it started on' : ''}, or start a new run in another --out.`);
  }
  const byName = restoreWeights(built, saved, checkpointPath);
  for (const v of session.variables) {
    const t = byName.get(`velocity:${session.originalName.get(v.name)}`);
    if (t) session.sgd.velocity.set(v.name, tf.variable(tf.tensor(t.values, t.shape), false, `${v.name}/velocity`));
  }
  log(`resuming ${spec.name} at iteration ${h.iteration} of ${options.iterations}`);
  // Checkpoints from before machines were kept are taken to come from this machine.
  const machines = h.machines ?? [machineSegment(options.backend, 0)];
  const here = machineSegment(options.backend, h.iteration);
  const last = machines.at(-1)!;
  const moved = differences(identityOfSegment(last), identityOfSegment(here), [...CPU, NUMERICS_ENVIRONMENT]).length > 0;
  if (moved) log(`${spec.name}: resumed on another machine (${here.cpuModel}, ${here.cpus} cores, ${JSON.stringify(here.env)}; before: ${last.cpuModel}, ${last.cpus} cores, ${JSON.stringify(last.env)}): it completes, but can no longer replay a baseline`);
  return { ...session, state: { ...h, window: h.window ?? EMPTY_WINDOW, recipe: started ?? asked, machines: moved ? [...machines, here] : machines } };
}

function machineSegment(backend: BackendInfo, fromIteration: number): MachineSegment {
  return { fromIteration, cpuModel: backend.cpuModel, cpus: backend.cpuCores, cpuFeatures: [...backend.cpuFeatures], env: { ...backend.env } };
}


function saveCheckpoint(path: string, session: Session): void {
  writeCheckpoint(path, {
    header: session.state,
    tensors: [
      ...session.built.model.weights.map((w) => ({ name: `weight:${w.originalName}`, shape: w.shape as number[], values: w.read().dataSync() as Float32Array })),
      ...[...session.sgd.velocity].map(([name, v]) => ({ name: `velocity:${session.originalName.get(name)}`, shape: v.shape, values: v.dataSync() as Float32Array })),
    ],
  });
}

/** The training loss: softmax cross-entropy, the mean over the batch (weight decay is the optimiser's). */
export function trainingLoss(logits: tf.Tensor2D, labels: tf.Tensor1D, classes: number): tf.Scalar {
  return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, classes), logits) as tf.Scalar;
}

/**
 * One SGD step on a batch; the update is skipped when the loss is not finite
 * (the caller ends the run). The conformance tier replays it against a
 * reference implementation, reading the step's gradients through `observe`.
 */
export function trainingStep(
  session: Pick<Session, 'built' | 'variables' | 'sgd'>,
  data: Pick<TrainingData, 'side' | 'classes'>,
  batch: Batch,
  learningRate: number,
  observe?: (grads: tf.NamedTensorMap) => void,
): { loss: number; missed: number } {
  const { built, variables, sgd } = session;
  const { loss, wrong } = tf.tidy(() => {
    const x = toTensor(data, batch);
    const labels = tf.tensor1d(batch.labels, 'int32');
    let miss: tf.Scalar | undefined;
    const { value, grads } = tf.variableGrads(() => {
      const logits = built.model.apply(x, { training: true }) as tf.Tensor2D;
      miss = tf.keep(tf.notEqual(tf.argMax(logits, 1), labels).sum());
      return trainingLoss(logits, labels, data.classes);
    }, variables);
    const lossValue = value.dataSync()[0]!;
    observe?.(grads);
    if (Number.isFinite(lossValue)) sgd.apply(variables, grads, learningRate);
    return { loss: lossValue, wrong: miss! };
  });
  const missed = wrong.dataSync()[0]!;
  wrong.dispose();
  return { loss, missed };
}

/** Steps since the last logged point. */
interface Window {
  readonly wrong: number;
  readonly loss: number;
  readonly steps: number;
  readonly stepSeconds: number;
}

const EMPTY_WINDOW: Window = { wrong: 0, loss: 0, steps: 0, stepSeconds: 0 };

/** Logs the window as a point of the training curve; ends a warm-up whose training error has fallen far enough. */
function logPoint(session: Session, window: Window, options: TrainOptions, learningRate: number, log: (line: string) => void): TrainPoint {
  const { schedule } = session;
  const point: TrainPoint = {
    iteration: session.state.iteration,
    trainError: window.wrong / (window.steps * options.batchSize),
    loss: window.loss / window.steps,
    learningRate,
    imagesPerSecond: (window.steps * options.batchSize) / window.stepSeconds,
  };
  session.state.curves.train.push(point);
  if (session.state.warming && schedule.warmup && point.trainError < schedule.warmup.untilTrainErrorBelow) {
    session.state = { ...session.state, warming: false };
    log(`${session.state.model}: warm-up ends at iteration ${point.iteration} (training error ${(point.trainError * 100).toFixed(1)} %)`);
  }
  return point;
}

/** Evaluates on the held-out split, adds the test point, and divides the learning rate if the error has plateaued. */
async function testPoint(session: Session, data: TrainingData, log: (line: string) => void): Promise<TestPoint> {
  const result = await evaluate(session.plan, session.built, data, 'single');
  const { state } = session;
  const test: TestPoint = { iteration: state.iteration, testError: result.top1, loss: result.loss, ...(data.classes > 5 ? { top5Error: result.top5 } : {}) };
  state.curves.test.push(test);
  if (onPlateau(session.schedule, [...state.errorsSinceDrop, result.top1])) {
    session.state = { ...state, plateauDrops: state.plateauDrops + 1, errorsSinceDrop: [] };
    log(`${state.model}: held-out error has plateaued; learning rate ÷10 from iteration ${state.iteration}`);
  } else {
    session.state = { ...state, errorsSinceDrop: [...state.errorsSinceDrop, result.top1] };
  }
  return test;
}

async function trainLocked(options: TrainOptions, spec: ArchSpec, log: (line: string) => void): Promise<RunRecord> {
  const { data } = options;
  const runPath = join(options.outDir, 'run.json');
  const checkpointPath = join(options.outDir, 'checkpoint.ckpt');
  if (!options.resume && (existsSync(runPath) || existsSync(checkpointPath))) {
    throw new InputError(`${options.outDir} already holds a run: pass --resume to continue it, or choose another --out.`);
  }
  if (options.resume && !existsSync(checkpointPath)) {
    throw new InputError(`nothing to resume in ${options.outDir}: no checkpoint.ckpt${existsSync(runPath) ? ' (its run.json says how it ended)' : ''}.`);
  }
  const session = startSession(options, spec, checkpointPath, log);
  const { schedule } = session;
  const order = new BatchOrder(data.trainCount, options.seed);
  const prepare = (it: number): Promise<Batch> => preparedBatch(session.plan, data, order.indices(it, options.batchSize), options.seed, it);
  const pipelineImagesPerSecond = await measurePipeline(prepare, session.state.iteration, options.batchSize);

  let status: 'completed' | 'diverged' | 'interrupted' = 'completed';
  let divergedAt = -1;
  let segmentStart = performance.now();
  let next = session.state.iteration < options.iterations ? prepare(session.state.iteration) : undefined;
  const startIteration = session.state.iteration;
  const loopStart = performance.now();
  const progress = (rest: Pick<ProgressEvent, 'point' | 'test'> = {}): ProgressEvent => ({
    iteration: session.state.iteration,
    iterations: options.iterations,
    startIteration,
    elapsedSeconds: (performance.now() - loopStart) / 1000,
    ...rest,
  });

  const spent = (part: keyof LoopSeconds, seconds: number) => {
    const so = session.state.loopSeconds;
    if (so) session.state = { ...session.state, loopSeconds: { ...so, [part]: so[part] + seconds } };
  };
  while (session.state.iteration < options.iterations) {
    // Let the event loop run (signal handlers, I/O): the step itself is synchronous.
    await new Promise((resolve) => setImmediate(resolve));
    if (options.shouldStop?.()) {
      status = 'interrupted';
      break;
    }
    const it = session.state.iteration;
    const lr = learningRate(schedule, it, session.state.warming, session.state.plateauDrops);
    const waitStart = performance.now();
    const batch = await next!;
    session.state = { ...session.state, inputWaitSeconds: session.state.inputWaitSeconds + (performance.now() - waitStart) / 1000 };
    // The next batch is prepared while this step runs (decoding happens off the main thread).
    next = it + 1 < options.iterations ? prepare(it + 1) : undefined;
    const stepStart = performance.now();
    const { loss, missed } = trainingStep(session, data, batch, lr);
    const stepSeconds = (performance.now() - stepStart) / 1000;
    if (!Number.isFinite(loss)) {
      status = 'diverged';
      divergedAt = it;
      log(`${spec.name}: loss is ${loss} at iteration ${it}: the run diverged`);
      break;
    }
    const w = session.state.window ?? EMPTY_WINDOW;
    session.state = { ...session.state, iteration: it + 1, window: { wrong: w.wrong + missed, loss: w.loss + loss, steps: w.steps + 1, stepSeconds: w.stepSeconds + stepSeconds } };
    spent('steps', stepSeconds);
    const done = session.state.iteration;
    const last = done === options.iterations;

    if (done % options.logEvery === 0 || last) {
      const point = logPoint(session, session.state.window ?? EMPTY_WINDOW, options, lr, log);
      options.onProgress?.(progress({ point }));
      session.state = { ...session.state, window: EMPTY_WINDOW };
    } else if (done === startIteration + 1) {
      // Say at once that training runs (and how fast), not only at the first log point.
      options.onProgress?.(progress());
    }
    if (session.state.warming && schedule.warmup && done >= schedule.warmup.maxIterations) session.state = { ...session.state, warming: false };
    if (done % options.evalEvery === 0 || last) {
      const evalStart = performance.now();
      const test = await testPoint(session, data, log);
      spent('evaluation', (performance.now() - evalStart) / 1000);
      options.onProgress?.(progress({ test }));
    }
    if (done % options.checkpointEvery === 0 && !last) {
      session.state = { ...session.state, wallSeconds: session.state.wallSeconds + (performance.now() - segmentStart) / 1000 };
      segmentStart = performance.now();
      saveCheckpoint(checkpointPath, session);
      // Counted in the next checkpoint, as the save's wall time is (it falls in the next segment).
      spent('checkpoints', (performance.now() - segmentStart) / 1000);
    }
  }
  await next?.catch(() => undefined); // a batch prepared for a step that never ran
  session.state = { ...session.state, wallSeconds: session.state.wallSeconds + (performance.now() - segmentStart) / 1000 };
  // Interrupted: where to resume. Completed: the trained weights (Fig. 7 reads them).
  if (status !== 'diverged') saveCheckpoint(checkpointPath, session);

  // ImageNet's tables report 10-crop testing; it is measured once, at the end.
  const tenCrop = status === 'completed' && data.family === 'imagenet' ? await evaluate(session.plan, session.built, data, 'ten-crop') : undefined;
  const record = runRecord({ options, spec, data, plan: session.plan, facts: session.facts, state: session.state, status, divergedAt, checkpointPath, pipelineImagesPerSecond, tenCrop });
  writeFileAtomically(runPath, `${JSON.stringify(record, null, 2)}\n`);
  if (record.loopSeconds) log(`${spec.name}: ${describeLoop(record.wallSeconds, record.loopSeconds)}`);
  writeFileAtomically(join(options.outDir, 'train-curve.csv'), stringify(record.curves.train, { header: true }));
  writeFileAtomically(join(options.outDir, 'test-curve.csv'), stringify(record.curves.test, { header: true }));
  session.sgd.dispose();
  session.built.model.dispose();
  return record;
}

/** Everything a run record says, validated against its schema. */
function runRecord(r: {
  options: TrainOptions;
  spec: ArchSpec;
  data: TrainingData;
  plan: TrainingPlan;
  facts: { layers: number; trainableParams: number; multiplyAdds: number };
  state: CheckpointHeader;
  status: 'completed' | 'diverged' | 'interrupted';
  divergedAt: number;
  checkpointPath: string;
  pipelineImagesPerSecond: number;
  tenCrop: { top1: number; top5: number } | undefined;
}): RunRecord {
  const { options, data, state } = r;
  return RunRecord.parse({
    schemaVersion: RUN_SCHEMA_VERSION,
    status: r.status,
    ...(r.status === 'diverged' ? { divergedAt: r.divergedAt } : {}),
    ...(r.status === 'interrupted' ? { checkpoint: r.checkpointPath } : {}),
    model: r.spec.name,
    dataset: { name: data.name, dir: data.dir, trainImages: data.trainCount, testImages: data.testCount, testSplit: data.testSplit, digest: data.digest },
    seed: options.seed,
    config: {
      batchSize: options.batchSize,
      iterations: options.iterations,
      schedule: { ...r.plan.schedule, milestones: [...r.plan.schedule.milestones] },
      ...r.plan.sgd,
      logEvery: options.logEvery,
      evalEvery: options.evalEvery,
      checkpointEvery: options.checkpointEvery,
    },
    architecture: { layers: r.facts.layers, trainableParams: r.facts.trainableParams, multiplyAdds: r.facts.multiplyAdds, inputSize: data.side, classes: data.classes },
    backend: { name: options.backend.name, device: options.backend.device, versions: options.backend.versions },
    host: {
      cpuModel: options.backend.cpuModel,
      gpuModel: options.backend.gpuModel,
      cpus: options.backend.cpuCores,
      cpuFeatures: [...options.backend.cpuFeatures],
      env: options.backend.env,
      allocator: options.backend.allocator,
      memoryBytes: os.totalmem(),
      platform: `${os.platform()} ${os.arch()}`,
      node: process.version,
    },
    ...((state.machines?.length ?? 1) > 1 ? { machines: state.machines } : {}),
    fault: options.fault ?? null,
    git: gitState(),
    startedAt: state.startedAt,
    finishedAt: new Date().toISOString(),
    wallSeconds: state.wallSeconds,
    iterations: state.iteration,
    imagesPerSecond: meanOrZero(state.curves.train.map((p) => p.imagesPerSecond)),
    pipelineImagesPerSecond: r.pipelineImagesPerSecond,
    inputWaitSeconds: state.inputWaitSeconds,
    ...(state.loopSeconds ? { loopSeconds: state.loopSeconds } : {}),
    metrics: finalMetrics(state.curves, r.tenCrop),
    curves: state.curves,
  });
}

/** Writes a checkpoint's weights (and BN statistics) into a built model; returns the checkpoint's tensors by name. */
function restoreWeights(built: BuiltModel, saved: Checkpoint<unknown>, path: string): Map<string, SavedTensor> {
  const byName = new Map(saved.tensors.map((t) => [t.name, t]));
  for (const w of built.model.weights) {
    const t = byName.get(`weight:${w.originalName}`);
    if (!t) throw new InputError(`checkpoint ${path} lacks ${w.originalName}`);
    w.write(tf.tensor(t.values, t.shape));
  }
  return byName;
}

/** The trained model of a run folder (its final checkpoint), for analyses such as Fig. 7. */
export function loadTrainedModel(runDir: string, inputSize: number, numClasses: number): BuiltModel {
  const path = join(runDir, 'checkpoint.ckpt');
  if (!existsSync(path)) throw new InputError(`no trained weights in ${runDir} (checkpoint.ckpt is missing)`);
  const saved = readCheckpoint<CheckpointHeader>(path);
  const built = buildModel(parseModelName(saved.header.model), { inputSize, numClasses, init: 'zeros' });
  restoreWeights(built, saved, path);
  return built;
}

/** Batches timed back to back, before training, to measure the input pipeline on its own. */
const PIPELINE_PROBE_BATCHES = 3;

/**
 * The pipeline's own rate: a few batches prepared back to back with nothing
 * else running (their random streams are the iterations', so training sees
 * the same data either way).
 */
async function measurePipeline(prepare: (it: number) => Promise<Batch>, from: number, batchSize: number): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < PIPELINE_PROBE_BATCHES; i++) await prepare(from + i);
  return (PIPELINE_PROBE_BATCHES * batchSize) / ((performance.now() - start) / 1000);
}

const meanOrZero = (xs: number[]) => (xs.length === 0 ? 0 : mean(xs));

function finalMetrics(curves: { train: TrainPoint[]; test: TestPoint[] }, tenCrop?: { top1: number; top5: number }): Partial<FinalMetrics> {
  const lastTrain = curves.train.at(-1);
  const lastTest = curves.test.at(-1);
  return {
    ...(lastTrain ? { trainError: lastTrain.trainError, loss: lastTrain.loss } : {}),
    ...(lastTest ? { testError: lastTest.testError } : {}),
    ...(lastTest?.top5Error !== undefined ? { top5Error: lastTest.top5Error } : {}),
    ...(tenCrop ? { top1Error10Crop: tenCrop.top1, top5Error10Crop: tenCrop.top5 } : {}),
  };
}

/** "890 s: steps 714 s, evaluation 87 s, checkpoints 1 s, the loop's own 88 s (9.9 %)": where a run's wall time went. */
function describeLoop(wallSeconds: number, spent: LoopSeconds): string {
  const rest = Math.max(0, wallSeconds - spent.steps - spent.evaluation - spent.checkpoints);
  const s = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} s`;
  return `${s(wallSeconds)}: steps ${s(spent.steps)}, evaluation ${s(spent.evaluation)}, checkpoints ${s(spent.checkpoints)}, the loop's own ${s(rest)} (${((100 * rest) / wallSeconds).toFixed(1)} %)`;
}
