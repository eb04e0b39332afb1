/**
 * The regression gate. PASS only when the data bound the harmful shift below
 * the tolerance with power to have seen it (or our runs replay the baseline
 * bit for bit); REGRESSION when the shift is significant or a run sits at
 * chance; INCONCLUSIVE (exit 4) otherwise; missing or inconsistent data never
 * passes. Each planted case from issue 10 is one of these tests.
 */
import test from 'ava';
import { PINNED_CIFAR10_DEPTH as cifar10Depth } from './helpers/suites.js';
import { Baseline, defaultBaselinePath } from '../runners/records/baseline.js';
import { compare, evaluateClaim } from '../runners/compare/compare.js';
import { summarize } from '../runners/records/summary.js';
import { testShift } from '../runners/compare/stats.js';
import { InputError } from '../runners/errors.js';
import { ResultSet } from '../runners/records/results.js';
import { baselineFrom, type FakeRun, fakeResults, passingConformance } from './helpers/results.js';

const errors = (...xs: number[]): FakeRun[] => xs.map((testError) => ({ testError, trainError: Math.max(0, testError - 0.05) }));
const ERRORS = { tolerance: 0.02, relative: false, alpha: 0.01, power: 0.8 };
const THROUGHPUT = { tolerance: 0.1, relative: true, alpha: 0.01, power: 0.8 };

// Seed-to-seed noise of about ±0.2 points around 8 %, five seeds.
const BASE = { resnet20: errors(0.081, 0.078, 0.083, 0.079, 0.08), resnet56: errors(0.071, 0.069, 0.073, 0.07, 0.072) };
const base = (runs: Record<string, FakeRun[]>, preset: 'smoke' | 'nightly' = 'nightly', backend: 'cpu' | 'wasm' | 'tensorflow' = 'cpu') => baselineFrom(cifar10Depth, fakeResults(cifar10Depth, preset, runs, backend));
const rowsOf = (c: ReturnType<typeof compare>) => c.rows.map((r) => `${r.model} ${r.metric} ${r.verdict}: ${r.why}`).join('\n');

test('the rule: a shift bounded below the tolerance, with power to see one, passes and says what it could detect', (t) => {
  const r = testShift(summarize([0.079, 0.083, 0.08, 0.081, 0.078]), summarize([0.081, 0.078, 0.083, 0.079, 0.08]), 'higher', ERRORS);
  t.is(r.verdict, 'pass');
  t.true(r.upper < 0.02);
  t.true(r.detectable > 0 && r.detectable < 0.02, `detectable ${r.detectable}`);
  t.regex(r.why, /detectable 0\.\d\d pts, tolerance 2\.00 pts: bounded below the tolerance/);
});

test('the rule: a significant harmful shift is a regression', (t) => {
  const r = testShift(summarize([0.101, 0.099, 0.102, 0.1, 0.098]), summarize([0.081, 0.078, 0.083, 0.079, 0.08]), 'higher', ERRORS);
  t.is(r.verdict, 'regression');
  t.true(r.lower > 0);
});

test('the rule: noisy seeds that cannot bound a regression of the tolerance are inconclusive, even with no shift', (t) => {
  // Two seeds 10 points apart on each side: the nightly ResNet-56 situation.
  const r = testShift(summarize([0.55, 0.7]), summarize([0.55, 0.7]), 'higher', ERRORS);
  t.is(r.verdict, 'inconclusive');
  t.true(r.detectable > 0.02);
  t.regex(r.why, /cannot detect a regression of the tolerance/);
});

test('the rule: a 25-point shift that two noisy seeds per side cannot call significant is still never a pass', (t) => {
  const r = testShift(summarize([0.8, 0.95]), summarize([0.55, 0.7]), 'higher', ERRORS);
  t.not(r.verdict, 'pass');
});

test('the rule: single seeds on both sides bound nothing', (t) => {
  const r = testShift(summarize([0.08]), summarize([0.08]), 'higher', ERRORS);
  t.is(r.verdict, 'inconclusive');
  t.is(r.detectable, Infinity);
});

test('the rule: a single seed against a noisy baseline borrows the baseline\'s noise', (t) => {
  const r = testShift(summarize([0.2]), summarize([0.08, 0.081, 0.079, 0.08, 0.0805]), 'higher', ERRORS);
  t.is(r.verdict, 'regression');
});

