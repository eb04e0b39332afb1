/**
 * Recorded baselines: per suite × preset × backend, the mean, std and n over
 * seeds of each metric, and the envelope of the test-error curve. Written
 * from results by `baseline record`, reviewed in pull requests like code.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { mean, min, max } from 'simple-statistics';
import { z } from 'zod';
import { PRESETS, type Suite, type TrainingMetric } from '../../suites/define.js';
import { InputError } from '../errors.js';
import { writeFileAtomically } from '../files.js';
import { readVersionedJson } from '../json.js';
import { BackendRecord, describeCpu } from '../machine.js';
import { BASELINES_DIR } from '../paths.js';
import { checkConsistency, pathNames, type ResultSet, SUITE_NAME, type UnitResult } from '../suite/results.js';
import { recipeSettings } from '../suite/units.js';
import { summarize } from './stats.js';

export const BASELINE_SCHEMA_VERSION = 1 as const;

/** Mean, std and n over seeds, and (since they were kept) each seed's value: replay checks and pooling need them. */
const Summary = z
  .object({
    mean: z.number(),
    std: z.number().nonnegative(),
    n: z.number().int().positive(),
    values: z.array(z.object({ seed: z.number().int(), value: z.number() })).optional(),
  })
  .refine((s) => !s.values || summaryAgrees(s, s.values.map((v) => v.value)), { message: 'mean, std and n disagree with the per-seed values they summarise' })
  .refine((s) => !s.values || new Set(s.values.map((v) => v.seed)).size === s.values.length, { message: 'a seed is listed twice' });
export type BaselineSummary = z.infer<typeof Summary>;

function summaryAgrees(s: { mean: number; std: number; n: number }, values: readonly number[]): boolean {
  if (values.length !== s.n) return false;
  const computed = summarize(values);
  const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
  return close(computed.mean, s.mean) && close(computed.std, s.std);
}

export const Baseline = z.object({
  schemaVersion: z.literal(BASELINE_SCHEMA_VERSION),
  suite: z.object({ name: z.string().regex(SUITE_NAME), version: z.number().int() }),
  preset: z.enum(PRESETS),
  settings: z.record(z.string(), z.unknown()),
  backend: BackendRecord,
  recordedAt: z.string(),
  /** Each recording pooled into this baseline (`baseline record --append`): when, from which commit, which seeds. */
  history: z.array(z.object({ recordedAt: z.string(), commit: z.string().nullable(), seeds: z.array(z.number().int()) })).optional(),
  /** paper model → metric → summary over seeds. */
  metrics: z.record(z.string(), z.record(z.string(), Summary)),
  /** paper model → test-error envelope over seeds, per evaluation. */
  curves: z.record(z.string(), z.array(z.object({ iteration: z.number().int(), min: z.number(), max: z.number(), mean: z.number() }))),
  /** paper model → wall seconds of one run over seeds, on the baseline's machine: what `plan` times shards with. */
  durations: z.record(z.string(), Summary).optional(),
});
export type Baseline = z.infer<typeof Baseline>;

/** A metric's value in one unit's result, when the run yields it. */
export function metricValue(result: UnitResult, metric: TrainingMetric): number | undefined {
  const { record } = result;
  if (record.status !== 'completed') return undefined;
  if (metric === 'imagesPerSecond') return record.imagesPerSecond;
  if (metric === 'meanResponseStd') {
    const stds = result.responses?.map((r) => r.std);
    return stds && stds.length > 0 ? mean(stds) : undefined;
  }
  return record.metrics[metric];
}

/** Where a suite × preset × backend's baseline lives, under baselines/recorded/ (`pathNames` checks the names). */
export function defaultBaselinePath(suite: string, preset: string, backend: string): string {
  const [s, p, b] = pathNames('baseline', suite, preset, backend);
  return join(BASELINES_DIR, 'recorded', s, p, `${b}.json`);
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
    recordedAt: new Date().toISOString(),
    history: [{ recordedAt: new Date().toISOString(), commit, seeds: [...new Set(results.runs.map((r) => r.unit.seed))].sort((a, b) => a - b) }],
    metrics,
    curves,
    durations,
  });
}

/**
 * Pools a new recording into a baseline (`baseline record --append`): more
 * seeds, a tighter estimate of the noise. Only the same suite version,
 * preset, recipe, backend, versions and machine pool, and only new seeds
 * (the same seed on the same numerics is the same run, not a new sample).
 */
export function appendBaseline(existing: Baseline, added: Baseline, path: string): Baseline {
  const same = (what: string, a: unknown, b: unknown) => {
    if (JSON.stringify(a) !== JSON.stringify(b)) throw new InputError(`cannot pool into ${path}: its ${what} is ${JSON.stringify(a)}, these results' is ${JSON.stringify(b)}`);
  };
  same('suite', existing.suite, added.suite);
  same('preset', existing.preset, added.preset);
  same('recipe', recipeSettings(existing.settings), recipeSettings(added.settings));
  same('backend', `${existing.backend.name} ${JSON.stringify(existing.backend.versions)} on ${describeCpu(existing.backend)}`, `${added.backend.name} ${JSON.stringify(added.backend.versions)} on ${describeCpu(added.backend)}`);
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
    recordedAt: added.recordedAt,
    history: [...(existing.history ?? [{ recordedAt: existing.recordedAt, commit: null, seeds: [] }]), ...(added.history ?? [])],
    metrics,
    curves,
    ...(Object.keys(durations).length > 0 ? { durations } : {}),
  });
}

export function writeBaseline(path: string, baseline: Baseline): void {
  writeFileAtomically(path, `${JSON.stringify(baseline, null, 1)}\n`);
}

export function readBaseline(path: string): Baseline | undefined {
  return existsSync(path) ? readVersionedJson(path, Baseline, BASELINE_SCHEMA_VERSION, 'baseline') : undefined;
}
