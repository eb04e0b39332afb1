/**
 * `resnet-repro plan`: the gate's own rule asked in advance. Expected numbers are
 * hand-computed outside this code (scripts/gate_margins.py, scipy).
 */
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import cifar10Depth from '../suites/cifar10-depth.js';
import { PINNED_CIFAR10_DEPTH as pinned } from './helpers/suites.js';
import { planPreset } from '../runners/compare/plan.js';
import { runCli } from './helpers/cli.js';
import { baselineFrom, fakeResults } from './helpers/results.js';

// Eight seeds with a sample standard deviation of exactly 1.5 points around 40 %.
const a = 0.015 * Math.sqrt(7 / 8);
const SEEDS = [0.4 + a, 0.4 - a, 0.4 + a, 0.4 - a, 0.4 + a, 0.4 - a, 0.4 + a, 0.4 - a].map((testError) => ({ testError }));
const baseline = baselineFrom(pinned, fakeResults(pinned, 'nightly', { resnet20: SEEDS })).data;
const near = (x: number, expected: number) => Math.abs(x - expected) < 1e-9;

test('plan: the detectable effect of the preset\'s seeds against the baseline\'s is the gate\'s Welch bound at the row\'s share of α', (t) => {
  const plan = planPreset(pinned, 'nightly', baseline);
  t.is(plan.rowAlpha, 0.025, 'test error and throughput gate on the baseline\'s machine: two rows');
  const row = plan.rows.find((r) => r.metric === 'testError')!;
  t.like(row, { model: 'resnet20', seeds: 16, baselineSeeds: 8, tolerance: 0.02, target: 0.02 });
  t.true(near(row.sigma, 0.015));
  t.true(near(row.detectable, 0.019557996269796984), `detectable ${row.detectable}`);
  t.is(row.seedsAgainstBaseline, 14, 'fourteen of ours detect the 2-point tolerance against these eight');
});

test('plan: the seeds needed for a chosen effect, a side and against the baseline as recorded (none suffices when its own noise is too large)', (t) => {
  const row = planPreset(pinned, 'nightly', baseline, 0.01).rows.find((r) => r.metric === 'testError')!;
  t.is(row.target, 0.01);
  t.is(row.seedsFor, 37);
  t.is(row.seedsAgainstBaseline, null);
});

test('plan: each shard\'s wall time from the baseline\'s recorded run durations, balanced as --shard balances', (t) => {
  const plan = planPreset(pinned, 'nightly', baseline);
  t.is(plan.shards, 2);
  t.deepEqual(plan.runSeconds, { resnet20: { seconds: 60, from: 'wall times' } });
  t.is(plan.wallSecondsPerShard, 8 * 60, 'sixteen one-minute runs over two shards');
  const { durations: _kept, ...older } = baseline;
  const estimated = planPreset(pinned, 'nightly', older);
  t.is(estimated.runSeconds.resnet20!.from, 'images/s', 'without durations: training images over the recorded rate');
  t.is(estimated.runSeconds.resnet20!.seconds, (600 * 128) / 100);
});

test('plan: a baseline recorded with another recipe is named as such (compare would refuse it, and its wall times price that recipe)', (t) => {
  t.is(planPreset(pinned, 'nightly', baseline).recipeDiffers, null);
  const other = { ...baseline, settings: { ...baseline.settings, evalEvery: baseline.settings.evalEvery + 1 } };
  t.regex(planPreset(pinned, 'nightly', other).recipeDiffers ?? '', /evalEvery \d+ in the baseline, \d+ in the preset/);
});

test('plan on the command line: a table in points, JSON in fractions; bad input is exit 2', async (t) => {
  const file = join(mkdtempSync(join(tmpdir(), 'plan-')), 'baseline.json');
  writeFileSync(file, JSON.stringify(baseline));
  const text = await runCli(['plan', 'cifar10-depth', '--preset', 'nightly', '--baseline', file, '--detect', '1']);
  t.is(text.code, 0, text.stderr);
  // The command prints the committed preset's plan: the numbers planPreset computes (pinned above on a fixed preset).
  const expected = planPreset(cifar10Depth, 'nightly', baseline, 0.01);
  const row = expected.rows.find((r) => r.metric === 'testError')!;
  const pts = (x: number) => (100 * x).toFixed(2).replace('.', '\\.');
  t.regex(text.stdout, new RegExp(`resnet20\\s+testError\\s+1\\.50 pts\\s+${row.seeds}\\s+8\\s+${pts(row.detectable)} pts\\s+${pts(row.tolerance)} pts\\s+1\\.00 pts\\s+${row.seedsFor}\\s+${row.seedsAgainstBaseline ?? 'none suffices'}`));
  t.regex(text.stdout, new RegExp(`shards: ${expected.shards}, the longest`));
  t.regex(text.stdout, /warning: the baseline was recorded with another recipe \(iterations 600 in the baseline, 2000 in the preset/, 'the pinned baseline is not the committed preset\'s recipe');
  const json = await runCli(['plan', 'cifar10-depth', '--preset', 'nightly', '--baseline', file, '--json']);
  const plan = JSON.parse(json.stdout) as { rows: { metric: string; detectable: number }[]; wallSecondsPerShard: number | null };
  t.true(near(plan.rows.find((r) => r.metric === 'testError')!.detectable, row.detectable));
  t.is(plan.wallSecondsPerShard, expected.wallSecondsPerShard);
  for (const [args, message] of [
    [['plan', 'cifar10-depht'], /unknown suite "cifar10-depht"/],
    [['plan', 'architecture'], /counts architectures/],
    [['plan', 'cifar10-depth', '--preset', 'nightly', '--detect', '0x1'], /--detect takes an effect in percentage points/],
    [['plan', 'cifar10-depth', '--preset', 'nightly', '--baseline', join(tmpdir(), 'no-such-baseline.json')], /no recorded baseline/],
  ] as const) {
    const r = await runCli([...args]);
    t.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    t.regex(r.stderr, message);
  }
});
