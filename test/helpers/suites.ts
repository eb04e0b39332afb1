/**
 * Suites as the pinned cases were computed for, independent of the committed design: a test
 * of the rule must not change when a preset is redesigned.
 */
import cifar10Depth from '../../suites/cifar10-depth.js';
import { CIFAR_PRESETS, type TrainingSuite } from '../../suites/define.js';

/**
 * cifar10-depth measuring test error, training error and images/s, whose nightly is 600
 * iterations, sixteen seeds of ResNet-20 in two shards, test error gated at 2 points.
 */
export const PINNED_CIFAR10_DEPTH: TrainingSuite = {
  ...cifar10Depth,
  metrics: ['testError', 'trainError', 'imagesPerSecond'],
  presets: { ...cifar10Depth.presets, nightly: { ...CIFAR_PRESETS.nightly, seeds: 16, shards: 2, models: ['resnet20'], gatedErrors: ['testError'] } },
};
