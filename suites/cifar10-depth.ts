import { CIFAR_PRESETS, defineSuite } from './define.js';

/** Table 6 and Fig. 6: deeper plain nets get worse, deeper ResNets better. */
export default defineSuite({
  kind: 'training',
  name: 'cifar10-depth',
  version: 1,
  title: 'CIFAR-10: plain nets and ResNets of 20 to 110 layers',
  paper: 'Table 6, Fig. 6',
  models: ['plain20', 'plain32', 'plain44', 'plain56', 'plain110', 'resnet20', 'resnet32', 'resnet44', 'resnet56', 'resnet110', 'resnet1202'],
  metrics: ['testError', 'trainError', 'generalizationGap', 'imagesPerSecond'],
  claims: [
    { id: 'plain-degrades', text: 'plain-56 has higher training error than plain-20 (degradation)', metric: 'trainError', lower: 'plain20', higher: 'plain56', gatedAt: ['nightly', 'full'] },
    { id: 'plain-degrades-test', text: 'plain-56 has higher test error than plain-20', metric: 'testError', lower: 'plain20', higher: 'plain56', gatedAt: ['nightly', 'full'] },
    { id: 'resnet-deeper-better', text: 'ResNet-56 has lower test error than ResNet-20', metric: 'testError', lower: 'resnet56', higher: 'resnet20', gatedAt: ['full'] },
    { id: 'resnet110-better', text: 'ResNet-110 has lower test error than ResNet-56', metric: 'testError', lower: 'resnet110', higher: 'resnet56', gatedAt: ['full'] },
    // Not at nightly: from the paper's start, half of ResNet-56's seeds sit at chance through most of
    // 600 iterations (81–82 % training error, against plain-56's 78 %): README, "Early instability".
    { id: 'shortcuts-help', text: 'ResNet-56 has lower training error than plain-56', metric: 'trainError', lower: 'resnet56', higher: 'plain56', gatedAt: ['full'] },
    { id: 'resnet1202-overfits', text: 'ResNet-1202 has higher test error than ResNet-110 (overfitting)', metric: 'testError', lower: 'resnet110', higher: 'resnet1202', gatedAt: ['full'] },
  ],
  presets: {
    // The gap is gated where it was calibrated (nightly) and at full; these presets' baselines predate it.
    smoke: { ...CIFAR_PRESETS.smoke, models: ['plain20', 'plain32', 'resnet20', 'resnet32'], gatedErrors: ['testError', 'trainError'] },
    // Designed from the noise curve (README, "The nightly, designed from measured noise"): the paper's
    // schedule shape at 2,000 iterations, where ResNet-20's test error spreads a third of what it does at
    // 600, so fourteen seeds against a fourteen-seed baseline bound a 1-point regression, in five shards
    // of at most three runs. At this length no augmentation *helps* test error; the generalisation gap
    // is what shows it (σ 0.35 points). Training error and the other nets are reported, not gated;
    // their claims gate when a job runs them (--models plain20,plain56). Evaluated once per quarter
    // (at each rate drop and the end): what is gated is the last evaluation, evaluating never changes
    // the training (test/train.test.ts), and twenty evaluations took 18 % of a run (four take 4 %).
    nightly: {
      ...CIFAR_PRESETS.nightly,
      iterations: 2_000,
      evalEvery: 500,
      seeds: 14,
      shards: 5,
      models: ['resnet20'],
      gatedErrors: ['testError', 'generalizationGap'],
      tolerance: { ...CIFAR_PRESETS.nightly.tolerance, error: 0.01 },
    },
    // Evidence that training is the paper's (README, "Fidelity"): ResNet-20 on 1/8 of the schedule.
    reduced: { ...CIFAR_PRESETS.reduced, models: ['resnet20'], gatedErrors: ['testError', 'trainError'] },
    full: CIFAR_PRESETS.full,
  },
});
