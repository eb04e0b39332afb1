/** Every bad input gets a clear error: exit 2 and a message saying what to do, never a stack, never a hang. */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { runCli } from './helpers/cli.js';

const tinyTrain = ['--backend', 'cpu', 'train', '--model', 'resnet8-w2', '--dataset', 'synthetic', '--iterations', '2', '--batch-size', '4', '--train-limit', '8', '--test-limit', '4'];

test('--out that is a file, or a place no folder can be made, is an input error (exit 2) at once', async (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'out-')), 'a-file');
  writeFileSync(file, 'x');
  for (const [out, message] of [
    [file, /cannot use .* as a folder: .* is a file/],
    ['/proc/resnet-repro-test', /cannot create the folder \/proc\/resnet-repro-test/],
  ] as const) {
    const r = await runCli([...tinyTrain, '--out', out]);
    t.is(r.code, 2, r.stderr);
    t.regex(r.stderr, message);
    t.notRegex(r.stderr, /\n\s+at /, 'no stack');
  }
});

test('flags that generated data cannot use are refused, not ignored', async (t) => {
  const data = await runCli([...tinyTrain, '--data', '/tmp']);
  t.is(data.code, 2);
  t.regex(data.stderr, /--dataset synthetic is generated and reads none/);
  const validation = await runCli([...tinyTrain, '--validation']);
  t.is(validation.code, 2);
  t.regex(validation.stderr, /--dataset synthetic has no such split/);
});

test('report, compare or merge given a train run folder say what they take', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'trainrun-'));
  const out = join(dir, 'run');
  t.is((await runCli([...tinyTrain, '--out', out])).code, 0);
  for (const args of [['report', out, '--out', join(dir, 'site')], ['compare', out], ['merge', out, '--out', join(dir, 'm')]]) {
    const r = await runCli(args);
    t.is(r.code, 2, r.stderr);
    t.regex(r.stderr, /is a single training run \("resnet-repro train"\), not suite results/);
  }
  const missing = await runCli(['compare', join(dir, 'nowhere')]);
  t.is(missing.code, 2);
  t.regex(missing.stderr, /does not exist/);
});

test('calibrate asked for nothing (no reruns, no faults) is a usage error, not an empty table', async (t) => {
  const r = await runCli(['--backend', 'cpu', 'calibrate', 'cifar10-depth', '--preset', 'smoke', '--reruns', '0', '--faults', '']);
  t.is(r.code, 2, r.stderr);
  t.regex(r.stderr, /nothing to calibrate: --reruns 0 and no --faults/);
});

test('bench --json naming a folder is an input error, not a stack', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  const r = await runCli(['--backend', 'cpu', 'bench', 'resnet8-w1', '--batch', '2', '--samples', '1', '--rounds', '1', '--loop', '0', '--json', dir]);
  t.is(r.code, 2, r.stderr);
  t.regex(r.stderr, /--json names a file to write; .* is a folder/);
});

test('stderr closed early (piped into head) does not fail the run or leave its folder locked', async (t) => {
  const out = join(mkdtempSync(join(tmpdir(), 'pipe-')), 'run');
  const cli = fileURLToPath(new URL('../runners/cli.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...tinyTrain, '--iterations', '6', '--log-every', '1', '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
  // Read the first line, then close our end, as `head -1` does.
  child.stderr.once('data', () => child.stderr.destroy());
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  t.is(code, 0);
  t.true(existsSync(join(out, 'run.json')));
  t.false(existsSync(join(out, 'run.lock')), 'the lock is released');
});

test('names that would ask for an unbuildable graph, hexadecimal counts and a data folder that is a file are usage errors (exit 2), not stacks or hangs', async (t) => {
  for (const [args, message] of [
    [['arch', 'resnet20-w100000000000000000000'], /width must be at most 1024/],
    [['arch', 'resnet999999999992'], /depth must be at most 10,000/],
    [['run', 'cifar10-depth', '--seeds', '0x10'], /--seeds takes a positive whole number up to 1,000, not "0x10"/],
    [['run', 'cifar10-depth', '--seeds', '1e3'], /not "1e3"/],
  ] as const) {
    const r = await runCli([...args]);
    t.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    t.regex(r.stderr, message);
    t.notRegex(r.stderr, /\n\s+at /, 'no stack');
  }
  const file = join(mkdtempSync(join(tmpdir(), 'data-')), 'a-file');
  writeFileSync(file, 'x');
  const data = await runCli(['data', 'cifar10', '--dir', file]);
  t.is(data.code, 2, data.stderr);
  t.regex(data.stderr, /cannot use .* as a folder: .* is a file/);
});
