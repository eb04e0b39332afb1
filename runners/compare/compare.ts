/**
 * Results → comparison: per model and metric, ours (mean ± std over seeds)
 * against the recorded baseline (gated) and the paper (shown); the suite's
 * claims evaluated on ours; one verdict. Reporters render this model.
 *
 * A row passes only on evidence: either our runs replay the baseline's bit
 * for bit (same seeds, same numerics: the same computation), or the
 * non-inferiority test of stats.ts bounds the harmful shift below the
 * preset's tolerance with enough power to have seen a regression of it. A run
 * at chance level where the baseline learned is a regression whatever the
 * seeds say. Anything else is inconclusive, and the gate does not pass.
 */
import { type Claim, hasChanceLevel, METRICS, type Suite, type Tolerance, type TrainingMetric, type TrainingPreset } from '../../suites/define.js';
import { type CheckKind, checkPassed, type ConformanceReport, tensorsCompared } from '../records/conformance.js';
import { InputError } from '../errors.js';
import { type BackendRecord, BUILD, DEVICE, isNativeBackend, NUMERICS_ENVIRONMENT, sameNumerics, sameTiming, shortCpu, TIMING } from '../records/identity.js';
import { paperEntries, paperValue } from '../paper.js';
import { checkConsistency } from '../suite/results.js';
import { type ResultSet } from '../records/results.js';
import { presetOf } from '../suite/units.js';
import { type Aspect, aspect, describeDifferences, differences } from '../records/differences.js';
import { isRecipe, RECIPE, type Settings } from '../records/recipe.js';
import { type Baseline, type BaselineSummary } from '../records/baseline.js';
import { metricValue } from './baseline.js';
import jstat from 'jstat';
import { type Summary, summarize } from '../records/summary.js';
import { type GateRule, type ShiftTest, testShift, welchGreater } from './stats.js';

export type RowVerdict = 'pass' | 'regression' | 'inconclusive' | 'not-bounded' | 'broken' | 'diverged' | 'not-gated' | 'fail';
export type ClaimVerdict = 'holds' | 'fails' | 'inconclusive';
export type Verdict = 'pass' | 'fail' | 'incomplete' | 'inconclusive';

export interface ComparisonRow {
  readonly model: string;
  readonly metric: string;
  readonly ours: Summary | undefined;
  readonly baseline?: Summary;
  readonly paper?: { readonly value: number; readonly printed: string; readonly table: string; readonly row: string };
  /** ours − baseline (or − paper for architecture rows). */
  readonly delta?: number;
  /** The statistical test behind the verdict, when there was one (bounds, detectable effect, tolerance). */
  readonly test?: Pick<ShiftTest, 'lower' | 'upper' | 'detectable' | 'tolerance'>;
  /** Whether ours replayed the baseline seed for seed. */
  readonly replay?: boolean;
  readonly verdict: RowVerdict;
  readonly why: string;
}

export interface ClaimResult {
  readonly id: string;
  readonly text: string;
  readonly verdict: ClaimVerdict;
  readonly gated: boolean;
  readonly why: string;
}

/** The conformance tier's outcome, summarised for reporters. */
export interface ConformanceSummary {
  /** skipped: the run was told to (--no-conformance); missing: results from before the tier existed. */
  readonly status: 'pass' | 'fail' | 'skipped' | 'missing';
  readonly models: number;
  readonly tensors: number;
  readonly references: readonly string[];
  readonly seconds: number;
  /** Models whose twin has no reference fixture: only the checks that need none ran for them. */
  readonly withoutFixture: readonly { readonly model: string; readonly twin: string }[];
  /** Each failed check: which model, which kind, its worst tensor. */
  readonly failures: readonly { readonly model: string; readonly kind: CheckKind; readonly failed: number; readonly tensor: string; readonly value: number | null; readonly tolerance: number; readonly detail?: string }[];
  readonly report?: ConformanceReport;
}

