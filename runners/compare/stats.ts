/**
 * Seed-to-seed statistics and the regression rule. Pure functions on numbers:
 * the rule is documented here and in the README, and tested with planted
 * regressions and plain noise.
 */
import jstat from 'jstat';
import { mean, sampleStandardDeviation } from 'simple-statistics';

export interface Summary {
  readonly mean: number;
  /** Sample standard deviation over seeds; 0 when n = 1. */
  readonly std: number;
  readonly n: number;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('no values to summarize');
  return { mean: mean([...values]), std: values.length > 1 ? sampleStandardDeviation([...values]) : 0, n: values.length };
}

/** One-sided Welch test from summaries: p-value for "a's mean is greater than b's". */
export function welchGreater(a: Summary, b: Summary): number {
  const va = (a.std * a.std) / a.n;
  const vb = (b.std * b.std) / b.n;
  const se = Math.sqrt(va + vb);
  if (se === 0) return a.mean > b.mean ? 0 : 1;
  const t = (a.mean - b.mean) / se;
  const dof = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  return 1 - jstat.jStat.studentt.cdf(t, dof);
}

export interface GateRule {
  /** Smallest change that can count, in the metric's unit (or relative, for throughput). */
  readonly floor: number;
  readonly relativeFloor: boolean;
  /** Significance for Welch's test when both sides have ≥ 2 seeds. */
  readonly alpha: number;
  /** Otherwise: tolerance in units of the known seed-to-seed std. */
  readonly sigmas: number;
}

/** Errors: half a percentage point, α = 0.01, or 3σ. Throughput: 10 % of the baseline. */
export const ERROR_RULE: GateRule = { floor: 0.005, relativeFloor: false, alpha: 0.01, sigmas: 3 };
export const THROUGHPUT_RULE: GateRule = { floor: 0.1, relativeFloor: true, alpha: 0.01, sigmas: 3 };

export type Shift = 'worse' | 'better' | 'same';

export interface ShiftResult {
  readonly shift: Shift;
  /** How it was decided, for people reading CI logs. */
  readonly why: string;
}

/**
 * Whether `ours` is worse than `baseline` beyond seed-to-seed noise. `worse`
 * is the direction of harm: 'higher' for errors, 'lower' for throughput.
 *
 * - Both sides ≥ 2 seeds: worse iff the shift exceeds the floor and Welch's
 *   one-sided test rejects "no worse" at alpha.
 * - Otherwise: worse iff the shift exceeds max(floor, sigmas × the std that is
 *   known); with a single seed on both sides only the floor applies.
 * "better" mirrors it; it passes.
 */
export function classifyShift(ours: Summary, baseline: Summary, worse: 'higher' | 'lower', rule: GateRule): ShiftResult {
  const sign = worse === 'higher' ? 1 : -1;
  const delta = sign * (ours.mean - baseline.mean);
  const floor = rule.relativeFloor ? rule.floor * Math.abs(baseline.mean) : rule.floor;
  if (Math.abs(delta) <= floor) return { shift: 'same', why: `|Δ| ${fmt(Math.abs(delta))} ≤ floor ${fmt(floor)}` };
  const direction: Shift = delta > 0 ? 'worse' : 'better';
  if (ours.n >= 2 && baseline.n >= 2) {
    const [hi, lo] = (delta > 0) === (sign > 0) ? [ours, baseline] : [baseline, ours];
    const p = welchGreater(hi, lo);
    return p < rule.alpha
      ? { shift: direction, why: `Δ ${fmt(delta)} > floor ${fmt(floor)}, Welch p = ${p.toPrecision(2)} < ${rule.alpha}` }
      : { shift: 'same', why: `Δ ${fmt(delta)} within noise, Welch p = ${p.toPrecision(2)} ≥ ${rule.alpha}` };
  }
  const sigma = baseline.n >= 2 ? baseline.std : ours.n >= 2 ? ours.std : 0;
  const tolerance = Math.max(floor, rule.sigmas * sigma);
  const basis = sigma > 0 ? `${rule.sigmas}σ = ${fmt(rule.sigmas * sigma)}` : 'single seeds: floor only';
  return Math.abs(delta) > tolerance
    ? { shift: direction, why: `|Δ| ${fmt(Math.abs(delta))} > tolerance ${fmt(tolerance)} (${basis})` }
    : { shift: 'same', why: `|Δ| ${fmt(Math.abs(delta))} ≤ tolerance ${fmt(tolerance)} (${basis})` };
}

const fmt = (x: number) => (Math.abs(x) >= 10 ? x.toFixed(1) : x.toPrecision(3));
