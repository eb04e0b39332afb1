/** The comparison as a fixed-width table for terminals and CI logs. */
import type { Comparison } from '../runners/compare/compare.js';
import { formatDelta, formatPaper, formatSummary, type Reporter } from './reporter.js';

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  return [header, ...rows].map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

export const consoleReporter: Reporter = {
  name: 'console',
  render(c: Comparison): string {
    const lines = [`${c.suite.name} v${c.suite.version} (${c.suite.paper}), preset ${c.preset}, backend ${c.backend.name}`];
    lines.push(c.baseline ? `baseline: ${c.baseline.path} (recorded ${c.baseline.recordedAt})` : 'baseline: none');
    lines.push(
      table(
        ['model', 'metric', 'ours', 'baseline', 'paper', 'Δ', 'verdict'],
        c.rows.map((r) => [r.model, r.metric, formatSummary(r.metric, r.ours), formatSummary(r.metric, r.baseline), formatPaper(r.metric, r.paper), formatDelta(r.metric, r.delta), r.verdict]),
      ),
    );
    if (c.claims.length > 0) {
      lines.push('claims:');
      for (const claim of c.claims) lines.push(`  ${claim.verdict.padEnd(12)} ${claim.text}${claim.gated ? '' : ' (reported, not gated at this preset)'} — ${claim.why}`);
    }
    for (const p of c.problems) lines.push(`problem: ${p}`);
    const regressions = c.rows.filter((r) => r.verdict === 'regression' || r.verdict === 'diverged' || r.verdict === 'fail');
    for (const r of regressions) lines.push(`${r.verdict}: ${r.model} ${r.metric}: ${r.why}`);
    lines.push(`verdict: ${c.verdict.toUpperCase()} (exit ${c.exitCode})`);
    return `${lines.join('\n')}\n`;
  },
};