test('the rule: throughput regresses downwards, relative to the baseline', (t) => {
  const baseline = summarize([100, 102, 98, 101, 99]);
  t.is(testShift(summarize([80, 81, 79, 80, 82]), baseline, 'lower', THROUGHPUT).verdict, 'regression');
  t.is(testShift(summarize([120, 121, 119, 120, 122]), baseline, 'lower', THROUGHPUT).verdict, 'pass');
  t.is(testShift(summarize([99, 101, 100, 98, 100]), baseline, 'lower', THROUGHPUT).verdict, 'pass');
});

// The rule pinned at its margins: expected numbers come from scripts/gate_margins.py (scipy, outside this
// code), and each case sits where one plausible bug in the rule flips the verdict.
const near = (x: number, expected: number) => Math.abs(x - expected) < 1e-9;

test('the rule, pinned: the bound is one-sided at α (a two-sided quantile at α/2 turns this pass into a regression)', (t) => {
  // ours 4 seeds, baseline 8: Welch se 0.0012583, dof 5.8722; t(0.99) gives upper 0.019583, t(0.995) would give 0.020307.
  const r = testShift(summarize([0.0951, 0.0981, 0.0931, 0.0961]), summarize([0.08, 0.083, 0.078, 0.081, 0.079, 0.082, 0.08, 0.077]), 'higher', ERRORS);
  t.true(near(r.upper, 0.019583429833793527), `upper ${r.upper}`);
  t.true(near(r.lower, 0.011616570166206479), `lower ${r.lower}`);
  t.is(r.verdict, 'pass', r.why); // significant (lower > 0) but bounded below the tolerance: non-inferiority
});

test('the rule, pinned: the detectable effect adds the power quantile, (t₁₋α + t_power)·se (without it this inconclusive case passes)', (t) => {
  // se 0.0056543, Welch dof 7.0951: t(0.99)·se = 0.016888 is below the tolerance, (t(0.99) + t(0.8))·se = 0.021950 is not.
  const r = testShift(summarize([0.075, 0.0852, 0.0648, 0.0801]), summarize([0.08, 0.0902, 0.0698, 0.0851, 0.0749, 0.0953, 0.0647, 0.08]), 'higher', ERRORS);
  t.true(near(r.detectable, 0.021950082175441445), `detectable ${r.detectable}`);
  t.true(near(r.upper, 0.013163056555753117), `upper ${r.upper}`);
  t.is(r.verdict, 'inconclusive', r.why);
});

test('the rule, pinned: degrees of freedom are Welch–Satterthwaite\'s (with 3, 7 or 10 the bound moves; with 3 or 7 this pass is lost)', (t) => {
  // ours 4 tight seeds, baseline 8 spread ones: dof 8.8927, upper 0.019917 (dof 3: 0.024709, dof 7: 0.020391, dof 10: 0.019735).
  const r = testShift(summarize([0.0915, 0.0945, 0.0895, 0.0925]), summarize([0.07, 0.09, 0.075, 0.085, 0.08, 0.072, 0.088, 0.08]), 'higher', ERRORS);
  t.true(near(r.upper, 0.019916522698740863), `upper ${r.upper}`);
  t.true(near(r.detectable, 0.010390475816967816), `detectable ${r.detectable}`);
  t.is(r.verdict, 'pass', r.why);
});

test('the rule, pinned: PASS needs the power to have seen the tolerance, however good the shift looks', (t) => {
  // Five seeds each, 5 points better: upper −0.90 pts is far below the tolerance, but the seeds detect only 5.35 points.
  const r = testShift(summarize([0.03, 0.06, 0, 0.04, 0.02]), summarize([0.08, 0.11, 0.05, 0.09, 0.07]), 'higher', ERRORS);
  t.true(near(r.upper, -0.009037877661853669) && near(r.detectable, 0.05353291845292032), `upper ${r.upper}, detectable ${r.detectable}`);
  t.is(r.verdict, 'inconclusive', r.why);
});

