import { defineSuite, type TrainingPreset } from './define.js';

/**
 * ImageNet presets: smoke runs on the generated stand-in in ILSVRC2012's layout (cached under the
 * data folder, never recorded as ImageNet), through the same decode, augmentation and 10-crop
 * evaluation; nightly and full want ILSVRC2012 (--data) and a GPU runner.
 */
const IMAGENET_PRESETS = {
  smoke: { dataset: 'imagenet-standin', iterations: 60, seeds: 1, batchSize: 16, width: 4, imageSize: 64, logEvery: 10, evalEvery: 30, gateThroughput: false, tolerance: { error: 0.1, throughput: 0.1, response: 0.1 }, decidedBy: 'conformance' },
  nightly: { dataset: 'imagenet', iterations: 5_000, seeds: 1, batchSize: 256, imageSize: 224, logEvery: 100, evalEvery: 1_000, gateThroughput: true, tolerance: { error: 0.02, throughput: 0.1, response: 0.05 }, decidedBy: 'statistics' },
  full: { dataset: 'imagenet', iterations: 600_000, seeds: 1, batchSize: 256, imageSize: 224, logEvery: 500, evalEvery: 5_000, gateThroughput: true, tolerance: { error: 0.01, throughput: 0.1, response: 0.05 }, decidedBy: 'statistics' },
} as const satisfies Record<string, TrainingPreset>;

/** Table 2 and Fig. 4: the degradation problem on ImageNet, and shortcuts removing it. */
export const plainVsResidual = defineSuite({
  kind: 'training',
  name: 'imagenet-plain-vs-residual',
  version: 1,
  title: 'ImageNet: plain-18/34 vs ResNet-18/34 (option A)',
  paper: 'Table 2, Fig. 4',
  models: ['plain18', 'plain34', 'resnet18-a', 'resnet34-a'],
  metrics: ['top1Error10Crop', 'testError', 'trainError'],
  claims: [
    { id: 'plain34-worse', text: 'plain-34 has higher training error than plain-18', metric: 'trainError', lower: 'plain18', higher: 'plain34', gatedAt: ['full'] },
    { id: 'resnet34-better', text: 'ResNet-34 has lower 10-crop top-1 error than ResNet-18', metric: 'top1Error10Crop', lower: 'resnet34-a', higher: 'resnet18-a', gatedAt: ['full'] },
    { id: 'resnet34-beats-plain34', text: 'ResNet-34 has lower 10-crop top-1 error than plain-34', metric: 'top1Error10Crop', lower: 'resnet34-a', higher: 'plain34', gatedAt: ['full'] },
  ],
  presets: IMAGENET_PRESETS,
});

/** Tables 3 and 4: shortcut options and deeper bottleneck nets. */
export const depth = defineSuite({
  kind: 'training',
  name: 'imagenet-depth',
  version: 1,
  title: 'ImageNet: ResNet-34 A/B/C, 50, 101, 152',
  paper: 'Tables 3, 4',
  models: ['resnet34-a', 'resnet34', 'resnet34-c', 'resnet50', 'resnet101', 'resnet152'],
  metrics: ['top1Error10Crop', 'top5Error10Crop', 'testError'],
  claims: [
    { id: 'b-beats-a', text: 'ResNet-34 B has lower top-1 error than A', metric: 'top1Error10Crop', lower: 'resnet34', higher: 'resnet34-a', gatedAt: ['full'] },
    { id: '50-beats-34', text: 'ResNet-50 has lower top-1 error than ResNet-34 B', metric: 'top1Error10Crop', lower: 'resnet50', higher: 'resnet34', gatedAt: ['full'] },
    { id: '152-best', text: 'ResNet-152 has lower top-1 error than ResNet-101', metric: 'top1Error10Crop', lower: 'resnet152', higher: 'resnet101', gatedAt: ['full'] },
  ],
  presets: { ...IMAGENET_PRESETS, smoke: { ...IMAGENET_PRESETS.smoke, models: ['resnet34-a', 'resnet50'] } },
});
