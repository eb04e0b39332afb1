/** The suite loop through the CLI, as a nightly job runs it: run, record, gate, shard, merge. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { readResults } from '../runners/suite/results.js';
import { runCli } from './helpers/cli.js';

const tiny = ['--preset', 'smoke', '--models', 'resnet8,plain8', '--seeds', '2', '--iterations', '2'];
// The backend under test (RESNET_REPRO_BACKEND, as in CI's two passes); serial: each run already uses both cores.
const cpu: string[] = [];

test.serial('run architecture passes against Tables 1 and 6', (t) => {
  const out = mkdtempSync(join(tmpdir(), 'arch-'));
  const { code, stdout, stderr } = runCli([...cpu, 'run', 'architecture', '--out', out]);
  t.is(code, 0, stderr);
  t.regex(stdout, /resnet50\s+multiplyAdds\s+3\.858e\+9 \(n=1\)\s+–\s+3\.8×10⁹ \(T1\)/);
  t.regex(stdout, /verdict: PASS \(exit 0\)/);
});

test.serial('run → no baseline (exit 2) → record → compare passes (0) → a planted regression fails (1), with JUnit and Markdown', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'suite-'));
  const out = join(dir, 'results');
  const first = runCli([...cpu, 'run', 'cifar10-depth', ...tiny, '--out', out]);
  t.is(first.code, 2, first.stdout + first.stderr);
  t.regex(first.stdout, /no recorded baseline for cifar10-depth\/smoke\/(tensorflow|wasm|cpu) with these settings/);
  const baseline = join(dir, 'baseline.json');
  const record = runCli(['baseline', 'record', out, '--out', baseline]);
  t.is(record.code, 0, record.stderr);

  const summary = join(dir, 'summary.md');
  const same = runCli(['compare', out, '--baseline', baseline, '--junit', join(dir, 'junit.xml'), '--markdown', join(dir, 'report.md')], { GITHUB_STEP_SUMMARY: summary });
  t.is(same.code, 0, same.stdout);
  t.true(existsSync(join(dir, 'junit.xml')));
  t.regex(readFileSync(summary, 'utf8'), /### ✅ cifar10-depth — PASS/);

  // Plant a regression: every resnet8 run's test error 30 points worse.
  const results = readResults(join(out, 'results.json'));
  for (const run of results.runs) {
    if (run.unit.paperModel === 'resnet8' && run.record.status === 'completed') run.record.metrics.testError += 0.3;
  }
  writeFileSync(join(out, 'results.json'), JSON.stringify(results));
  const worse = runCli(['compare', out, '--baseline', baseline, '--junit', join(dir, 'junit2.xml')]);
  t.is(worse.code, 1, worse.stdout);
  t.regex(worse.stdout, /regression: resnet8 testError/);
  t.regex(readFileSync(join(dir, 'junit2.xml'), 'utf8'), /<failure message="regression/);
});

test.serial('shards run disjoint units; merged they compare like one run; one shard alone is incomplete', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'shards-'));
  const shards = [1, 2].map((i) => {
    const out = join(dir, `shard${i}`);
    const r = runCli([...cpu, 'run', 'cifar10-depth', ...tiny, '--shard', `${i}/2`, '--out', out]);
    t.is(r.code, 0, r.stderr);
    t.regex(r.stdout, new RegExp(`shard ${i}/2 done`));
    return out;
  });
  const [a, b] = shards.map((s) => readResults(join(s, 'results.json')).runs.map((r) => r.unit.id));
  t.is(a!.length + b!.length, 4);
  t.deepEqual(a!.filter((id) => b!.includes(id)), []);
  const alone = runCli(['compare', shards[0]!]);
  t.is(alone.code, 2);
  t.regex(alone.stdout, /shards 2\/2 are missing/);
  const merged = join(dir, 'merged');
  t.is(runCli(['merge', ...shards, '--out', merged]).code, 0);
  t.is(readResults(join(merged, 'results.json')).runs.length, 4);
  t.is(runCli(['baseline', 'record', merged, '--out', join(dir, 'b.json')]).code, 0);
  t.is(runCli(['compare', merged, '--baseline', join(dir, 'b.json')]).code, 0);
});

test.serial('an unknown suite or preset is a usage error that lists the choices', (t) => {
  const suite = runCli(['run', 'cifar100']);
  t.is(suite.code, 2);
  t.regex(suite.stderr, /unknown suite "cifar100": one of architecture, cifar10-depth/);
  const preset = runCli(['run', 'cifar10-depth', '--preset', 'weekly']);
  t.is(preset.code, 2);
  t.regex(preset.stderr, /unknown preset "weekly": one of smoke, nightly, full/);
});
