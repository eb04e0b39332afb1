import * as tf from '@tensorflow/tfjs';
import test from 'ava';
import { BackendUnavailableError, initBackend } from '../runners/backend.js';

// One process per test file: these tests switch the global backend in turn.
test.serial('auto for training takes the best backend that passes a real training step', async (t) => {
  const info = await initBackend('auto', { gradients: true });
  t.truthy(tf.getKernel('Conv2DBackpropFilter', info.tfjsBackend));
  // Without native TensorFlow that is wasm: our composed filter kernel lets it train.
  if (!['tensorflow', 'tensorflow-gpu'].includes(info.choice)) t.is(info.choice, 'wasm');
});

test.serial('auto records why better backends were passed over, and the versions that ran', async (t) => {
  const info = await initBackend('auto');
  t.is(info.requested, 'auto');
  t.is(info.versions['@tensorflow/tfjs'], tf.version_core);
  const order = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];
  t.deepEqual(info.skipped.map((s) => s.choice), order.slice(0, order.indexOf(info.choice)));
});

test.serial('an explicit native backend either runs with its TensorFlow version or says how to get it', async (t) => {
  try {
    const info = await initBackend('tensorflow');
    t.is(info.tfjsBackend, 'tensorflow');
    t.regex(info.versions.tensorflow ?? '', /^\d+\.\d+/);
  } catch (error) {
    t.true(error instanceof BackendUnavailableError);
    t.regex((error as Error).message, /@tensorflow\/tfjs-node/);
    t.regex((error as Error).message, /resnet-repro setup tensorflow/);
  }
});

test.serial('wasm trains: a gradient step of tiny CIFAR and ImageNet nets passes the probe', async (t) => {
  const info = await initBackend('wasm', { gradients: true });
  t.is(info.tfjsBackend, 'wasm');
  t.deepEqual(info.skipped, []);
});

test.serial('explicit cpu always loads', async (t) => {
  const info = await initBackend('cpu');
  t.is(info.tfjsBackend, 'cpu');
  t.is(info.device, 'cpu');
});
