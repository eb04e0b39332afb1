/** Fabricated, schema-valid result sets: to test comparison and gating without training. */
import type { Suite } from '../../suites/define.js';
import { recordBaseline } from '../../runners/compare/baseline.js';
import type { ConformanceReport } from '../../runners/records/conformance.js';
import { ResultSet } from '../../runners/records/results.js';
import type { BackendChoice } from '../../runners/backend.js';
import { expandUnits, resolveSettings } from '../../runners/suite/units.js';
import { type Recipe } from '../../runners/records/recipe.js';
import type { RunRecord } from '../../runners/records/run-record.js';

export interface FakeRun {
  readonly testError: number;
  readonly trainError?: number;
  readonly imagesPerSecond?: number;
  readonly status?: 'completed' | 'diverged';
  /** The logged training loss (default 1: a net that learned). */
  readonly trainLoss?: number;
}

function record(model: string, seed: number, run: FakeRun, backend: BackendChoice, settings: { iterations: number; batchSize: number; dataset: string }): RunRecord {
  const { iterations, batchSize } = settings;
  const common = {
    schemaVersion: 1 as const,
    model,
    dataset: { name: settings.dataset, dir: null, trainImages: 512, testImages: 256, testSplit: 'test' },
    seed,
    config: { batchSize, iterations, schedule: { baseLearningRate: 0.1, milestones: [iterations / 2, (3 * iterations) / 4], iterations }, momentum: 0.9, weightDecay: 1e-4, logEvery: 10, evalEvery: 40, checkpointEvery: 40 },
    architecture: { layers: 20, trainableParams: 1000, multiplyAdds: 1e6, inputSize: 32, classes: 10 },
    backend: { name: backend, device: 'cpu' as const, versions: {} },
    host: { cpuModel: 'test cpu', cpus: 2, memoryBytes: 1, platform: 'linux x64', node: 'v20' },
    git: null,
    startedAt: '2026-01-01T00:00:00Z',
    finishedAt: '2026-01-01T00:01:00Z',
    wallSeconds: 60,
    iterations,
    imagesPerSecond: run.imagesPerSecond ?? 100,
    pipelineImagesPerSecond: 10_000,
    inputWaitSeconds: 0,
    curves: { train: [{ iteration: iterations, trainError: run.trainError ?? run.testError, loss: run.trainLoss ?? 1, learningRate: 0.001, imagesPerSecond: run.imagesPerSecond ?? 100 }], test: [{ iteration: iterations, testError: run.testError, loss: 1 }] },
  };
  return run.status === 'diverged'
    ? { ...common, status: 'diverged', divergedAt: 3, metrics: {} }
    : { ...common, status: 'completed', metrics: { testError: run.testError, trainError: run.trainError ?? run.testError, loss: 1 } };
}

/** A conformance report in which every model passed one check: what a clean run carries. */
export function passingConformance(models: readonly string[]): ConformanceReport {
  const check = { kind: 'logits-evaluation' as const, tensors: 1, tolerance: 1e-5, worst: { tensor: 'logits', value: 1e-7, tolerance: 1e-5 }, failed: 0, failures: [] };
  return { models: models.map((model) => ({ model, twin: `${model}-w4`, reference: 'torch (test)', checks: [check] })), run: [], seconds: 0.1 };
}

/**
 * Results of a suite at a preset where `runs[model][i]` is seed i+1's outcome, with a passing
 * conformance report unless told otherwise (null: skipped; 'missing': results from before the tier).
 */
export function fakeResults(suite: Suite, preset: 'smoke' | 'nightly', runs: Record<string, FakeRun[]>, backend: BackendChoice = 'cpu', conformance?: ConformanceReport | null | 'missing'): ResultSet {
  const models = Object.keys(runs);
  const seeds = Math.max(...Object.values(runs).map((r) => r.length));
  const settings = resolveSettings(suite, preset, { models, seeds });
  const units = expandUnits(settings);
  return ResultSet.parse({
    schemaVersion: 1,
    suite: { name: suite.name, version: suite.version, kind: suite.kind },
    preset,
    settings,
    expectedUnits: units,
    shards: { count: 1, included: [1] },
    backend: { name: backend, device: 'cpu', versions: {}, cpuModel: 'test cpu' },
    createdAt: '2026-01-01T00:00:00Z',
    wallSeconds: 1,
    runs: units
      .filter((u) => runs[u.paperModel]![u.seed - 1] !== undefined)
      .map((u) => ({ unit: u, dir: `runs/${u.id}`, record: record(u.model, u.seed, runs[u.paperModel]![u.seed - 1]!, backend, settings as Recipe) })),
    architecture: [],
    ...(conformance === 'missing' ? {} : { conformance: conformance === undefined ? passingConformance(models) : conformance }),
  });
}

export function baselineFrom(suite: Suite, results: ResultSet) {
  return { path: 'baseline.json', data: recordBaseline(results, suite) };
}
