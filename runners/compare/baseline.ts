/**
 * Recorded baselines: per suite × preset × backend, the mean, std and n over
 * seeds of each metric, and the envelope of the test-error curve. Written
 * from results by `baseline record`, reviewed in pull requests like code.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { mean, min, max } from 'simple-statistics';
import { z } from 'zod';
import type { Suite, TrainingMetric } from '../../suites/define.js';
import { InputError } from '../errors.js';
import { readVersionedJson } from '../json.js';
import { BASELINES_DIR } from '../paths.js';
import type { ResultSet, UnitResult } from '../suite/results.js';
import { summarize } from './stats.js';

export const BASELINE_SCHEMA_VERSION = 1 as const;

const Summary = z.object({ mean: z.number(), std: z.number(), n: z.number().int() });

export const Baseline = z.object({
  schemaVersion: z.literal(BASELINE_SCHEMA_VERSION),
  suite: z.object({ name: z.string(), version: z.number().int() }),
  preset: z.string(),
  settings: z.record(z.string(), z.unknown()),
  backend: z.object({ name: z.string(), device: z.string(), cpuModel: z.string(), gpuModel: z.string().nullable().default(null), versions: z.record(z.string(), z.string()) }),
  recordedAt: z.string(),
  /** paper model → metric → summary over seeds. */
  metrics: z.record(z.string(), z.record(z.string(), Summary)),
  /** paper model → test-error envelope over seeds, per evaluation. */
  curves: z.record(z.string(), z.array(z.object({ iteration: z.number().int(), min: z.number(), max: z.number(), mean: z.number() }))),
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

export function defaultBaselinePath(suite: string, preset: string, backend: string): string {
  return join(BASELINES_DIR, 'recorded', suite, preset, `${backend}.json`);
}

export function recordBaseline(results: ResultSet, suite: Suite): Baseline {
  if (suite.kind !== 'training') throw new InputError(`${suite.name} counts architectures: the paper is its baseline, nothing to record`);
  const missing = results.expectedUnits.filter((u) => !results.runs.some((r) => r.unit.id === u.id && r.record.status === 'completed'));
  if (missing.length > 0) throw new InputError(`cannot record a baseline from partial results: ${missing.map((u) => u.id).join(', ')} did not complete (merge all shards first)`);
  const metrics: Baseline['metrics'] = {};
  const curves: Baseline['curves'] = {};
  for (const model of [...new Set(results.runs.map((r) => r.unit.paperModel))]) {
    const runs = results.runs.filter((r) => r.unit.paperModel === model);
    metrics[model] = {};
    for (const metric of suite.metrics) {
      const values = runs.map((r) => metricValue(r, metric)).filter((v): v is number => v !== undefined);
      if (values.length > 0) metrics[model]![metric] = summarize(values);
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
    backend: { name: results.backend.name, device: results.backend.device, cpuModel: results.backend.cpuModel, gpuModel: results.backend.gpuModel, versions: results.backend.versions },
    recordedAt: new Date().toISOString(),
    metrics,
    curves,
  });
}

export function writeBaseline(path: string, baseline: Baseline): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(baseline, null, 1)}\n`);
}

export function readBaseline(path: string): Baseline | undefined {
  return existsSync(path) ? readVersionedJson(path, Baseline, BASELINE_SCHEMA_VERSION, 'baseline') : undefined;
}
