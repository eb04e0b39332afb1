/**
 * The run record: one JSON per run, the contract between the trainer and
 * everything downstream (comparison, reports). Versioned and validated on
 * read; a run is completed, diverged or interrupted, each with its own fields.
 */
import { z } from 'zod';
import { readVersionedJson } from '../json.js';
import { FAULT_NAMES } from './faults.js';
import { BACKEND_CHOICES, type BackendRecord, type CpuFields } from './identity.js';

export const RUN_SCHEMA_VERSION = 1 as const;

const TrainPoint = z.object({
  iteration: z.number().int(),
  /** Running training error over the points since the last one (fraction). */
  trainError: z.number(),
  loss: z.number(),
  learningRate: z.number(),
  imagesPerSecond: z.number(),
});
const TestPoint = z.object({
  iteration: z.number().int(),
  /** Top-1 error on the held-out split, single view (ImageNet: centre crop, as Fig. 4). */
  testError: z.number(),
  top5Error: z.number().optional(),
  loss: z.number(),
});

/**
 * Where a run's training wall time went: its SGD steps (forward, backward, update, and reading
 * the loss), its evaluations on the held-out split, and writing checkpoints. The rest of
 * `wallSeconds` is the loop's own cost: logging, waiting for input, bookkeeping.
 */
const LoopSeconds = z.object({ steps: z.number().nonnegative(), evaluation: z.number().nonnegative(), checkpoints: z.number().nonnegative() });
export type LoopSeconds = z.infer<typeof LoopSeconds>;

/** A machine identity a run trained on, from the iteration it took over. */
const MachineSegment = z.object({
  fromIteration: z.number().int().nonnegative(),
  cpuModel: z.string(),
  cpus: z.number().int(),
  cpuFeatures: z.array(z.string()),
  env: z.record(z.string(), z.string()),
});
export type MachineSegment = z.infer<typeof MachineSegment>;

const Common = z.object({
  schemaVersion: z.literal(RUN_SCHEMA_VERSION),
  model: z.string(),
  dataset: z.object({
    name: z.string(),
    dir: z.string().nullable(),
    trainImages: z.number().int(),
    testImages: z.number().int(),
    testSplit: z.string(),
    /** Which copy it read ("sha256:…" of its files); null where not hashed; absent in records from before it was kept. */
    digest: z.string().nullable().optional(),
  }),
  seed: z.number().int(),
  config: z.object({
    batchSize: z.number().int(),
    iterations: z.number().int(),
    schedule: z.object({
      baseLearningRate: z.number(),
      milestones: z.array(z.number().int()),
      iterations: z.number().int(),
      warmup: z.object({ learningRate: z.number(), untilTrainErrorBelow: z.number(), maxIterations: z.number().int() }).optional(),
      plateau: z.object({ patience: z.number().int(), minDelta: z.number() }).optional(),
    }),
    momentum: z.number(),
    weightDecay: z.number(),
    logEvery: z.number().int(),
    evalEvery: z.number().int(),
    checkpointEvery: z.number().int(),
  }),
  architecture: z.object({ layers: z.number().int(), trainableParams: z.number().int(), multiplyAdds: z.number(), inputSize: z.number().int(), classes: z.number().int() }),
  backend: z.object({ name: z.enum(BACKEND_CHOICES), device: z.enum(['cpu', 'gpu']), versions: z.record(z.string(), z.string()) }),
  host: z.object({
    cpuModel: z.string(),
    gpuModel: z.string().nullable().optional(),
    cpus: z.number().int(),
    /** Vector extensions and numerics-relevant environment (identity.ts); absent in records written before they were kept. */
    cpuFeatures: z.array(z.string()).optional(),
    env: z.record(z.string(), z.string()).optional(),
    /** The memory allocator (identity.ts, memoryAllocator); absent in records written before it was kept. */
    allocator: z.string().optional(),
    memoryBytes: z.number(),
    platform: z.string(),
    node: z.string(),
  }),
  /**
   * Every machine identity the run trained on, when it was resumed on another
   * (CPU, cores, vector extensions, numerics environment): such a run is one
   * run, but no longer one computation, so it never replays a baseline and its
   * throughput is not gated. `host` is the last. Absent when it ran on one.
   */
  machines: z.array(MachineSegment).min(2).optional(),
  /** A fault planted for calibration (`--fault`); null or absent in a real run. */
  fault: z.enum(FAULT_NAMES).nullable().optional(),
  git: z.object({ commit: z.string(), dirty: z.boolean() }).nullable(),
  startedAt: z.string(),
  finishedAt: z.string(),
  /** Training wall time, summed over resumed segments. */
  wallSeconds: z.number(),
  /** Iterations done. */
  iterations: z.number().int(),
  /** Training throughput (steps only), mean over the run's curve points. */
  imagesPerSecond: z.number().nonnegative(),
  /** The input pipeline's own rate, measured on its own (batches prepared back to back before training). */
  pipelineImagesPerSecond: z.number(),
  /** Seconds the training loop waited for input: near 0 when the pipeline is not the bottleneck. */
  inputWaitSeconds: z.number(),
  /** Absent in records written before it was kept, and for runs resumed from such a checkpoint. */
  loopSeconds: LoopSeconds.optional(),
  curves: z.object({ train: z.array(TrainPoint), test: z.array(TestPoint) }),
});

