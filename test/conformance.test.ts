/**
 * Conformance with an independent implementation: given the same weights and
 * inputs, our models compute what PyTorch computes (torchvision's ResNets,
 * fb.resnet.torch's option-A CIFAR net, the authors' highway net), and our
 * training step, SGD and input pipeline do what the paper's Caffe recipe does.
 * Fixtures: scripts/conformance.py. Runs on every backend.
 *
 * Tolerances are relative to the largest magnitude of each tensor
 * (helpers/conformance.ts `relativeError`). float32 carries 2⁻²⁴ ≈ 6e-8 per
 * rounding; a forward pass sums a few hundred to a few thousand products per
 * output over 20–50 layers, each summed in a kernel-dependent order, so
 * honest implementations differ by ~1e-6. Training-mode BN divides by batch
 * standard deviations of as few as 16 values, and gradients subtract
 * near-equal terms, which amplifies that rounding up to ~100×. The limits sit
 * an order of magnitude above what the backends measure and orders below what
 * a planted fault gives (a missing shortcut, BN epsilon 1e-3, a stride on the
 * wrong convolution: 1e-2 and above).
 */
import * as tf from '@tensorflow/tfjs';
import test from 'ava';
import { perPixelMean } from '../runners/data/images.js';
import { augmentedBatch } from '../runners/data/augment.js';
import { rng } from '../runners/data/rng.js';
import { buildModel, decayedWeights } from '../runners/models/build.js';
import { parseModelName } from '../runners/models/names.js';
import { SGD_RECIPE } from '../runners/train/schedule.js';
import { Sgd } from '../runners/train/sgd.js';
import { trainingLoss, trainingStep } from '../runners/train/train.js';
import { useBackend } from './helpers/backend.js';
import { type Fixture, fixtureImages, floats, inTheirLayout, loadWeights, minus, pipelineBytes, readFixture, readPipelineFixture, relativeError, stateOf } from './helpers/conformance.js';

export const TOLERANCE = { inference: 1e-5, training: 1e-3, gradient: 1e-3, update: 1e-3 } as const;

test.before(async () => {
  await useBackend({ gradients: true });
});

function built(fixture: Fixture) {
  const model = buildModel(parseModelName(fixture.model), { inputSize: fixture.side, numClasses: fixture.classes, init: 'zeros' });
  loadWeights(model, fixture);
  return model;
}

const FORWARD = ['resnet20-w4', 'plain20-w4', 'resnet18-w4', 'resnet34-w4', 'resnet34-a-w4', 'resnet34-c-w4', 'plain34-w4', 'resnet50-w4', 'resnet50-v1.5-w4', 'highway19'];

for (const name of FORWARD) {
  test(`${name}: logits equal the reference's, with moving and with batch statistics`, (t) => {
    const fixture = readFixture(name);
    const model = built(fixture);
    const x = fixtureImages(fixture);
    const modes = [['inference', false], ['training', true]] as const;
    for (const [mode, training] of modes) {
      const expected = fixture[mode];
      if (!expected) continue; // highway19 has dropout, not BN: training mode is random
      const logits = model.model.apply(x, { training }) as tf.Tensor;
      const error = relativeError(logits.dataSync(), floats(expected));
      t.log(`${mode}: relative error ${error.toExponential(1)} (against ${fixture.reference})`);
      t.true(error <= TOLERANCE[mode], `${mode} logits differ by ${error.toExponential(2)} > ${TOLERANCE[mode]}`);
      logits.dispose();
    }
    x.dispose();
    model.model.dispose();
  });
}

for (const name of ['resnet20-w4', 'resnet18-w4']) {
  test(`${name}: gradients, and weights and BN statistics after 1 and 3 SGD steps (rate cut before the 3rd), equal Caffe's`, (t) => {
    const fixture = readFixture(name);
    const model = built(fixture);
    const variables = model.model.trainableWeights.map((w) => w.read() as tf.Variable);
    const originalName = new Map(model.model.trainableWeights.map((w) => [w.name, w.originalName]));
    const sgd = new Sgd(SGD_RECIPE, new Set(decayedWeights(model).map((w) => w.name)));
    const before = stateOf(model, fixture);
    const data = { side: fixture.side, classes: fixture.classes };
    const worst = { loss: 0, gradient: 0, update: 0 };
    fixture.steps!.forEach((step, k) => {
      const x = fixtureImages(fixture, `step${k}`);
      const labels = tf.tensor1d(step.labels, 'int32');
      if (step.gradients) {
        const { grads } = tf.variableGrads(() => trainingLoss(model.model.apply(x, { training: true }) as tf.Tensor2D, labels, fixture.classes), variables);
        // That forward pass moved the BN statistics: put them back before the real step.
        for (const w of model.model.weights.filter((w) => !w.trainable)) w.write(tf.tensor(before.get(w.originalName)!, w.shape as number[]));
        t.deepEqual(Object.keys(grads).map((v) => originalName.get(v)).sort(), Object.keys(step.gradients).sort());
        for (const [v, g] of Object.entries(grads)) {
          const weight = originalName.get(v)!;
          const error = relativeError(inTheirLayout(fixture, weight, g), floats(step.gradients[weight]!));
          worst.gradient = Math.max(worst.gradient, error);
          t.true(error <= TOLERANCE.gradient, `∂loss/∂${weight} differs by ${error.toExponential(2)}`);
        }
        tf.dispose(grads);
      }
      const batch = { images: x.dataSync() as Float32Array, labels: Int32Array.from(step.labels), size: fixture.batch };
      const { loss } = trainingStep({ built: model, variables, sgd }, data, batch, step.learningRate);
      const lossError = Math.abs(loss - step.loss) / Math.abs(step.loss);
      worst.loss = Math.max(worst.loss, lossError);
      t.true(lossError <= TOLERANCE.training, `step ${k + 1}: loss ${loss} vs ${step.loss}`);
      tf.dispose([x, labels]);
      if (!step.state) return;
      // Compare what the steps changed (w − w₀): the weights themselves barely move in a few steps.
      const after = stateOf(model, fixture);
      for (const [weight, expected] of Object.entries(step.state)) {
        const w0 = before.get(weight)!;
        const error = relativeError(minus(after.get(weight)!, w0), minus(floats(expected), w0));
        worst.update = Math.max(worst.update, error);
        t.true(error <= TOLERANCE.update, `after step ${k + 1}, ${weight} moved by a different amount: ${error.toExponential(2)}`);
      }
    });
    t.log(`largest relative error: losses ${worst.loss.toExponential(1)}, gradients ${worst.gradient.toExponential(1)}, updates ${worst.update.toExponential(1)}`);
    sgd.dispose();
    model.model.dispose();
  });
}

test('the CIFAR input pipeline: per-pixel mean, pad 4, crop and flip as the reference computes them on the same bytes and seed', (t) => {
  const fixture = readPipelineFixture();
  const { count, side } = fixture;
  const set = { name: 'fixture', side, classes: 10, count, images: pipelineBytes(fixture), labels: new Uint8Array(count) };
  const mean = perPixelMean(set);
  t.deepEqual(Array.from(mean), Array.from(floats(fixture.mean)));
  const batch = augmentedBatch(set, mean, fixture.indices, rng(fixture.seed, 'augment', fixture.iteration));
  const pixels = side * side * 3;
  fixture.crops.forEach((crop, s) => {
    const ours = batch.images.subarray(s * pixels, (s + 1) * pixels);
    t.deepEqual(Array.from(ours), Array.from(floats(crop.image)), `image ${s}: crop (${crop.dx}, ${crop.dy}), flip ${crop.flip}`);
  });
});