test('the rule, pinned: the family-wise α is split among the gated rows, in the rule and not only in the policy it prints', (t) => {
  // Nightly gates test error only: two models, two gated rows, α 0.025 each. Three seeds a side, dof 2.9412:
  // at 0.025 the seeds detect 2.169 points (inconclusive); at an unsplit 0.05 they would detect 1.732 and pass.
  const three = { resnet20: errors(0.4, 0.408, 0.392), resnet56: errors(0.4, 0.408, 0.392) };
  const c = compare(fakeResults(cifar10Depth, 'nightly', { resnet20: errors(0.404, 0.396, 0.4), resnet56: errors(0.404, 0.396, 0.4) }), cifar10Depth, base(three));
  t.is(c.policy!.rowAlpha, 0.025);
  for (const row of c.rows.filter((r) => r.metric === 'testError')) {
    t.true(near(row.test!.detectable, 0.02169041854480905) && near(row.test!.upper, 0.016621598012730034), `${row.model}: ${row.why}`);
    t.is(row.verdict, 'inconclusive');
  }
  t.is(c.exitCode, 4);
});

test('replay, pinned: a value recorded for another seed is not a replay (swapped seeds are a new sample: inconclusive, never PASS)', (t) => {
  const recorded = { resnet20: errors(0.4, 0.43) };
  const swapped = compare(fakeResults(cifar10Depth, 'nightly', { resnet20: errors(0.43, 0.4) }), cifar10Depth, base(recorded));
  const row = swapped.rows.find((r) => r.metric === 'testError')!;
  t.falsy(row.replay);
  t.is(row.verdict, 'inconclusive', row.why);
  t.is(swapped.exitCode, 4);
  // The same values seed for seed do replay: the case above differs only in which seed holds which value.
  t.is(compare(fakeResults(cifar10Depth, 'nightly', recorded), cifar10Depth, base(recorded)).exitCode, 0);
});

test('compare: new seeds of the same noise pass with exit 0, and every gated row states its detectable effect', (t) => {
  const ours = fakeResults(cifar10Depth, 'nightly', { resnet20: errors(0.079, 0.082, 0.08, 0.078, 0.082), resnet56: errors(0.072, 0.07, 0.069, 0.071, 0.073) });
  const c = compare(ours, cifar10Depth, base(BASE));
  t.deepEqual(c.problems, []);
  t.is(c.exitCode, 0, rowsOf(c));
  for (const r of c.rows.filter((row) => row.metric === 'testError')) t.true(r.test!.detectable < 0.02, `${r.model} ${r.metric}`);
  t.is(c.policy!.rowAlpha, 0.05 / 2, 'Bonferroni over the gated rows: test error of two models (the nightly reports training error)');
  t.true(c.rows.filter((r) => r.metric === 'trainError').every((r) => r.verdict === 'not-gated' && /reported, not gated, at preset nightly/.test(r.why)), rowsOf(c));
});

test('compare: a 2-point regression of one model over five seeds fails with exit 1 and names it', (t) => {
  const ours = fakeResults(cifar10Depth, 'nightly', { ...BASE, resnet56: errors(0.101, 0.099, 0.103, 0.1, 0.102) });
  const c = compare(ours, cifar10Depth, base(BASE));
  t.is(c.exitCode, 1);
  t.deepEqual(c.rows.filter((r) => r.verdict === 'regression').map((r) => `${r.model} ${r.metric}`), ['resnet56 testError']);
});

test('compare: a metric a preset reports but does not gate still breaks the gate at chance level', (t) => {
  const ours = fakeResults(cifar10Depth, 'nightly', { ...BASE, resnet20: BASE.resnet20.map((r) => ({ ...r, trainError: 0.9 })) });
  const c = compare(ours, cifar10Depth, base(BASE));
  t.is(c.exitCode, 1);
  t.deepEqual(c.rows.filter((r) => r.verdict === 'broken').map((r) => `${r.model} ${r.metric}`), ['resnet20 trainError']);
});

test('planted: results 25 points worse than a baseline recorded from the same kind of run never exit 0', (t) => {
  const nightly = { plain20: errors(0.51, 0.49), plain56: errors(0.74, 0.79), resnet20: errors(0.403, 0.397), resnet56: errors(0.53, 0.7) };
  const worse = Object.fromEntries(Object.entries(nightly).map(([m, runs]) => [m, runs.map((r) => ({ testError: Math.min(1, r.testError + 0.25), trainError: Math.min(1, r.trainError! + 0.25) }))]));
  const c = compare(fakeResults(cifar10Depth, 'nightly', worse), cifar10Depth, base(nightly));
  t.not(c.exitCode, 0, rowsOf(c));
  t.true(c.rows.some((r) => r.verdict === 'regression' || r.verdict === 'broken'), rowsOf(c));
});

