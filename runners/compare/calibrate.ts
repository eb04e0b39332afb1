/**
 * The gate's sensitivity, measured: clean reruns (new seeds, the same code)
 * and runs with each planted fault, all compared with one baseline as a
 * nightly would be. A fault the gate catches fails its comparison; a clean
 * rerun that fails is a false alarm. Each run trains into its own folder
 * under the output, so an interrupted calibration continues where it stopped.
 */
import { join } from 'node:path';
import type { PresetName } from '../records/recipe.js';
import type { Suite } from '../../suites/define.js';
import type { BackendInfo } from '../backend.js';
import type { Baseline } from '../records/baseline.js';
import { type Comparison, type RowVerdict, compare } from './compare.js';
import { planPreset } from './plan.js';
import type { FaultName } from '../records/faults.js';
import type { ProgressEvent } from '../train/train.js';
import type { ResultSet } from '../records/results.js';
import { runSuite } from '../suite/run.js';
import type { RunUnit } from '../suite/units.js';

export interface CalibrationOptions {
  readonly suite: Suite;
  readonly preset: PresetName;
  /** Models and seeds per model; by default the baseline's. The recipe (iterations, batch, data) is always the baseline's. */
  readonly models?: readonly string[];
  readonly seeds?: number;
  /** Clean reruns, each with seeds none of the baseline's nor another rerun's. */
  readonly reruns: number;
  readonly faults: readonly FaultName[];
  readonly baseline: { readonly path: string; readonly data: Baseline };
  readonly dataDir?: string;
  readonly outDir: string;
  readonly backend: BackendInfo;
  readonly log?: (line: string) => void;
  readonly onProgress?: (unit: RunUnit, event: ProgressEvent) => void;
  readonly shouldStop?: () => boolean;
  /** The conformance tier before each run (default on); off to measure what the statistics alone catch. */
  readonly conformance?: boolean;
}

/** One gated row of a calibration run: its shift against what these seeds, and the preset's design, can detect. */
export interface GatedShift {
  readonly model: string;
  readonly metric: string;
  /** Ours − baseline, in the metric's unit (fractions for errors). */
  readonly shift: number;
  /** The harmful shift this run's seeds detect against the baseline (power 0.8 at the row's α). */
  readonly detectable: number;
  /** What the preset's own seeds detect against the baseline (`resnet-repro plan`): whether the design would see this shift. */
  readonly designDetectable: number | undefined;
  readonly verdict: RowVerdict;
}

export interface CalibrationRow {
  /** "clean rerun 1", or the fault's name. */
  readonly name: string;
  readonly fault: FaultName | null;
  readonly seeds: readonly number[];
  readonly verdict: Comparison['verdict'];
  /** What failed, tier first: conformance checks (model, kind, tensor), learnability, rows (regression, at chance, diverged), gated claims. */
  readonly caughtBy: readonly string[];
  readonly inconclusiveRows: number;
  /** The largest harmful shift of test error among the models, in the metric's unit. */
  readonly worstTestErrorShift: number | undefined;
  /** Every gated row that was tested (errors and throughput), with what could have seen its shift. */
  readonly gatedShifts: readonly GatedShift[];
  /** Its runs' training wall time, summed, whichever process trained them (a continued calibration reuses complete runs). */
  readonly wallSeconds: number;
}

export async function calibrate(options: CalibrationOptions): Promise<CalibrationRow[]> {
  const { suite, preset, baseline } = options;
  const settings = baseline.data.settings;
  const seeds = options.seeds ?? settings.seeds;
  const models = options.models ?? settings.models;
  const recorded = Object.values(baseline.data.metrics).flatMap((m) => Object.values(m).flatMap((s) => s.values?.map((v) => v.seed) ?? []));
  const firstFree = Math.max(seeds, (settings.firstSeed ?? 1) + settings.seeds - 1, ...recorded) + 1;
  const plan: { name: string; fault: FaultName | null; firstSeed: number }[] = [
    ...Array.from({ length: options.reruns }, (_, k) => ({ name: `clean rerun ${k + 1}`, fault: null, firstSeed: firstFree + k * seeds })),
    ...options.faults.map((fault) => ({ name: fault, fault, firstSeed: 1 })),
  ];
  const design = suite.kind === 'training' ? planPreset(suite, preset, baseline.data).rows : [];
  const designDetectable = (model: string, metric: string) => design.find((r) => r.model === model && r.metric === metric)?.detectable;
  const rows: CalibrationRow[] = [];
  for (const step of plan) {
    if (options.shouldStop?.()) break;
    options.log?.(`calibration: ${step.name} (seeds ${step.firstSeed}…${step.firstSeed + seeds - 1})`);
    const results = await runSuite({
      suite,
      preset,
      overrides: { models, iterations: settings.iterations, evalEvery: settings.evalEvery, seeds, firstSeed: step.firstSeed },
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      shard: { index: 1, count: 1 },
      outDir: join(options.outDir, step.fault ?? `clean-${step.firstSeed}`),
      backend: options.backend,
      ...(step.fault ? { fault: step.fault } : {}),
      ...(options.log ? { log: options.log } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.shouldStop ? { shouldStop: options.shouldStop } : {}),
      ...(options.conformance === false ? { conformance: false } : {}),
    });
    if (results.runs.some((r) => r.record.status === 'interrupted')) break;
    rows.push(calibrationRow(step.name, step.fault, results, compare(results, suite, baseline), designDetectable));
  }
  return rows;
}

/** The conformance checks that failed, one entry per kind: its models and its first tensor ("conformance optimizer: plain20-w4, resnet20-w4 (velocity of kernel …)"). */
function conformanceCaught(c: Comparison): string[] {
  const byKind = new Map<string, { models: string[]; tensor: string }>();
  for (const f of c.conformance?.failures ?? []) {
    const entry = byKind.get(f.kind) ?? { models: [], tensor: f.tensor };
    entry.models.push(f.model);
    byKind.set(f.kind, entry);
  }
  return [...byKind].map(([kind, e]) => `conformance ${kind}: ${e.models.join(', ')} (${e.tensor})`);
}

function calibrationRow(name: string, fault: FaultName | null, results: ResultSet, c: Comparison, designDetectable: (model: string, metric: string) => number | undefined): CalibrationRow {
  const shifts = c.rows.filter((r) => r.metric === 'testError' && r.delta !== undefined).map((r) => r.delta!);
  return {
    name,
    fault,
    seeds: [...new Set(results.expectedUnits.map((u) => u.seed))],
    verdict: c.verdict,
    caughtBy: [
      ...conformanceCaught(c),
      ...c.learnability.filter((l) => l.judged && !l.learned).map((l) => `learnability: ${l.model}`),
      ...c.rows.filter((r) => r.verdict === 'regression' || r.verdict === 'broken' || r.verdict === 'diverged').map((r) => `${r.model} ${r.metric} (${r.verdict})`),
      ...c.claims.filter((k) => k.gated && k.verdict === 'fails').map((k) => `claim ${k.id}`),
    ],
    inconclusiveRows: c.rows.filter((r) => r.verdict === 'inconclusive').length,
    worstTestErrorShift: shifts.length > 0 ? Math.max(...shifts) : undefined,
    gatedShifts: c.rows.flatMap((r) =>
      r.test && r.delta !== undefined ? [{ model: r.model, metric: r.metric, shift: r.delta, detectable: r.test.detectable, designDetectable: designDetectable(r.model, r.metric), verdict: r.verdict }] : [],
    ),
    wallSeconds: results.runs.reduce((t, r) => t + r.record.wallSeconds, 0),
  };
}