/** Whether each model's runs learned: their lowest window of training error against chance (decidedBy 'conformance'). */
export interface Learnability {
  readonly model: string;
  /** Only a run of the preset's own length (or longer) is judged: fewer iterations may not have had time to learn. */
  readonly judged: boolean;
  readonly iterations: number;
  /** Chance's error rate, 1 − 1/classes. */
  readonly chance: number;
  readonly runs: readonly {
    readonly id: string;
    /** The lowest running training error of a logged window, and that window's images. */
    readonly lowestError: number;
    readonly images: number;
    /** The probability of a window that low at chance, times the windows. */
    readonly atChance: number;
    readonly learned: boolean;
  }[];
  readonly learned: boolean;
}

export interface Comparison {
  readonly suite: { readonly name: string; readonly version: number; readonly title: string; readonly paper: string };
  readonly preset: string;
  readonly backend: ResultSet['backend'];
  /** A calibration fault the results were made with, if any. */
  readonly fault: string | null;
  readonly baseline: { readonly path: string; readonly recordedAt: string; readonly backend: string } | null;
  /** The gate's policy for these rows: family-wise false-alarm rate, power, tolerance. */
  readonly policy: { readonly alpha: number; readonly rowAlpha: number; readonly power: number; readonly tolerance: Tolerance } | null;
  /** What decides this comparison's verdict (the preset's `decidedBy`); architecture suites compare with the paper exactly. */
  readonly decidedBy: 'conformance' | 'statistics' | 'exact';
  /** null for architecture suites (no training code path to check). */
  readonly conformance: ConformanceSummary | null;
  readonly learnability: readonly Learnability[];
  readonly rows: readonly ComparisonRow[];
  readonly claims: readonly ClaimResult[];
  /** Missing runs, missing baseline: reasons the gate cannot pass. */
  readonly problems: readonly string[];
  readonly verdict: Verdict;
  /** 0 pass, 1 regression or failed claim, 2 incomplete input, 4 inconclusive. */
  readonly exitCode: 0 | 1 | 2 | 4;
}

export const EXIT_CODES: Record<Verdict, 0 | 1 | 2 | 4> = { pass: 0, fail: 1, incomplete: 2, inconclusive: 4 };


/** Family-wise false-alarm rate of one comparison, shared (Bonferroni) among its gated rows; and the power asked of each row. */
export const GATE_ALPHA = 0.05;
export const GATE_POWER = 0.8;

/**
 * Sanity bounds: a run whose error is within this of chance level (1 − k/classes)
 * has not learned; it is a regression where the baseline's mean is at least
 * LEARNED_BELOW_CHANCE below chance.
 */
const AT_CHANCE = 0.01;
const LEARNED_BELOW_CHANCE = 0.1;

/**
 * Learnability where a short run decides (smoke): a run learned when one of
 * its logged windows has a running training error that chance cannot give —
 * the binomial probability of so few mistakes among the window's images at
 * chance's error rate (1 − 1/classes), times the number of windows (any one
 * may be the lowest), below this. A net at chance fails it 999 times in 1,000;
 * clean smoke seeds pass it with a wide margin (README, "What each preset can
 * claim"). Training error, not loss: a deep net whose loss blew up at rate 0.1
 * may still be learning (its errors fall while its loss is above ln 10).
 */
export const LEARNED_ALPHA = 1e-3;

/** Claims need less evidence than gating: α = 0.05, or the error floor with single seeds. */
const CLAIM_ALPHA = 0.05;
const CLAIM_FLOOR = 0.005;

/** Whether a preset gates a metric by its kind: error metrics only where the preset names them (if it does). */
export function gatesErrorMetric(preset: TrainingPreset, metric: TrainingMetric): boolean {
  return METRICS[metric].kind !== 'error' || (preset.gatedErrors?.includes(metric) ?? true);
}

