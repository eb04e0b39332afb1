/** A Markdown summary for $GITHUB_STEP_SUMMARY and pull-request comments. */
import type { Comparison } from '../runners/compare/compare.js';
import { formatConformance, formatConformanceFailure, formatDelta, formatDetectable, formatLearnability, formatPaper, formatPolicy, formatSummary, type Reporter, verdictLabel } from './reporter.js';

/** Table cells come from results (model names, messages): keep them from breaking the table or injecting markup. */
function cell(text: string): string {
  return text.replace(/[\\`*_[\]<>|]/g, (ch) => `\\${ch}`).replace(/\n/g, ' ');
}

const ICON: Record<string, string> = { pass: '✅', regression: '❌', broken: '❌', diverged: '❌', fail: '❌', incomplete: '⚠️', inconclusive: '⚠️', 'not-bounded': '⚪', 'not-gated': '⚪', holds: '✅', fails: '❌' };

export const markdownReporter: Reporter = {
  name: 'markdown',
  render(c: Comparison): string {
    const out = [`### ${ICON[c.verdict]} ${cell(c.suite.name)} — ${c.verdict.toUpperCase()}`, ''];
    if (c.fault) out.push(`> Calibration run with the planted fault \`${cell(c.fault)}\`: not a measurement of the code as it is.`, '');
    out.push(`${cell(c.suite.title)} (${cell(c.suite.paper)}). Preset \`${cell(c.preset)}\`, backend \`${cell(c.backend.name)}\` on ${cell(c.backend.cpuModel)}.`, '');
    const policy = formatPolicy(c);
    if (policy) out.push(`${cell(policy)}.`, '');
    if (c.conformance) {
      out.push(`**Conformance** ${ICON[c.conformance.status] ?? '⚠️'} ${cell(formatConformance(c.conformance))}`, '');
      for (const f of c.conformance.failures) out.push(`- ❌ ${cell(formatConformanceFailure(f))}`);
      if (c.conformance.failures.length > 0) out.push('');
    }
    if (c.learnability.length > 0) {
      for (const l of c.learnability) out.push(`- ${!l.judged ? '⚪' : l.learned ? '✅' : '❌'} ${cell(formatLearnability(l))}`);
      out.push('');
    }
    out.push('| model | metric | ours | baseline | paper | Δ | detectable | verdict |', '|---|---|---|---|---|---|---|---|');
    for (const r of c.rows) {
      out.push(
        `| ${cell(r.model)} | ${r.metric} | ${cell(formatSummary(r.metric, r.ours))} | ${cell(formatSummary(r.metric, r.baseline))} | ${cell(formatPaper(r.metric, r.paper))} | ${cell(formatDelta(r.metric, r.delta))} | ${cell(formatDetectable(r))} | ${ICON[r.verdict] ?? ''} ${verdictLabel(r)} |`,
      );
    }
    if (c.claims.length > 0) {
      out.push('', '| claim | verdict | evidence |', '|---|---|---|');
      for (const claim of c.claims) out.push(`| ${cell(claim.text)}${claim.gated ? '' : ' *(not gated)*'} | ${ICON[claim.verdict]} ${claim.verdict} | ${cell(claim.why)} |`);
    }
    for (const p of c.problems) out.push('', `> ⚠️ ${cell(p)}`);
    return `${out.join('\n')}\n`;
  },
};

