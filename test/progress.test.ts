/** Progress a person can follow in a terminal and in CI logs: the first step at once, elapsed time and ETA, a suite's ETA weighted by cost. */
import test from 'ava';
import { formatDuration } from '../reports/reporter.js';
import { etaSeconds, progressLines } from '../runners/commands/progress.js';
import { SuiteProgressTracker } from '../runners/suite/progress.js';
import type { RunUnit } from '../runners/suite/units.js';

const unit = (id: string): RunUnit => ({ id, model: id, paperModel: id, seed: 1 });

test('durations read as a person writes them, and unknown ones as a dash, never NaN or "LL"', (t) => {
  t.is(formatDuration(7.4), '7s');
  t.is(formatDuration(187), '3m 07s');
  t.is(formatDuration(3725), '1h 02m');
  for (const unknown of [undefined, Number.NaN, Number.POSITIVE_INFINITY, -1]) t.is(formatDuration(unknown), '–');
});

test('the ETA extrapolates the pace of this process; a resumed run does not count steps it did not take', (t) => {
  t.is(etaSeconds({ iteration: 100, iterations: 600, startIteration: 0, elapsedSeconds: 50 }), 250);
  t.is(etaSeconds({ iteration: 350, iterations: 600, startIteration: 300, elapsedSeconds: 25 }), 125);
  t.is(etaSeconds({ iteration: 300, iterations: 600, startIteration: 300, elapsedSeconds: 0 }), undefined);
});

test('CI lines say the first step at once, then loss, errors, elapsed time and ETA, with the suite\'s when given', (t) => {
  const first = progressLines('resnet20-s1', { iteration: 1, iterations: 600, startIteration: 0, elapsedSeconds: 1 });
  t.regex(first, /^resnet20-s1 it 1\/600 first step done · 1s elapsed, ETA 9m 59s\n$/);
  const point = { iteration: 25, trainError: 0.8, loss: 2.1, learningRate: 0.1, imagesPerSecond: 190 } as never;
  const line = progressLines('resnet20-s1', { iteration: 25, iterations: 600, startIteration: 0, elapsedSeconds: 17, point }, { fraction: 0.52, elapsedSeconds: 1900, etaSeconds: 1750 });
  t.regex(line, /it 25\/600 loss 2\.1000 train-err 80\.00% lr 0\.1 190\.0 img\/s · 17s elapsed, ETA 6m 31s · suite 52%, 31m 40s elapsed, ETA 29m 10s/);
});

test('a suite\'s progress weighs units by cost, and reused runs (no time spent) do not speed up its ETA', (t) => {
  const tracker = new SuiteProgressTracker(new Map([['reused', 1], ['cheap', 1], ['dear', 2]]));
  tracker.finish(unit('reused')); // completed earlier: no events, no time
  const p = tracker.update(unit('cheap'), { iteration: 50, iterations: 100, startIteration: 0, elapsedSeconds: 1 });
  t.is(p.fraction, 1.5 / 4);
  // Half of a cost-1 unit trained in p.elapsedSeconds: 2.5 cost units left take five times as long.
  t.true(Math.abs(p.etaSeconds! - 5 * p.elapsedSeconds) < 1e-6 * Math.max(1, p.elapsedSeconds));
});

test('runs completed earlier count as done from the first step, wherever they stand in the order', (t) => {
  // Resuming a suite whose seeds 1 and 3 are complete: seed 2 is the only work left.
  const tracker = new SuiteProgressTracker(new Map([['s1', 1], ['s2', 1], ['s3', 1]]));
  tracker.finish(unit('s1'));
  tracker.finish(unit('s3'));
  const p = tracker.update(unit('s2'), { iteration: 50, iterations: 100, startIteration: 0, elapsedSeconds: 1 });
  t.is(p.fraction, 2.5 / 3);
  t.true(Math.abs(p.etaSeconds! - p.elapsedSeconds) < 1e-6 * Math.max(1, p.elapsedSeconds), 'half a unit left at the pace of half a unit');
  tracker.finish(unit('s3')); // reached in the loop: already counted
  t.is(tracker.update(unit('s2'), { iteration: 60, iterations: 100, startIteration: 0, elapsedSeconds: 1 }).fraction, 2.6 / 3);
});