/** The rule one gated row is tested with: the preset's tolerance for the metric's kind, the row's share of α, the power. */
export function gateRule(preset: TrainingPreset, metric: TrainingMetric, rowAlpha: number): GateRule {
  const kind = METRICS[metric].kind;
  return { tolerance: preset.tolerance[kind], relative: kind !== 'error', alpha: rowAlpha, power: GATE_POWER };
}

export function compare(results: ResultSet, suite: Suite, baseline: { path: string; data: Baseline } | undefined): Comparison {
  if (results.suite.name !== suite.name) throw new InputError(`results are for suite ${results.suite.name}, not ${suite.name}`);
  if (results.suite.version !== suite.version) {
    throw new InputError(`results are from ${suite.name} version ${results.suite.version}; this resnet-repro defines version ${suite.version}: re-run the suite`);
  }
  checkConsistency(results, suite);
  const header = {
    suite: { name: suite.name, version: suite.version, title: suite.title, paper: suite.paper },
    preset: results.preset,
    backend: results.backend,
    fault: results.fault,
  };
  if (suite.kind === 'architecture') return compareArchitecture(results, suite, header);

  const preset = presetOf(suite, results.preset);
  const decidedBy = preset.decidedBy;
  const conformance = summarizeConformance(results.conformance);
  const problems: string[] = [];
  if (conformance.status === 'missing') problems.push('these results carry no conformance report (made before the conformance tier): run the suite again');
  for (const m of decidedBy === 'conformance' ? conformance.withoutFixture : []) {
    problems.push(`${m.model} has no conformance fixture (its twin ${m.twin}): its logits, gradients and steps were not compared, and at preset ${results.preset} that is what decides. Add it to scripts/conformance.py's MODELS and regenerate (needs torch)`);
  }
  if (conformance.status === 'skipped' && decidedBy === 'conformance') problems.push(`the conformance tier was skipped (--no-conformance), and at preset ${results.preset} it is what decides: run without --no-conformance`);
  if (results.expectedUnits.length === 0) problems.push('the results expect no runs at all: nothing was measured');
  const missingShards = Array.from({ length: results.shards.count }, (_, i) => i + 1).filter((s) => !results.shards.included.includes(s));
  if (missingShards.length > 0) problems.push(`shards ${missingShards.map((s) => `${s}/${results.shards.count}`).join(', ')} are missing: merge every shard's results first`);
  const done = new Set(results.runs.filter((r) => r.record.status !== 'interrupted').map((r) => r.unit.id));
  const missing = results.expectedUnits.filter((u) => !done.has(u.id));
  if (missing.length > 0) problems.push(`runs missing or interrupted: ${missing.map((u) => u.id).join(', ')}`);

  if (baseline) {
    const b = baseline.data;
    const found = differences<Gated>(b, { suite, preset: results.preset, backend: results.backend, settings: results.settings }, BASELINE_FITS);
    if (found.length > 0) {
      throw new InputError(
        `${baseline.path} cannot gate these results: ${describeDifferences(found, 'in the baseline', 'here')}. ` +
          'Compare against a baseline of the same suite version, preset, backend and recipe (resnet-repro baseline record), or run with the baseline\'s settings.',
      );
    }
    const otherCopy = b.dataDigest ? results.runs.filter((r) => r.record.dataset.digest !== b.dataDigest) : [];
    if (otherCopy.length > 0) {
      throw new InputError(
        `${baseline.path} cannot gate these results: its runs read ${b.dataDigest}, but ${otherCopy.map((r) => `${r.unit.id} read ${r.record.dataset.digest ?? 'a copy it does not name'}`).join(', ')}. ` +
          `Another copy of ${b.settings.dataset} (re-encoded, relabelled or cut) trains to other errors: run on the baseline's copy, or record a baseline on this one (resnet-repro baseline record).`,
      );
    }
  } else {
    problems.push(`no recorded baseline for ${suite.name}/${results.preset}/${results.backend.name} with these settings: nothing to gate against (record one with "resnet-repro baseline record")`);
  }

  const models = [...new Set(results.expectedUnits.map((u) => u.paperModel))];
  const runsOf = (model: string) => results.runs.filter((r) => r.unit.paperModel === model);
  const valuesOf = (model: string, metric: TrainingMetric) => runsOf(model).map((r) => metricValue(r, metric)).filter((v): v is number => v !== undefined);
  const throughputGated = (b: Baseline) => preset.gateThroughput && sameTiming(b.backend, results.backend);
  const errorGated = (metric: TrainingMetric) => gatesErrorMetric(preset, metric);
  const gates = (metric: TrainingMetric, b: Baseline) => errorGated(metric) && (metric !== 'imagesPerSecond' || throughputGated(b));

  if (baseline) {
    for (const model of models) {
      const lacking = suite.metrics.filter((m) => gates(m, baseline.data) && !baseline.data.metrics[model]?.[m]);
      if (lacking.length > 0) problems.push(`${baseline.path} has no ${lacking.join(', ')} for ${model}: it does not cover what this suite gates (record it again)`);
    }
  }

  const gatedRows = baseline ? models.length * suite.metrics.filter((m) => gates(m, baseline.data)).length : 0;
  const rowAlpha = GATE_ALPHA / Math.max(1, gatedRows);
  const replays = baseline !== undefined && sameNumerics(baseline.data.backend, results.backend);

  const rows: ComparisonRow[] = [];
  for (const model of models) {
    const diverged = runsOf(model).filter((r) => r.record.status === 'diverged');
    for (const metric of suite.metrics) {
      const values = valuesOf(model, metric);
      const ours = values.length > 0 ? summarize(values) : undefined;
      const paper = paperValue(model, metric);
      const paperCell = paper ? { paper: { value: paper.value, printed: paper.printed, table: paper.table, row: paper.row } } : {};
      const base = baseline?.data.metrics[model]?.[metric];
      const row = (verdict: RowVerdict, why: string, extra: Partial<ComparisonRow> = {}): ComparisonRow => ({
        model,
        metric,
        ours,
        ...paperCell,
        ...(base ? { baseline: { mean: base.mean, std: base.std, n: base.n } } : {}),
        ...(ours && base ? { delta: ours.mean - base.mean } : {}),
        verdict,
        why,
        ...extra,
      });
      if (diverged.length > 0) {
        rows.push(row('diverged', `${diverged.map((r) => r.unit.id).join(', ')} diverged (NaN/Inf loss)`));
        continue;
      }
      if (!ours || !base || !baseline) {
        rows.push(row('not-gated', !ours ? 'no completed run yields this metric' : !baseline ? 'no baseline (see the problems)' : 'the baseline holds no value for it'));
        continue;
      }
      // Where a short run decides, learnability stands in for this bound (a slow seed sits near chance at 40 iterations).
      const insane = hasChanceLevel(metric) && decidedBy === 'statistics' ? atChance(runsOf(model), metric, base) : undefined;
      if (insane) {
        rows.push(row('broken', insane));
        continue;
      }
      if (!gates(metric, baseline.data)) {
        const why = !errorGated(metric)
          ? `reported, not gated, at preset ${results.preset}: it gates ${preset.gatedErrors!.join(', ')} only (the preset's gatedErrors; README, "The nightly, designed from measured noise")`
          : preset.gateThroughput
          ? `throughput is gated only against a baseline from the same machine run the same way: ${describeDifferences(differences(baseline.data.backend, results.backend, TIMING), "the baseline's", 'here')}`
          : `throughput is reported, not gated, at preset ${results.preset}`;
        rows.push(row('not-gated', why));
        continue;
      }
      if (metric === 'imagesPerSecond' && runsOf(model).some((r) => r.record.machines)) {
        rows.push(row('not-gated', `${runsOf(model).filter((r) => r.record.machines).map((r) => r.unit.id).join(', ')} resumed on another machine: its images/s mixes machines`));
        continue;
      }
      const rule = gateRule(preset, metric, rowAlpha);
      const test = shiftTest(ours, base, METRICS[metric].worse, rule);
      const testCell = { test: { lower: test.lower, upper: test.upper, detectable: test.detectable, tolerance: test.tolerance } };
      if (replays && metric !== 'imagesPerSecond' && replaysSeedForSeed(runsOf(model), metric, base)) {
        rows.push(row('pass', `identical to the baseline seed for seed (same backend, versions and machine: the same computation); off this machine the seeds could detect ${fmtShift(test.detectable)}`, { ...testCell, replay: true }));
        continue;
      }
      // A significant regression stays one; what a short run cannot bound is not held against it.
      const unreplayed = decidedBy === 'conformance' && test.verdict === 'inconclusive' ? notReplayedBecause(runsOf(model), metric, base, baseline.data.backend, results.backend) : undefined;
      if (unreplayed?.elsewhere === false) {
        // The baseline's own numerics and seeds, and yet other values: the computation changed. Not a pass.
        rows.push(row('inconclusive', `${unreplayed.reason}; these seeds cannot bound the change (detectable ${fmtShift(test.detectable)})`, testCell));
        continue;
      }
      if (unreplayed) {
        const reason = unreplayed.reason;
        const scale = (x: number) => (!Number.isFinite(x) ? '∞' : rule.relative ? `${(x * 100).toFixed(0)} %` : `${(x * 100).toFixed(2)} pts`);
        rows.push(row('not-bounded', `not bounded at ${results.preset} (these seeds detect ${scale(test.detectable)}, the tolerance is ${scale(test.tolerance)}): ${reason}; bounding it is the nightly's job`, testCell));
        continue;
      }
      rows.push(row(test.verdict, test.why, testCell));
    }
  }
  const iterations = isRecipe(results.settings) ? results.settings.iterations : preset.iterations;
  const learnability = decidedBy === 'conformance' ? models.map((m) => learnabilityOf(m, runsOf(m), iterations >= preset.iterations, iterations)) : [];

  const claims = suite.claims
    .filter((c) => models.includes(c.lower) && models.includes(c.higher))
    .map((c) => evaluateClaim(c, valuesOf(c.lower, c.metric), valuesOf(c.higher, c.metric), (c.gatedAt as readonly string[]).includes(results.preset)));

  const failed =
    conformance.status === 'fail' ||
    learnability.some((l) => l.judged && !l.learned) ||
    rows.some((r) => r.verdict === 'regression' || r.verdict === 'broken' || r.verdict === 'diverged') ||
    claims.some((c) => c.gated && c.verdict === 'fails');
  const inconclusive = rows.some((r) => r.verdict === 'inconclusive');
  const verdict: Verdict = failed ? 'fail' : problems.length > 0 ? 'incomplete' : inconclusive ? 'inconclusive' : 'pass';
  return {
    ...header,
    decidedBy,
    conformance,
    learnability,
    baseline: baseline ? { path: baseline.path, recordedAt: baseline.data.recordedAt, backend: baseline.data.backend.name } : null,
    policy: { alpha: GATE_ALPHA, rowAlpha, power: GATE_POWER, tolerance: preset.tolerance },
    rows,
    claims,
    problems,
    verdict,
    exitCode: EXIT_CODES[verdict],
  };
}

