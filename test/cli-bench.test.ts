/** bench produces its rows; the numbers themselves are measurements, never asserted. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import type { BenchReport } from '../runners/bench/bench.js';
import { runCli } from './helpers/cli.js';

test('bench writes forward, train-step, train-loop and pipeline rows, and the harness overhead', (t) => {
  const json = join(mkdtempSync(join(tmpdir(), 'bench-')), 'bench.json');
  const { code, stdout, stderr } = runCli(['bench', 'resnet8-w2', '--batch', '4', '--samples', '2', '--loop', '3', '--json', json]);
  t.is(code, 0, stderr);
  const report = JSON.parse(readFileSync(json, 'utf8')) as BenchReport;
  t.deepEqual(report.rows.map((r) => r.task).sort(), ['forward', 'pipeline', 'train-loop', 'train-step']);
  for (const r of report.rows) t.true(r.imagesPerSecond > 0 && r.samples >= 2, `${r.task}: ${JSON.stringify(r)}`);
  t.regex(stdout, /harness overhead resnet8-w2 on \w+: -?\d+\.\d %/);
});

test('--pytorch compares only CIFAR ResNets, and says so', (t) => {
  const { code, stderr } = runCli(['bench', 'plain20', '--pytorch']);
  t.is(code, 2);
  t.regex(stderr, /--pytorch compares CIFAR ResNets/);
});
