/**
 * The regression gate: a shift beyond seed-to-seed noise fails, noise
 * passes, missing data never passes, and claims are judged on evidence.
 */
import test from 'ava';
import cifar10Depth from '../suites/cifar10-depth.js';
import { compare, evaluateClaim } from '../runners/compare/compare.js';
import { classifyShift, ERROR_RULE, summarize, THROUGHPUT_RULE } from '../runners/compare/stats.js';
import { InputError } from '../runners/errors.js';
import { baselineFrom, type FakeRun, fakeResults } from './helpers/results.js';

const errors = (...xs: number[]): FakeRun[] => xs.map((testError) => ({ testError, trainError: testError - 0.05 }));

// Seed-to-seed noise of about ±0.3 points around 8 %.
const BASE = { resnet20: errors(0.081, 0.078, 0.083, 0.079, 0.080), resnet56: errors(0.071, 0.069, 0.073, 0.070, 0.072) };

test('the rule: a 2-point rise over 5 seeds is a regression; the same seeds reshuffled are not', (t) => {
  const base = summarize([0.081, 0.078, 0.083, 0.079, 0.08]);
  t.is(classifyShift(summarize([0.101, 0.099, 0.102, 0.1, 0.098]), base, 'higher', ERROR_RULE).shift, 'worse');
  t.is(classifyShift(summarize([0.079, 0.083, 0.08, 0.081, 0.078]), base, 'higher', ERROR_RULE).shift, 'same');
  t.is(classifyShift(summarize([0.061, 0.059, 0.062, 0.06, 0.058]), base, 'higher', ERROR_RULE).shift, 'better');
});

test('the rule: a shift inside the floor never counts, however tight the seeds', (t) => {
  const base = summarize([0.08, 0.08001, 0.07999]);
  t.is(classifyShift(summarize([0.084, 0.08401, 0.08399]), base, 'higher', ERROR_RULE).shift, 'same');
});

test('the rule: a large shift that noisy seeds cannot separate is not called a regression', (t) => {
  const base = summarize([0.05, 0.15]);
  t.is(classifyShift(summarize([0.07, 0.17]), base, 'higher', ERROR_RULE).shift, 'same');
});

test('the rule: with single seeds the floor decides, and with one noisy side 3σ does', (t) => {
  t.is(classifyShift(summarize([0.09]), summarize([0.08]), 'higher', ERROR_RULE).shift, 'worse');
  t.is(classifyShift(summarize([0.083]), summarize([0.08]), 'higher', ERROR_RULE).shift, 'same');
  t.is(classifyShift(summarize([0.09]), summarize([0.06, 0.1, 0.08]), 'higher', ERROR_RULE).shift, 'same', '3σ of the baseline covers it');
});

test('the rule: throughput regresses downwards, relative to the baseline', (t) => {
  const base = summarize([100, 102, 98]);
  t.is(classifyShift(summarize([80, 81, 79]), base, 'lower', THROUGHPUT_RULE).shift, 'worse');
  t.is(classifyShift(summarize([120, 121, 119]), base, 'lower', THROUGHPUT_RULE).shift, 'better');
  t.is(classifyShift(summarize([95, 97, 96]), base, 'lower', THROUGHPUT_RULE).shift, 'same');
});

test('compare: a planted regression in one model fails the gate with exit 1 and names it', (t) => {
  const baseline = baselineFrom(cifar10Depth, fakeResults(cifar10Depth, 'nightly', BASE));
  const ours = fakeResults(cifar10Depth, 'nightly', { ...BASE, resnet56: errors(0.101, 0.099, 0.103, 0.1, 0.102) });
  const c = compare(ours, cifar10Depth, baseline);
  t.is(c.exitCode, 1);
  t.is(c.verdict, 'fail');
  const bad = c.rows.filter((r) => r.verdict === 'regression');
  t.deepEqual(bad.map((r) => `${r.model} ${r.metric}`), ['resnet56 testError', 'resnet56 trainError']);
});

test('compare: new seeds of the same noise pass with exit 0', (t) => {
  const baseline = baselineFrom(cifar10Depth, fakeResults(cifar10Depth, 'nightly', BASE));
  const ours = fakeResults(cifar10Depth, 'nightly', { resnet20: errors(0.079, 0.082, 0.08, 0.078, 0.082), resnet56: errors(0.072, 0.07, 0.069, 0.071, 0.073) });
  const c = compare(ours, cifar10Depth, baseline);
  t.deepEqual(c.problems, []);
  t.is(c.exitCode, 0, c.rows.map((r) => `${r.model} ${r.metric} ${r.verdict} ${r.why}`).join('\n'));
});

test('compare: a diverged run fails the gate', (t) => {
  const baseline = baselineFrom(cifar10Depth, fakeResults(cifar10Depth, 'nightly', BASE));
  const ours = fakeResults(cifar10Depth, 'nightly', { ...BASE, resnet20: [{ testError: 0, status: 'diverged' }, ...BASE.resnet20.slice(1)] });
  const c = compare(ours, cifar10Depth, baseline);
  t.is(c.exitCode, 1);
  t.true(c.rows.some((r) => r.model === 'resnet20' && r.verdict === 'diverged'));
});

