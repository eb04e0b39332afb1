/** The suite loop through the CLI, as a nightly job runs it: run, record, gate, shard, merge. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { readResults } from '../runners/records/results.js';
import { runCli } from './helpers/cli.js';

const tiny = ['--preset', 'smoke', '--models', 'resnet8,plain8', '--seeds', '2', '--iterations', '2'];
// The backend under test (RESNET_REPRO_BACKEND, as in CI's two passes); serial: each run already uses both cores.
const cpu: string[] = [];

test.serial('paper runs each suite, gates it, writes the site, and prints where it is and the worst verdict; run again, it works', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'paper-'));
  const site = join(dir, 'site');
  for (let i = 0; i < 2; i++) {
    const { code, stdout, stderr } = await runCli([...cpu, 'paper', '--suites', 'architecture', '--out', join(dir, 'results'), '--site', site]);
    t.is(code, 0, stderr);
    t.regex(stdout, /PASS\s+architecture/);
    t.regex(stdout, /site: .*index\.html \(1 page\)/);
    t.regex(stdout, /verdict: PASS \(exit 0\)/);
  }
  t.true(existsSync(join(site, 'index.html')));
  const unknown = await runCli(['paper', '--suites', 'cifar11']);
  t.is(unknown.code, 2);
  t.regex(unknown.stderr, /unknown suite "cifar11"/);
});

test.serial('run architecture passes against Tables 1 and 6', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'arch-'));
  const { code, stdout, stderr } = await runCli([...cpu, 'run', 'architecture', '--out', out]);
  t.is(code, 0, stderr);
  // Exact counts print without a spread or a sample size, FLOPs as the paper prints them.
  t.regex(stdout, /resnet50\s+multiplyAdds\s+3\.86×10⁹\s+–\s+3\.8×10⁹ \(T1\)\s+\+5\.80×10⁷/);
  t.regex(stdout, /resnet20\s+trainableParams\s+269,722\s+–\s+0\.27M \(T6\)\s+−278/);
  t.regex(stdout, /verdict: PASS \(exit 0\)/);
});

test.serial('run → no baseline (exit 2) → record → compare replays it (0) → a model at 100 % error fails (1) → a 25-point shift is never a pass, with JUnit and Markdown', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'suite-'));
  const out = join(dir, 'results');
  // Long enough for resnet8-w4 to learn the generated task (≈ 35–55 % error), so 100 % is implausible.
  const learning = ['--preset', 'smoke', '--models', 'resnet8', '--seeds', '2', '--iterations', '30'];
  const first = await runCli([...cpu, 'run', 'cifar10-depth', ...learning, '--out', out]);
  t.is(first.code, 2, first.stdout + first.stderr);
  t.regex(first.stdout, /no recorded baseline for cifar10-depth\/smoke\/(tensorflow|wasm|cpu) with these settings/);
  const baseline = join(dir, 'baseline.json');
  const record = await runCli(['baseline', 'record', out, '--out', baseline]);
  t.is(record.code, 0, record.stderr);

  const summary = join(dir, 'summary.md');
  const same = await runCli(['compare', out, '--baseline', baseline, '--junit', join(dir, 'junit.xml'), '--markdown', join(dir, 'report.md')], { GITHUB_STEP_SUMMARY: summary });
  t.is(same.code, 0, same.stdout);
  t.regex(same.stdout, /identical to the baseline seed for seed/);
  t.regex(same.stdout, /resnet8\s+testError.*pass \(replay\)/);
  t.true(existsSync(join(dir, 'junit.xml')));
  t.regex(readFileSync(summary, 'utf8'), /### ✅ cifar10-depth — PASS/);

  const plant = (name: string, change: (testError: number) => number) => {
    const results = readResults(join(out, 'results.json'));
    for (const run of results.runs) if (run.record.status === 'completed') run.record.metrics.testError = change(run.record.metrics.testError);
    const planted = join(dir, name);
    mkdirSync(planted);
    writeFileSync(join(planted, 'results.json'), JSON.stringify(results));
    return planted;
  };
  const hundred = await runCli(['compare', plant('hundred', () => 1), '--baseline', baseline, '--junit', join(dir, 'junit2.xml')]);
  // At smoke learnability stands in for the at-chance rule; 100 % against the baseline's ≈ 35–55 % is a significant regression.
  t.is(hundred.code, 1, hundred.stdout);
  t.regex(hundred.stdout, /regression: resnet8 testError: harmful shift [\d.]+ pts.*significantly worse/);
  t.regex(readFileSync(join(dir, 'junit2.xml'), 'utf8'), /<failure message="regression/);
  const shifted = await runCli(['compare', plant('shifted', (e) => Math.min(1, e + 0.25)), '--baseline', baseline]);
  t.not(shifted.code, 0, shifted.stdout);
  t.regex(shifted.stdout, /verdict: (FAIL|INCONCLUSIVE) \(exit [14]\)/);
});

test.serial('a run folder of another backend, machine or copy of the data is refused, not reused under this one\'s name', async (t) => {
  const out = mkdtempSync(join(tmpdir(), 'reuse-'));
  t.is((await runCli([...cpu, 'run', 'cifar10-depth', ...tiny, '--out', out])).code, 2);
  const path = join(out, 'runs', 'resnet8-w4-s1', 'run.json');
  const record = JSON.parse(readFileSync(path, 'utf8'));
  writeFileSync(path, JSON.stringify({ ...record, host: { ...record.host, cpuFeatures: ['avx512f'] } }));
  const again = await runCli([...cpu, 'run', 'cifar10-depth', ...tiny, '--out', out]);
  t.is(again.code, 2, again.stderr);
  t.regex(again.stderr, /holds a run made differently: CPU extensions avx512f there, [a-z0-9_ ]+ now/);
  // A completed run on another copy of the data is not this run either (synthetic data is not hashed: "none").
  writeFileSync(path, JSON.stringify({ ...record, dataset: { ...record.dataset, digest: 'sha256:another-copy' } }));
  const copy = await runCli([...cpu, 'run', 'cifar10-depth', ...tiny, '--out', out]);
  t.is(copy.code, 2, copy.stderr);
  t.regex(copy.stderr, /holds a run made differently: data copy sha256:another-copy there, none now/);
  const other = await runCli([...cpu, 'run', 'cifar10-depth', ...tiny, '--iterations', '3', '--out', out]);
  t.is(other.code, 2);
  t.regex(other.stderr, /holds another suite run \(iterations \d+ there, 3 now\)/);
});

test.serial('run refuses an empty or repeated model list before any work', async (t) => {
  const empty = await runCli(['run', 'cifar10-depth', '--models', ',']);
  t.is(empty.code, 2);
  t.regex(empty.stderr, /no models to run/);
  const twice = await runCli(['run', 'cifar10-depth', '--models', 'resnet20,resnet20', '--seeds', '1']);
  t.is(twice.code, 2);
  t.regex(twice.stderr, /names resnet20 more than once/);
  const shards = await runCli(['run', 'cifar10-depth', '--shard', '1/99999999999']);
  t.is(shards.code, 2);
  t.regex(shards.stderr, /--shard takes i\/n with 1 ≤ i ≤ n ≤ 9999/);
});

test.serial('a fault run fails the conformance tier before training, naming the check; trained anyway, it is recorded as one and can never become a baseline', async (t) => {
  const caught = await runCli([...cpu, 'run', 'cifar10-depth', ...tiny, '--fault', 'lr-x0.3', '--out', mkdtempSync(join(tmpdir(), 'fault-'))]);
  t.is(caught.code, 1, caught.stdout);
  t.regex(caught.stderr, /conformance failed: not training/);
  t.regex(caught.stdout, /conformance: FAIL/);
  t.regex(caught.stdout, /resnet8-w4 optimizer: velocity of kernel \(start: rate 0\.03\d*, reference 0\.1\)/);
  const out = mkdtempSync(join(tmpdir(), 'fault-'));
  const run = await runCli([...cpu, 'run', 'cifar10-depth', ...tiny, '--fault', 'lr-x0.3', '--no-conformance', '--out', out]);
  t.is(run.code, 2, run.stderr);
  t.regex(run.stdout, /CALIBRATION RUN with planted fault "lr-x0.3"/);
  t.regex(run.stdout, /conformance: skipped/);
  const results = readResults(join(out, 'results.json'));
  t.is(results.fault, 'lr-x0.3');
  t.true(results.runs.every((r) => r.record.fault === 'lr-x0.3' && r.record.config.schedule.baseLearningRate === 0.1 * 0.3));
  const record = await runCli(['baseline', 'record', out, '--out', join(out, 'b.json')]);
  t.is(record.code, 2);
  t.regex(record.stderr, /calibration fault "lr-x0.3": they can never be a baseline/);
  t.is((await runCli(['run', 'cifar10-depth', '--fault', 'gremlins'])).code, 2);
});

test.serial('shards run disjoint units; merged they compare like one run; one shard alone is incomplete', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'shards-'));
  const shards: string[] = [];
  for (const i of [1, 2]) {
    const out = join(dir, `shard${i}`);
    const r = await runCli([...cpu, 'run', 'cifar10-depth', ...tiny, '--shard', `${i}/2`, '--out', out]);
    t.is(r.code, 0, r.stderr);
    t.regex(r.stdout, new RegExp(`shard ${i}/2 done`));
    shards.push(out);
  }
  const [a, b] = shards.map((s) => readResults(join(s, 'results.json')).runs.map((r) => r.unit.id));
  t.is(a!.length + b!.length, 4);
  t.deepEqual(a!.filter((id) => b!.includes(id)), []);
  const alone = await runCli(['compare', shards[0]!]);
  t.is(alone.code, 2);
  t.regex(alone.stdout, /shards 2\/2 are missing/);
  const merged = join(dir, 'merged');
  t.is((await runCli(['merge', ...shards, '--out', merged])).code, 0);
  t.is(readResults(join(merged, 'results.json')).runs.length, 4);
  t.is((await runCli(['baseline', 'record', merged, '--out', join(dir, 'b.json')])).code, 0);
  t.is((await runCli(['compare', merged, '--baseline', join(dir, 'b.json')])).code, 0);
});

test.serial('an unknown suite or preset is a usage error that lists the choices', async (t) => {
  const suite = await runCli(['run', 'cifar100']);
  t.is(suite.code, 2);
  t.regex(suite.stderr, /unknown suite "cifar100": one of architecture, cifar10-depth/);
  const preset = await runCli(['run', 'cifar10-depth', '--preset', 'weekly']);
  t.is(preset.code, 2);
  t.regex(preset.stderr, /argument 'weekly' is invalid. Allowed choices are smoke, nightly, reduced, full/);
  const absent = await runCli(['run', 'cifar10-highway', '--preset', 'reduced']);
  t.is(absent.code, 2);
  t.regex(absent.stderr, /suite cifar10-highway has no preset "reduced"; its presets: smoke, nightly, full/);
});

test.serial('calibrate runs clean reruns on new seeds and each fault against the baseline, and tabulates what the gate caught', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'calibrate-'));
  const out = join(dir, 'results');
  t.is((await runCli([...cpu, 'run', 'cifar10-depth', ...tiny, '--models', 'resnet8', '--out', out])).code, 2);
  const baseline = join(dir, 'baseline.json');
  t.is((await runCli(['baseline', 'record', out, '--out', baseline])).code, 0);
  const cal = await runCli([...cpu, 'calibrate', 'cifar10-depth', '--preset', 'smoke', '--baseline', baseline, '--reruns', '1', '--faults', 'lr-x0.3,no-shortcuts', '--out', join(dir, 'cal')]);
  t.is(cal.code, 0, cal.stderr);
  t.regex(cal.stdout, /\| clean rerun 1 \| 3, 4 \|/, 'the rerun takes seeds the baseline does not have');
  t.regex(cal.stdout, /\| lr-x0\.3 \| 1, 2 \|/);
  t.regex(cal.stdout, /\| no-shortcuts \| 1, 2 \|/);
  t.regex(cal.stdout, /faults caught: \d of 2; faults that passed: \d; false alarms: \d of 1 clean reruns/);
  t.regex(cal.stdout, /resnet8 testError [+−]\d+\.\d\d pts \(\d+\.\d\d pts; –\)/, 'each gated row\'s shift and what these seeds detect; the smoke preset does not run resnet8, so no design column');
  t.true(existsSync(join(dir, 'cal', 'calibration.md')));
  const noShortcuts = readResults(join(dir, 'cal', 'no-shortcuts', 'results.json'));
  t.is(noShortcuts.fault, 'no-shortcuts');
  // Continued, it reuses every complete run, and each row keeps its runs' training time, not this process's.
  const rowsOf = () => JSON.parse(readFileSync(join(dir, 'cal', 'calibration.json'), 'utf8')) as { name: string; wallSeconds: number }[];
  const first = rowsOf();
  t.is(first.find((r) => r.name === 'no-shortcuts')!.wallSeconds, noShortcuts.runs.reduce((sum, r) => sum + r.record.wallSeconds, 0));
  const again = await runCli([...cpu, 'calibrate', 'cifar10-depth', '--preset', 'smoke', '--baseline', baseline, '--reruns', '1', '--faults', 'lr-x0.3,no-shortcuts', '--out', join(dir, 'cal')]);
  t.is(again.code, 0, again.stderr);
  t.deepEqual(rowsOf().map((r) => r.wallSeconds), first.map((r) => r.wallSeconds));
});

test.serial('baseline record --append pools new seeds of the same recipe and refuses seeds it already has', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'append-'));
  const models = [...tiny, '--models', 'resnet8'];
  t.is((await runCli([...cpu, 'run', 'cifar10-depth', ...models, '--out', join(dir, 'a')])).code, 2);
  t.is((await runCli([...cpu, 'run', 'cifar10-depth', ...models, '--first-seed', '3', '--out', join(dir, 'b')])).code, 2);
  const baseline = join(dir, 'baseline.json');
  t.is((await runCli(['baseline', 'record', join(dir, 'a'), '--out', baseline])).code, 0);
  const pooled = await runCli(['baseline', 'record', join(dir, 'b'), '--out', baseline, '--append']);
  t.is(pooled.code, 0, pooled.stderr);
  const data = JSON.parse(readFileSync(baseline, 'utf8'));
  t.is(data.metrics.resnet8.testError.n, 4);
  t.deepEqual(data.metrics.resnet8.testError.values.map((v: { seed: number }) => v.seed), [1, 2, 3, 4]);
  t.is(data.history.length, 2);
  const again = await runCli(['baseline', 'record', join(dir, 'b'), '--out', baseline, '--append']);
  t.is(again.code, 2);
  t.regex(again.stderr, /seed 3 of resnet8 is recorded already/);
});

test.serial('a suite resumed where only its first run is missing counts the later, complete ones as done from its first step', async (t) => {
  const out = join(mkdtempSync(join(tmpdir(), 'resume-')), 'results');
  await runCli([...cpu, 'run', 'cifar10-depth', ...tiny, '--out', out]); // exit 2: no baseline at this recipe
  const ids = readResults(join(out, 'results.json')).runs.map((r) => r.unit.id);
  t.is(ids.length, 4);
  rmSync(join(out, 'runs', ids[0]!), { recursive: true });
  const again = await runCli([...cpu, 'run', 'cifar10-depth', ...tiny, '--out', out]);
  t.is(readResults(join(out, 'results.json')).runs.length, 4, again.stderr);
  // Three of four units are complete, after the missing one in the order: its first step is already 75 % of the suite.
  const first = /first step done · .* suite (\d+)%/.exec(again.stdout + again.stderr);
  t.truthy(first, again.stdout + again.stderr);
  t.true(Number(first![1]) >= 75, first![0]);
});
