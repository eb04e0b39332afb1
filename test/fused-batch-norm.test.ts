/**
 * Training BN through TensorFlow's fused kernels gives tfjs-layers' results:
 * the same output and gradients (moving variance: TensorFlow's Bessel
 * correction). Off the native backend the layer is tfjs-layers' own path.
 */
import * as tf from '@tensorflow/tfjs';
import test from 'ava';
import { FusedTrainingBatchNorm } from '../runners/kernels/fused-batch-norm.js';
import { useBackend } from './helpers/backend.js';

test.before(async () => {
  await useBackend({ gradients: true });
});

const x = () => tf.randomNormal([16, 8, 8, 6], 1, 2, 'float32', 1);
const w = () => tf.randomNormal([16, 8, 8, 6], 0, 1, 'float32', 4);

function run(fused: boolean) {
  const args = {
    axis: 3,
    momentum: 0.9,
    epsilon: 1e-5,
    gammaInitializer: tf.initializers.randomNormal({ mean: 1, stddev: 0.3, seed: 2 }),
    betaInitializer: tf.initializers.randomNormal({ mean: 0, stddev: 0.3, seed: 3 }),
  };
  const layer = fused ? new FusedTrainingBatchNorm(args) : tf.layers.batchNormalization(args);
  const input = x();
  layer.build(input.shape);
  const variables = layer.trainableWeights.map((v) => v.read() as tf.Variable);
  const weight = w();
  const loss = (t: tf.Tensor) => (layer.apply(t, { training: true }) as tf.Tensor).mul(weight).sum() as tf.Scalar;
  const { value, grads } = tf.variableGrads(() => loss(input), variables);
  const dx = tf.grad(loss)(input);
  const [, , movingMean, movingVariance] = layer.getWeights();
  return { value: value.dataSync()[0]!, grads: Object.values(grads).map((g) => Array.from(g.dataSync())), dx: Array.from(dx.dataSync()), movingMean: Array.from(movingMean!.dataSync()), movingVariance: Array.from(movingVariance!.dataSync()) };
}

const close = (a: number[], b: number[], tolerance: number) => a.every((v, i) => Math.abs(v - b[i]!) <= tolerance * (1 + Math.abs(b[i]!)));

test('training output, gradients and moving statistics match tfjs-layers\' BatchNormalization', (t) => {
  const fused = run(true);
  const composite = run(false);
  t.true(Math.abs(fused.value - composite.value) < 1e-3);
  fused.grads.forEach((g, i) => t.true(close(g, composite.grads[i]!, 1e-4), `gradient ${i}`));
  t.true(close(fused.dx, composite.dx, 1e-4), 'input gradient');
  t.true(close(fused.movingMean, composite.movingMean, 1e-5));
  // n = 16·8·8 = 1024 values per channel: ours averages the Bessel-corrected batch variance on every
  // backend (as Caffe, PyTorch and TensorFlow's fused kernel); stock tfjs-layers the biased one.
  const bessel = 1024 / 1023;
  // Two training applications from 1 with momentum 0.9: v = 0.81 + 0.19·batchVariance.
  const corrected = composite.movingVariance.map((v) => 0.81 + (v - 0.81) * bessel);
  t.true(close(fused.movingVariance, corrected, 1e-5), `${fused.movingVariance.slice(0, 3)} vs ${corrected.slice(0, 3)}`);
});
