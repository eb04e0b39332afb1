import test from 'ava';
import { UsageError } from '../runners/errors.js';
import { PAPER_MODELS, parseModelName } from '../runners/models/names.js';
import type { StackedNetSpec } from '../runners/models/spec.js';

const stacked = (name: string) => parseModelName(name) as StackedNetSpec;

test('ImageNet depths follow Table 1 and default to option B with the stride on the first 1×1', (t) => {
  const r50 = stacked('resnet50');
  t.is(r50.dataset, 'imagenet');
  t.is(r50.block, 'bottleneck');
  t.deepEqual(r50.stages.map((s) => s.blocks), [3, 4, 6, 3]);
  t.deepEqual(r50.stages.map((s) => s.width), [64, 128, 256, 512]);
  t.is(r50.shortcut, 'B');
  t.is(r50.bottleneckStride, 'first-1x1');
  t.deepEqual(stacked('resnet152').stages.map((s) => s.blocks), [3, 8, 36, 3]);
  t.is(stacked('resnet34').block, 'basic');
});

test('suffixes select shortcut option A/C and the v1.5 stride', (t) => {
  t.is(stacked('resnet34-a').shortcut, 'A');
  t.is(stacked('resnet34-c').shortcut, 'C');
  t.is(stacked('resnet50-v1.5').bottleneckStride, '3x3');
  t.is(stacked('resnet50-c-v1.5').name, 'resnet50-c-v1.5');
});

test('CIFAR-10 depths are 6n+2 with option A shortcuts and three stages of 16, 32, 64', (t) => {
  for (const [depth, n] of [[20, 3], [32, 5], [44, 7], [56, 9], [110, 18], [1202, 200]] as const) {
    const spec = stacked(`resnet${depth}`);
    t.is(spec.dataset, 'cifar10');
    t.is(spec.shortcut, 'A');
    t.deepEqual(spec.stages.map((s) => s.blocks), [n, n, n]);
    t.deepEqual(spec.stages.map((s) => s.width), [16, 32, 64]);
  }
});

test('names are canonical: defaults are dropped and the depth both tables use needs a prefix', (t) => {
  t.is(parseModelName('resnet34-b').name, 'resnet34');
  t.is(parseModelName('RESNET20').name, 'resnet20');
  t.is(parseModelName('cifar-resnet50').name, 'cifar-resnet50');
  t.is(parseModelName('cifar-resnet50').dataset, 'cifar10');
  t.is(parseModelName('resnet56-skip3-w8').name, 'resnet56-skip3-w8');
  t.deepEqual(stacked('resnet20-w4').stages.map((s) => s.width), [4, 8, 16]);
});

test('skip length k keeps depth 3kn+2 and is rejected where no block can hold it', (t) => {
  t.is(stacked('resnet110-skip4').skip, 4);
  t.deepEqual(stacked('resnet110-skip4').stages.map((s) => s.blocks), [9, 9, 9]);
  t.deepEqual(stacked('resnet110-skip1').stages.map((s) => s.blocks), [36, 36, 36]);
  const error = t.throws(() => parseModelName('resnet56-skip4'), { instanceOf: UsageError });
  t.regex(error.message, /12n\+2/);
});

test('highway19 is the authors\' configuration; highway<6n+2> is the gated ResNet', (t) => {
  t.is(parseModelName('highway19').kind, 'highway');
  t.is(stacked('highway56').family, 'highway');
  t.is(stacked('highway56').kind, 'stacked');
});

test('-g0 starts ResNet branches at γ = 0 (not the paper\'s), and names keep it', (t) => {
  t.true(stacked('resnet56-g0').zeroInitBranch);
  t.is(stacked('resnet56').zeroInitBranch, undefined);
  t.is(parseModelName('resnet56-w4-g0').name, 'resnet56-g0-w4');
  t.is(parseModelName('resnet50-v1.5-g0').name, 'resnet50-v1.5-g0');
});

const bad: [string, RegExp][] = [
  ['plain56-g0', /ResNets only/],
  ['highway56-g0', /ResNets only/],
  ['resnet21', /6n\+2/],
  ['resnet2', /n ≥ 1/],
  ['resnet', /expected e\.g\./],
  ['vgg16', /expected e\.g\./],
  ['resnet35', /Table 1|6n\+2/],
  ['imagenet-resnet20', /Table 1/],
  ['plain34-a', /plain nets have no shortcuts/],
  ['plain20-skip3', /plain nets have no shortcuts/],
  ['resnet34-v1.5', /basic blocks/],
  ['resnet20-v1.5', /ImageNet bottleneck/],
  ['resnet50-skip3', /CIFAR-10 nets/],
  ['highway34', /6n\+2/],
  ['imagenet-highway50', /CIFAR-10 models/],
  ['highway19-a', /takes no suffixes/],
  ['resnet20-a-c', /more than one shortcut/],
  ['resnet20-d', /unknown suffix "-d"/],
  ['resnet20-skip0', /at least one layer/],
];
for (const [name, why] of bad) {
  test(`"${name}" is a usage error that says why`, (t) => {
    const error = t.throws(() => parseModelName(name), { instanceOf: UsageError });
    t.regex(error.message, why);
    t.true(error.message.includes(name), 'the message names the input');
  });
}

test('every paper model name parses to itself', (t) => {
  for (const name of PAPER_MODELS) t.is(parseModelName(name).name, name);
});
