/**
 * The built graphs are the paper's architectures: Table 1's FLOPs, Table 6's
 * parameter counts and depths, and the shortcut options' exact costs.
 */
import * as tf from '@tensorflow/tfjs';
import test from 'ava';
import { buildModel, decayedWeights } from '../runners/models/build.js';
import { type ArchFacts, archFacts } from '../runners/models/count.js';
import { parseModelName } from '../runners/models/names.js';
import { paperEntries } from '../runners/paper.js';
import { useBackend } from './helpers/backend.js';

test.before(async () => {
  await useBackend();
});

function facts(name: string): ArchFacts {
  const built = buildModel(parseModelName(name), { init: 'zeros' });
  try {
    return archFacts(built);
  } finally {
    built.model.dispose();
    tf.disposeVariables();
  }
}

test('Table 1: multiply-adds per 224×224 image within 3 % of the paper', (t) => {
  const rows = paperEntries().filter((e) => e.table === '1' && e.metric === 'multiplyAdds');
  t.is(rows.length, 5);
  for (const row of rows) {
    const ours = facts(row.model!).multiplyAdds;
    const drift = Math.abs(ours - row.value) / row.value;
    t.true(drift < 0.03, `${row.model}: ${ours} vs ${row.printed} (${(drift * 100).toFixed(1)} %)`);
  }
});

test('Table 6: parameter counts round to the paper\'s printed precision, and depth is as named', (t) => {
  const rows = paperEntries().filter((e) => e.table === '6' && e.model !== null && e.metric === 'trainableParams');
  t.true(rows.length >= 7);
  for (const row of rows) {
    const f = facts(row.model!);
    t.true(Math.abs(f.trainableParams - row.value) <= row.resolution! / 2, `${row.model}: ${f.trainableParams} vs ${row.printed}`);
    const depth = paperEntries().find((e) => e.model === row.model && e.metric === 'layers');
    t.is(f.layers, depth!.value, `${row.model} depth`);
  }
});

test('BN moving statistics are state, not parameters', (t) => {
  const f = facts('resnet20');
  // 19 BN layers over 16·7 + 32·6 + 64·6 channels, mean and variance each.
  t.is(f.nonTrainableParams, 2 * (16 * 7 + 32 * 6 + 64 * 6));
});

test('plain and residual twins are equal in parameters and FLOPs under option A', (t) => {
  for (const [plain, res] of [['plain20', 'resnet20'], ['plain56', 'resnet56'], ['plain18', 'resnet18-a'], ['plain34', 'resnet34-a'], ['plain50', 'resnet50-a']]) {
    const p = facts(plain!);
    const r = facts(res!);
    t.is(r.trainableParams, p.trainableParams, `${plain} vs ${res}`);
    t.is(r.multiplyAdds, p.multiplyAdds);
    t.is(r.layers, p.layers);
  }
});

/** A 1×1 projection from a to b channels with its BN: weights plus scale and shift. */
const projection = (a: number, b: number) => a * b + 2 * b;

test('option B adds exactly the projections where dimensions grow, option C one per block', (t) => {
  const a = facts('resnet34-a').trainableParams;
  t.is(facts('resnet34').trainableParams - a, projection(64, 128) + projection(128, 256) + projection(256, 512));
  // Table 1, 34-layer: 3, 4, 6, 3 blocks of 64, 128, 256, 512; each stage's first block grows from the previous width.
  const blocks = [3, 4, 6, 3];
  const widths = [64, 128, 256, 512];
  let c = 0;
  blocks.forEach((n, i) => {
    c += projection(i === 0 ? 64 : widths[i - 1]!, widths[i]!) + (n - 1) * projection(widths[i]!, widths[i]!);
  });
  t.is(facts('resnet34-c').trainableParams - a, c);
});

test('v1.5 moves the stride, not the weights: same parameters, more multiply-adds', (t) => {
  const v1 = facts('resnet50');
  const v15 = facts('resnet50-v1.5');
  t.is(v15.trainableParams, v1.trainableParams);
  t.true(v15.multiplyAdds > v1.multiplyAdds);
});

test('skip length changes where shortcuts go, not the weights', (t) => {
  const base = facts('resnet110');
  for (const k of [1, 3, 4]) {
    const f = facts(`resnet110-skip${k}`);
    t.is(f.layers, 110);
    t.is(f.trainableParams, base.trainableParams);
  }
});

test('highway19 is the authors\' 19-layer net of about 2.26M parameters', (t) => {
  const f = facts('highway19');
  t.is(f.layers, 19);
  t.true(Math.abs(f.trainableParams - 2.26e6) < 0.005e6, String(f.trainableParams));
});

test('a gated ResNet adds one 1×1 gate with bias per block to its ResNet', (t) => {
  const gates = 3 * (projection(16, 16) - 16) + projection(16, 32) - 32 + 2 * (projection(32, 32) - 32) + projection(32, 64) - 64 + 2 * (projection(64, 64) - 64);
  t.is(facts('highway20').trainableParams - facts('resnet20').trainableParams, gates);
  t.is(facts('highway20').layers, 20);
});

test('outputs are one logit per class; inputs are 32×32 or 224×224 RGB', (t) => {
  t.deepEqual(facts('resnet20').outputShape, [10]);
  t.deepEqual(facts('resnet20').inputShape, [32, 32, 3]);
  t.deepEqual(facts('resnet18').outputShape, [1000]);
  t.deepEqual(facts('resnet18').inputShape, [224, 224, 3]);
});

test('weight decay applies to convolution and fc kernels only', (t) => {
  const built = buildModel(parseModelName('resnet20-w2'), { init: 'zeros' });
  const decayed = decayedWeights(built).map((w) => w.originalName);
  t.is(decayed.length, 19 + 1);
  t.true(decayed.every((n) => n.endsWith('/kernel')));
  const rest = built.model.trainableWeights.filter((w) => !decayed.includes(w.originalName)).map((w) => w.originalName);
  t.true(rest.every((n) => /\/(gamma|beta|bias)$/.test(n)), rest.join(', '));
  built.model.dispose();
});
