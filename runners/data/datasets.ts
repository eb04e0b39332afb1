/** Opens a dataset by name: the one place that maps names and folders to sources. */
import { UsageError } from '../errors.js';
import type { DatasetName } from '../records/recipe.js';
import { cifar10Digest, loadCifar10 } from './cifar10.js';
import { ImageNetData } from './imagenet.js';
import { ensureImageNetStandIn, standInFolder } from './imagenet-standin.js';
import { InMemoryData, type TrainingData } from './source.js';
import { syntheticImages } from './synthetic.js';


export interface DatasetOptions {
  readonly name: DatasetName;
  /** cifar10: the binary files; imagenet: the folder holding train/ and val/; imagenet-standin: where it is generated. */
  readonly dir?: string;
  /** cifar10: train on 45k and test on the held-out 5k. */
  readonly validationSplit?: boolean;
  /** Only the first N training / test images (synthetic: how many to generate). */
  readonly trainLimit?: number;
  readonly testLimit?: number;
  /** imagenet: crop side (224 as the paper). */
  readonly side?: number;
  readonly seed?: number;
}

/** Synthetic sizes when no limit is given: enough to learn, quick to generate. */
const SYNTHETIC_DEFAULT = { train: 5_000, test: 1_000 };

/** Makes what a dataset needs before it opens: the generated ImageNet stand-in, once. */
export async function prepareDataset(options: Pick<DatasetOptions, 'name' | 'dir'>, log?: (line: string) => void): Promise<void> {
  if (options.name === 'imagenet-standin') {
    if (!options.dir) throw new UsageError('imagenet-standin needs a folder to be generated in: --data DIR or RESNET_REPRO_DATA');
    await ensureImageNetStandIn(options.dir, log);
  }
}

export function openDataset(options: DatasetOptions): TrainingData {
  switch (options.name) {
    case 'synthetic':
      return new InMemoryData(
        syntheticImages('train', options.trainLimit ?? SYNTHETIC_DEFAULT.train),
        syntheticImages('test', options.testLimit ?? SYNTHETIC_DEFAULT.test),
        'test',
        null,
      );
    case 'cifar10': {
      if (!options.dir) throw new UsageError('cifar10 needs its folder: --data DIR or RESNET_REPRO_DATA');
      const [train, test] = options.validationSplit ? (['train45k', 'val5k'] as const) : (['train', 'test'] as const);
      return new InMemoryData(loadCifar10(options.dir, train, options.trainLimit), loadCifar10(options.dir, test, options.testLimit), test, options.dir, cifar10Digest(options.dir));
    }
    case 'imagenet':
      if (!options.dir) throw new UsageError('imagenet needs its folder (train/ and val/): --data DIR or RESNET_REPRO_DATA');
      return new ImageNetData({ dir: options.dir, side: options.side, trainLimit: options.trainLimit, testLimit: options.testLimit, seed: options.seed });
    case 'imagenet-standin':
      if (!options.dir) throw new UsageError('imagenet-standin needs the folder it was generated in: --data DIR or RESNET_REPRO_DATA');
      return new ImageNetData({ dir: standInFolder(options.dir), name: 'imagenet-standin', side: options.side, trainLimit: options.trainLimit, testLimit: options.testLimit, seed: options.seed });
  }
}
