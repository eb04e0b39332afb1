/** Reporters render one comparison: JUnit for CI systems, Markdown for summaries, text for logs. */
import test from 'ava';
import { convert } from 'xmlbuilder2';
import { PINNED_CIFAR10_DEPTH as cifar10Depth } from './helpers/suites.js';
import { compare } from '../runners/compare/compare.js';
import { consoleReporter } from '../reports/console.js';
import { junitReporter } from '../reports/junit.js';
import { markdownReporter } from '../reports/markdown.js';
import { baselineFrom, fakeResults } from './helpers/results.js';

const base = { resnet20: [{ testError: 0.08 }, { testError: 0.081 }, { testError: 0.079 }], resnet56: [{ testError: 0.07 }, { testError: 0.071 }, { testError: 0.069 }] };
const worse = { resnet20: [{ testError: 0.08 }, { testError: 0.081 }, { testError: 0.0795 }], resnet56: [{ testError: 0.1 }, { testError: 0.101 }, { testError: 0.099 }] };
const comparison = compare(fakeResults(cifar10Depth, 'nightly', worse), cifar10Depth, baselineFrom(cifar10Depth, fakeResults(cifar10Depth, 'nightly', base)));

test('JUnit XML: one case per model × metric and claim, failures for regressions, errors for inconclusive rows, the detectable effect in each message', (t) => {
  const xml = junitReporter.render(comparison);
  const doc = convert(xml, { format: 'object' }) as { testsuites: { testsuite: { '@tests': string; '@failures': string; testcase: { '@name': string; failure?: unknown; skipped?: unknown }[] } } };
  const suite = doc.testsuites.testsuite;
  // Conformance: one case per model and one for the run's pipeline; then rows and claims.
  t.is(Number(suite['@tests']), comparison.conformance!.models + 1 + comparison.learnability.length + comparison.rows.length + comparison.claims.length);
  t.truthy(suite.testcase.find((c) => c['@name'] === 'conformance resnet20'));
  const failed = suite.testcase.filter((c) => c.failure !== undefined).map((c) => c['@name']);
  t.true(failed.includes('resnet56 testError'));
  // A full-schedule claim that fails at nightly is reported as skipped, not failed.
  t.false(failed.includes('claim resnet-deeper-better'));
  t.truthy(suite.testcase.find((c) => c['@name'] === 'claim resnet-deeper-better')?.skipped);
  t.is(Number(suite['@failures']), failed.length);
  t.regex(xml, /detectable \d+\.\d\d pts \(tol\. 2\.00\)/);
  const noisy = compare(fakeResults(cifar10Depth, 'nightly', { resnet20: [{ testError: 0.5 }, { testError: 0.7 }] }), cifar10Depth, baselineFrom(cifar10Depth, fakeResults(cifar10Depth, 'nightly', { resnet20: [{ testError: 0.55 }, { testError: 0.69 }] })));
  const inconclusive = convert(junitReporter.render(noisy), { format: 'object' }) as { testsuites: { testsuite: { '@errors': string; testcase: { '@name': string; error?: unknown }[] } } };
  t.is(noisy.exitCode, 4);
  t.true(Number(inconclusive.testsuites.testsuite['@errors']) >= 1);
  t.truthy(inconclusive.testsuites.testsuite.testcase.find((c) => c['@name'] === 'resnet20 testError')?.error);
});

test('Markdown: a verdict heading and tables; text from results cannot inject markup', (t) => {
  const md = markdownReporter.render(comparison);
  t.regex(md, /^### ❌ cifar10-depth — FAIL/);
  t.regex(md, /\| resnet56 \| testError \| 10\.00% ± 0\.10 \(n=3\) \| 7\.00% ± 0\.10 \(n=3\) \| 6\.97% \(T6\) \| \+3\.00% \| \d\.\d\d pts \(tol\. 2\.00\) \| ❌ regression \|/);
  t.regex(md, /PASS needs the harmful shift bounded below the tolerance \(errors 2\.0 pts/);
  const hostile = { ...comparison, rows: [{ ...comparison.rows[0]!, model: '<script>alert(1)</script>|x' }] };
  const out = markdownReporter.render(hostile);
  t.false(out.includes('<script>'));
  t.true(out.includes('\\<script\\>alert(1)\\</script\\>\\|x'));
});

test('console: the table, the claims and the exit code people read in CI logs', (t) => {
  const text = consoleReporter.render(comparison);
  t.regex(text, /resnet56\s+testError\s+10\.00% ± 0\.10 \(n=3\)/);
  // One notation: shifts, bounds and detectable effects of errors in points.
  t.regex(text, /regression: resnet56 testError: harmful shift 3\.00 pts, [\d.]+ % bounds \[\d\.\d\d pts, \d\.\d\d pts\], detectable \d\.\d\d pts, tolerance 2\.00 pts: significantly worse/);
  t.notRegex(text, /0\.0300|0\.0200/);
  t.regex(text, /model\s+metric\s+ours\s+baseline\s+paper\s+Δ\s+detectable\s+verdict/);
  t.regex(text, /verdict: FAIL \(exit 1\)/);
});