/** The rule in the metric's harmful direction; for 'either', the worse of the two directions. */
export function shiftTest(ours: Summary, base: Summary, worse: 'higher' | 'lower' | 'either', rule: GateRule): ShiftTest {
  if (worse !== 'either') return testShift(ours, base, worse, rule);
  const up = testShift(ours, base, 'higher', rule);
  const down = testShift(ours, base, 'lower', rule);
  const rank = { regression: 2, inconclusive: 1, pass: 0 } as const;
  return rank[up.verdict] >= rank[down.verdict] ? up : down;
}

/** Why a model's runs are at chance level where the baseline learned, or undefined. */
function atChance(runs: ResultSet['runs'], metric: TrainingMetric, base: Summary): string | undefined {
  const classes = runs[0]?.record.architecture.classes;
  if (!classes) return undefined;
  const chance = 1 - (metric === 'top5Error10Crop' ? Math.min(5, classes) : 1) / classes;
  if (base.mean > chance - LEARNED_BELOW_CHANCE) return undefined;
  const stuck = runs.filter((r) => (metricValue(r, metric) ?? 0) >= chance - AT_CHANCE);
  if (stuck.length === 0) return undefined;
  const values = stuck.map((r) => `${r.unit.id} ${(metricValue(r, metric)! * 100).toFixed(1)} %`).join(', ');
  return `at chance level (≥ ${((chance - AT_CHANCE) * 100).toFixed(0)} % with ${classes} classes) where the baseline learned (${(base.mean * 100).toFixed(1)} %): ${values}`;
}

