/** §4.2's start of ResNet-110, as trained: on the tested backend (110 layers are too slow for the pure-JS one). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { openDataset } from '../runners/data/datasets.js';
import { train } from '../runners/train/train.js';
import { useBackend } from './helpers/backend.js';

test('ResNet-110 warms up at 0.01 until a logged window\'s training error falls below 80 %, not merely at the first log point', async (t) => {
  const backend = await useBackend({ gradients: true });
  const record = await train({
    model: 'resnet110-w2',
    data: openDataset({ name: 'synthetic', trainLimit: 128, testLimit: 16 }),
    iterations: 4,
    seed: 11,
    outDir: mkdtempSync(join(tmpdir(), 'warmup-')),
    resume: false,
    batchSize: 16,
    logEvery: 1,
    evalEvery: 4,
    checkpointEvery: 4,
    backend,
  });
  const points = record.curves.train;
  t.is(points[0]!.learningRate, 0.01, 'the first window is trained at the warm-up rate');
  // Each point's rate follows from the window before it: still warming while that window erred ≥ 80 %.
  for (let i = 1; i < points.length; i++) {
    const before = points[i - 1]!;
    const warming = before.learningRate === 0.01 && before.trainError >= 0.8;
    t.is(points[i]!.learningRate, warming ? 0.01 : 0.1, `window ${i + 1}: the one before erred ${(before.trainError * 100).toFixed(1)} % at rate ${before.learningRate}`);
  }
  t.true(points[0]!.trainError >= 0.8, `this seed's first window must err ≥ 80 % for the case to test anything (it erred ${points[0]!.trainError} on ${backend.name})`);
});
