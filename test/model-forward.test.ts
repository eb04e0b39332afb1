/**
 * Built models compute: finite logits of the right shape, in training and
 * inference mode, with the option-A shortcut and Caffe padding as specified.
 * Small widths keep this fast on the pure-JS backend.
 */
import * as tf from '@tensorflow/tfjs';
import test from 'ava';
import { buildModel } from '../runners/models/build.js';
import { ZeroPadShortcut } from '../runners/models/layers.js';
import { parseModelName } from '../runners/models/names.js';
import { layerResponses } from '../runners/models/responses.js';
import { useBackend } from './helpers/backend.js';

test.before(async () => {
  await useBackend();
});

const batch = (n: number, size = 32) => tf.randomNormal([n, size, size, 3], 0, 1, 'float32', 7) as tf.Tensor4D;

for (const name of ['resnet20-w4', 'plain20-w4', 'highway20-w4', 'resnet20-skip3-w4', 'resnet8-skip1-w4', 'resnet20-c-w4', 'highway19']) {
  test(`${name}: a forward pass gives finite [2, 10] logits in both modes`, (t) => {
    const built = buildModel(parseModelName(name), { seed: 1 });
    const x = batch(2);
    for (const training of [false, true]) {
      const y = built.model.apply(x, { training }) as tf.Tensor;
      t.deepEqual(y.shape, [2, 10]);
      t.true(Array.from(y.dataSync()).every(Number.isFinite), `training=${training}`);
      y.dispose();
    }
    x.dispose();
    built.model.dispose();
  });
}

test('ImageNet nets run on smaller inputs for smoke tests (resnet18 at width 4, 64×64)', (t) => {
  const built = buildModel(parseModelName('resnet18-w4'), { seed: 1, inputSize: 64 });
  const y = built.model.predict(batch(1, 64)) as tf.Tensor;
  t.deepEqual(y.shape, [1, 1000]);
  t.true(Array.from(y.dataSync()).every(Number.isFinite));
  built.model.dispose();
});

test('the same seed builds the same weights; another seed does not', (t) => {
  const weights = (seed: number) => {
    const built = buildModel(parseModelName('resnet8-skip1-w2'), { seed });
    const values = built.model.getWeights().map((w) => Array.from(w.dataSync()));
    built.model.dispose();
    return values;
  };
  t.deepEqual(weights(3), weights(3));
  t.notDeepEqual(weights(3), weights(4));
});

test('He initialisation: conv weights have std √(2 / fan_in)', (t) => {
  const built = buildModel(parseModelName('resnet20'), { seed: 5 });
  const kernel = built.model.getLayer('conv4_2.conv1').getWeights()[0]!; // 3×3×64→64
  const { variance } = tf.moments(kernel);
  const expected = Math.sqrt(2 / (3 * 3 * 64));
  t.true(Math.abs(Math.sqrt(variance.dataSync()[0]!) - expected) / expected < 0.05);
  built.model.dispose();
});

test('BN γ starts at 1 (Caffe\'s default); a -g0 net zeroes only the last BN of each residual branch, so its blocks start as their shortcuts', (t) => {
  const gammas = (name: string) => {
    const built = buildModel(parseModelName(name), { seed: 3 });
    const byLayer = new Map(built.model.weights.filter((w) => w.originalName.endsWith('/gamma')).map((w) => [w.originalName.replace('/gamma', ''), Array.from(w.read().dataSync())]));
    built.model.dispose();
    return byLayer;
  };
  const paper = gammas('resnet20-w4');
  t.true([...paper.values()].every((g) => g.every((v) => v === 1)));
  const g0 = gammas('resnet20-g0-w4');
  const zeroed = [...g0].filter(([, g]) => g.every((v) => v === 0)).map(([name]) => name);
  t.is(zeroed.length, 9);
  t.true(zeroed.every((name) => /^conv\d_\d\.conv2\.bn$/.test(name)), zeroed.join());
  t.true([...g0].filter(([name]) => !zeroed.includes(name)).every(([, g]) => g.every((v) => v === 1)));
  // Projection shortcuts keep γ = 1: only the branch is zeroed.
  const c = gammas('resnet50-c-g0-w2');
  t.true(c.get('conv2_1.proj.bn')!.every((v) => v === 1));
  t.true(c.get('conv2_1.conv3.bn')!.every((v) => v === 0));
});

test('option A subsamples from the top-left and fills the added channels with zeros', (t) => {
  // 1 image, 4×4, 2 channels: value = 10·row + col + 100·channel.
  const values = Array.from({ length: 4 * 4 * 2 }, (_, i) => {
    const c = i % 2;
    const col = Math.floor(i / 2) % 4;
    const row = Math.floor(i / 8);
    return 10 * row + col + 100 * c;
  });
  const x = tf.tensor4d(values, [1, 4, 4, 2]);
  const y = new ZeroPadShortcut({ name: 'a', stride: 2, outChannels: 4 }).apply(x) as tf.Tensor;
  t.deepEqual(y.shape, [1, 2, 2, 4]);
  t.deepEqual(Array.from(y.dataSync()), [0, 100, 0, 0, 2, 102, 0, 0, 20, 120, 0, 0, 22, 122, 0, 0]);
});

test('strided 3×3 convolutions pad every side by one (Caffe), not bottom-right only', (t) => {
  const built = buildModel(parseModelName('resnet8-skip1-w1'), { seed: 1 });
  const pad = built.model.getLayer('conv3_1.conv1.pad');
  t.deepEqual(pad.getConfig().padding, [[1, 1], [1, 1]]);
  t.is(built.model.getLayer('conv3_1.conv1').getConfig().padding, 'valid');
  built.model.dispose();
});

test('Fig. 7 taps every 3×3 layer after BN, in depth order, and reads a positive std for each', (t) => {
  const built = buildModel(parseModelName('resnet20-w4'), { seed: 2 });
  t.is(built.responseTaps.length, 19);
  t.is(built.responseTaps[0], 'conv1.bn');
  t.is(built.responseTaps[18], 'conv4_3.conv2.bn');
  const responses = layerResponses(built, batch(4));
  t.deepEqual(responses.map((r) => r.index), Array.from({ length: 19 }, (_, i) => i + 1));
  t.true(responses.every((r) => r.std > 0 && Number.isFinite(r.std)));
  built.model.dispose();
});

test('bottleneck nets tap only their 3×3 layers', (t) => {
  const built = buildModel(parseModelName('resnet50-w2'), { init: 'zeros' });
  t.is(built.responseTaps.length, 16);
  t.true(built.responseTaps.every((n) => n.endsWith('.conv2.bn')));
  built.model.dispose();
});