/** The conformance report of a result set, for reporters and the verdict. */
export function summarizeConformance(report: ConformanceReport | null | undefined): ConformanceSummary {
  const empty = { models: 0, tensors: 0, references: [], seconds: 0, withoutFixture: [], failures: [] };
  if (report === undefined) return { status: 'missing', ...empty };
  if (report === null) return { status: 'skipped', ...empty };
  const checks = [...report.run.map((c) => ({ model: 'the run', c })), ...report.models.flatMap((m) => m.checks.map((c) => ({ model: m.model, c })))];
  const failures = checks
    .filter(({ c }) => !checkPassed(c))
    .map(({ model, c }) => {
      const first = c.failures[0];
      return { model, kind: c.kind, failed: c.failed, tensor: first?.tensor ?? '', value: first?.value ?? null, tolerance: first?.tolerance ?? c.tolerance, ...(first?.detail ? { detail: first.detail } : {}) };
    });
  return {
    status: failures.length > 0 ? 'fail' : 'pass',
    models: report.models.length,
    tensors: tensorsCompared(report),
    references: [...new Set(report.models.flatMap((m) => (m.reference ? [m.reference] : [])))],
    seconds: report.seconds,
    withoutFixture: report.models.filter((m) => m.reference === null).map((m) => ({ model: m.model, twin: m.twin })),
    failures,
    report,
  };
}

