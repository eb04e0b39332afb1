import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { readRunRecord } from '../runners/train/record.js';
import { runCli } from './helpers/cli.js';

test('train on synthetic data writes a run folder and prints a one-line summary naming the dataset and backend', (t) => {
  const out = join(mkdtempSync(join(tmpdir(), 'cli-')), 'run');
  const { code, stdout, stderr } = runCli(['--backend', 'cpu', 'train', '--model', 'resnet8-skip1-w2', '--dataset', 'synthetic', '--iterations', '4', '--batch-size', '8', '--train-limit', '64', '--test-limit', '32', '--log-every', '2', '--eval-every', '4', '--checkpoint-every', '2', '--out', out]);
  t.is(code, 0, stderr);
  t.regex(stdout, /^resnet8-skip1-w2 on synthetic: completed after 4 iterations; .* on cpu;/);
  t.regex(stderr, /resnet8-skip1-w2 it 2\/4 loss/, 'plain progress lines when not a terminal');
  t.regex(stderr, /setup tensorflow/, 'advice for native speed on cpu');
  t.is(readRunRecord(join(out, 'run.json')).status, 'completed');
  t.true(existsSync(join(out, 'train-curve.csv')));
});

test('a missing CIFAR-10 folder is a usage error within seconds, naming the file and the fix', (t) => {
  const { code, stderr } = runCli(['train', '--model', 'resnet20', '--data', join(tmpdir(), 'no-such-cifar')]);
  t.is(code, 2);
  t.regex(stderr, /CIFAR-10 file not found: .*data_batch_1\.bin/);
  t.regex(stderr, /resnet-repro data cifar10/);
});

test('an unknown dataset or a model of the wrong dataset is a usage error', (t) => {
  const unknown = runCli(['train', '--model', 'resnet20', '--dataset', 'mnist']);
  t.is(unknown.code, 2);
  t.regex(unknown.stderr, /unknown dataset "mnist": use cifar10, synthetic, imagenet/);
  const wrong = runCli(['--backend', 'cpu', 'train', '--model', 'resnet50', '--dataset', 'synthetic', '--train-limit', '16', '--test-limit', '8', '--out', join(mkdtempSync(join(tmpdir(), 'cli-')), 'r')]);
  t.is(wrong.code, 2);
  t.regex(wrong.stderr, /resnet50 is trained on imagenet, not synthetic/);
});
