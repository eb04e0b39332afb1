/**
 * What a run computes, decided in one place: the model it builds, its
 * learning-rate schedule, its SGD constants, how it evaluates and what a
 * training batch goes through — with a calibration fault's effects where
 * one is planted. The trainer and the conformance tier both build from a
 * plan, so conformance checks the code path that trains, fault included.
 */
import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../data/augment.js';
import { rng } from '../data/rng.js';
import type { TrainingData } from '../data/source.js';
import { buildModel, type BuiltModel } from '../models/build.js';
import { foldedInference } from '../models/inference.js';
import type { ArchSpec } from '../models/spec.js';
import { type FaultEffects, type FaultName, faultEffects } from '../records/faults.js';
import { CIFAR_SCHEDULE, CIFAR_WARMUP, IMAGENET_PLATEAU_SCHEDULE, IMAGENET_STEP_SCHEDULE, type Schedule, SGD_RECIPE, scheduleFor } from './schedule.js';

export interface TrainingPlan {
  /** The architecture as built (a fault may change it). */
  readonly spec: ArchSpec;
  readonly schedule: Schedule;
  readonly sgd: { readonly momentum: number; readonly weightDecay: number };
  readonly effects: FaultEffects;
}

export interface PlanOptions {
  readonly iterations: number;
  /** Overrides the recipe's base learning rate (0.1). */
  readonly learningRate?: number;
  /** ImageNet only: fixed steps at 1/4, 1/2, 3/4 instead of ÷10 on plateau. */
  readonly imagenetSchedule?: 'plateau' | 'step';
  readonly fault?: FaultName | null;
}

/** The paper's recipe for a model over `iterations` (the schedule keeps its shape). */
export function recipeFor(spec: ArchSpec, iterations: number, imagenet: 'plateau' | 'step' = 'plateau'): Schedule {
  if (spec.dataset === 'imagenet') {
    return imagenet === 'plateau' ? { ...IMAGENET_PLATEAU_SCHEDULE, iterations } : scheduleFor(IMAGENET_STEP_SCHEDULE, iterations);
  }
  const schedule = scheduleFor(CIFAR_SCHEDULE, iterations);
  // §4.2 says it of ResNet-110; we apply it from 110 layers up (1202 too).
  const deep = spec.family === 'resnet' && spec.depth >= 110;
  return deep ? { ...schedule, warmup: { ...CIFAR_WARMUP, maxIterations: Math.min(CIFAR_WARMUP.maxIterations, iterations) } } : schedule;
}

export function planRun(spec: ArchSpec, options: PlanOptions): TrainingPlan {
  const effects = faultEffects(options.fault);
  const recipe = recipeFor(spec, options.iterations, options.imagenetSchedule);
  const base = options.learningRate ?? recipe.baseLearningRate;
  return {
    spec: !effects.shortcuts && spec.kind === 'stacked' ? { ...spec, family: 'plain' } : spec,
    schedule: { ...recipe, baseLearningRate: base * effects.learningRateScale },
    sgd: { momentum: SGD_RECIPE.momentum, weightDecay: SGD_RECIPE.weightDecay * effects.weightDecayScale },
    effects,
  };
}

/** The model a run starts from: its architecture, initialised with its seed. The caller owns it. */
export function buildPlanned(plan: TrainingPlan, options: { seed: number; inputSize: number; numClasses: number }): BuiltModel {
  const { effects } = plan;
  const built = buildModel(plan.spec, { ...options, ...(effects.bnMomentum !== undefined ? { bnMomentum: effects.bnMomentum } : {}) });
  if (effects.classifierInitScale !== 1) {
    const fc = built.model.weights.find((w) => w.originalName === 'fc/kernel')!;
    fc.write(tf.tidy(() => fc.read().mul(effects.classifierInitScale)));
  }
  return built;
}

/** Logits as the evaluation computes them, for the weights as they are when it starts. */
export interface Evaluation {
  logits(images: tf.Tensor4D): tf.Tensor2D;
  /** Frees what the evaluation prepared (folded weights); the model is the caller's. */
  dispose(): void;
}

/**
 * BN with its moving statistics (§3.4): folded into the convolutions on the
 * native backend's fused kernel where it runs (models/inference.ts, the same
 * numbers to float32 rounding), tfjs-layers' own kernels elsewhere. A
 * planted eval-train-mode fault evaluates with batch statistics instead.
 */
export function startEvaluation(plan: TrainingPlan, built: BuiltModel): Evaluation {
  const folded = plan.effects.evalBatchStatistics ? undefined : foldedInference(built.model);
  if (folded) return folded;
  return { logits: (images) => built.model.apply(images, { training: plan.effects.evalBatchStatistics }) as tf.Tensor2D, dispose: () => {} };
}

/** The augmented training batch of `indices` for iteration `it`, as the plan's run sees it. */
export async function preparedBatch(plan: TrainingPlan, data: TrainingData, indices: Uint32Array, seed: number, it: number): Promise<Batch> {
  const { effects } = plan;
  // A constant draw of ½ puts every crop at offset 0 and never flips (augment.ts): the centre view.
  const random = effects.augment ? rng(seed, 'augment', it) : () => 0.5;
  const batch = await data.trainBatch(indices, random);
  if (effects.labelNoise === 0) return batch;
  // The same images are mislabelled every epoch, each with a fixed wrong class.
  const labels = batch.labels.map((label, k) => {
    const draw = rng(seed, 'label-noise', indices[k]!);
    return draw() < effects.labelNoise ? (label + 1 + Math.floor(draw() * (data.classes - 1))) % data.classes : label;
  });
  return { ...batch, labels };
}
