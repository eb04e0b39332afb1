/** A reference run as scripts/train_pytorch.py writes one: PyTorch on the nightly recipe (values made up for tests). */
import type { ReferenceRun } from '../../runners/compare/reference.js';

export const REFERENCE: ReferenceRun = {
  schemaVersion: 1,
  createdAt: '2026-11-27T14:00:00Z',
  command: 'python3 scripts/train_pytorch.py --data cifar10 --out ref --iterations 600',
  framework: 'pytorch 2.13.0+cpu',
  threads: 2,
  cpu: 'AMD EPYC',
  model: 'resnet20',
  seed: 1,
  recipe: { iterations: 600, batchSize: 128, baseLearningRate: 0.1, milestones: [300, 450], momentum: 0.9, weightDecay: 1e-4, sgd: 'caffe' },
  testError: 0.12,
  trainError: 0.1,
  wallSeconds: 300,
  imagesPerSecond: 256,
  curves: { train: [{ iteration: 600, trainError: 0.1, loss: 0.3, learningRate: 0.001 }], test: [{ iteration: 300, testError: 0.3, loss: 1 }, { iteration: 600, testError: 0.12, loss: 0.4 }] },
};
