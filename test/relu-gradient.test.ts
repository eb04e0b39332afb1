/** ReLU's gradient is dy where x > 0 and 0 elsewhere (x = 0 included), on whichever backend runs it. */
import * as tf from '@tensorflow/tfjs';
import test from 'ava';
import { useBackend } from './helpers/backend.js';

test('relu gradient', async (t) => {
  await useBackend({ gradients: true });
  const x = tf.tensor1d([-2, -0.5, 0, 0.5, 3]);
  const dy = tf.tensor1d([1, 2, 3, 4, 5]);
  t.deepEqual(Array.from(tf.grad((v: tf.Tensor) => tf.relu(v).mul(dy).sum())(x).dataSync()), [0, 0, 0, 4, 5]);
});
