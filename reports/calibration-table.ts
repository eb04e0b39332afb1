/** The calibration (`resnet-repro calibrate`) as a Markdown table, for the README and CI summaries. */
import type { CalibrationRow } from '../runners/compare/calibrate.js';
import { formatShift } from './reporter.js';

export function calibrationTable(rows: readonly CalibrationRow[]): string {
  const lines = [
    '| run | seeds | verdict | caught by | inconclusive rows | worst test-error shift | gated rows: shift (detectable with these seeds; with the preset\'s) | training time |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const outcome = r.fault ? (r.verdict === 'fail' ? 'caught' : r.verdict === 'pass' ? 'MISSED (passed)' : `not caught (${r.verdict})`) : r.verdict === 'fail' ? 'FALSE ALARM' : r.verdict;
    const shift = r.worstTestErrorShift === undefined ? '–' : `${r.worstTestErrorShift >= 0 ? '+' : '−'}${(Math.abs(r.worstTestErrorShift) * 100).toFixed(1)} pts`;
    const gated = r.gatedShifts.map((g) => `${g.model} ${g.metric} ${g.shift >= 0 ? '+' : '−'}${formatShift(g.metric, Math.abs(g.shift))} (${formatShift(g.metric, g.detectable)}; ${formatShift(g.metric, g.designDetectable)})`).join('; ');
    lines.push(`| ${r.name} | ${r.seeds.join(', ')} | ${outcome} | ${r.caughtBy.join('; ') || '–'} | ${r.inconclusiveRows} | ${shift} | ${gated || '–'} | ${r.wallSeconds.toFixed(0)} s |`);
  }
  const clean = rows.filter((r) => !r.fault);
  const faults = rows.filter((r) => r.fault);
  lines.push(
    '',
    `faults caught: ${faults.filter((r) => r.verdict === 'fail').length} of ${faults.length}; faults that passed: ${faults.filter((r) => r.verdict === 'pass').length}; ` +
      `false alarms: ${clean.filter((r) => r.verdict === 'fail').length} of ${clean.length} clean reruns`,
  );
  return `${lines.join('\n')}\n`;
}