test('planted: plain-56 and ResNet-56 at 100 % error where the baseline learned fail the gate (sanity bound)', (t) => {
  const nightly = { plain20: errors(0.51, 0.49), plain56: errors(0.74, 0.79), resnet20: errors(0.403, 0.397), resnet56: errors(0.53, 0.7) };
  const c = compare(fakeResults(cifar10Depth, 'nightly', { ...nightly, plain56: errors(1, 1), resnet56: errors(1, 1) }), cifar10Depth, base(nightly));
  t.is(c.exitCode, 1);
  const broken = c.rows.filter((r) => r.verdict === 'broken');
  t.true(broken.some((r) => r.model === 'resnet56' && r.metric === 'testError'), rowsOf(c));
  t.regex(broken[0]!.why, /at chance level/);
});

test('planted: every smoke error at 100 % (nets at chance: training loss at ln 10), or 20 points added to every smoke run, never exits 0', (t) => {
  const smoke = { plain20: errors(0.77, 0.7), plain32: errors(0.84, 0.77), resnet20: errors(0.87, 0.55), resnet32: errors(0.78, 0.57) };
  const hundred = Object.fromEntries(Object.keys(smoke).map((m) => [m, [1, 1].map((e) => ({ testError: e, trainError: e, trainLoss: 2.35 }))]));
  const all = compare(fakeResults(cifar10Depth, 'smoke', hundred), cifar10Depth, base(smoke, 'smoke'));
  t.is(all.exitCode, 1, rowsOf(all));
  const plus20 = Object.fromEntries(Object.entries(smoke).map(([m, runs]) => [m, runs.map((r) => ({ testError: Math.min(1, r.testError + 0.2), trainError: Math.min(1, r.trainError! + 0.2) }))]));
  const shifted = compare(fakeResults(cifar10Depth, 'smoke', plus20), cifar10Depth, base(smoke, 'smoke'));
  t.not(shifted.exitCode, 0, rowsOf(shifted));
});

test('replay: runs identical to the baseline seed for seed on the same numerics pass, however noisy the seeds', (t) => {
  const smoke = { plain20: errors(0.77, 0.7), resnet20: errors(0.87, 0.55) };
  const same = compare(fakeResults(cifar10Depth, 'smoke', smoke, 'wasm'), cifar10Depth, base(smoke, 'smoke', 'wasm'));
  t.is(same.exitCode, 0, rowsOf(same));
  t.true(same.rows.filter((r) => r.metric !== 'imagesPerSecond').every((r) => r.replay === true));
  // One seed differs: no replay, and two noisy seeds cannot bound a shift.
  const moved = compare(fakeResults(cifar10Depth, 'smoke', { ...smoke, resnet20: errors(0.87, 0.56) }, 'wasm'), cifar10Depth, base(smoke, 'smoke', 'wasm'));
  t.is(moved.exitCode, 4);
  t.is(moved.verdict, 'inconclusive');
  t.is(moved.rows.find((r) => r.model === 'resnet20' && r.metric === 'testError')!.verdict, 'inconclusive');
});

test('replay: native TensorFlow replays only on the same machine identity (unknown CPU extensions never match)', (t) => {
  const smoke = { plain20: errors(0.77, 0.7), resnet20: errors(0.87, 0.55) };
  const replayed = (c: ReturnType<typeof compare>) => c.rows.filter((r) => r.metric !== 'imagesPerSecond').every((r) => r.replay === true);
  const c = compare(fakeResults(cifar10Depth, 'smoke', smoke, 'tensorflow'), cifar10Depth, base(smoke, 'smoke', 'tensorflow'));
  // The fake backend records no CPU extensions: not provably the same numerics, so not a replay (at smoke: not bounded).
  t.false(replayed(c));
  t.true(c.rows.filter((r) => r.metric !== 'imagesPerSecond').every((r) => r.verdict === 'not-bounded'), rowsOf(c));
  const identity = { cpuCores: 2, cpuFeatures: ['avx', 'avx2', 'fma'], env: {} };
  const known = (r: ResultSet): ResultSet => ({ ...r, backend: { ...r.backend, ...identity } });
  const b = base(smoke, 'smoke', 'tensorflow');
  const same = compare(known(fakeResults(cifar10Depth, 'smoke', smoke, 'tensorflow')), cifar10Depth, { ...b, data: { ...b.data, backend: { ...b.data.backend, ...identity } } });
  t.is(same.exitCode, 0, rowsOf(same));
  t.true(replayed(same));
  const avx512 = compare(known(fakeResults(cifar10Depth, 'smoke', smoke, 'tensorflow')), cifar10Depth, { ...b, data: { ...b.data, backend: { ...b.data.backend, ...identity, cpuFeatures: ['avx', 'avx2', 'fma', 'avx512f'] } } });
  t.false(replayed(avx512));
  t.regex(rowsOf(avx512), /another CPU identity/);
});

