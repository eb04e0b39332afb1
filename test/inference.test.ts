/**
 * The evaluation's forward pass with BN folded into fused convolutions
 * (models/inference.ts) computes what tfjs-layers computes, to float32
 * rounding, on every block type the builder makes; where the fused kernel
 * is missing, evaluation is tfjs-layers' own pass, bit for bit.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import test from 'ava';
import type { BackendInfo } from '../runners/backend.js';
import { EVALUATION_KERNELS, fusedConvolutionAvailable } from '../runners/kernels/fused-conv.js';
import { buildModel } from '../runners/models/build.js';
import { ZeroPadShortcut } from '../runners/models/layers.js';
import { foldedInference, planInference } from '../runners/models/inference.js';
import { parseModelName } from '../runners/models/names.js';
import { PATCH_MARK } from '../runners/setup/binding-patch.js';
import { planRun, startEvaluation } from '../runners/train/plan.js';
import { useBackend } from './helpers/backend.js';

let backend: BackendInfo;
test.before(async () => {
  backend = await useBackend();
});

const images = (size = 32) => tf.randomNormal([4, size, size, 3], 0, 1, 'float32', 7) as tf.Tensor4D;

/** Moving statistics, γ and β far from their initial 0 and 1, so that a wrong fold shows. */
function trainedLookingBn(model: tf.LayersModel): void {
  model.weights.forEach((w, i) => {
    const kind = w.originalName.split('/').pop()!;
    if (!['gamma', 'beta', 'moving_mean', 'moving_variance'].includes(kind)) return;
    const positive = kind === 'gamma' || kind === 'moving_variance';
    w.write(tf.tidy(() => (positive ? tf.randomUniform(w.shape as number[], 0.5, 2, 'float32', i) : tf.randomNormal(w.shape as number[], 0, 0.3, 'float32', i))));
  });
}

const stepKinds = (name: string, inputSize?: number) => {
  const built = buildModel(parseModelName(name), { seed: 1, ...(inputSize ? { inputSize } : {}) });
  const plan = planInference(built.model)!;
  const layers = plan.steps.flatMap((s) => (s.kind === 'layer' ? [s.layer.getClassName()] : []));
  built.model.dispose();
  return { fused: plan.fusedConvolutions, layers };
};

test('every convolution of a ResNet absorbs its BN, ReLU, residual addition and padding; shortcuts, pooling and fc stay layers', (t) => {
  // ResNet-20: 19 convolutions, and option A's two zero-padding shortcuts as one-hot 1×1 convolutions.
  t.deepEqual(stepKinds('resnet20-w4'), { fused: 21, layers: ['GlobalAveragePooling2D', 'Dense'] });
  // Option B adds two projections (conv → BN, the residual branch's addition taken by one of the pair).
  t.deepEqual(stepKinds('resnet20-b-w4'), { fused: 21, layers: ['GlobalAveragePooling2D', 'Dense'] });
  // The ImageNet stem: the 7×7 convolution's padding is absorbed, the max pool's is not (it is no convolution's).
  t.deepEqual(stepKinds('resnet18-w4', 64), { fused: 20, layers: ['ZeroPadding2D', 'MaxPooling2D', 'GlobalAveragePooling2D', 'Dense'] });
  // Gated shortcuts: the sigmoid gate and the gated sum run as layers, and the ReLU after the sum.
  const gated = stepKinds('highway20-w4');
  t.is(gated.fused, 21);
  t.is(gated.layers.filter((l) => l === 'Conv2D').length, 9, 'the gates');
  t.is(gated.layers.filter((l) => l === 'GatedSum').length, 9);
});

test("option A's shortcut as a one-hot convolution is exact: every stride-th pixel, the added channels zero", (t) => {
  if (!fusedConvolutionAvailable()) {
    t.pass('no fused kernel here: the shortcut runs as its layer');
    return;
  }
  const input = tf.input({ shape: [9, 9, 3] });
  const out = new ZeroPadShortcut({ name: 'shortcut', stride: 2, outChannels: 8 }).apply(input) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  t.is(planInference(model)!.fusedConvolutions, 1);
  const x = tf.randomNormal([2, 9, 9, 3], 0, 1e3, 'float32', 3);
  const folded = foldedInference(model)!;
  const ours = folded.logits(x as tf.Tensor4D);
  const theirs = model.apply(x) as tf.Tensor;
  t.deepEqual(ours.shape, [2, 5, 5, 8]);
  t.deepEqual(Array.from(ours.dataSync()), Array.from(theirs.dataSync()));
  folded.dispose();
  tf.dispose([x, ours, theirs]);
  model.dispose();
});