/** A model learns when each of its runs logged a window of training error that chance cannot give (LEARNED_ALPHA). */
function learnabilityOf(model: string, runs: ResultSet['runs'], judged: boolean, iterations: number): Learnability {
  const classes = runs[0]?.record.architecture.classes ?? 10;
  const chance = 1 - 1 / classes;
  const checked = runs
    .filter((r) => r.record.status !== 'interrupted')
    .map((r) => {
      const windows = r.record.curves.train.map((p, i, all) => ({ error: p.trainError, images: (p.iteration - (all[i - 1]?.iteration ?? 0)) * r.record.config.batchSize }));
      const scored = windows.map((w) => ({ ...w, p: jstat.jStat.binomial.cdf(Math.round(w.error * w.images), w.images, chance) }));
      const best = scored.reduce((a, b) => (b.p < a.p || (b.p === a.p && b.error < a.error) ? b : a), { error: 1, images: 0, p: 1 });
      const atChance = Math.min(1, best.p * Math.max(1, windows.length));
      return { id: r.unit.id, lowestError: best.error, images: best.images, atChance, learned: atChance < LEARNED_ALPHA };
    });
  return { model, judged, iterations, chance, runs: checked, learned: checked.every((r) => r.learned) };
}

/** What a baseline must share with results to gate them: the suite at its version, the preset, the backend and the recipe. */
type Gated = { readonly suite: { readonly name: string; readonly version: number }; readonly preset: string; readonly backend: { readonly name: string }; readonly settings: Settings };
const BASELINE_FITS: readonly Aspect<Gated>[] = [
  aspect('suite', (g) => g.suite.name),
  aspect('suite version', (g) => g.suite.version),
  aspect('preset', (g) => g.preset),
  aspect('backend', (g) => g.backend.name),
  ...RECIPE.map((a) => aspect(a.name, (g: Gated) => a.read(g.settings))),
];