test('compare: missing seeds or no baseline never pass silently (exit 2, with the reason)', (t) => {
  const baseline = baselineFrom(cifar10Depth, fakeResults(cifar10Depth, 'nightly', BASE));
  const partial = fakeResults(cifar10Depth, 'nightly', BASE);
  const withoutOne = { ...partial, runs: partial.runs.filter((r) => r.unit.id !== 'resnet56-s3') };
  const c = compare(withoutOne, cifar10Depth, baseline);
  t.is(c.exitCode, 2);
  t.regex(c.problems.join(' '), /resnet56-s3/);
  const none = compare(partial, cifar10Depth, undefined);
  t.is(none.exitCode, 2);
  t.regex(none.problems.join(' '), /no recorded baseline for cifar10-depth\/nightly\/cpu/);
});

test('compare: a baseline from another backend or another suite version is refused', (t) => {
  const baseline = baselineFrom(cifar10Depth, fakeResults(cifar10Depth, 'nightly', BASE, 'tensorflow'));
  t.throws(() => compare(fakeResults(cifar10Depth, 'nightly', BASE, 'cpu'), cifar10Depth, baseline), { instanceOf: InputError, message: /recorded on backend tensorflow; these results ran on cpu/ });
  const old = { ...fakeResults(cifar10Depth, 'nightly', BASE), suite: { name: 'cifar10-depth', version: 0, kind: 'training' as const } };
  t.throws(() => compare(old, cifar10Depth, undefined), { instanceOf: InputError, message: /version 0/ });
});

test('compare: throughput is gated only at presets that gate it, and only against the same device', (t) => {
  const fast = { resnet20: BASE.resnet20.map((r) => ({ ...r, imagesPerSecond: 100 })), resnet56: BASE.resnet56.map((r) => ({ ...r, imagesPerSecond: 40 })) };
  const slow = { resnet20: BASE.resnet20.map((r, i) => ({ ...r, imagesPerSecond: 70 + i })), resnet56: BASE.resnet56.map((r) => ({ ...r, imagesPerSecond: 40 })) };
  const nightly = compare(fakeResults(cifar10Depth, 'nightly', slow), cifar10Depth, baselineFrom(cifar10Depth, fakeResults(cifar10Depth, 'nightly', fast)));
  t.is(nightly.rows.find((r) => r.model === 'resnet20' && r.metric === 'imagesPerSecond')!.verdict, 'regression');
  const otherCpu = baselineFrom(cifar10Depth, fakeResults(cifar10Depth, 'nightly', fast));
  const elsewhere = compare(fakeResults(cifar10Depth, 'nightly', slow), cifar10Depth, { ...otherCpu, data: { ...otherCpu.data, backend: { ...otherCpu.data.backend, cpuModel: 'another cpu' } } });
  t.is(elsewhere.rows.find((r) => r.model === 'resnet20' && r.metric === 'imagesPerSecond')!.verdict, 'not-comparable');
  const smoke = compare(fakeResults(cifar10Depth, 'smoke', slow), cifar10Depth, baselineFrom(cifar10Depth, fakeResults(cifar10Depth, 'smoke', fast)));
  t.is(smoke.rows.find((r) => r.model === 'resnet20' && r.metric === 'imagesPerSecond')!.verdict, 'not-comparable');
});

test('claims hold, fail or stay inconclusive on the evidence', (t) => {
  const claim = cifar10Depth.claims.find((c) => c.id === 'resnet-deeper-better')!;
  t.is(evaluateClaim(claim, [0.07, 0.071, 0.069], [0.08, 0.081, 0.079], true).verdict, 'holds');
  t.is(evaluateClaim(claim, [0.08, 0.081, 0.079], [0.07, 0.071, 0.069], true).verdict, 'fails');
  t.is(evaluateClaim(claim, [0.07, 0.09], [0.08, 0.075], true).verdict, 'inconclusive');
});

test('a claim gates only at the presets whose budget can show it', (t) => {
  // After a nightly's few hundred iterations, deeper ResNets are not yet better (a full-schedule claim): reported only.
  const early = { resnet20: errors(0.47, 0.48, 0.46), resnet56: errors(0.66, 0.67, 0.65) };
  const nightly = compare(fakeResults(cifar10Depth, 'nightly', early), cifar10Depth, baselineFrom(cifar10Depth, fakeResults(cifar10Depth, 'nightly', early)));
  const deeper = nightly.claims.find((c) => c.id === 'resnet-deeper-better')!;
  t.is(deeper.verdict, 'fails');
  t.false(deeper.gated);
  t.is(nightly.exitCode, 0);
  // Degradation shows early: plain-56 below plain-20 at nightly fails the job.
  const noDegradation = { plain20: errors(0.6, 0.61, 0.59), plain56: errors(0.5, 0.51, 0.49) };
  const gated = compare(fakeResults(cifar10Depth, 'nightly', noDegradation), cifar10Depth, baselineFrom(cifar10Depth, fakeResults(cifar10Depth, 'nightly', noDegradation)));
  t.true(gated.claims.find((c) => c.id === 'plain-degrades-test')!.gated);
  t.is(gated.exitCode, 1);
  // Smoke gates no claim.
  const smoke = compare(fakeResults(cifar10Depth, 'smoke', noDegradation), cifar10Depth, baselineFrom(cifar10Depth, fakeResults(cifar10Depth, 'smoke', noDegradation)));
  t.true(smoke.claims.every((c) => !c.gated));
  t.is(smoke.exitCode, 0);
});
