/** Smallest first. Every training suite has smoke, nightly and full; `reduced` only where a suite defines it. */
export const PRESETS = ['smoke', 'nightly', 'reduced', 'full'];
export function defineSuite(suite) {
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
    smoke: { dataset: 'synthetic', iterations: 40, seeds: 2, batchSize: 32, width: 4, trainLimit: 512, testLimit: 256, logEvery: 10, evalEvery: 20, gateThroughput: false, tolerance: { error: 0.1, throughput: 0.1, response: 0.1 } },
    /**
     * Real CIFAR-10, a shortened schedule (600 iterations, ~1.5 epochs, the
     * paper's shape), two seeds per model unless a suite samples more
     * (cifar10-depth gates on sixteen). At 300 iterations the seeds of
     * ResNet-56 were too far apart (63.9 % and 79.7 % training error) to
     * separate it from plain-56; a ResNet-20 run takes about 7 minutes on a
     * 2-core CPU runner with native TensorFlow.
     */
    nightly: { dataset: 'cifar10', iterations: 600, seeds: 2, batchSize: 128, logEvery: 25, evalEvery: 300, gateThroughput: true, tolerance: { error: 0.02, throughput: 0.1, response: 0.05 } },
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
    reduced: { dataset: 'cifar10', iterations: 8_000, seeds: 1, batchSize: 128, logEvery: 50, evalEvery: 500, gateThroughput: true, tolerance: { error: 0.01, throughput: 0.1, response: 0.05 } },
    full: { dataset: 'cifar10', iterations: 64_000, seeds: 5, batchSize: 128, logEvery: 100, evalEvery: 1_000, gateThroughput: true, tolerance: { error: 0.01, throughput: 0.1, response: 0.05 } },
};
//# sourceMappingURL=define.js.map