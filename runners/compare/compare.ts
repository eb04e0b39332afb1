/**
 * Results → comparison: per model and metric, ours (mean ± std over seeds)
 * against the recorded baseline (gated) and the paper (shown); the suite's
 * claims evaluated on ours; one verdict. Reporters render this model.
 */
import type { Claim, Suite, TrainingMetric, TrainingSuite } from '../../suites/define.js';
import { InputError } from '../errors.js';
import { paperEntries, paperValue } from '../paper.js';
import type { ResultSet } from '../suite/results.js';
import { type Baseline, metricValue } from './baseline.js';
import { classifyShift, ERROR_RULE, type Summary, summarize, THROUGHPUT_RULE, welchGreater } from './stats.js';

export type RowVerdict = 'pass' | 'improved' | 'regression' | 'diverged' | 'no-baseline' | 'not-comparable' | 'fail';
export type ClaimVerdict = 'holds' | 'fails' | 'inconclusive';

export interface ComparisonRow {
  readonly model: string;
  readonly metric: string;
  readonly ours: Summary | undefined;
  readonly baseline?: Summary;
  readonly paper?: { readonly value: number; readonly printed: string; readonly table: string; readonly row: string };
  /** ours − baseline (or − paper for architecture rows). */
  readonly delta?: number;
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

export interface Comparison {
  readonly suite: { readonly name: string; readonly version: number; readonly title: string; readonly paper: string };
  readonly preset: string;
  readonly backend: ResultSet['backend'];
  readonly baseline: { readonly path: string; readonly recordedAt: string; readonly backend: string } | null;
  readonly rows: readonly ComparisonRow[];
  readonly claims: readonly ClaimResult[];
  /** Missing runs, missing baseline: reasons the gate cannot pass. */
  readonly problems: readonly string[];
  readonly verdict: 'pass' | 'fail' | 'incomplete';
  /** 0 pass, 1 regression or failed claim, 2 incomplete input. */
  readonly exitCode: 0 | 1 | 2;
}

/** Which way a metric gets worse. */
const WORSE_WHEN: Record<TrainingMetric, 'higher' | 'lower' | 'either'> = {
  testError: 'higher',
  trainError: 'higher',
  top1Error10Crop: 'higher',
  top5Error10Crop: 'higher',
  imagesPerSecond: 'lower',
  // A measurement, not a score: drift either way is a change to look at.
  meanResponseStd: 'either',
};

/** Claims need less evidence than gating: α = 0.05, or the error floor with single seeds. */
const CLAIM_ALPHA = 0.05;

export function compare(results: ResultSet, suite: Suite, baseline: { path: string; data: Baseline } | undefined): Comparison {
  if (results.suite.name !== suite.name) throw new InputError(`results are for suite ${results.suite.name}, not ${suite.name}`);
  if (results.suite.version !== suite.version) {
    throw new InputError(`results are from ${suite.name} version ${results.suite.version}; this resnet-repro defines version ${suite.version}: re-run the suite`);
  }
  const header = {
    suite: { name: suite.name, version: suite.version, title: suite.title, paper: suite.paper },
    preset: results.preset,
    backend: results.backend,
  };
  if (suite.kind === 'architecture') return compareArchitecture(results, suite, header);

  const problems: string[] = [];
  const missingShards = Array.from({ length: results.shards.count }, (_, i) => i + 1).filter((s) => !results.shards.included.includes(s));
  if (missingShards.length > 0) problems.push(`shards ${missingShards.map((s) => `${s}/${results.shards.count}`).join(', ')} are missing: merge every shard's results first`);
  const done = new Set(results.runs.filter((r) => r.record.status !== 'interrupted').map((r) => r.unit.id));
  const missing = results.expectedUnits.filter((u) => !done.has(u.id));
  if (missing.length > 0) problems.push(`runs missing or interrupted: ${missing.map((u) => u.id).join(', ')}`);

  if (baseline) {
    const b = baseline.data;
    if (b.suite.version !== suite.version) throw new InputError(`${baseline.path} was recorded for ${suite.name} version ${b.suite.version}, not ${suite.version}: record it again`);
    if (b.preset !== results.preset) throw new InputError(`${baseline.path} is for preset ${b.preset}, these results are ${results.preset}`);
    if (b.backend.name !== results.backend.name) {
      throw new InputError(`${baseline.path} was recorded on backend ${b.backend.name}; these results ran on ${results.backend.name}. Compare against a baseline of the same backend (resnet-repro baseline record).`);
    }
    if (JSON.stringify(b.settings) !== JSON.stringify(results.settings)) throw new InputError(`${baseline.path} was recorded with other settings (models, seeds, iterations, data): record it again or run with the same settings`);
  } else {
    problems.push(`no recorded baseline for ${suite.name}/${results.preset}/${results.backend.name} with these settings: nothing to gate against (record one with "resnet-repro baseline record")`);
  }

  const models = [...new Set(results.expectedUnits.map((u) => u.paperModel))];
  const valuesOf = (model: string, metric: TrainingMetric) =>
    results.runs.filter((r) => r.unit.paperModel === model).map((r) => metricValue(r, metric)).filter((v): v is number => v !== undefined);
  const preset = suite.presets[results.preset as keyof TrainingSuite['presets']];
  // Throughput depends on the device: same backend, same CPU model and same GPU model (if any).
  const sameMachine =
    baseline !== undefined &&
    baseline.data.backend.device === results.backend.device &&
    baseline.data.backend.cpuModel === results.backend.cpuModel &&
    baseline.data.backend.gpuModel === results.backend.gpuModel;

  const rows: ComparisonRow[] = [];
  for (const model of models) {
    const diverged = results.runs.filter((r) => r.unit.paperModel === model && r.record.status === 'diverged');
    for (const metric of suite.metrics) {
      const values = valuesOf(model, metric);
      const ours = values.length > 0 ? summarize(values) : undefined;
      const paper = paperValue(model, metric);
      const paperCell = paper ? { paper: { value: paper.value, printed: paper.printed, table: paper.table, row: paper.row } } : {};
      const base = baseline?.data.metrics[model]?.[metric];
      const row = (verdict: RowVerdict, why: string, extra: Partial<ComparisonRow> = {}): ComparisonRow => ({ model, metric, ours, ...paperCell, ...(base ? { baseline: base } : {}), verdict, why, ...extra });
      if (diverged.length > 0) {
        rows.push(row('diverged', `${diverged.map((r) => r.unit.id).join(', ')} diverged (NaN/Inf loss)`));
      } else if (!ours) {
        rows.push(row('no-baseline', 'no completed run yields this metric'));
      } else if (!base) {
        rows.push(row('no-baseline', baseline ? 'the baseline has no value for this metric' : 'no baseline'));
      } else if (metric === 'imagesPerSecond' && preset && !preset.gateThroughput) {
        rows.push(row('not-comparable', `throughput is reported, not gated, at preset ${results.preset}`, { delta: ours.mean - base.mean }));
      } else if (metric === 'imagesPerSecond' && !sameMachine) {
        rows.push(row('not-comparable', `throughput is gated only against a baseline from the same device (baseline: ${baseline!.data.backend.gpuModel ?? baseline!.data.backend.cpuModel})`, { delta: ours.mean - base.mean }));
      } else {
        const direction = WORSE_WHEN[metric];
        const rule = metric === 'imagesPerSecond' ? THROUGHPUT_RULE : ERROR_RULE;
        const shift =
          direction === 'either'
            ? [classifyShift(ours, base, 'higher', rule), classifyShift(ours, base, 'lower', rule)].find((s) => s.shift === 'worse') ?? { shift: 'same' as const, why: 'within noise either way' }
            : classifyShift(ours, base, direction, rule);
        const verdict: RowVerdict = shift.shift === 'worse' ? 'regression' : shift.shift === 'better' ? 'improved' : 'pass';
        rows.push(row(verdict, shift.why, { delta: ours.mean - base.mean }));
      }
    }
  }

  const claims = suite.claims
    .filter((c) => models.includes(c.lower) && models.includes(c.higher))
    .map((c) => evaluateClaim(c, valuesOf(c.lower, c.metric), valuesOf(c.higher, c.metric), (c.gatedAt as readonly string[]).includes(results.preset)));

  const failed = rows.some((r) => r.verdict === 'regression' || r.verdict === 'diverged') || claims.some((c) => c.gated && c.verdict === 'fails');
  const incomplete = problems.length > 0;
  return {
    ...header,
    baseline: baseline ? { path: baseline.path, recordedAt: baseline.data.recordedAt, backend: baseline.data.backend.name } : null,
    rows,
    claims,
    problems,
    verdict: failed ? 'fail' : incomplete ? 'incomplete' : 'pass',
    exitCode: failed ? 1 : incomplete ? 2 : 0,
  };
}

/** "lower's metric < higher's": holds when significantly so, fails when significantly the opposite. */
export function evaluateClaim(claim: Claim, lower: readonly number[], higher: readonly number[], gated: boolean): ClaimResult {
  const base = { id: claim.id, text: claim.text, gated };
  if (lower.length === 0 || higher.length === 0) return { ...base, verdict: 'inconclusive', why: 'no completed runs for one side' };
  const lo = summarize(lower);
  const hi = summarize(higher);
  const gap = hi.mean - lo.mean;
  const detail = `${claim.lower} ${fmt(lo)} vs ${claim.higher} ${fmt(hi)}`;
  if (lo.n >= 2 && hi.n >= 2) {
    if (welchGreater(hi, lo) < CLAIM_ALPHA) return { ...base, verdict: 'holds', why: `${detail} (Welch p < ${CLAIM_ALPHA})` };
    if (welchGreater(lo, hi) < CLAIM_ALPHA) return { ...base, verdict: 'fails', why: `${detail}: the opposite, Welch p < ${CLAIM_ALPHA}` };
    return { ...base, verdict: 'inconclusive', why: `${detail}: not separable at p < ${CLAIM_ALPHA}` };
  }
  if (gap > ERROR_RULE.floor) return { ...base, verdict: 'holds', why: `${detail} (single seed: gap > ${ERROR_RULE.floor})` };
  if (gap < -ERROR_RULE.floor) return { ...base, verdict: 'fails', why: `${detail}: the opposite (single seed: gap > ${ERROR_RULE.floor})` };
  return { ...base, verdict: 'inconclusive', why: `${detail}: within ${ERROR_RULE.floor}` };
}

const fmt = (s: Summary) => (s.n > 1 ? `${s.mean.toPrecision(4)} ± ${s.std.toPrecision(2)} (n=${s.n})` : `${s.mean.toPrecision(4)} (n=1)`);

/** The built graphs against Tables 1 and 6: deterministic, so the paper itself is the baseline. */
function compareArchitecture(results: ResultSet, suite: Extract<Suite, { kind: 'architecture' }>, header: Pick<Comparison, 'suite' | 'preset' | 'backend'>): Comparison {
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
  const problems = missing.length > 0 ? [`models missing: ${missing.join(', ')}`] : [];
  const failed = rows.some((r) => r.verdict === 'fail') || claims.some((c) => c.verdict === 'fails');
  return { ...header, baseline: null, rows, claims, problems, verdict: failed ? 'fail' : problems.length > 0 ? 'incomplete' : 'pass', exitCode: failed ? 1 : problems.length > 0 ? 2 : 0 };
}