/**
 * Why runs that a short preset cannot bound did not replay the baseline: the
 * identity that differs, named (elsewhere: another machine, numerics, backend,
 * or seeds the baseline lacks), or the same computation's inputs giving other
 * values (the code changed what it computes).
 */
function notReplayedBecause(runs: ResultSet['runs'], metric: TrainingMetric, base: BaselineSummary, baseline: BackendRecord, ours: BackendRecord): { elsewhere: boolean; reason: string } {
  const elsewhere = (reason: string) => ({ elsewhere: true, reason });
  const build = differences(baseline, ours, BUILD);
  if (build.length > 0) return elsewhere(`another build (${describeDifferences(build, "in the baseline's", 'here')})`);
  const native = isNativeBackend(ours.name);
  if (native && differences(baseline, ours, DEVICE).length > 0) return elsewhere(`another CPU identity (the baseline's: ${shortCpu(baseline)}; here: ${shortCpu(ours)})`);
  if (native && differences(baseline, ours, [NUMERICS_ENVIRONMENT]).length > 0) return elsewhere(`another numerics environment (the baseline's: ${JSON.stringify(baseline.env ?? {})}; here: ${JSON.stringify(ours.env ?? {})})`);
  const moved = runs.filter((r) => r.record.machines).map((r) => r.unit.id);
  if (moved.length > 0) return elsewhere(`${moved.join(', ')} resumed on another machine`);
  const recorded = new Set(base.values?.map((v) => v.seed) ?? []);
  const unknown = runs.filter((r) => !recorded.has(r.unit.seed)).map((r) => r.unit.seed);
  if (unknown.length > 0) return elsewhere(`seed${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} not in the baseline`);
  return { elsewhere: false, reason: `the baseline's numerics and seeds, yet ${metric} differs from the baseline seed for seed: the computation changed (record the baseline again if that was intended)` };
}


/** Whether every run of ours has the value the baseline recorded for the same seed. */
function replaysSeedForSeed(runs: ResultSet['runs'], metric: TrainingMetric, base: BaselineSummary): boolean {
  if (!base.values || runs.length === 0) return false;
  const recorded = new Map(base.values.map((v) => [v.seed, v.value]));
  return runs.every((r) => {
    if (r.record.machines) return false; // resumed on another machine: not the baseline's computation
    const value = metricValue(r, metric);
    return value !== undefined && recorded.get(r.unit.seed) === value;
  });
}

/** "lower's metric < higher's": holds when significantly so, fails when significantly the opposite. */
export function evaluateClaim(claim: Claim, lower: readonly number[], higher: readonly number[], gated: boolean): ClaimResult {
  const base = { id: claim.id, text: claim.text, gated };
  if (lower.length === 0 || higher.length === 0) return { ...base, verdict: 'inconclusive', why: 'no completed runs for one side' };
  const lo = summarize(lower);
  const hi = summarize(higher);
  const gap = hi.mean - lo.mean;
  const detail = `${claim.lower} ${fmtClaimSide(claim.metric, lo)} vs ${claim.higher} ${fmtClaimSide(claim.metric, hi)}`;
  if (lo.n >= 2 && hi.n >= 2) {
    if (welchGreater(hi, lo) < CLAIM_ALPHA) return { ...base, verdict: 'holds', why: `${detail} (Welch p < ${CLAIM_ALPHA})` };
    if (welchGreater(lo, hi) < CLAIM_ALPHA) return { ...base, verdict: 'fails', why: `${detail}: the opposite, Welch p < ${CLAIM_ALPHA}` };
    return { ...base, verdict: 'inconclusive', why: `${detail}: not separable at p < ${CLAIM_ALPHA}` };
  }
  const floor = METRICS[claim.metric].kind === 'error' ? `${(CLAIM_FLOOR * 100).toFixed(1)} pts` : String(CLAIM_FLOOR);
  if (gap > CLAIM_FLOOR) return { ...base, verdict: 'holds', why: `${detail} (single seed: gap > ${floor})` };
  if (gap < -CLAIM_FLOOR) return { ...base, verdict: 'fails', why: `${detail}: the opposite (single seed: gap > ${floor})` };
  return { ...base, verdict: 'inconclusive', why: `${detail}: within ${floor}` };
}

