import * as tf from '@tensorflow/tfjs';
import test from 'ava';
import { BackendUnavailableError, describeBackend, initBackend } from '../runners/backend.js';
import { chooseNativeKernels, describeNativeKernels } from '../runners/records/identity.js';

// One process per test file: these tests switch the global backend in turn.
test.serial('auto for training takes the best backend that passes a real training step', async (t) => {
  const info = await initBackend('auto', { gradients: true });
  t.truthy(tf.getKernel('Conv2DBackpropFilter', info.tfjsBackend));
  // Without native TensorFlow that is wasm: our composed filter kernel lets it train.
  if (!['tensorflow', 'tensorflow-gpu'].includes(info.name)) t.is(info.name, 'wasm');
});

test.serial('auto records why better backends were passed over, and the versions that ran', async (t) => {
  const info = await initBackend('auto');
  t.is(info.requested, 'auto');
  t.is(info.versions['@tensorflow/tfjs'], tf.version_core);
  const order = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];
  t.deepEqual(info.skipped.map((s) => s.choice), order.slice(0, order.indexOf(info.name)));
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

const avx2 = { model: 'AMD EPYC', cores: 2, features: ['avx', 'avx2', 'fma'] };

test('on x86-64 with AVX2 oneDNN is turned on before TensorFlow loads, unless the user chose', (t) => {
  const env: NodeJS.ProcessEnv = {};
  chooseNativeKernels(env, avx2, 'x64');
  t.is(env.TF_ENABLE_ONEDNN_OPTS, '1');
  const chosen: NodeJS.ProcessEnv = { TF_ENABLE_ONEDNN_OPTS: '0' };
  chooseNativeKernels(chosen, avx2, 'x64');
  t.is(chosen.TF_ENABLE_ONEDNN_OPTS, '0');
  // Unmeasured CPUs keep TensorFlow's own default.
  for (const [cpu, arch] of [[{ ...avx2, features: ['avx'] }, 'x64'], [{ model: 'Neoverse', cores: 4, features: ['asimd'] }, 'arm64']] as const) {
    const other: NodeJS.ProcessEnv = {};
    chooseNativeKernels(other, cpu, arch);
    t.false('TF_ENABLE_ONEDNN_OPTS' in other, arch);
  }
  t.is(describeNativeKernels({ TF_ENABLE_ONEDNN_OPTS: '1' }), 'oneDNN on');
  t.is(describeNativeKernels({ TF_ENABLE_ONEDNN_OPTS: '0' }), 'oneDNN off');
  t.regex(describeNativeKernels({}), /TensorFlow's default/);
});

test.serial('a native run records its kernel choice with the CPU identity; wasm and cpu record none', async (t) => {
  const info = await initBackend('auto');
  t.true(info.cpuCores > 0);
  t.truthy(info.cpuModel);
  if (info.name === 'tensorflow' && process.arch === 'x64' && info.cpuFeatures.includes('avx2')) {
    t.is(info.env.TF_ENABLE_ONEDNN_OPTS, process.env.TF_ENABLE_ONEDNN_OPTS ?? '1');
    t.regex(describeBackend(info), /oneDNN (on|off)/);
  }
  const wasm = await initBackend('wasm');
  t.deepEqual(wasm.env, {});
});
