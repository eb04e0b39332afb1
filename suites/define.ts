/**
 * Suites are declarative data: which models, which settings per preset,
 * which paper numbers (looked up in baselines/paper.json by model and metric),
 * which claims. Runners execute them; nothing here runs anything.
 */
import type { DatasetName, PresetName } from '../runners/records/recipe.js';

/** Every training suite has smoke, nightly and full; `reduced` only where a suite defines it. */
type OptionalPreset = 'reduced';

/** Metrics a training run yields (run.json `metrics`, plus throughput and Fig. 7). */
/**
 * What a suite measures, each metric once: its kind (which tolerance applies, how it is printed: errors
 * as fractions inside records, in % and points outside) and which way it gets worse.
 */
export const METRICS = {
  testError: { kind: 'error', worse: 'higher' },
  trainError: { kind: 'error', worse: 'higher' },
  // Test error minus the training error of the run's last learning-rate phase (run-record.ts): a
  // recipe that stops regularising (no augmentation) fits its training batches better long before
  // its test error shows it. A difference of errors, so it has no chance level.
  generalizationGap: { kind: 'error', worse: 'higher', difference: true },
  top1Error10Crop: { kind: 'error', worse: 'higher' },
  top5Error10Crop: { kind: 'error', worse: 'higher' },
  imagesPerSecond: { kind: 'throughput', worse: 'lower' },
  // A measurement, not a score: drift either way is a change to look at.
  meanResponseStd: { kind: 'response', worse: 'either' },
} as const satisfies Record<string, { kind: keyof Tolerance; worse: 'higher' | 'lower' | 'either'; difference?: true }>;
export type TrainingMetric = keyof typeof METRICS;

/** Whether a metric is a rate with a chance level (an error), rather than a difference of two. */
export const hasChanceLevel = (metric: TrainingMetric): boolean => METRICS[metric].kind === 'error' && !('difference' in METRICS[metric]);

/** Whether a metric (of a training suite; any other name is not) is an error rate: a fraction, printed in % and points. */
export const isErrorMetric = (metric: string): boolean => (METRICS as Record<string, { kind: string } | undefined>)[metric]?.kind === 'error';

export interface TrainingPreset {
  readonly dataset: DatasetName;
  readonly iterations: number;
  readonly seeds: number;
  readonly batchSize: number;
  /** First-stage width (the `-w` suffix); the paper's when absent. */
  readonly width?: number;
  readonly imageSize?: number;
  readonly trainLimit?: number;
  readonly testLimit?: number;
  readonly logEvery: number;
  readonly evalEvery: number;
  /** Models for this preset when not the suite's (e.g. fewer for smoke). */
  readonly models?: readonly string[];
  /** Whether images/s is gated (tiny runs measure start-up more than training). */
  readonly gateThroughput: boolean;
  /**
   * The error metrics whose rows gate at this preset (default: all the
   * suite's); the others are compared and reported. Each gated row splits
   * the false-alarm rate, so a preset gates only what its seeds can bound.
   */
  readonly gatedErrors?: readonly TrainingMetric[];
  /** The harmful shifts that matter at this preset: the gate passes only when it can bound a regression below them. */
  readonly tolerance: Tolerance;
  /** CI jobs that run this preset side by side (`--shard i/n`, a matrix), each within an hour: what `plan` times. Default 1. */
  readonly shards?: number;
  /**
   * What decides the verdict (README, "Tiers"). 'conformance': a short run
   * cannot bound a regression statistically, so PASS rests on the
   * conformance tier, each model learning, no divergence and the claims
   * gated here; rows that neither replay the baseline nor bound a regression
   * are reported as not bounded, the nightly's job. 'statistics': every gated
   * row must replay or bound a regression below the tolerance, else the
   * verdict is inconclusive.
   */
  readonly decidedBy: 'conformance' | 'statistics';
}

/**
 * Per kind of metric: errors in absolute fractions (0.02 = 2 points),
 * throughput and layer-response std as fractions of the baseline's mean.
 */
export interface Tolerance {
  readonly error: number;
  readonly throughput: number;
  readonly response: number;
}

/** "metric of `lower` < metric of `higher`", e.g. ResNet-56 test error < ResNet-20's. */
export interface Claim {
  readonly id: string;
  readonly text: string;
  readonly metric: TrainingMetric;
  readonly lower: string;
  readonly higher: string;
  /**
   * Presets whose budget is enough for the claim to hold, where a failure
   * fails the job; elsewhere it is evaluated and reported only. (Degradation
   * shows within a few hundred iterations; "deeper ResNets are better" needs
   * the full schedule.)
   */
  readonly gatedAt: readonly PresetName[];
}