/** A claim's side in its metric's unit: errors in %, others as numbers. */
function fmtClaimSide(metric: TrainingMetric, s: Summary): string {
  const v = (x: number) => (METRICS[metric].kind === 'error' ? `${(x * 100).toFixed(2)} %` : x.toPrecision(4));
  return s.n > 1 ? `${v(s.mean)} ± ${v(s.std).replace(' %', '')} (n=${s.n})` : `${v(s.mean)} (one seed)`;
}
const fmtShift = (x: number) => (Number.isFinite(x) ? x.toPrecision(3) : '∞');

/** The built graphs against Tables 1 and 6: deterministic, so the paper itself is the baseline. */
function compareArchitecture(results: ResultSet, suite: Extract<Suite, { kind: 'architecture' }>, header: Pick<Comparison, 'suite' | 'preset' | 'backend' | 'fault'>): Comparison {
  const rows: ComparisonRow[] = [];
  const facts = new Map(results.architecture.map((a) => [a.unit.paperModel, a.facts]));
  const missing = results.expectedUnits.filter((u) => !facts.has(u.paperModel)).map((u) => u.id);
  for (const entry of paperEntries()) {
    if (!entry.model || !facts.has(entry.model) || !['multiplyAdds', 'trainableParams', 'layers'].includes(entry.metric)) continue;
    const f = facts.get(entry.model)!;
    const value = f[entry.metric as 'multiplyAdds' | 'trainableParams' | 'layers'];
    const delta = value - entry.value;
    const tolerance = entry.metric === 'multiplyAdds' ? suite.flopsTolerance * entry.value : (entry.resolution ?? 0) / 2;
    const ok = Math.abs(delta) <= tolerance;
    rows.push({
      model: entry.model,
      metric: entry.metric,
      ours: { mean: value, std: 0, n: 1 },
      paper: { value: entry.value, printed: entry.printed, table: entry.table, row: entry.row },
      delta,
      verdict: ok ? 'pass' : 'fail',
      why: entry.metric === 'multiplyAdds' ? `within ${suite.flopsTolerance * 100} % of Table ${entry.table}: ${ok ? 'yes' : 'no'}` : `rounds to the printed ${entry.printed}: ${ok ? 'yes' : 'no'}`,
    });
  }
  const claims: ClaimResult[] = suite.equalParams
    .filter(([a, b]) => facts.has(a) && facts.has(b))
    .map(([a, b]) => {
      const pa = facts.get(a)!.trainableParams;
      const pb = facts.get(b)!.trainableParams;
      return { id: `${a}=${b}`, text: `${a} and ${b} have the same parameters (option A adds none)`, verdict: pa === pb ? 'holds' : 'fails', gated: true, why: `${pa} vs ${pb}` };
    });
  const problems = [...(missing.length > 0 ? [`models missing: ${missing.join(', ')}`] : []), ...(results.expectedUnits.length === 0 ? ['the results expect no models at all'] : [])];
  const failed = rows.some((r) => r.verdict === 'fail') || claims.some((c) => c.verdict === 'fails');
  const verdict: Verdict = failed ? 'fail' : problems.length > 0 ? 'incomplete' : 'pass';
  return { ...header, baseline: null, policy: null, decidedBy: 'exact', conformance: null, learnability: [], rows, claims, problems, verdict, exitCode: EXIT_CODES[verdict] };
}