test('a layer whose output another layer also reads is not absorbed', (t) => {
  const input = tf.input({ shape: [8, 8, 2] });
  const conv = tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same', useBias: false }).apply(input) as tf.SymbolicTensor;
  const bn = tf.layers.batchNormalization({ axis: 3 }).apply(conv) as tf.SymbolicTensor;
  const relu = tf.layers.reLU().apply(bn) as tf.SymbolicTensor;
  const out = tf.layers.add().apply([relu, bn]) as tf.SymbolicTensor; // bn is read twice
  const model = tf.model({ inputs: input, outputs: out });
  const plan = planInference(model)!;
  t.deepEqual(
    plan.steps.map((s) => (s.kind === 'fused' ? `fused ${s.relu ? 'relu' : 'linear'}` : s.layer.getClassName())),
    ['fused linear', 'ReLU', 'Add'],
  );
  model.dispose();
});

for (const [name, inputSize] of [['resnet20-w4', 32], ['plain20-w4', 32], ['resnet20-b-w4', 32], ['resnet20-c-w4', 32], ['highway20-w4', 32], ['resnet20-skip3-w4', 32], ['highway19', 32], ['resnet18-w4', 64], ['resnet50-w4', 64]] as const) {
  test(`${name}: evaluation logits are tfjs-layers' to float32 rounding, with the fused kernel where it runs`, (t) => {
    const built = buildModel(parseModelName(name), { seed: 1, inputSize });
    trainedLookingBn(built.model);
    const x = images(inputSize);
    const reference = built.model.apply(x, { training: false }) as tf.Tensor;
    const before = tf.memory().numTensors;
    const evaluation = startEvaluation(planRun(parseModelName(name), { iterations: 1 }), built);
    const logits = evaluation.logits(x);
    evaluation.dispose();
    const [ours, theirs] = [logits.dataSync(), reference.dataSync()];
    logits.dispose();
    t.is(tf.memory().numTensors, before, 'folded weights and intermediates freed');
    if (!fusedConvolutionAvailable()) {
      t.deepEqual(Array.from(ours), Array.from(theirs), 'without the fused kernel: tfjs-layers, bit for bit');
    } else {
      const scale = Math.max(...Array.from(theirs, Math.abs));
      const worst = Math.max(...Array.from(ours, (v, i) => Math.abs(v - theirs[i]!)));
      // The conformance tier's tolerance for evaluation logits; folding moves them ~1e-7.
      t.true(worst / scale < 1e-5, `relative difference ${worst / scale}`);
    }
    tf.dispose([x, reference]);
    built.model.dispose();
  });
}

test('a planted eval-train-mode fault evaluates with batch statistics, fused kernel or not', (t) => {
  const spec = parseModelName('resnet20-w4');
  const built = buildModel(spec, { seed: 1 });
  trainedLookingBn(built.model);
  const x = images();
  const evaluation = startEvaluation(planRun(spec, { iterations: 1, fault: 'eval-train-mode' }), built);
  const ours = evaluation.logits(x).dataSync();
  const batchStatistics = (built.model.apply(x, { training: true }) as tf.Tensor).dataSync();
  t.deepEqual(Array.from(ours), Array.from(batchStatistics));
  evaluation.dispose();
  built.model.dispose();
});

test('where setup built the binding with list attributes, the native backend evaluates with the fused kernel', (t) => {
  const source = 'node_modules/@tensorflow/tfjs-node/binding/tfjs_backend.cc';
  if (tf.getBackend() !== 'tensorflow') {
    t.false(fusedConvolutionAvailable(), `not on ${tf.getBackend()}`);
    t.is(backend.versions[EVALUATION_KERNELS], undefined);
    return;
  }
  const patched = existsSync(source) && readFileSync(source, 'utf8').includes(PATCH_MARK);
  if (!patched) {
    t.log('tfjs-node was not built by "resnet-repro setup tensorflow": nothing to require');
    t.pass();
    return;
  }
  t.true(fusedConvolutionAvailable(), 'patched binding: the probe must find the kernel (registered with oneDNN on or off)');
  t.is(backend.versions[EVALUATION_KERNELS], 'fused', 'and the build says so');
  const built = buildModel(parseModelName('resnet20-w4'), { seed: 1 });
  t.truthy(foldedInference(built.model));
  built.model.dispose();
});