test('planted: a baseline whose means were edited away from its per-seed values is refused', (t) => {
  const b = base(BASE).data;
  const edited = structuredClone(b);
  edited.metrics.resnet20!.testError!.mean -= 0.25;
  t.false(Baseline.safeParse(edited).success);
});

test('planted: an empty or partial baseline is incomplete (exit 2), never a pass', (t) => {
  const ours = fakeResults(cifar10Depth, 'nightly', BASE);
  const b = base(BASE);
  const empty = compare(ours, cifar10Depth, { ...b, data: { ...b.data, metrics: {} } });
  t.is(empty.exitCode, 2);
  t.regex(empty.problems.join('\n'), /has no testError for resnet20/);
  const { resnet56: _dropped, ...rest } = b.data.metrics;
  const partial = compare(ours, cifar10Depth, { ...b, data: { ...b.data, metrics: rest } });
  t.is(partial.exitCode, 2);
  t.regex(partial.problems.join('\n'), /for resnet56/);
});

test('planted: results that expect no runs are incomplete, and a run cannot count twice', (t) => {
  const ours = fakeResults(cifar10Depth, 'nightly', BASE);
  const none = ResultSet.parse({ ...ours, settings: { ...ours.settings, models: [] }, expectedUnits: [], runs: [] });
  const c = compare(none, cifar10Depth, base(BASE));
  t.is(c.exitCode, 2);
  t.regex(c.problems.join('\n'), /expect no runs/);
  const doubled = { ...ours, runs: [...ours.runs, ours.runs[0]!] };
  t.throws(() => compare(doubled, cifar10Depth, base(BASE)), { instanceOf: InputError, message: /hold unit resnet20-s1 twice/ });
  const extra = { ...ours, expectedUnits: [...ours.expectedUnits, { ...ours.expectedUnits[0]!, id: 'resnet20-s9', seed: 9 }] };
  t.throws(() => compare(extra, cifar10Depth, base(BASE)), { instanceOf: InputError, message: /not the units their settings define/ });
});

test('planted: runs whose records say another backend, versions or CPU cannot be passed off as these results', (t) => {
  const ours = fakeResults(cifar10Depth, 'nightly', BASE, 'tensorflow');
  const wasmRuns = fakeResults(cifar10Depth, 'nightly', BASE, 'wasm').runs;
  t.throws(() => compare({ ...ours, runs: wasmRuns }, cifar10Depth, base(BASE, 'nightly', 'tensorflow')), { instanceOf: InputError, message: /differs from the result set: backend wasm in the record, tensorflow in the result set/ });
  const otherCpu = ours.runs.map((r) => ({ ...r, record: { ...r.record, host: { ...r.record.host, cpuModel: 'Intel Xeon' } } }));
  t.throws(() => compare({ ...ours, runs: otherCpu }, cifar10Depth, base(BASE, 'nightly', 'tensorflow')), { instanceOf: InputError, message: /differs from the result set: CPU Intel Xeon in the record, test cpu in the result set/ });
});

test('planted: a backend, preset or suite name that would leave baselines/ is refused', (t) => {
  const ours = fakeResults(cifar10Depth, 'nightly', BASE);
  t.false(ResultSet.safeParse({ ...ours, backend: { ...ours.backend, name: '../../x' } }).success);
  t.false(ResultSet.safeParse({ ...ours, preset: '../x' }).success);
  t.false(ResultSet.safeParse({ ...ours, suite: { ...ours.suite, name: '../../etc' } }).success);
  t.throws(() => defaultBaselinePath('cifar10-depth', 'nightly', '../../x'), { instanceOf: InputError });
});

test('compare: a diverged run fails the gate', (t) => {
  const ours = fakeResults(cifar10Depth, 'nightly', { ...BASE, resnet20: [{ testError: 0, status: 'diverged' }, ...BASE.resnet20.slice(1)] });
  const c = compare(ours, cifar10Depth, base(BASE));
  t.is(c.exitCode, 1);
  t.true(c.rows.some((r) => r.model === 'resnet20' && r.verdict === 'diverged'));
});

