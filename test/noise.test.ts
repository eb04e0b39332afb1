/** The noise curve: each length's seed-to-seed spread, a censored time-to-target, and what gating at that length costs. */
import test from 'ava';
import { PINNED_CIFAR10_DEPTH as cifar10Depth } from './helpers/suites.js';
import { firstBelow, noisePoints } from '../runners/compare/noise.js';
import { seedsToDetect } from '../runners/compare/plan.js';
import { GATE_ALPHA } from '../runners/compare/compare.js';
import { fakeResults } from './helpers/results.js';

function threeSeeds() {
  // Training errors 1, 2 and 4 points below the test errors: gaps of 1, 2 and 4 points.
  const results = fakeResults(cifar10Depth, 'nightly', { resnet20: [{ testError: 0.4, trainError: 0.39 }, { testError: 0.43, trainError: 0.41 }, { testError: 0.41, trainError: 0.37 }] });
  // Evaluations every 200 iterations: seeds 1 and 3 fall below 50 % at 400 and 200; seed 2 never does.
  const curves = [[0.7, 0.45, 0.4], [0.8, 0.6, 0.55], [0.48, 0.42, 0.41]];
  results.runs.forEach((run, i) => {
    run.record.curves.test = curves[i]!.map((testError, k) => ({ iteration: 200 * (k + 1), testError, loss: 1 }));
    run.record.wallSeconds = 100 + 10 * i;
  });
  return results;
}

test('a noise point: the spread of final errors and wall time, and the time to a target over the runs that reached it', (t) => {
  const [point] = noisePoints([threeSeeds()], 0.5);
  t.is(point!.iterations, 600);
  t.deepEqual(point!.seeds, [1, 2, 3]);
  t.true(Math.abs(point!.testError.std - 0.015275252316519456) < 1e-12);
  t.true(Math.abs(point!.generalizationGap.mean - 0.07 / 3) < 1e-12 && Math.abs(point!.generalizationGap.std - 0.015275252316519456) < 1e-12, 'the gap: test error minus the last phase\'s training error');
  t.is(point!.wallSeconds.mean, 110);
  t.is(point!.fastestSeconds, 100, 'a length is costed at its least disturbed run');
  t.like(point!.timeToTarget, { target: 0.5, reached: 2, runs: 3 });
  t.is(point!.timeToTarget.iterations!.mean, 300, 'seeds 1 and 3 reach it at 400 and 200; seed 2 is censored, not averaged in');
  t.is(firstBelow(threeSeeds().runs[1]!, 0.5), undefined);
});

test('the seeds a length needs to detect a point are the gate\'s own rule (hand-computed: scripts/gate_margins.py)', (t) => {
  t.is(seedsToDetect(0.015275252316519456, 0.01, GATE_ALPHA), 30);
});

test('result sets of one recipe pool into one point (a seed found twice counts once); another length is another point', (t) => {
  const first = threeSeeds();
  const more = threeSeeds();
  more.runs.forEach((run) => (run.unit = { ...run.unit, seed: run.unit.seed + 3, id: `${run.unit.model}-s${run.unit.seed + 3}` }));
  const longer = threeSeeds();
  longer.settings = { ...longer.settings, iterations: 2000 } as typeof longer.settings;
  longer.runs.forEach((run) => (run.record.config = { ...run.record.config, iterations: 2000 }));
  const points = noisePoints([first, more, first, longer], 0.5);
  t.deepEqual(points.map((p) => [p.iterations, p.seeds]), [[600, [1, 2, 3, 4, 5, 6]], [2000, [1, 2, 3]]]);
});
