/**
 * The committed nightly of cifar10-depth, held to what issue 21 asks of it against its own recorded
 * baseline: every gated error row detects 1 point, and a shard fits an hour on the baseline's machine.
 * A redesign of the preset, or a re-recorded baseline, that loses either (or no longer fits the preset) fails here.
 */
import test from 'ava';
import cifar10Depth from '../suites/cifar10-depth.js';
import { isErrorMetric } from '../suites/define.js';
import { planPreset } from '../runners/compare/plan.js';
import { defaultBaselinePath, readBaseline } from '../runners/records/baseline.js';

test('the committed nightly detects 1 point of every gated error row, in shards of at most an hour', (t) => {
  const baseline = readBaseline(defaultBaselinePath('cifar10-depth', 'nightly', 'tensorflow'));
  if (!baseline) return t.fail('no committed nightly baseline');
  const plan = planPreset(cifar10Depth, 'nightly', baseline);
  const errors = plan.rows.filter((r) => isErrorMetric(r.metric));
  t.true(errors.length >= 2);
  for (const row of errors) t.true(row.detectable <= 0.01, `${row.model} ${row.metric}: detectable ${row.detectable}`);
  t.true(plan.wallSecondsPerShard !== null && plan.wallSecondsPerShard <= 3600, `longest shard ${plan.wallSecondsPerShard} s`);
  t.is(plan.recipeDiffers, null, `the baseline was recorded with another recipe: ${plan.recipeDiffers}`);
  t.truthy(baseline.dataDigest, 'the baseline names the copy of CIFAR-10 it was trained on');
});
