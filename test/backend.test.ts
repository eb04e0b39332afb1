import * as tf from '@tensorflow/tfjs';
import test from 'ava';
import { BackendUnavailableError, initBackend } from '../runners/backend.js';

// One process per test file: these tests switch the global backend in turn.
test.serial('auto never picks a backend that cannot train when gradients are needed', async (t) => {
  const info = await initBackend('auto', { gradients: true });
  t.not(info.choice, 'wasm');
  t.truthy(tf.getKernel('Conv2DBackpropFilter', info.tfjsBackend));
  if (info.skipped.some((s) => s.choice === 'wasm')) {
    t.regex(info.skipped.find((s) => s.choice === 'wasm')!.reason, /Conv2DBackpropFilter/);
  }
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

test.serial('explicit wasm refuses training with the missing kernel named', async (t) => {
  const error = await t.throwsAsync(initBackend('wasm', { gradients: true }), { instanceOf: BackendUnavailableError });
  t.regex(error!.message, /Conv2DBackpropFilter/);
});

test.serial('explicit cpu always loads', async (t) => {
  const info = await initBackend('cpu');
  t.is(info.tfjsBackend, 'cpu');
  t.is(info.device, 'cpu');
});
