/** JUnit XML: one test case per model × metric and per claim, as CI systems display them. */
import { create } from 'xmlbuilder2';
import type { Comparison } from '../runners/compare/compare.js';
import { FAILING, formatConformance, formatConformanceFailure, formatDelta, formatDetectable, formatLearnability, formatSummary, type Reporter } from './reporter.js';

export const junitReporter: Reporter = {
  name: 'junit',
  render(c: Comparison): string {
    const conformance = c.conformance;
    const cases = [
      // One case per model checked (and the run's pipeline): a failure names the check and tensor.
      ...(conformance?.report
        ? [...new Set(['the run', ...conformance.report.models.map((m) => m.model)])].map((model) => {
            const failures = conformance.failures.filter((f) => f.model === model);
            return {
              name: `conformance ${model}`,
              failed: failures.length > 0,
              error: false,
              skipped: false,
              message: failures.length > 0 ? failures.map(formatConformanceFailure).join('; ') : `within tolerance: ${formatConformance(conformance)}`,
            };
          })
        : conformance
          ? [{ name: 'conformance', failed: false, error: false, skipped: true, message: formatConformance(conformance) }]
          : []),
      ...c.learnability.map((l) => ({ name: `learns ${l.model}`, failed: l.judged && !l.learned, error: false, skipped: !l.judged, message: formatLearnability(l) })),
      ...c.rows.map((r) => ({
        name: `${r.model} ${r.metric}`,
        failed: FAILING.has(r.verdict),
        // The data could not decide: not a regression, but not a pass either.
        error: r.verdict === 'inconclusive',
        skipped: r.verdict === 'not-gated' || r.verdict === 'not-bounded',
        message: `${r.verdict}: ours ${formatSummary(r.metric, r.ours)}, baseline ${formatSummary(r.metric, r.baseline)}${r.delta !== undefined ? `, Δ ${formatDelta(r.metric, r.delta)}` : ''}, detectable ${formatDetectable(r)}. ${r.why}`,
      })),
      ...c.claims.map((claim) => ({
        name: `claim ${claim.id}`,
        failed: claim.gated && claim.verdict === 'fails',
        error: false,
        skipped: claim.verdict === 'inconclusive' || !claim.gated,
        message: `${claim.verdict}: ${claim.text}. ${claim.why}`,
      })),
      ...c.problems.map((p, i) => ({ name: `input ${i + 1}`, failed: true, error: false, skipped: false, message: p })),
    ];
    const root = create({ version: '1.0', encoding: 'UTF-8' }).ele('testsuites', { name: 'resnet-repro' });
    const suite = root.ele('testsuite', {
      name: `${c.suite.name}.${c.preset}.${c.backend.name}`,
      tests: cases.length,
      failures: cases.filter((k) => k.failed).length,
      skipped: cases.filter((k) => k.skipped && !k.failed && !k.error).length,
      errors: cases.filter((k) => k.error).length,
    });
    for (const k of cases) {
      const tc = suite.ele('testcase', { classname: `${c.suite.name}.${c.preset}`, name: k.name });
      if (k.failed) tc.ele('failure', { message: k.message }).txt(k.message);
      else if (k.error) tc.ele('error', { message: k.message, type: 'inconclusive' }).txt(k.message);
      else if (k.skipped) tc.ele('skipped', { message: k.message });
      else tc.ele('system-out').txt(k.message);
    }
    return root.end({ prettyPrint: true });
  },
};
