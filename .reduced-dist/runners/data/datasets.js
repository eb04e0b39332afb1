/** Opens a dataset by name: the one place that maps names and folders to sources. */
import { UsageError } from '../errors.js';
import { loadCifar10 } from './cifar10.js';
import { ImageNetData } from './imagenet.js';
import { InMemoryData } from './source.js';
import { syntheticImages } from './synthetic.js';
export const DATASETS = ['cifar10', 'synthetic', 'imagenet'];
/** Synthetic sizes when no limit is given: enough to learn, quick to generate. */
const SYNTHETIC_DEFAULT = { train: 5_000, test: 1_000 };
export function openDataset(options) {
    switch (options.name) {
        case 'synthetic':
            return new InMemoryData(syntheticImages('train', options.trainLimit ?? SYNTHETIC_DEFAULT.train), syntheticImages('test', options.testLimit ?? SYNTHETIC_DEFAULT.test), 'test', null);
        case 'cifar10': {
            if (!options.dir)
                throw new UsageError('cifar10 needs its folder: --data DIR or RESNET_REPRO_DATA');
            const [train, test] = options.validationSplit ? ['train45k', 'val5k'] : ['train', 'test'];
            return new InMemoryData(loadCifar10(options.dir, train, options.trainLimit), loadCifar10(options.dir, test, options.testLimit), test, options.dir);
        }
        case 'imagenet':
            if (!options.dir)
                throw new UsageError('imagenet needs its folder (train/ and val/): --data DIR or RESNET_REPRO_DATA');
            return new ImageNetData({ dir: options.dir, side: options.side, trainLimit: options.trainLimit, testLimit: options.testLimit, seed: options.seed });
    }
}
//# sourceMappingURL=datasets.js.map