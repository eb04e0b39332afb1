#!/usr/bin/env node
/**
 * Issue 22, item 4: where a trained CIFAR-10 run's test error comes from. Evaluates the run folder's
 * final checkpoint (after `npm run build`) on the single original view, four ways:
 * - test images with BN's moving statistics (what the run recorded as its test error);
 * - test images with each batch's own statistics (batches of 250): if this were much lower, the moving
 *   statistics would be stale, not the weights;
 * - the first N training images, un-augmented, both ways: how far the net fits its own training set.
 *
 *     node scripts/fit-check.mjs <run folder> --data ../shared/datasets/cifar10 [--train-images 10000]
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { describeBackend, initBackend } from '../dist/runners/backend.js';
import { plainBatch } from '../dist/runners/data/augment.js';
import { loadCifar10 } from '../dist/runners/data/cifar10.js';
import { perPixelMean } from '../dist/runners/data/images.js';
import { loadTrainedModel } from '../dist/runners/train/train.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { data: { type: 'string' }, 'train-images': { type: 'string', default: '10000' } } });
if (positionals.length !== 1 || !values.data) {
  console.error('usage: node scripts/fit-check.mjs <run folder> --data <cifar10 folder> [--train-images N]');
  process.exit(2);
}
const info = await initBackend('auto');
console.log(describeBackend(info));
// A copy, so a run still training can be checked without reading a checkpoint while it is replaced.
const copy = mkdtempSync(join(tmpdir(), 'fit-check-'));
copyFileSync(join(positionals[0], 'checkpoint.ckpt'), join(copy, 'checkpoint.ckpt'));
const built = loadTrainedModel(copy, 32, 10);
const train = loadCifar10(values.data, 'train', Number(values['train-images']));
const test = loadCifar10(values.data, 'test');
const mean = perPixelMean(loadCifar10(values.data, 'train'));

function errorOf(set, training) {
  let wrong = 0;
  for (let from = 0; from < set.count; from += 250) {
    const batch = plainBatch(set, mean, from, 250);
    const predicted = tf.tidy(() => built.model.apply(tf.tensor4d(batch.images, [batch.size, 32, 32, 3]), { training }).argMax(1).dataSync());
    for (let i = 0; i < batch.size; i++) if (predicted[i] !== batch.labels[i]) wrong++;
  }
  return `${((100 * wrong) / set.count).toFixed(2)} %`;
}

console.log(`test (${test.count.toLocaleString('en')} images), moving statistics: ${errorOf(test, false)}`);
console.log(`test, each batch's own statistics: ${errorOf(test, true)}`);
console.log(`training (first ${train.count.toLocaleString('en')}, un-augmented), moving statistics: ${errorOf(train, false)}`);
console.log(`training, each batch's own statistics: ${errorOf(train, true)}`);
