/** The comparison as a fixed-width table for terminals and CI logs. */
import type { Comparison } from '../runners/compare/compare.js';
import { textTable as table } from './text-table.js';
import { FAILING, formatConformance, formatConformanceFailure, formatDelta, formatDetectable, formatLearnability, formatPaper, formatPolicy, formatSummary, type Reporter, verdictLabel } from './reporter.js';


export const consoleReporter: Reporter = {
  name: 'console',
  render(c: Comparison): string {
    const lines = [`${c.suite.name} v${c.suite.version} (${c.suite.paper}), preset ${c.preset}, backend ${c.backend.name}`];
    if (c.fault) lines.push(`CALIBRATION RUN with planted fault "${c.fault}": not a measurement of the code as it is`);
    lines.push(c.baseline ? `baseline: ${c.baseline.path} (recorded ${c.baseline.recordedAt})` : 'baseline: none');
    const policy = formatPolicy(c);
    if (policy) lines.push(policy);
    if (c.conformance) {
      lines.push(`conformance: ${formatConformance(c.conformance)}`);
      for (const f of c.conformance.failures) lines.push(`  ${formatConformanceFailure(f)}`);
    }
    for (const l of c.learnability) lines.push(`learnability: ${formatLearnability(l)}`);
    lines.push(
      table(
        ['model', 'metric', 'ours', 'baseline', 'paper', 'Δ', 'detectable', 'verdict'],
        c.rows.map((r) => [r.model, r.metric, formatSummary(r.metric, r.ours), formatSummary(r.metric, r.baseline), formatPaper(r.metric, r.paper), formatDelta(r.metric, r.delta), formatDetectable(r), verdictLabel(r)]),
      ),
    );
    if (c.claims.length > 0) {
      lines.push('claims:');
      for (const claim of c.claims) lines.push(`  ${claim.verdict.padEnd(12)} ${claim.text}${claim.gated ? '' : ' (reported, not gated at this preset)'} — ${claim.why}`);
    }
    for (const p of c.problems) lines.push(`problem: ${p}`);
    for (const r of c.rows.filter((row) => FAILING.has(row.verdict) || row.verdict === 'inconclusive' || row.verdict === 'not-bounded')) lines.push(`${r.verdict}: ${r.model} ${r.metric}: ${r.why}`);
    // Every row that is not gated says why; rows with the same reason share a line.
    const notGated = new Map<string, string[]>();
    for (const r of c.rows.filter((row) => row.verdict === 'not-gated')) notGated.set(`${r.metric}: ${r.why}`, [...(notGated.get(`${r.metric}: ${r.why}`) ?? []), r.model]);
    for (const [reason, models] of notGated) lines.push(`not-gated: ${models.join(', ')} ${reason}`);
    const replayed = c.rows.filter((r) => r.replay).length;
    if (replayed > 0) lines.push(`replay: ${replayed} row(s) identical to the baseline seed for seed (same backend, versions and machine)`);
    lines.push(`verdict: ${c.verdict.toUpperCase()} (exit ${c.exitCode})`);
    return `${lines.join('\n')}\n`;
  },
};
