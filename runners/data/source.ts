/**
 * What the trainer reads: augmented training batches by index, and
 * evaluation batches. In-memory sets (CIFAR-10, synthetic) and streaming
 * ones (ImageNet, decoded per batch) both implement it, so the loop is one.
 */
import { augmentedBatch, type Batch, plainBatch } from './augment.js';
import { type ImageSet, perPixelMean } from './images.js';
import type { Rng } from './rng.js';

export interface EvalBatch extends Batch {
  /** Views per image (1, or 10 for 10-crop): scores are averaged over consecutive groups. */
  readonly views: number;
}

export interface TrainingData {
  /** Recorded as the run's dataset: "cifar10", "synthetic", "imagenet", … */
  readonly name: string;
  /** Which models it feeds and how they are evaluated: CIFAR-10-shaped, or ImageNet-shaped (10-crop at the end). */
  readonly family: 'cifar10' | 'imagenet';
  readonly dir: string | null;
  /** Input side length and number of classes of the batches. */
  readonly side: number;
  readonly classes: number;
  readonly trainCount: number;
  readonly testCount: number;
  /** Which held-out split evaluation reads ("test", "val5k", "val"). */
  readonly testSplit: string;
  /** The bytes it read, as "sha256:…" of its files (cifar10.ts); null for sets this code generates or streams unhashed (ImageNet folders). */
  readonly digest: string | null;
  /** An augmented training batch of these training-set indices. */
  trainBatch(indices: Uint32Array, random: Rng): Promise<Batch>;
  /** The evaluation set, `batchSize` images at a time, in a given view. */
  testBatches(batchSize: number, view: 'single' | 'ten-crop'): AsyncIterable<EvalBatch>;
}

/** CIFAR-10 or synthetic images held in memory, with the paper's CIFAR augmentation. */
export class InMemoryData implements TrainingData {
  readonly side: number;
  readonly classes: number;
  readonly trainCount: number;
  readonly testCount: number;
  readonly name: string;
  readonly family = 'cifar10';
  private readonly mean: Float32Array;

  constructor(
    private readonly train: ImageSet,
    private readonly test: ImageSet,
    readonly testSplit: string,
    readonly dir: string | null,
    readonly digest: string | null = null,
  ) {
    this.name = train.name;
    this.side = train.side;
    this.classes = train.classes;
    this.trainCount = train.count;
    this.testCount = test.count;
    // §4.2: the per-pixel mean of the training set, subtracted from train and test images.
    this.mean = perPixelMean(train);
  }

  async trainBatch(indices: Uint32Array, random: Rng): Promise<Batch> {
    return augmentedBatch(this.train, this.mean, indices, random);
  }

  async *testBatches(batchSize: number, view: 'single' | 'ten-crop'): AsyncIterable<EvalBatch> {
    if (view !== 'single') throw new Error(`${this.name} is evaluated on the single original view (§4.2)`);
    for (let from = 0; from < this.test.count; from += batchSize) {
      yield { ...plainBatch(this.test, this.mean, from, batchSize), views: 1 };
    }
  }
}