/** Final values, fractions 0–1: the last curve points, and 10-crop errors for ImageNet. */
const Fraction = z.number().min(0).max(1);
const Metrics = z.object({
  trainError: Fraction,
  testError: Fraction,
  loss: z.number(),
  top5Error: Fraction.optional(),
  top1Error10Crop: Fraction.optional(),
  top5Error10Crop: Fraction.optional(),
});
export type FinalMetrics = z.infer<typeof Metrics>;

export const RunRecord = z.discriminatedUnion('status', [
  Common.extend({ status: z.literal('completed'), metrics: Metrics }),
  Common.extend({
    status: z.literal('diverged'),
    /** The iteration whose loss was not finite. */
    divergedAt: z.number().int(),
    metrics: Metrics.partial(),
  }),
  Common.extend({ status: z.literal('interrupted'), metrics: Metrics.partial(), checkpoint: z.string() }),
]);
export type RunRecord = z.infer<typeof RunRecord>;
export type TrainPoint = z.infer<typeof TrainPoint>;
export type TestPoint = z.infer<typeof TestPoint>;

export function readRunRecord(path: string): RunRecord {
  return readVersionedJson(path, RunRecord, RUN_SCHEMA_VERSION, 'run record');
}

/**
 * The run's machine-and-numerics identity in the one shape results and
 * baselines keep (BackendRecord). The file keeps it as `backend` and `host`,
 * cores as `cpus`, as version 1 of the schema wrote it.
 */
export function identityOfRun(record: Pick<RunRecord, 'backend' | 'host'>): BackendRecord {
  const { backend, host } = record;
  return {
    ...backend,
    gpuModel: host.gpuModel ?? null,
    cpuModel: host.cpuModel,
    cpuCores: host.cpus,
    ...(host.cpuFeatures ? { cpuFeatures: host.cpuFeatures } : {}),
    ...(host.env ? { env: host.env } : {}),
    ...(host.allocator ? { allocator: host.allocator } : {}),
  };
}

/** A resumed run's machine segment in the same shape's CPU fields. */
export function identityOfSegment(segment: MachineSegment): CpuFields {
  return { cpuModel: segment.cpuModel, cpuCores: segment.cpus, cpuFeatures: segment.cpuFeatures, env: segment.env };
}

/**
 * The training error of the run's last learning-rate phase: every logged window since the rate
 * last changed, weighted by its iterations. Over a phase (at 2,000 iterations, 500 of them) rather
 * than the last window, so that it measures the net, not the binomial noise of 3,200 images.
 * Undefined without a training curve.
 */
export function finalPhaseTrainError(curve: readonly TrainPoint[]): number | undefined {
  const last = curve.at(-1);
  if (!last) return undefined;
  let start = curve.length - 1;
  while (start > 0 && curve[start - 1]!.learningRate === last.learningRate) start -= 1;
  let wrong = 0;
  let iterations = 0;
  for (let i = start; i < curve.length; i += 1) {
    const span = curve[i]!.iteration - (curve[i - 1]?.iteration ?? 0);
    wrong += curve[i]!.trainError * span;
    iterations += span;
  }
  return iterations > 0 ? wrong / iterations : undefined;
}

/** Final test error minus the last phase's training error (a difference of fractions; METRICS.generalizationGap). */
export function generalizationGap(record: Pick<RunRecord, 'metrics' | 'curves'>): number | undefined {
  const test = record.metrics.testError;
  const train = finalPhaseTrainError(record.curves.train);
  return test === undefined || train === undefined ? undefined : test - train;
}
