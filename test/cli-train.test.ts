import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { readRunRecord } from '../runners/records/run-record.js';
import { runCli, runCliUntil } from './helpers/cli.js';

test('train on synthetic data writes a run folder and prints a one-line summary naming the dataset and backend', async (t) => {
  const out = join(mkdtempSync(join(tmpdir(), 'cli-')), 'run');
  const { code, stdout, stderr } = await runCli(['--backend', 'cpu', 'train', '--model', 'resnet8-skip1-w2', '--dataset', 'synthetic', '--iterations', '4', '--batch-size', '8', '--train-limit', '64', '--test-limit', '32', '--log-every', '2', '--eval-every', '4', '--checkpoint-every', '2', '--out', out]);
  t.is(code, 0, stderr);
  t.regex(stdout, /^resnet8-skip1-w2 on synthetic: completed after 4 iterations; .* on cpu;/);
  t.regex(stderr, /resnet8-skip1-w2 it 2\/4 loss/, 'plain progress lines when not a terminal');
  t.regex(stderr, /setup tensorflow/, 'advice for native speed on cpu');
  t.is(readRunRecord(join(out, 'run.json')).status, 'completed');
  t.true(existsSync(join(out, 'train-curve.csv')));
});

test('a missing CIFAR-10 folder is a usage error within seconds, naming the file and the fix', async (t) => {
  const { code, stderr } = await runCli(['train', '--model', 'resnet20', '--data', join(tmpdir(), 'no-such-cifar')]);
  t.is(code, 2);
  t.regex(stderr, /CIFAR-10 file not found: .*data_batch_1\.bin/);
  t.regex(stderr, /resnet-repro data cifar10/);
});

test('an unknown dataset or a model of the wrong dataset is a usage error', async (t) => {
  const unknown = await runCli(['train', '--model', 'resnet20', '--dataset', 'mnist']);
  t.is(unknown.code, 2);
  t.regex(unknown.stderr, /argument 'mnist' is invalid. Allowed choices are cifar10, synthetic, imagenet/);
  const wrong = await runCli(['--backend', 'cpu', 'train', '--model', 'resnet50', '--dataset', 'synthetic', '--train-limit', '16', '--test-limit', '8', '--out', join(mkdtempSync(join(tmpdir(), 'cli-')), 'r')]);
  t.is(wrong.code, 2);
  t.regex(wrong.stderr, /resnet50 is trained on an ImageNet-shaped set \(imagenet or imagenet-standin\), not synthetic/);
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
  const resumed = await runCli([...args, '--resume']);
  t.is(resumed.code, 0, resumed.stderr);
  t.regex(resumed.stderr, new RegExp(`resuming resnet8-skip1-w2 at iteration ${stopped.iterations} of 30`));
  t.is(readRunRecord(join(out, 'run.json')).status, 'completed');
});

test('bad numbers are usage errors before any data is read, naming the flag', async (t) => {
  const missingData = join(tmpdir(), 'no-such-cifar');
  for (const [args, message] of [
    [['--lr', 'abc'], /--lr takes a positive number, not "abc"/],
    [['--iterations', '0'], /--iterations takes a positive whole number up to 6,000,000, not "0"/],
    [['--iterations', '1e99'], /--iterations takes a positive whole number up to 6,000,000, not "1e99"/],
    [['--seed', '1e20'], /--seed takes a non-negative whole number up to 2,147,483,647, not "1e20"/],
    [['--checkpoint-every', '1e99'], /--checkpoint-every takes a positive whole number/],
    [['--batch-size', '12.5'], /--batch-size takes a positive whole number up to 4,096, not "12.5"/],
    [['--batch-size', '1e8'], /--batch-size takes a positive whole number up to 4,096, not "1e8"/],
  ] as const) {
    const { code, stderr } = await runCli(['train', '--model', 'resnet20', '--data', missingData, ...args]);
    t.is(code, 2, stderr);
    t.regex(stderr, message);
    t.notRegex(stderr, /CIFAR-10 file not found/, 'the flag is checked before the data');
  }
});

/** Everything a run record says except how long things took (and when). */
function measured(path: string): unknown {
  const r = readRunRecord(path) as Record<string, unknown> & { curves: { train: Record<string, unknown>[]; test: unknown[] } };
  const { startedAt: _s, finishedAt: _f, wallSeconds: _w, loopSeconds: _l, imagesPerSecond: _i, pipelineImagesPerSecond: _p, inputWaitSeconds: _q, ...rest } = r;
  return { ...rest, curves: { train: r.curves.train.map(({ imagesPerSecond: _x, ...point }) => point), test: r.curves.test } };
}

test('kill -9 at several points and --resume each time: the whole record equals an uninterrupted run\'s', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kill-'));
  // Checkpoints every 3 iterations, curve points every 4: kills land between them, inside a logging window.
  // Long enough (400 steps) that a kill sent on seeing an early progress line lands before the end on any backend.
  const args = (out: string) => ['train', '--model', 'resnet8-skip1-w2', '--dataset', 'synthetic', '--iterations', '400', '--batch-size', '8', '--train-limit', '64', '--test-limit', '16', '--log-every', '4', '--eval-every', '100', '--checkpoint-every', '3', '--seed', '5', '--out', out];
  const whole = await runCli(args(join(dir, 'whole')));
  t.is(whole.code, 0, whole.stderr);
  const out = join(dir, 'killed');
  const first = await runCliUntil(args(out), / it 8\/400 /, 'SIGKILL');
  t.is(first.code, null, 'killed');
  // Wherever the first kill landed, kill the resumed run two curve points later.
  const second = await runCliUntil([...args(out), '--resume'], /resuming[\s\S]* it \d+\/400 [\s\S]* it \d+\/400 /, 'SIGKILL');
  t.is(second.code, null, second.stderr);
  t.regex(second.stderr, /resuming resnet8-skip1-w2 at iteration \d+ of 400/);
  const last = await runCli([...args(out), '--resume']);
  t.is(last.code, 0, last.stderr);
  t.deepEqual(measured(join(out, 'run.json')), measured(join(dir, 'whole', 'run.json')));
});

test('--resume with other settings is refused, naming the difference', async (t) => {
  const out = join(mkdtempSync(join(tmpdir(), 'resume-')), 'run');
  const args = ['train', '--model', 'resnet8-skip1-w2', '--dataset', 'synthetic', '--iterations', '12', '--batch-size', '8', '--train-limit', '64', '--test-limit', '16', '--log-every', '2', '--eval-every', '12', '--checkpoint-every', '2', '--out', out];
  const killed = await runCliUntil(args, / it 4\/12 /, 'SIGKILL');
  t.is(killed.code, null);
  for (const [flag, value, message] of [
    ['--iterations', '20', /iterations 12 when started, 20 now/],
    ['--batch-size', '4', /batch size 8 when started, 4 now/],
    ['--train-limit', '32', /training images 64 when started, 32 now/],
    ['--lr', '0.05', /base learning rate 0.1 when started, 0.05 now/],
  ] as const) {
    const i = args.indexOf(flag);
    const changed = i >= 0 ? [...args.slice(0, i + 1), value, ...args.slice(i + 2)] : [...args, flag, value];
    const r = await runCli([...changed, '--resume']);
    t.is(r.code, 2, r.stderr);
    t.regex(r.stderr, message);
  }
});