interface SuiteBase {
  readonly name: string;
  /**
   * Bump when a run of the same model, seed and recipe would measure something else (a model's
   * definition, the training path): results of different versions are never merged or compared.
   * Which models and seeds a preset samples, and the claims, are read at comparison time.
   */
  readonly version: number;
  readonly title: string;
  /** Where in the paper: "Table 6, Fig. 6". */
  readonly paper: string;
  readonly models: readonly string[];
}

export interface TrainingSuite extends SuiteBase {
  readonly kind: 'training';
  /** Metrics compared against baselines; the paper's value of the same name is shown beside them. */
  readonly metrics: readonly TrainingMetric[];
  readonly claims: readonly Claim[];
  readonly presets: Readonly<Record<Exclude<PresetName, OptionalPreset>, TrainingPreset>> & Readonly<Partial<Record<OptionalPreset, TrainingPreset>>>;
  /** Fig. 7: read the std of each 3×3 layer's response after training. */
  readonly layerResponses?: boolean;
}

/** Counts only: the built graphs against Tables 1 and 6. */
export interface ArchitectureSuite extends SuiteBase {
  readonly kind: 'architecture';
  /** Allowed relative difference for multiply-adds (Table 1's FLOPs are printed to 2 digits). */
  readonly flopsTolerance: number;
  /** Pairs that must have identical trainable parameters (option A adds none). */
  readonly equalParams: readonly (readonly [string, string])[];
}

export type Suite = TrainingSuite | ArchitectureSuite;

export function defineSuite<S extends Suite>(suite: S): S {
  return suite;
}

/** Shared CIFAR-10 settings: `smoke` runs anywhere in minutes on generated data at width 4. */
export const CIFAR_PRESETS = {
  /**
   * A plumbing check (two evaluations, so test curves are lines; evaluating
   * never changes training): its seeds are ~8 points of test error apart, so across
   * machines it can only bound large shifts; on the baseline's own numerics it
   * replays the baseline exactly (compare.ts).
   */
  smoke: { dataset: 'synthetic', iterations: 40, seeds: 2, batchSize: 32, width: 4, trainLimit: 512, testLimit: 256, logEvery: 10, evalEvery: 20, gateThroughput: false, tolerance: { error: 0.1, throughput: 0.1, response: 0.1 }, decidedBy: 'conformance' },
  /**
   * Real CIFAR-10, a shortened schedule (600 iterations, ~1.5 epochs, the
   * paper's shape), two seeds per model unless a suite samples more
   * (cifar10-depth gates on sixteen). At 300 iterations the seeds of
   * ResNet-56 were too far apart (63.9 % and 79.7 % training error) to
   * separate it from plain-56; a ResNet-20 run takes about 4 minutes on a
   * 2-core CPU runner with native TensorFlow (oneDNN on).
   */
  nightly: { dataset: 'cifar10', iterations: 600, seeds: 2, batchSize: 128, logEvery: 25, evalEvery: 300, gateThroughput: true, tolerance: { error: 0.02, throughput: 0.1, response: 0.05 }, decidedBy: 'statistics' },
  /**
   * The paper's schedule at 1/8: rate 0.1, ÷10 at 4k and 6k, stop at 8k
   * iterations (20.5 epochs of 50k images), every test image evaluated every
   * 500. Long enough to land near the paper's errors, short enough for one
   * seed in about an hour on a 2-core CPU with native TensorFlow. It shows
   * that training works as the paper's does (beside a reference
   * implementation on the same recipe), not the paper's final numbers: the
   * gap to those is the schedule's. One seed: it gates by replay on its
   * baseline's machine and is inconclusive elsewhere.
   */
  reduced: { dataset: 'cifar10', iterations: 8_000, seeds: 1, batchSize: 128, logEvery: 50, evalEvery: 500, gateThroughput: true, tolerance: { error: 0.01, throughput: 0.1, response: 0.05 }, decidedBy: 'statistics' },
  full: { dataset: 'cifar10', iterations: 64_000, seeds: 5, batchSize: 128, logEvery: 100, evalEvery: 1_000, gateThroughput: true, tolerance: { error: 0.01, throughput: 0.1, response: 0.05 }, decidedBy: 'statistics' },
} as const satisfies Record<PresetName, TrainingPreset>;
