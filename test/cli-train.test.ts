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

test('SIGTERM stops a running train with a checkpoint (exit 130); --resume completes it', async (t) => {
  const { spawn } = await import('node:child_process');
  const { fileURLToPath } = await import('node:url');
  const out = join(mkdtempSync(join(tmpdir(), 'cli-')), 'run');
  const args = ['--backend', 'cpu', 'train', '--model', 'resnet8-skip1-w2', '--dataset', 'synthetic', '--iterations', '30', '--batch-size', '8', '--train-limit', '64', '--test-limit', '16', '--log-every', '1', '--eval-every', '30', '--checkpoint-every', '1000', '--out', out];
  const cli = fileURLToPath(new URL('../runners/cli.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  const code = await new Promise<number | null>((resolve) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      // Once a few steps have run, ask it to stop as a CI runner or Kubernetes would.
      if (/ it 3\/30 /.test(stderr) && !child.killed) child.kill('SIGTERM');
    });
    child.on('exit', resolve);
  });
  t.is(code, 130, stderr);
  t.regex(stderr, /SIGTERM: stopping after this step/);
  const stopped = readRunRecord(join(out, 'run.json'));
  t.is(stopped.status, 'interrupted');
  t.true(stopped.iterations < 30);
  const resumed = runCli([...args, '--resume']);
  t.is(resumed.code, 0, resumed.stderr);
  t.regex(resumed.stderr, new RegExp(`resuming resnet8-skip1-w2 at iteration ${stopped.iterations} of 30`));
  t.is(readRunRecord(join(out, 'run.json')).status, 'completed');
});

test('bad numbers are usage errors before any data is read, naming the flag', (t) => {
  const missingData = join(tmpdir(), 'no-such-cifar');
  for (const [args, message] of [
    [['--lr', 'abc'], /--lr takes a positive number, not "abc"/],
    [['--iterations', '0'], /--iterations takes a positive whole number, not "0"/],
    [['--batch-size', '12.5'], /--batch-size takes a positive whole number, not "12.5"/],
  ] as const) {
    const { code, stderr } = runCli(['train', '--model', 'resnet20', '--data', missingData, ...args]);
    t.is(code, 2, stderr);
    t.regex(stderr, message);
    t.notRegex(stderr, /CIFAR-10 file not found/, 'the flag is checked before the data');
  }
});
