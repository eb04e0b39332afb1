/**
 * Seed-to-seed statistics and the regression rule. Pure functions on numbers:
 * the rule is documented here and in the README, and tested with planted
 * regressions and plain noise.
 *
 * The rule is a non-inferiority test with a power requirement. For the
 * harmful shift Δ (ours − baseline, signed so that positive is worse) it
 * takes a one-sided (1 − α) confidence interval [L, U] from the seeds' noise:
 * - PASS when U < tolerance (the regression is bounded below what matters)
 *   and the comparison could have seen a regression of the tolerance (its
 *   minimum detectable effect at α and the stated power is ≤ tolerance);
 * - REGRESSION when L > 0 (a significant harmful shift) and PASS does not hold;
 * - INCONCLUSIVE otherwise: the data cannot tell, and the gate does not pass.
 */
import jstat from 'jstat';
import type { Summary } from '../records/summary.js';

/** One-sided Welch test from summaries: p-value for "a's mean is greater than b's". */
export function welchGreater(a: Summary, b: Summary): number {
  const noise = shiftNoise(a, b);
  if (!noise || noise.se === 0) return a.mean > b.mean ? 0 : 1;
  return 1 - jstat.jStat.studentt.cdf((a.mean - b.mean) / noise.se, noise.dof);
}

/**
 * The standard error of a difference of means, and its degrees of freedom.
 * Both sides with ≥ 2 seeds: Welch. One side with a single seed: that seed
 * is assumed as noisy as the other side's seeds (same recipe, same machine
 * kind), with that side's degrees of freedom. Single seeds on both sides
 * carry no estimate of the noise: undefined.
 */
export function shiftNoise(a: Summary, b: Summary): { se: number; dof: number } | undefined {
  if (a.n >= 2 && b.n >= 2) {
    const va = (a.std * a.std) / a.n;
    const vb = (b.std * b.std) / b.n;
    const se = Math.sqrt(va + vb);
    const dof = se === 0 ? a.n + b.n - 2 : (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
    return { se, dof };
  }
  const known = a.n >= 2 ? a : b.n >= 2 ? b : undefined;
  if (!known) return undefined;
  return { se: known.std * Math.sqrt(1 / a.n + 1 / b.n), dof: known.n - 1 };
}

/** Student's t quantile; the normal's for very large degrees of freedom. */
function tQuantile(p: number, dof: number): number {
  return Number.isFinite(dof) && dof < 1e6 ? jstat.jStat.studentt.inv(p, dof) : jstat.jStat.normal.inv(p, 0, 1);
}

export interface GateRule {
  /** The harmful shift that matters: absolute in the metric's unit, or a fraction of the baseline mean. */
  readonly tolerance: number;
  readonly relative: boolean;
  /** One-sided error rate of each row's bound (the caller divides a family-wise rate among the rows). */
  readonly alpha: number;
  /** Probability of detecting a regression as large as the tolerance. */
  readonly power: number;
}

export type ShiftVerdict = 'pass' | 'regression' | 'inconclusive';

export interface ShiftTest {
  readonly verdict: ShiftVerdict;
  /** Harmful shift: positive means worse (higher error, lower throughput). In the metric's unit. */
  readonly harm: number;
  /** One-sided confidence bounds on the harmful shift (±∞ without a noise estimate). */
  readonly lower: number;
  readonly upper: number;
  /** Smallest harmful shift this comparison detects with the rule's power at its α (∞ without a noise estimate). */
  readonly detectable: number;
  /** The tolerance in the metric's unit. */
  readonly tolerance: number;
  /** How it was decided, for people reading CI logs. */
  readonly why: string;
}

/**
 * Whether `ours` is worse than `baseline` by more than the rule's tolerance,
 * within it, or whether the seeds cannot tell. `worse` is the direction of
 * harm: 'higher' for errors, 'lower' for throughput.
 */
export function testShift(ours: Summary, baseline: Summary, worse: 'higher' | 'lower', rule: GateRule): ShiftTest {
  const sign = worse === 'higher' ? 1 : -1;
  const harm = sign * (ours.mean - baseline.mean);
  const tolerance = rule.relative ? rule.tolerance * Math.abs(baseline.mean) : rule.tolerance;
  const noise = shiftNoise(ours, baseline);
  if (!noise) {
    return {
      verdict: 'inconclusive',
      harm,
      lower: -Infinity,
      upper: Infinity,
      detectable: Infinity,
      tolerance,
      why: `single seeds on both sides: no estimate of seed-to-seed noise, so no bound on the shift (Δ ${shown(rule, harm)})`,
    };
  }
  const tAlpha = tQuantile(1 - rule.alpha, noise.dof);
  const tBeta = tQuantile(rule.power, noise.dof);
  const lower = harm - tAlpha * noise.se;
  const upper = harm + tAlpha * noise.se;
  const detectable = (tAlpha + tBeta) * noise.se;
  const show = (x: number) => shown(rule, x);
  const bound = `harmful shift ${show(harm)}, ${pct(1 - rule.alpha)} bounds [${show(lower)}, ${show(upper)}], detectable ${show(detectable)}, tolerance ${show(tolerance)}`;
  if (upper < tolerance && detectable <= tolerance) return { verdict: 'pass', harm, lower, upper, detectable, tolerance, why: `${bound}: bounded below the tolerance` };
  if (lower > 0) return { verdict: 'regression', harm, lower, upper, detectable, tolerance, why: `${bound}: significantly worse` };
  const reason = detectable > tolerance ? 'these seeds cannot detect a regression of the tolerance' : 'the shift may exceed the tolerance';
  return { verdict: 'inconclusive', harm, lower, upper, detectable, tolerance, why: `${bound}: ${reason}` };
}

const fmt = (x: number) => (!Number.isFinite(x) ? (x > 0 ? '∞' : '−∞') : Math.abs(x) >= 10 ? x.toFixed(1) : x.toPrecision(3));
/** Shifts in the metric's unit: errors (absolute fractions) in percentage points, others as they are. */
const shown = (rule: GateRule, x: number) => (rule.relative ? fmt(x) : Number.isFinite(x) ? `${(x * 100).toFixed(2)} pts` : fmt(x));
const pct = (p: number) => `${Number((p * 100).toPrecision(4))} %`;
