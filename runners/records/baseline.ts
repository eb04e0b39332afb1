/**
 * Recorded baselines: per suite × preset × backend, the mean, std and n over
 * seeds of each metric, and the envelope of the test-error curve. Written
 * from results by `baseline record`, reviewed in pull requests like code.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { PRESETS, Recipe } from './recipe.js';
import { writeFileAtomically } from '../files.js';
import { readVersionedJson } from '../json.js';
import { BASELINES_DIR } from '../paths.js';
import { BackendRecord } from './identity.js';
import { pathNames, SUITE_NAME } from './results.js';
import { summarize } from './summary.js';

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
  /** The recipe the baseline was recorded with (a baseline is of a training suite). */
  settings: Recipe,
  backend: BackendRecord,
  /** The copy of the data every run read ("sha256:…", run records' dataset.digest); absent when a run did not say. */
  dataDigest: z.string().optional(),
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

/** Where a suite × preset × backend's baseline lives, under baselines/recorded/ (`pathNames` checks the names). */
export function defaultBaselinePath(suite: string, preset: string, backend: string): string {
  const [s, p, b] = pathNames('baseline', suite, preset, backend);
  return join(BASELINES_DIR, 'recorded', s, p, `${b}.json`);
}

export function writeBaseline(path: string, baseline: Baseline): void {
  writeFileAtomically(path, `${JSON.stringify(baseline, null, 1)}\n`);
}

export function readBaseline(path: string): Baseline | undefined {
  return existsSync(path) ? readVersionedJson(path, Baseline, BASELINE_SCHEMA_VERSION, 'baseline') : undefined;
}