test('compare: missing seeds or no baseline never pass (exit 2, with the reason)', (t) => {
  const partial = fakeResults(cifar10Depth, 'nightly', BASE);
  const withoutOne = { ...partial, runs: partial.runs.filter((r) => r.unit.id !== 'resnet56-s3') };
  const c = compare(withoutOne, cifar10Depth, base(BASE));
  t.is(c.exitCode, 2);
  t.regex(c.problems.join(' '), /resnet56-s3/);
  const none = compare(partial, cifar10Depth, undefined);
  t.is(none.exitCode, 2);
  t.regex(none.problems.join(' '), /no recorded baseline for cifar10-depth\/nightly\/cpu/);
});

test('compare: a baseline from another backend, suite version or recipe is refused; other models and seeds of one recipe compare', (t) => {
  t.throws(() => compare(fakeResults(cifar10Depth, 'nightly', BASE, 'cpu'), cifar10Depth, base(BASE, 'nightly', 'tensorflow')), { instanceOf: InputError, message: /cannot gate these results: backend tensorflow in the baseline, cpu here/ });
  const old = { ...fakeResults(cifar10Depth, 'nightly', BASE), suite: { name: 'cifar10-depth', version: 0, kind: 'training' as const } };
  t.throws(() => compare(old, cifar10Depth, undefined), { instanceOf: InputError, message: /version 0/ });
  const b = base(BASE);
  t.throws(() => compare(fakeResults(cifar10Depth, 'nightly', BASE), cifar10Depth, { ...b, data: { ...b.data, settings: { ...b.data.settings, iterations: 300 } } }), { instanceOf: InputError, message: new RegExp(`cannot gate these results: iterations 300 in the baseline, ${cifar10Depth.presets.nightly.iterations} here`) });
  const oneModel = compare(fakeResults(cifar10Depth, 'nightly', { resnet20: BASE.resnet20 }), cifar10Depth, b);
  t.is(oneModel.exitCode, 0, rowsOf(oneModel));
});

