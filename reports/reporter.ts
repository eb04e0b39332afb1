/** Renderers of a comparison: each is a plug-in of this one interface (as Playwright's reporters). */
import { isErrorMetric } from '../suites/define.js';
import { type Comparison, type ComparisonRow, type ConformanceSummary, LEARNED_ALPHA, type Learnability } from '../runners/compare/compare.js';

export interface Reporter {
  readonly name: string;
  render(comparison: Comparison): string;
}

/** Facts counted from the built graph: exact, so never shown with a spread or a sample size. */
export const EXACT_METRICS = new Set(['layers', 'trainableParams', 'multiplyAdds']);

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';

/** 1.81×10⁹: how the paper prints FLOPs. */
export function formatScientific(value: number, digits = 3): string {
  if (value === 0) return '0';
  const exponent = Math.floor(Math.log10(Math.abs(value)));
  const mantissa = (value / 10 ** exponent).toPrecision(digits);
  const power = String(exponent).replace(/-/, '⁻').replace(/\d/g, (d) => SUPERSCRIPT[Number(d)]!);
  return `${mantissa}×10${power}`;
}

/** The one cell formatter: errors as percentages, parameter and layer counts exact, multiply-adds as the paper prints them, rates as numbers. */
export function formatValue(metric: string, value: number | undefined): string {
  if (value === undefined) return '–';
  if (isErrorMetric(metric)) return `${(value * 100).toFixed(2)}%`;
  if (metric === 'imagesPerSecond') return value.toFixed(1);
  if (metric === 'meanResponseStd') return value.toFixed(3);
  if (metric === 'multiplyAdds') return formatScientific(value);
  if (metric === 'layers') return String(value); // a depth is a name too: "ResNet-1202"
  if (metric === 'iterations') return Math.round(value).toLocaleString('en-US'); // resolved to the evaluation interval anyway

  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return Math.abs(value) >= 1e6 ? formatScientific(value) : String(Number(value.toPrecision(4)));
}

/** "1h 02m", "3m 07s", "12s": a duration (wall times, progress); "–" when unknown. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function formatSummary(metric: string, s: { mean: number; std: number; n: number } | undefined): string {
  if (!s) return '–';
  if (EXACT_METRICS.has(metric)) return formatValue(metric, s.mean);
  return s.n > 1 ? `${formatValue(metric, s.mean)} ± ${formatValue(metric, s.std).replace('%', '')} (n=${s.n})` : `${formatValue(metric, s.mean)} (one seed)`;
}

export function formatDelta(metric: string, delta: number | undefined): string {
  if (delta === undefined) return '';
  const text = formatValue(metric, Math.abs(delta));
  return `${delta >= 0 ? '+' : '−'}${text}`;
}

/** A shift's size in the metric's unit: errors in percentage points, rates as numbers; ∞ where the data bound nothing. */
export function formatShift(metric: string, value: number | undefined): string {
  if (value === undefined) return '–';
  if (!Number.isFinite(value)) return '∞';
  if (isErrorMetric(metric)) return `${(value * 100).toFixed(2)} pts`;
  return formatValue(metric, value);
}

/** The smallest regression the row's comparison could detect, against its tolerance: "1.20 pts (tol. 2.00)". */
export function formatDetectable(row: ComparisonRow): string {
  if (!row.test) return '–';
  return `${formatShift(row.metric, row.test.detectable)} (tol. ${formatShift(row.metric, row.test.tolerance).replace(' pts', '')})`;
}

/** The gate's policy in one line: what PASS means for these rows. */
export function formatPolicy(c: Comparison): string | undefined {
  if (!c.policy) return undefined;
  const t = c.policy.tolerance;
  return (
    `gate: PASS needs the harmful shift bounded below the tolerance (errors ${(t.error * 100).toFixed(1)} pts, throughput ${(t.throughput * 100).toFixed(0)} %, responses ${(t.response * 100).toFixed(0)} %) ` +
    `and a regression of that size detectable with power ${c.policy.power}; family-wise α ${c.policy.alpha} (${c.policy.rowAlpha.toPrecision(2)} per row)`
  );
}

/** A row's verdict as printed: a pass by replay says so. */
export function verdictLabel(row: ComparisonRow): string {
  return row.replay ? `${row.verdict} (replay)` : row.verdict;
}

/** Verdicts that fail a job, and those that keep it from passing. */
export const FAILING = new Set(['regression', 'broken', 'diverged', 'fail']);

/** The paper's number as printed, with its unit where the print leaves it implicit (Table 6 prints errors in %). */
export function formatPaper(metric: string, paper: { printed: string; table: string } | undefined): string {
  if (!paper) return '';
  return `${paper.printed}${isErrorMetric(metric) && !paper.printed.includes('%') ? '%' : ''} (T${paper.table})`;
}

/** A measured difference as printed: "9.70e-1"; null (NaN or ∞ when measured) as "not finite". */
export const formatMeasured = (value: number | null): string => (value === null ? 'not finite' : value === 0 ? '0' : value.toExponential(2));

/** What the conformance tier found, in one line: "pass: 1,234 tensors within tolerance against torch 2.13.0+cpu, float64 (4 models, 2.6 s)". */
export function formatConformance(c: ConformanceSummary): string {
  if (c.status === 'missing') return 'not checked: these results predate the conformance tier';
  if (c.status === 'skipped') return 'skipped (--no-conformance)';
  const against = c.references.length > 0 ? `against ${c.references.join('; ')} fixtures` : 'against the optimiser and pipeline fixtures only';
  const scope = `${c.tensors.toLocaleString('en-US')} tensors ${against} (${c.models} model${c.models === 1 ? '' : 's'}, ${c.seconds.toFixed(1)} s)`;
  const unchecked = c.withoutFixture.length > 0 ? `; no fixture for ${c.withoutFixture.map((m) => m.model).join(', ')} (only initialisation, optimiser and pipeline checked)` : '';
  if (c.status === 'pass') return `pass: ${scope}, every one within tolerance${unchecked}`;
  return `FAIL: ${c.failures.length} check${c.failures.length === 1 ? '' : 's'} out of tolerance among ${scope}${unchecked}`;
}

/** One failed conformance check: "resnet20 logits-evaluation: logits 9.70e-1 (tolerance 1.00e-5; 1 of 1 out)". */
export function formatConformanceFailure(f: ConformanceSummary['failures'][number]): string {
  return `${f.model} ${f.kind}: ${f.tensor} ${formatMeasured(f.value)} (tolerance ${formatMeasured(f.tolerance)}; ${f.failed} out of tolerance)${f.detail ? ` — ${f.detail}` : ''}`;
}

/** "plain20 learned: lowest window of training error 72.8 % (p 2e-9 at chance), 65.0 % (…); chance is 90 %". */
export function formatLearnability(l: Learnability): string {
  const p = (x: number) => (x < 1e-9 ? '< 1e-9' : x.toPrecision(1));
  const runs = l.runs.map((r) => `${(r.lowestError * 100).toFixed(1)} % of ${r.images} (p ${p(r.atChance)} at chance)${r.learned ? '' : ` ${r.id}`}`).join(', ');
  const verdict = !l.judged ? `not judged (${l.iterations} iterations, fewer than the preset's)` : l.learned ? 'learned' : 'DID NOT LEARN';
  return `${l.model} ${verdict}: lowest window of training error ${runs || '–'}; chance is ${(l.chance * 100).toFixed(0)} %, learned means p < ${LEARNED_ALPHA}`;
}
