/** The ImageNet pipeline on generated JPEG fixtures (the real dataset is not available here). */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { initBackend } from '../runners/backend.js';
import sharp from 'sharp';
import { openDataset, prepareDataset } from '../runners/data/datasets.js';
import { STANDIN, standInFolder } from '../runners/data/imagenet-standin.js';
import { cropRaw, ImageNetData } from '../runners/data/imagenet.js';
import { rng } from '../runners/data/rng.js';
import type { EvalBatch } from '../runners/data/source.js';
import { InputError } from '../runners/errors.js';
import { train } from '../runners/train/train.js';
import { FIXTURE_CLASSES, imagenetFixture } from './helpers/imagenet-fixture.js';

async function collect(batches: AsyncIterable<EvalBatch>): Promise<EvalBatch[]> {
  const out: EvalBatch[] = [];
  for await (const b of batches) out.push(b);
  return out;
}

test('the folder layout gives sorted wnid classes and labelled validation images, in each labels format', async (t) => {
  for (const layout of ['folders', 'labels-txt', 'kaggle-csv'] as const) {
    const data = new ImageNetData({ dir: await imagenetFixture(layout), side: 32 });
    t.deepEqual(data.classNames, FIXTURE_CLASSES, layout);
    t.is(data.trainCount, 12);
    t.is(data.testCount, 6);
    const [batch] = await collect(data.testBatches(100, 'single'));
    t.deepEqual(Array.from(batch!.labels), [0, 0, 1, 1, 2, 2], layout);
  }
});

test('training batches are side×side crops, seeded, with the images\' labels', async (t) => {
  const data = new ImageNetData({ dir: await imagenetFixture(), side: 32 });
  const indices = Uint32Array.from([0, 5, 11]);
  const a = await data.trainBatch(indices, rng(1, 'augment', 0));
  const b = await data.trainBatch(indices, rng(1, 'augment', 0));
  const c = await data.trainBatch(indices, rng(2, 'augment', 0));
  t.is(a.images.length, 3 * 32 * 32 * 3);
  t.deepEqual(Array.from(a.labels), [0, 1, 2]);
  t.deepEqual(a.images, b.images);
  t.notDeepEqual(a.images, c.images);
  t.true(a.images.every(Number.isFinite));
});

test('10-crop: ten views per image, the fifth is the centre crop, the last five mirror the first five', async (t) => {
  const data = new ImageNetData({ dir: await imagenetFixture(), side: 32, testLimit: 2 });
  const [ten] = await collect(data.testBatches(100, 'ten-crop'));
  const [single] = await collect(data.testBatches(100, 'single'));
  t.is(ten!.views, 10);
  t.is(ten!.size, 20);
  const view = (b: EvalBatch, slot: number) => b.images.subarray(slot * 3072, (slot + 1) * 3072);
  const close = (x: Float32Array, y: Float32Array) => x.every((v, i) => Math.abs(v - y[i]!) <= 1);
  t.true(close(view(ten!, 4), view(single!, 0)), 'centre view matches the single-view evaluation');
  const mean = await data.pixelMean();
  const first = view(ten!, 0);
  const mirrored = view(ten!, 5);
  for (const [y, x] of [[0, 0], [5, 9], [31, 31]] as const) {
    const p = (y * 32 + x) * 3;
    const q = (y * 32 + (31 - x)) * 3;
    t.true(Math.abs(first[p]! + mean[p]! - (mirrored[q]! + mean[q]!)) < 1e-3);
  }
});

test('cropRaw takes a window and mirrors it', (t) => {
  // 3×2 raster, pixel value = 10·y + x in every channel.
  const raw = Uint8Array.from({ length: 18 }, (_, i) => 10 * Math.floor(i / 9) + (Math.floor(i / 3) % 3));
  t.deepEqual(Array.from(cropRaw(raw, 3, 1, 0, 2, false)).filter((_, i) => i % 3 === 0), [1, 2, 11, 12]);
  t.deepEqual(Array.from(cropRaw(raw, 3, 1, 0, 2, true)).filter((_, i) => i % 3 === 0), [2, 1, 12, 11]);
});

test('a corrupt image is an error naming the file', async (t) => {
  const dir = await imagenetFixture();
  writeFileSync(join(dir, 'train', FIXTURE_CLASSES[0]!, `${FIXTURE_CLASSES[0]}_0.JPEG`), 'not a jpeg');
  const data = new ImageNetData({ dir, side: 32 });
  await t.throwsAsync(data.trainBatch(Uint32Array.from([0]), rng(1)), { instanceOf: InputError, message: /cannot decode .*_0\.JPEG/ });
});

test('missing folders and labels are errors that say what layout is expected', async (t) => {
  t.throws(() => new ImageNetData({ dir: mkdtempSync(join(tmpdir(), 'empty-')) }), { instanceOf: InputError, message: /train\/<wnid>\/\*\.JPEG/ });
  const dir = await imagenetFixture();
  rmSync(join(dir, 'val_labels.txt'));
  t.throws(() => new ImageNetData({ dir }), { instanceOf: InputError, message: /no validation labels/ });
});

test.serial('an ImageNet model trains on the fixture end to end and reports 10-crop errors', async (t) => {
  const backend = await initBackend('cpu', { gradients: true });
  const data = openDataset({ name: 'imagenet', dir: await imagenetFixture(), side: 32 });
  const record = await train({
    model: 'resnet18-w2',
    data,
    iterations: 2,
    seed: 1,
    outDir: mkdtempSync(join(tmpdir(), 'run-')),
    resume: false,
    batchSize: 4,
    logEvery: 1,
    evalEvery: 2,
    checkpointEvery: 2,
    backend,
  });
  t.is(record.status, 'completed');
  t.is(record.dataset.name, 'imagenet');
  t.is(record.architecture.inputSize, 32);
  t.true(record.pipelineImagesPerSecond > 0);
  if (record.status !== 'completed') return;
  t.true(record.metrics.top1Error10Crop! >= 0 && record.metrics.top1Error10Crop! <= 1);
  t.true(record.metrics.top5Error10Crop! <= record.metrics.top1Error10Crop!);
});

test('the ImageNet stand-in is generated once in ILSVRC2012\'s layout, with varied sizes, and is never recorded as ImageNet', async (t) => {
  const root = mkdtempSync(join(tmpdir(), 'standin-'));
  await prepareDataset({ name: 'imagenet-standin', dir: root });
  const dir = standInFolder(root);
  t.deepEqual(readdirSync(join(dir, 'train')).length, STANDIN.classes);
  t.true(existsSync(join(dir, 'val_labels.txt')));
  const sizes = await Promise.all(readdirSync(join(dir, 'train', 'n99000003')).slice(0, 8).map(async (f) => (await sharp(join(dir, 'train', 'n99000003', f)).metadata()).width));
  t.true(new Set(sizes).size > 4, `widths ${sizes.join(', ')}`);
  const first = statSync(join(dir, 'val_labels.txt')).mtimeMs;
  await prepareDataset({ name: 'imagenet-standin', dir: root }); // cached: not generated again
  t.is(statSync(join(dir, 'val_labels.txt')).mtimeMs, first);
  const data = openDataset({ name: 'imagenet-standin', dir: root, side: 32 });
  t.is(data.name, 'imagenet-standin');
  t.is(data.family, 'imagenet');
  t.is(data.trainCount, STANDIN.classes * STANDIN.trainPerClass);
  const [batch] = await collect(data.testBatches(10, 'ten-crop'));
  t.is(batch!.views, 10);
});