test('compare: throughput is gated only at presets that gate it, and only against the same CPU identity run the same way', (t) => {
  const identity = { cpuCores: 2, cpuFeatures: ['avx2', 'fma'], env: {} };
  const known = (r: ResultSet): ResultSet => ({ ...r, backend: { ...r.backend, ...identity } });
  const rate = (runs: FakeRun[], f: (i: number) => number) => runs.map((r, i) => ({ ...r, imagesPerSecond: f(i) }));
  const fast = { resnet20: rate(BASE.resnet20, (i) => 100 + i), resnet56: rate(BASE.resnet56, (i) => 40 + i / 10) };
  const slow = { resnet20: rate(BASE.resnet20, (i) => 70 + i), resnet56: rate(BASE.resnet56, (i) => 40 + i / 10) };
  const b = baselineFrom(cifar10Depth, known(fakeResults(cifar10Depth, 'nightly', fast)));
  const nightly = compare(known(fakeResults(cifar10Depth, 'nightly', slow)), cifar10Depth, b);
  t.is(nightly.rows.find((r) => r.model === 'resnet20' && r.metric === 'imagesPerSecond')!.verdict, 'regression');
  const avx512 = { ...b, data: { ...b.data, backend: { ...b.data.backend, cpuFeatures: ['avx2', 'fma', 'avx512f'] } } };
  t.is(compare(known(fakeResults(cifar10Depth, 'nightly', slow)), cifar10Depth, avx512).rows.find((r) => r.model === 'resnet20' && r.metric === 'imagesPerSecond')!.verdict, 'not-gated');
  // The same CPU capped at AVX2 by a numerics variable runs other kernels: it is another machine for timing, and its clean errors still pass.
  const capped = compare({ ...known(fakeResults(cifar10Depth, 'nightly', slow)), backend: { ...known(fakeResults(cifar10Depth, 'nightly', slow)).backend, env: { ONEDNN_MAX_CPU_ISA: 'AVX2' } } }, cifar10Depth, b);
  const cappedRate = capped.rows.find((r) => r.model === 'resnet20' && r.metric === 'imagesPerSecond')!;
  t.is(cappedRate.verdict, 'not-gated');
  t.regex(cappedRate.why, /numerics environment \{\} the baseline's, \{"ONEDNN_MAX_CPU_ISA":"AVX2"\} here/);
  t.is(capped.exitCode, 0, rowsOf(capped));
  const smoke = compare(known(fakeResults(cifar10Depth, 'smoke', slow)), cifar10Depth, baselineFrom(cifar10Depth, known(fakeResults(cifar10Depth, 'smoke', fast))));
  t.is(smoke.rows.find((r) => r.model === 'resnet20' && r.metric === 'imagesPerSecond')!.verdict, 'not-gated');
});

test('claims hold, fail or stay inconclusive on the evidence', (t) => {
  const claim = cifar10Depth.claims.find((c) => c.id === 'resnet-deeper-better')!;
  t.is(evaluateClaim(claim, [0.07, 0.071, 0.069], [0.08, 0.081, 0.079], true).verdict, 'holds');
  t.is(evaluateClaim(claim, [0.08, 0.081, 0.079], [0.07, 0.071, 0.069], true).verdict, 'fails');
  t.is(evaluateClaim(claim, [0.07, 0.09], [0.08, 0.075], true).verdict, 'inconclusive');
});

test('a claim gates only at the presets whose budget can show it', (t) => {
  // After a nightly's few hundred iterations, deeper ResNets are not yet better (a full-schedule claim): reported only.
  const early = { resnet20: errors(0.47, 0.48, 0.46, 0.47, 0.475), resnet56: errors(0.66, 0.67, 0.65, 0.66, 0.665) };
  const nightly = compare(fakeResults(cifar10Depth, 'nightly', early), cifar10Depth, base(early));
  const deeper = nightly.claims.find((c) => c.id === 'resnet-deeper-better')!;
  t.is(deeper.verdict, 'fails');
  t.false(deeper.gated);
  t.is(nightly.exitCode, 0, rowsOf(nightly));
  // Degradation shows early: plain-56 below plain-20 at nightly fails the job.
  const noDegradation = { plain20: errors(0.6, 0.61, 0.59), plain56: errors(0.5, 0.51, 0.49) };
  const gated = compare(fakeResults(cifar10Depth, 'nightly', noDegradation), cifar10Depth, base(noDegradation));
  t.true(gated.claims.find((c) => c.id === 'plain-degrades-test')!.gated);
  t.is(gated.exitCode, 1);
  // Smoke gates no claim.
  const smoke = compare(fakeResults(cifar10Depth, 'smoke', noDegradation), cifar10Depth, base(noDegradation, 'smoke'));
  t.true(smoke.claims.every((c) => !c.gated));
  t.not(smoke.exitCode, 1);
});

// ── smoke: a short run decides by conformance and learnability, not by statistics ──

const SMOKE = { resnet20: errors(0.6, 0.7), plain20: errors(0.75, 0.8) };
/** The same results as run on another machine: its identity in the result set and in every run record. */
const elsewhere = (results: ReturnType<typeof fakeResults>) => ({
  ...results,
  backend: { ...results.backend, cpuModel: 'another cpu', cpuCores: 2, cpuFeatures: ['avx2'], env: {} },
  runs: results.runs.map((r) => ({ ...r, record: { ...r.record, host: { ...r.record.host, cpuModel: 'another cpu' } } })),
});

test('smoke: rows another CPU identity cannot bound are "not bounded", name that identity, and do not keep smoke from passing', (t) => {
  const c = compare(elsewhere(fakeResults(cifar10Depth, 'smoke', { resnet20: errors(0.5, 0.8), plain20: errors(0.7, 0.85) }, 'tensorflow')), cifar10Depth, base(SMOKE, 'smoke', 'tensorflow'));
  const errorRows = c.rows.filter((r) => r.metric !== 'imagesPerSecond');
  t.true(errorRows.every((r) => r.verdict === 'not-bounded'), rowsOf(c));
  t.regex(errorRows[0]!.why, /not bounded at smoke \(these seeds detect [\d.]+ pts, the tolerance is 10\.00 pts\): another CPU identity \(the baseline's: test cpu, .*; here: another cpu, 2 cores, AVX2\); bounding it is the nightly's job/);
  t.is(c.verdict, 'pass');
  t.is(c.exitCode, 0);
});

test('smoke: new seeds on the baseline\'s own numerics are not bounded either (they are a new sample, not a replay)', (t) => {
  const rerun = fakeResults(cifar10Depth, 'smoke', { resnet20: errors(0.5, 0.8, 0.55, 0.9), plain20: errors(0.7, 0.85, 0.8, 0.6) });
  const onlyNew = { ...rerun, runs: rerun.runs.filter((r) => r.unit.seed > 2) };
  const c = compare({ ...onlyNew, settings: { ...onlyNew.settings, seeds: 2, firstSeed: 3 }, expectedUnits: onlyNew.expectedUnits.filter((u) => u.seed > 2) }, cifar10Depth, base(SMOKE, 'smoke'));
  t.regex(rowsOf(c), /resnet20 testError not-bounded: .*seeds 3, 4 not in the baseline/);
  t.is(c.exitCode, 0);
});

test('smoke: on the baseline\'s own numerics and seeds, values that do not replay are inconclusive: the computation changed', (t) => {
  const c = compare(fakeResults(cifar10Depth, 'smoke', { resnet20: errors(0.5, 0.8), plain20: errors(0.75, 0.8) }), cifar10Depth, base(SMOKE, 'smoke'));
  t.regex(rowsOf(c), /resnet20 testError inconclusive: the baseline's numerics and seeds, yet testError differs .*the computation changed/);
  t.is(c.exitCode, 4);
});

test('smoke: a model whose runs never left chance (training error at 90 %, the loss at ln 10) fails learnability; one that learned passes it', (t) => {
  const stuck = { ...SMOKE, plain20: [{ testError: 0.9, trainLoss: 2.31 }, { testError: 0.75, trainLoss: 1.9 }] };
  const c = compare(elsewhere(fakeResults(cifar10Depth, 'smoke', stuck, 'tensorflow')), cifar10Depth, base(SMOKE, 'smoke', 'tensorflow'));
  const plain = c.learnability.find((l) => l.model === 'plain20')!;
  t.false(plain.learned);
  t.deepEqual(plain.runs.map((r) => r.learned), [false, true]);
  t.true(c.learnability.find((l) => l.model === 'resnet20')!.learned);
  t.is(c.verdict, 'fail');
  t.is(c.exitCode, 1);
});

test('smoke: a conformance failure fails the job (exit 1), naming the model, the check and the tensor', (t) => {
  const report = passingConformance(['resnet20', 'plain20']);
  const broken = { ...report, models: [report.models[0]!, { ...report.models[1]!, checks: [{ kind: 'logits-evaluation' as const, tensors: 1, tolerance: 1e-5, worst: { tensor: 'logits', value: 0.97, tolerance: 1e-5 }, failed: 1, failures: [{ tensor: 'logits', value: 0.97, tolerance: 1e-5 }] }] }] };
  const c = compare(elsewhere(fakeResults(cifar10Depth, 'smoke', SMOKE, 'tensorflow', broken)), cifar10Depth, base(SMOKE, 'smoke', 'tensorflow'));
  t.is(c.conformance?.status, 'fail');
  t.deepEqual(c.conformance?.failures.map((f) => `${f.model} ${f.kind} ${f.tensor}`), ['plain20 logits-evaluation logits']);
  t.is(c.exitCode, 1);
});

test('smoke: results without a conformance report, or that skipped it, are incomplete; at nightly a skipped tier is only noted', (t) => {
  for (const conformance of ['missing', null] as const) {
    const c = compare(elsewhere(fakeResults(cifar10Depth, 'smoke', SMOKE, 'tensorflow', conformance)), cifar10Depth, base(SMOKE, 'smoke', 'tensorflow'));
    t.is(c.exitCode, 2, `${conformance}`);
    t.regex(c.problems.join('\n'), /conformance/);
  }
  const nightly = compare(fakeResults(cifar10Depth, 'nightly', BASE, 'cpu', null), cifar10Depth, base(BASE));
  t.is(nightly.conformance?.status, 'skipped');
  t.is(nightly.exitCode, 0);
});

test('nightly: rows that cannot be bounded stay inconclusive (statistics decide there), on any machine', (t) => {
  const noisy = { resnet20: errors(0.5, 0.7), resnet56: errors(0.5, 0.7) };
  const c = compare(elsewhere(fakeResults(cifar10Depth, 'nightly', noisy, 'tensorflow')), cifar10Depth, base({ resnet20: errors(0.55, 0.69), resnet56: errors(0.55, 0.69) }, 'nightly', 'tensorflow'));
  t.false(c.rows.some((r) => r.verdict === 'not-bounded'));
  t.is(c.exitCode, 4);
});
