/**
 * Recording baselines from results (`baseline record`) and pooling more
 * seeds into them (`--append`). The schema is records/baseline.ts.
 */
import { mean, min, max } from 'simple-statistics';
import type { Suite, TrainingMetric } from '../../suites/define.js';
import { InputError } from '../errors.js';
import { Baseline, BASELINE_SCHEMA_VERSION, type BaselineSummary } from '../records/baseline.js';
import { type Aspect, aspect, describeDifferences, differences } from '../records/differences.js';
import { WHOLE_IDENTITY } from '../records/identity.js';
import { RECIPE } from '../records/recipe.js';
import type { ResultSet, UnitResult } from '../records/results.js';
import { generalizationGap } from '../records/run-record.js';
import { summarize } from '../records/summary.js';
import { checkConsistency } from '../suite/results.js';

/** A metric's value in one unit's result, when the run yields it. */
export function metricValue(result: UnitResult, metric: TrainingMetric): number | undefined {
  const { record } = result;
  if (record.status !== 'completed') return undefined;
  if (metric === 'imagesPerSecond') return record.imagesPerSecond;
  if (metric === 'generalizationGap') return generalizationGap(record);
  if (metric === 'meanResponseStd') {
    const stds = result.responses?.map((r) => r.std);
    return stds && stds.length > 0 ? mean(stds) : undefined;
  }
  return record.metrics[metric];
}

/** Each seed's value of a metric, for the runs that yield it. */
function seedValues(runs: readonly UnitResult[], metric: TrainingMetric): { seed: number; value: number }[] {
  return runs.flatMap((r) => {
    const value = metricValue(r, metric);
    return value === undefined ? [] : [{ seed: r.unit.seed, value }];
  });
}

const summaryOf = (values: readonly { seed: number; value: number }[]): BaselineSummary => ({ ...summarize(values.map((v) => v.value)), values: [...values].sort((a, b) => a.seed - b.seed) });

export function recordBaseline(results: ResultSet, suite: Suite, commit: string | null = null): Baseline {
  if (suite.kind !== 'training') throw new InputError(`${suite.name} counts architectures: the paper is its baseline, nothing to record`);
  if (results.fault) throw new InputError(`these results were made with the calibration fault "${results.fault}": they can never be a baseline`);
  checkConsistency(results, suite);
  if (results.expectedUnits.length === 0) throw new InputError('these results expect no runs: nothing to record');
  const missing = results.expectedUnits.filter((u) => !results.runs.some((r) => r.unit.id === u.id && r.record.status === 'completed'));
  if (missing.length > 0) throw new InputError(`cannot record a baseline from partial results: ${missing.map((u) => u.id).join(', ')} did not complete (merge all shards first)`);
  const metrics: Baseline['metrics'] = {};
  const curves: Baseline['curves'] = {};
  const durations: NonNullable<Baseline['durations']> = {};
  for (const model of [...new Set(results.runs.map((r) => r.unit.paperModel))]) {
    const runs = results.runs.filter((r) => r.unit.paperModel === model);
    metrics[model] = {};
    durations[model] = summaryOf(runs.map((r) => ({ seed: r.unit.seed, value: r.record.wallSeconds })));
    for (const metric of suite.metrics) {
      const values = seedValues(runs, metric);
      if (values.length > 0) metrics[model]![metric] = summaryOf(values);
    }
    const iterations = [...new Set(runs.flatMap((r) => r.record.curves.test.map((p) => p.iteration)))].sort((a, b) => a - b);
    curves[model] = iterations.map((iteration) => {
      const errors = runs.map((r) => r.record.curves.test.find((p) => p.iteration === iteration)?.testError).filter((v): v is number => v !== undefined);
      return { iteration, min: min(errors), max: max(errors), mean: mean(errors) };
    });
  }
  return Baseline.parse({
    schemaVersion: BASELINE_SCHEMA_VERSION,
    suite: results.suite,
    preset: results.preset,
    settings: results.settings,
    backend: results.backend,
    dataDigest: dataDigestOf(results.runs),
    recordedAt: new Date().toISOString(),
    history: [{ recordedAt: new Date().toISOString(), commit, seeds: [...new Set(results.runs.map((r) => r.unit.seed))].sort((a, b) => a - b) }],
    metrics,
    curves,
    durations,
  });
}

