/**
 * The committed cifar10-depth nightly, as designed from the measured noise curve (README, "The
 * nightly, designed from measured noise"): ResNet-20 at 2,000 iterations, its test error and its
 * generalisation gap gated at 1 point. Seeds are fabricated at the noise measured on real CIFAR-10
 * (σ 0.77 points of test error, 0.35 of the gap, `long-runs/noise-2000*`), so these tests say what
 * the design can and cannot tell apart, whatever a later baseline holds.
 */
import test from 'ava';
import cifar10Depth from '../suites/cifar10-depth.js';
import { compare } from '../runners/compare/compare.js';
import { baselineFrom, type FakeRun, fakeResults } from './helpers/results.js';

const SEEDS = cifar10Depth.presets.nightly.seeds;
const TEST_SIGMA = 0.0077;
const GAP_SIGMA = 0.0035;

/** n seeds whose test error has sample σ `testSigma` around `test`, and whose gap (test − training error) has σ `gapSigma` around `gap`. */
function seeds(n: number, test: number, gap: number, testSigma = TEST_SIGMA, gapSigma = GAP_SIGMA): FakeRun[] {
  // Alternating ± a has sample σ exactly a·√(n/(n−1)) for even n; the gap alternates in pairs so the two are uncorrelated.
  const spread = (sigma: number) => sigma * Math.sqrt((n - 1) / n);
  return Array.from({ length: n }, (_, i) => {
    const testError = test + (i % 2 === 0 ? 1 : -1) * spread(testSigma);
    const g = gap + (Math.floor(i / 2) % 2 === 0 ? 1 : -1) * spread(gapSigma);
    return { testError, trainError: testError - g };
  });
}

const baseline = baselineFrom(cifar10Depth, fakeResults(cifar10Depth, 'nightly', { resnet20: seeds(SEEDS, 0.26, -0.004) }));
const rowsOf = (c: ReturnType<typeof compare>) => c.rows.map((r) => `${r.model} ${r.metric} ${r.verdict}: ${r.why}`).join('\n');
const row = (c: ReturnType<typeof compare>, metric: string) => c.rows.find((r) => r.metric === metric)!;

test('the nightly gates ResNet-20\'s test error and generalisation gap at 1 point; training error is reported', (t) => {
  const nightly = cifar10Depth.presets.nightly;
  t.deepEqual(nightly.models, ['resnet20']);
  t.deepEqual(nightly.gatedErrors, ['testError', 'generalizationGap']);
  t.is(nightly.tolerance.error, 0.01);
  const c = compare(fakeResults(cifar10Depth, 'nightly', { resnet20: seeds(SEEDS, 0.26, -0.004) }), cifar10Depth, baseline);
  t.is(row(c, 'trainError').verdict, 'not-gated');
});

test('clean seeds at the measured noise, off the baseline\'s machine: PASS (exit 0), each gated row bounding less than a point', (t) => {
  // Another sample of the same noise, a quarter of a point worse: no replay (the fabricated CPU is unknown), statistics decide.
  const c = compare(fakeResults(cifar10Depth, 'nightly', { resnet20: seeds(SEEDS, 0.2625, -0.003) }), cifar10Depth, baseline);
  t.is(c.exitCode, 0, rowsOf(c));
  for (const metric of ['testError', 'generalizationGap']) {
    const r = row(c, metric);
    t.is(r.verdict, 'pass', r.why);
    t.false(r.replay ?? false);
    t.true(r.test!.detectable <= 0.01, `${metric} detects ${r.test!.detectable}`);
  }
});

test('no augmentation, as measured at 2,000 iterations: test error 4 points *better*, the gap 4 points wider; the gap fails the nightly', (t) => {
  // Measured (long-runs/fault-2000-no-augmentation, seeds 5–6): test error 22.49 % and 22.94 %, gaps +4.01 and +3.84 points; the clean seeds: 26.46 % and 26.27 %, −0.26 and +0.04.
  const c = compare(fakeResults(cifar10Depth, 'nightly', { resnet20: seeds(SEEDS, 0.225, 0.04) }), cifar10Depth, baseline);
  t.is(row(c, 'testError').verdict, 'pass', 'test error alone would let it through');
  t.is(row(c, 'generalizationGap').verdict, 'regression', row(c, 'generalizationGap').why);
  t.is(c.exitCode, 1);
});

test('20 % label noise, as measured at 2,000 iterations: test error 6 points worse fails the nightly, whatever the (narrower) gap says', (t) => {
  // Measured (long-runs/fault-2000-label-noise-20, seeds 5–6): test error 33.21 % and 32.06 %, gaps −12.79 and −13.48 points.
  const c = compare(fakeResults(cifar10Depth, 'nightly', { resnet20: seeds(SEEDS, 0.3264, -0.1314) }), cifar10Depth, baseline);
  t.is(row(c, 'testError').verdict, 'regression', row(c, 'testError').why);
  t.not(row(c, 'generalizationGap').verdict, 'regression', 'a narrower gap is not harmful');
  t.is(c.exitCode, 1);
});

test('a 1.5-point regression of test error fails the nightly; one of half a point is within what it bounds (PASS)', (t) => {
  const worse = compare(fakeResults(cifar10Depth, 'nightly', { resnet20: seeds(SEEDS, 0.275, -0.004) }), cifar10Depth, baseline);
  t.is(row(worse, 'testError').verdict, 'regression', rowsOf(worse));
  t.is(worse.exitCode, 1);
  const slight = compare(fakeResults(cifar10Depth, 'nightly', { resnet20: seeds(SEEDS, 0.265, -0.004) }), cifar10Depth, baseline);
  t.not(row(slight, 'testError').verdict, 'regression', rowsOf(slight));
});

test('the gap is a difference, not a rate: a large one is a regression by the rule, never "at chance"', (t) => {
  const c = compare(fakeResults(cifar10Depth, 'nightly', { resnet20: seeds(SEEDS, 0.26, 0.2) }), cifar10Depth, baseline);
  t.is(row(c, 'generalizationGap').verdict, 'regression', row(c, 'generalizationGap').why);
  t.notRegex(row(c, 'generalizationGap').why, /chance/);
});
