/** Every trainable weight receives a finite gradient, through option-A shortcuts and highway gates alike. */
import * as tf from '@tensorflow/tfjs';
import test from 'ava';
import { buildModel } from '../runners/models/build.js';
import { parseModelName } from '../runners/models/names.js';
import { useBackend } from './helpers/backend.js';

test.before(async () => {
  await useBackend({ gradients: true });
});

for (const name of ['resnet8-skip1-w2', 'highway8-skip1-w2', 'resnet8-skip1-b-w2']) {
  test(`${name}: every trainable weight gets a finite, non-zero gradient`, (t) => {
    const built = buildModel(parseModelName(name), { seed: 1 });
    const x = tf.randomNormal([2, 32, 32, 3], 0, 1, 'float32', 3);
    const labels = tf.oneHot(tf.tensor1d([1, 7], 'int32'), 10);
    const { grads } = tf.variableGrads(() =>
      tf.losses.softmaxCrossEntropy(labels, built.model.apply(x, { training: true }) as tf.Tensor),
    );
    const trainable = built.model.trainableWeights.map((w) => w.name);
    t.deepEqual(Object.keys(grads).sort(), [...trainable].sort());
    for (const [weight, g] of Object.entries(grads)) {
      const values = g.dataSync();
      t.true(values.every(Number.isFinite), weight);
      t.true(values.some((v) => v !== 0), `${weight} has a zero gradient`);
    }
    built.model.dispose();
  });
}
