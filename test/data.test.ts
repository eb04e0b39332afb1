import { existsSync, mkdtempSync, truncateSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { augmentedBatch, CIFAR_PAD, plainBatch } from '../runners/data/augment.js';
import { CIFAR10, cifar10Digest, loadCifar10 } from '../runners/data/cifar10.js';
import { openDataset } from '../runners/data/datasets.js';
import { perPixelMean } from '../runners/data/images.js';
import { rng } from '../runners/data/rng.js';
import { syntheticImages } from '../runners/data/synthetic.js';
import { InputError } from '../runners/errors.js';

/** A real CIFAR-10 copy: $RESNET_REPRO_TEST_CIFAR10, else ../shared/datasets/cifar10 beside the clone (as CI lays it out). */
const REAL = process.env.RESNET_REPRO_TEST_CIFAR10 ?? new URL('../../shared/datasets/cifar10', import.meta.url).pathname;
// Without one, the real-data tests are reported as skipped, with why in their names, never silently passed.
const HAS_REAL = existsSync(join(REAL, 'test_batch.bin'));
const withRealData = (title: string, body: (t: ExecutionContext) => void | Promise<void>) =>
  HAS_REAL ? test(title, body) : test.skip(`${title} (skipped: no CIFAR-10 at ${REAL}; set RESNET_REPRO_TEST_CIFAR10 to a copy, which "resnet-repro data cifar10" downloads)`, body);

/** A folder of six CIFAR-shaped files whose first record of each is (label, then the 3,072 pixel bytes of `fill`). */
function fakeCifar(fill = (i: number) => i % 256, label = 3): string {
  const dir = mkdtempSync(join(tmpdir(), 'cifar-'));
  const file = Buffer.alloc(CIFAR10.recordBytes * CIFAR10.recordsPerFile);
  for (let r = 0; r < CIFAR10.recordsPerFile; r++) {
    file[r * CIFAR10.recordBytes] = label;
    for (let i = 0; i < 3072; i++) file[r * CIFAR10.recordBytes + 1 + i] = fill(i);
  }
  for (const f of [...CIFAR10.trainFiles, ...CIFAR10.testFiles]) writeFileSync(join(dir, f), file);
  return dir;
}

withRealData('the real CIFAR-10 copy loads: labels 0–9 and varied pixels', (t) => {
  const set = loadCifar10(REAL, 'test', 64);
  t.is(set.count, 64);
  t.is(set.name, 'cifar10');
  t.true(set.labels.every((l) => l < 10));
  t.true(new Set(set.labels).size > 5);
  t.true(new Set(set.images.subarray(0, 3072)).size > 20);
});

test('records are planar R, G, B planes and come out as HWC pixels', (t) => {
  // Pixel bytes: red plane all 10, green 20, blue 30.
  const dir = fakeCifar((i) => (i < 1024 ? 10 : i < 2048 ? 20 : 30));
  const set = loadCifar10(dir, 'train', 2);
  t.deepEqual(Array.from(set.images.subarray(0, 6)), [10, 20, 30, 10, 20, 30]);
  t.is(set.labels[0], 3);
});

test('the 45k/5k split holds out the last 5,000 training images', (t) => {
  const dir = fakeCifar();
  t.is(loadCifar10(dir, 'val5k').count, 5_000);
  t.is(loadCifar10(dir, 'train45k', 100).count, 100);
});

test('a missing file is an error naming it and saying how to get the data', (t) => {
  const error = t.throws(() => loadCifar10(tmpdir(), 'test'), { instanceOf: InputError });
  t.regex(error.message, /test_batch\.bin/);
  t.regex(error.message, /resnet-repro data cifar10|--data/);
});

test('a truncated file is an error naming it, with the sizes', (t) => {
  const dir = fakeCifar();
  truncateSync(join(dir, 'data_batch_3.bin'), 1000);
  const error = t.throws(() => loadCifar10(dir, 'train', 10), { instanceOf: InputError });
  t.regex(error.message, /data_batch_3\.bin is truncated: 1,000 bytes, expected 30,730,000/);
});

test('a label outside 0–9 is an error naming the file and record', (t) => {
  const dir = fakeCifar(undefined, 42);
  const error = t.throws(() => loadCifar10(dir, 'test', 5), { instanceOf: InputError });
  t.regex(error.message, /test_batch\.bin: record 0 has label 42/);
});

withRealData('the real copy matches its published SHA-256 for the file the tests read', async (t) => {
  const { createHash } = await import('node:crypto');
  const sums = readFileSync(join(REAL, 'SHA256SUMS'), 'utf8');
  const expected = sums.split('\n').find((l) => l.endsWith('test_batch.bin'))!.split(/\s+/)[0]!;
  t.is(createHash('sha256').update(readFileSync(join(REAL, 'test_batch.bin'))).digest('hex'), expected);
});

test('a CIFAR-10 folder is named by the SHA-256 of its six files in order, so another copy (one byte re-encoded) is another digest', async (t) => {
  const { createHash } = await import('node:crypto');
  const dir = fakeCifar();
  const files = [...CIFAR10.trainFiles, ...CIFAR10.testFiles].map((f) => readFileSync(join(dir, f)));
  const digest = cifar10Digest(dir);
  t.is(digest, `sha256:${createHash('sha256').update(Buffer.concat(files)).digest('hex')}`, 'as `cat data_batch_{1..5}.bin test_batch.bin | sha256sum` prints it');
  t.is(openDataset({ name: 'cifar10', dir, trainLimit: 8, testLimit: 8 }).digest, digest, 'runs record the copy they read');
  const pixel = files[5]!;
  pixel[1] = (pixel[1]! + 1) % 256;
  writeFileSync(join(dir, 'test_batch.bin'), pixel);
  t.not(cifar10Digest(dir), digest);
  t.is(openDataset({ name: 'synthetic', trainLimit: 8, testLimit: 8 }).digest, null, 'generated sets are this code\'s own: not hashed');
});

test('synthetic data is deterministic, balanced enough, and named as synthetic', (t) => {
  const a = syntheticImages('train', 200);
  t.deepEqual(a.images, syntheticImages('train', 200).images);
  t.notDeepEqual(a.images, syntheticImages('test', 200).images);
  t.is(a.name, 'synthetic');
  const counts = Array.from({ length: 10 }, (_, c) => a.labels.filter((l) => l === c).length);
  t.true(counts.every((n) => n > 5), counts.join(','));
});

test('augmentation: mean-subtracted, shifted by at most 4 pixels with zero padding, flipped, reproducible by seed', (t) => {
  const set = syntheticImages('train', 8);
  const mean = perPixelMean(set);
  const a = augmentedBatch(set, mean, [0, 1, 2, 3, 4, 5, 6, 7], rng(1, 'augment', 0));
  const b = augmentedBatch(set, mean, [0, 1, 2, 3, 4, 5, 6, 7], rng(1, 'augment', 0));
  t.deepEqual(a.images, b.images);
  t.notDeepEqual(a.images, augmentedBatch(set, mean, [0, 1, 2, 3, 4, 5, 6, 7], rng(2, 'augment', 0)).images);
  // Each augmented image equals the plain view shifted by (dx, dy) ∈ [-4, 4]², possibly mirrored.
  const plain = plainBatch(set, mean, 0, 8);
  const side = 32;
  const at = (img: Float32Array, s: number, y: number, x: number) => img[((s * side + y) * side + x) * 3]!;
  for (let s = 0; s < 8; s++) {
    let found = false;
    for (const flip of [false, true]) {
      for (let dy = -CIFAR_PAD; dy <= CIFAR_PAD && !found; dy++) {
        for (let dx = -CIFAR_PAD; dx <= CIFAR_PAD && !found; dx++) {
          let same = true;
          for (let y = 0; y < side && same; y++) {
            for (let x = 0; x < side && same; x++) {
              const sx = (flip ? side - 1 - x : x) + dx;
              const sy = y + dy;
              const expected = sy < 0 || sy >= side || sx < 0 || sx >= side ? 0 : at(plain.images, s, sy, sx);
              same = Math.abs(at(a.images, s, y, x) - expected) < 1e-4;
            }
          }
          found = same;
        }
      }
    }
    t.true(found, `image ${s} is not a shifted/flipped view`);
  }
});

test('the per-pixel mean is the training set\'s average at each position', (t) => {
  const set = syntheticImages('train', 50);
  const mean = perPixelMean(set);
  let sum = 0;
  for (let i = 0; i < 50; i++) sum += set.images[i * 3072 + 100]!;
  t.true(Math.abs(mean[100]! - sum / 50) < 1e-3);
});
