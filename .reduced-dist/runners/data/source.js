/**
 * What the trainer reads: augmented training batches by index, and
 * evaluation batches. In-memory sets (CIFAR-10, synthetic) and streaming
 * ones (ImageNet, decoded per batch) both implement it, so the loop is one.
 */
import { augmentedBatch, plainBatch } from './augment.js';
import { perPixelMean } from './images.js';
/** CIFAR-10 or synthetic images held in memory, with the paper's CIFAR augmentation. */
export class InMemoryData {
    train;
    test;
    testSplit;
    dir;
    side;
    classes;
    trainCount;
    testCount;
    name;
    mean;
    constructor(train, test, testSplit, dir) {
        this.train = train;
        this.test = test;
        this.testSplit = testSplit;
        this.dir = dir;
        this.name = train.name;
        this.side = train.side;
        this.classes = train.classes;
        this.trainCount = train.count;
        this.testCount = test.count;
        // §4.2: the per-pixel mean of the training set, subtracted from train and test images.
        this.mean = perPixelMean(train);
    }
    async trainBatch(indices, random) {
        return augmentedBatch(this.train, this.mean, indices, random);
    }
    async *testBatches(batchSize, view) {
        if (view !== 'single')
            throw new Error(`${this.name} is evaluated on the single original view (§4.2)`);
        for (let from = 0; from < this.test.count; from += batchSize) {
            yield { ...plainBatch(this.test, this.mean, from, batchSize), views: 1 };
        }
    }
}
//# sourceMappingURL=source.js.map