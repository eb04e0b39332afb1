/** The calibration table: what each planted fault and clean rerun did to every gated row, against what could have seen it. */
import test from 'ava';
import type { CalibrationRow } from '../runners/compare/calibrate.js';
import { calibrationTable } from '../reports/calibration-table.js';

const row = (over: Partial<CalibrationRow>): CalibrationRow => ({
  name: 'no-augmentation',
  fault: 'no-augmentation',
  seeds: [1, 2],
  verdict: 'fail',
  caughtBy: ['resnet20 generalizationGap (regression)'],
  inconclusiveRows: 1,
  worstTestErrorShift: -0.0397,
  gatedShifts: [
    { model: 'resnet20', metric: 'testError', shift: -0.0397, detectable: 0.0251, designDetectable: 0.009, verdict: 'pass' },
    { model: 'resnet20', metric: 'generalizationGap', shift: 0.0427, detectable: 0.0114, designDetectable: 0.0041, verdict: 'regression' },
    { model: 'resnet20', metric: 'imagesPerSecond', shift: -12.5, detectable: Number.POSITIVE_INFINITY, designDetectable: undefined, verdict: 'inconclusive' },
  ],
  wallSeconds: 1800,
  ...over,
});

test('each gated row: its shift, what these seeds detect and what the preset\'s seeds would; errors in points', (t) => {
  const table = calibrationTable([row({})]);
  t.regex(table, /\| no-augmentation \| 1, 2 \| caught \| resnet20 generalizationGap \(regression\) \| 1 \| −4\.0 pts \|/);
  t.regex(table, /resnet20 testError −3\.97 pts \(2\.51 pts; 0\.90 pts\); resnet20 generalizationGap \+4\.27 pts \(1\.14 pts; 0\.41 pts\); resnet20 imagesPerSecond −12\.5 \(∞; –\)/);
});

test('the summary counts faults caught, faults that passed, and false alarms among clean reruns', (t) => {
  const table = calibrationTable([row({}), row({ name: 'lr-x0.3', fault: 'lr-x0.3', verdict: 'pass', caughtBy: [] }), row({ name: 'clean rerun 1', fault: null, verdict: 'fail' })]);
  t.regex(table, /\| lr-x0\.3 \| 1, 2 \| MISSED \(passed\) \|/);
  t.regex(table, /\| clean rerun 1 \| 1, 2 \| FALSE ALARM \|/);
  t.regex(table, /faults caught: 1 of 2; faults that passed: 1; false alarms: 1 of 1 clean reruns/);
});