/** The copy of the data every run read, when each names it (checkConsistency refuses runs of two copies). */
function dataDigestOf(runs: ResultSet['runs']): string | undefined {
  const digests = new Set(runs.map((r) => r.record.dataset.digest ?? undefined));
  return digests.size === 1 ? [...digests][0] : undefined;
}

/**
 * Pools a new recording into a baseline (`baseline record --append`): more
 * seeds, a tighter estimate of the noise. Only the same suite version,
 * preset, recipe, backend, versions and machine pool, and only new seeds
 * (the same seed on the same numerics is the same run, not a new sample).
 */
/** A recording pools into a baseline only as more seeds of the same computation on the same machine. */
const POOLS_WITH: readonly Aspect<Baseline>[] = [
  aspect('suite', (b) => `${b.suite.name} v${b.suite.version}`),
  aspect('preset', (b) => b.preset),
  ...RECIPE.map((a) => aspect(a.name, (b: Baseline) => a.read(b.settings))),
  ...WHOLE_IDENTITY.map((a) => aspect(a.name, (b: Baseline) => a.read(b.backend))),
];

export function appendBaseline(existing: Baseline, added: Baseline, path: string): Baseline {
  const found = differences(existing, added, POOLS_WITH);
  if (found.length > 0) throw new InputError(`cannot pool into ${path}: ${describeDifferences(found, 'there', 'in these results')}`);
  if (existing.dataDigest && added.dataDigest && existing.dataDigest !== added.dataDigest) {
    throw new InputError(`cannot pool into ${path}: its runs read ${existing.dataDigest}, these read ${added.dataDigest} (another copy of ${existing.settings.dataset})`);
  }
  const metrics: Baseline['metrics'] = structuredClone(existing.metrics);
  for (const [model, byMetric] of Object.entries(added.metrics)) {
    for (const [metric, summary] of Object.entries(byMetric)) {
      const old = existing.metrics[model]?.[metric];
      if (old && (!old.values || !summary.values)) throw new InputError(`cannot pool into ${path}: it keeps no per-seed values (recorded before they were kept); record it again`);
      const clash = summary.values?.find((v) => old?.values?.some((o) => o.seed === v.seed));
      if (clash) throw new InputError(`cannot pool into ${path}: seed ${clash.seed} of ${model} is recorded already; pool other seeds (run --first-seed N)`);
      metrics[model] = { ...metrics[model], [metric]: summaryOf([...(old?.values ?? []), ...(summary.values ?? [])]) };
    }
  }
  const curves: Baseline['curves'] = { ...existing.curves };
  for (const [model, points] of Object.entries(added.curves)) {
    const before = existing.curves[model] ?? [];
    const nOld = existing.metrics[model]?.testError?.n ?? 0;
    const nNew = added.metrics[model]?.testError?.n ?? 0;
    curves[model] = points.map((p) => {
      const o = before.find((b) => b.iteration === p.iteration);
      return o ? { iteration: p.iteration, min: Math.min(o.min, p.min), max: Math.max(o.max, p.max), mean: (o.mean * nOld + p.mean * nNew) / Math.max(1, nOld + nNew) } : p;
    });
  }
  // Durations pool where both recordings kept them; otherwise the ones there are stay (an estimate, not a gate).
  const durations: NonNullable<Baseline['durations']> = { ...(added.durations ?? {}), ...(existing.durations ?? {}) };
  for (const [model, fresh] of Object.entries(added.durations ?? {})) {
    const old = existing.durations?.[model];
    if (old?.values && fresh.values) durations[model] = summaryOf([...old.values, ...fresh.values]);
  }
  return Baseline.parse({
    ...existing,
    // A recording that does not say which copy it read leaves the pool not saying either.
    dataDigest: existing.dataDigest === added.dataDigest ? existing.dataDigest : undefined,
    recordedAt: added.recordedAt,
    history: [...(existing.history ?? [{ recordedAt: existing.recordedAt, commit: null, seeds: [] }]), ...(added.history ?? [])],
    metrics,
    curves,
    ...(Object.keys(durations).length > 0 ? { durations } : {}),
  });
}
