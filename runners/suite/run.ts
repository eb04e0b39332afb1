/**
 * Executes a suite (or one shard of it): each unit trains into its own run
 * folder under `<out>/runs/`, and the result set goes to `<out>/results.json`.
 * Re-running the same command continues: completed units are reused,
 * interrupted ones resume from their checkpoints.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { PresetName, Suite } from '../../suites/define.js';
import { type BackendInfo, backendRecord } from '../backend.js';
import { checkConformance, conformancePassed, type ConformanceReport, tensorsCompared } from '../conformance/check.js';
import { openDataset, prepareDataset } from '../data/datasets.js';
import type { TrainingData } from '../data/source.js';
import { InputError } from '../errors.js';
import { gitState } from '../git.js';
import { ensureDir, writeFileAtomically } from '../files.js';
import { buildModel } from '../models/build.js';
import { archFacts } from '../models/count.js';
import { parseModelName } from '../models/names.js';
import { layerResponses } from '../models/responses.js';
import { lockRunFolder } from '../train/lock.js';
import type { FaultName } from '../train/faults.js';
import { readRunRecord, type RunRecord } from '../train/record.js';
import { loadTrainedModel, type ProgressEvent, train } from '../train/train.js';
import { readResults, RESULTS_SCHEMA_VERSION, ResultSet, type UnitResult } from './results.js';
import { SuiteProgressTracker, type SuiteProgress } from './progress.js';
import { expandUnits, type Overrides, type ResolvedSettings, resolveSettings, type RunUnit, shardUnits, unitCost } from './units.js';

export interface RunSuiteOptions {
  readonly suite: Suite;
  readonly preset: PresetName;
  readonly overrides: Overrides;
  /** Where the dataset lives (cifar10, imagenet); not part of the settings. */
  readonly dataDir?: string;
  readonly shard: { readonly index: number; readonly count: number };
  readonly outDir: string;
  readonly backend: BackendInfo;
  /** A fault planted for calibration: recorded, never a baseline. */
  readonly fault?: FaultName;
  readonly log?: (line: string) => void;
  readonly onProgress?: (unit: RunUnit, event: ProgressEvent, suite: SuiteProgress) => void;
  readonly shouldStop?: () => boolean;
  /** The conformance tier before training (default on); off only to measure the statistics alone (calibration). */
  readonly conformance?: boolean;
}

/** Images read for the Fig. 7 response statistics. */
const RESPONSE_IMAGES = 500;

export async function runSuite(options: RunSuiteOptions): Promise<ResultSet> {
  const { suite, preset, backend } = options;
  const log = options.log ?? (() => {});
  const settings = resolveSettings(suite, preset, options.overrides);
  const expected = expandUnits(settings);
  const mine = options.shard.count === 1 ? expected : shardUnits(expected, unitCost, options.shard.index, options.shard.count);
  ensureDir(options.outDir);
  const unlock = lockRunFolder(options.outDir, log);
  const started = performance.now();
  try {
    const base = {
      schemaVersion: RESULTS_SCHEMA_VERSION,
      suite: { name: suite.name, version: suite.version, kind: suite.kind },
      preset,
      settings: settings as Record<string, unknown>,
      expectedUnits: expected,
      shards: { count: options.shard.count, included: [options.shard.index] },
      backend: backendRecord(backend),
      fault: options.fault ?? null,
      createdAt: new Date().toISOString(),
      git: gitState(),
    };
    refuseOtherRun(options.outDir, base);
    if (suite.kind === 'architecture') {
      const architecture = mine.map((unit) => {
        const built = buildModel(parseModelName(unit.model), { init: 'zeros' });
        try {
          return { unit, facts: archFacts(built) };
        } finally {
          built.model.dispose();
          tf.disposeVariables();
        }
      });
      return write(options.outDir, { ...base, wallSeconds: (performance.now() - started) / 1000, runs: [], architecture });
    }
    const training = settings as ResolvedSettings;
    await prepareDataset({ name: training.dataset, dir: options.dataDir }, log);
    const data = openDataset({ name: training.dataset, dir: options.dataDir, trainLimit: training.trainLimit, testLimit: training.testLimit, side: training.imageSize });
    log(`${suite.name} (${preset}): ${mine.length} of ${expected.length} runs on this shard, ${data.name}, ${training.iterations} iterations each`);
    const conformance = options.conformance === false ? null : await conformanceOf(mine, training, data, options.fault);
    if (conformance === null) log('conformance: skipped (--no-conformance)');
    else log(`conformance: ${conformancePassed(conformance) ? 'pass' : 'FAIL'}, ${tensorsCompared(conformance)} tensors compared for ${conformance.models.length} model(s) in ${conformance.seconds.toFixed(1)} s`);
    if (conformance && !conformancePassed(conformance)) {
      // The code does not compute what the paper's does: no training can change that verdict.
      log('conformance failed: not training (see the comparison for what differs)');
      return write(options.outDir, { ...base, wallSeconds: (performance.now() - started) / 1000, runs: [], architecture: [], conformance });
    }
    const runs: UnitResult[] = [];
    const tracker = new SuiteProgressTracker(new Map(mine.map((u) => [u.id, unitCost(u)])));
    for (const [i, unit] of mine.entries()) {
      if (options.shouldStop?.()) break;
      const dir = join(options.outDir, 'runs', unit.id);
      log(`[${i + 1}/${mine.length}] ${unit.id}`);
      const onProgress = options.onProgress && ((e: ProgressEvent) => options.onProgress!(unit, e, tracker.update(unit, e)));
      const record = await trainUnit(unit, dir, training, data, options, onProgress);
      tracker.finish(unit);
      const responses = suite.layerResponses && record.status === 'completed' ? await readResponses(dir, data) : undefined;
      runs.push({ unit, dir: relative(options.outDir, dir), record, ...(responses ? { responses } : {}) });
      if (record.status === 'interrupted') break;
    }
    return write(options.outDir, { ...base, wallSeconds: (performance.now() - started) / 1000, runs, architecture: [], conformance });
  } finally {
    unlock();
  }
}

/**
 * A folder holds one suite run: results of another suite, version, preset,
 * settings, backend, machine or fault there are refused, not overwritten.
 */
function refuseOtherRun(outDir: string, ours: Pick<ResultSet, 'suite' | 'preset' | 'settings' | 'backend' | 'fault'> & { shards: { count: number } }): void {
  const path = join(outDir, 'results.json');
  if (!existsSync(path)) return;
  const theirs = readResults(path);
  // The machine is each run folder's to answer (provenanceDifferences): an interrupted run may resume elsewhere.
  const aspects: [string, (r: typeof ours) => unknown][] = [
    ['suite', (r) => `${r.suite.name} v${r.suite.version}`],
    ['preset', (r) => r.preset],
    ['settings', (r) => JSON.stringify(r.settings)],
    ['backend', (r) => `${r.backend.name} ${JSON.stringify(r.backend.versions)}`],
    ['device', (r) => r.backend.device],
    ['fault', (r) => r.fault ?? 'none'],
    ['shards', (r) => r.shards.count],
  ];
  const differ = aspects.filter(([, f]) => f(theirs) !== f(ours)).map(([what, f]) => `${what} ${String(f(theirs))} there, ${String(f(ours))} now`);
  if (differ.length > 0) throw new InputError(`${outDir} holds another suite run (${differ.join('; ')}). Choose another --out, or delete that folder.`);
}

/**
 * What a run folder's record must match to be reused or resumed for a unit:
 * the same model, seed, recipe, data, fault, backend and versions, and for a
 * completed run the same machine. An interrupted run may resume on another
 * machine identity: it completes and records every machine it ran on (it
 * cannot replay then). Returns the differences, named.
 */
function provenanceDifferences(record: RunRecord, unit: RunUnit, settings: ResolvedSettings, data: TrainingData, backend: BackendInfo, fault: FaultName | undefined): string[] {
  const ours = backendRecord(backend);
  const host = record.host;
  const checks: [string, unknown, unknown][] = [
    ['model', record.model, unit.model],
    ['seed', record.seed, unit.seed],
    ['iterations', record.config.iterations, settings.iterations],
    ['batch size', record.config.batchSize, settings.batchSize],
    ['log interval', record.config.logEvery, settings.logEvery],
    ['eval interval', record.config.evalEvery, settings.evalEvery],
    ['dataset', `${record.dataset.name} (${record.dataset.trainImages}/${record.dataset.testImages} images)`, `${data.name} (${data.trainCount}/${data.testCount} images)`],
    ['fault', record.fault ?? null, fault ?? null],
    ['backend', record.backend.name, ours.name],
    ['versions', JSON.stringify(record.backend.versions), JSON.stringify(ours.versions)],
    ['device', record.backend.device, ours.device],
    ['GPU', host.gpuModel ?? null, ours.gpuModel],
  ];
  if (record.status !== 'interrupted') {
    checks.push(
      ['CPU', host.cpuModel, ours.cpuModel],
      ['cores', host.cpus, ours.cpuCores],
      ['CPU extensions', JSON.stringify(host.cpuFeatures ?? 'unknown'), JSON.stringify(ours.cpuFeatures)],
      ['numerics environment', JSON.stringify(host.env ?? 'unknown'), JSON.stringify(ours.env)],
    );
  }
  return checks.filter(([, a, b]) => a !== b).map(([what, a, b]) => `${what} ${String(a)} (now ${String(b)})`);
}

/** Trains a unit, or reuses its completed run, or resumes its interrupted one — only when that run is this unit's, here. */
async function trainUnit(
  unit: RunUnit,
  dir: string,
  settings: ResolvedSettings,
  data: TrainingData,
  options: RunSuiteOptions,
  onProgress: ((event: ProgressEvent) => void) | undefined,
): Promise<RunRecord> {
  const runFile = join(dir, 'run.json');
  let resume = false;
  if (existsSync(runFile)) {
    const previous = readRunRecord(runFile);
    const differences = provenanceDifferences(previous, unit, settings, data, options.backend, options.fault);
    if (differences.length > 0) {
      throw new InputError(`${dir} holds a run made differently: ${differences.join('; ')}. Its results cannot stand for this run: use another --out, or delete that folder.`);
    }
    if (previous.status !== 'interrupted') {
      options.log?.(`${unit.id}: reusing its ${previous.status} run`);
      return previous;
    }
    resume = true;
  } else if (existsSync(join(dir, 'checkpoint.ckpt'))) {
    resume = true; // killed before it could write run.json
  }
  return train({
    model: unit.model,
    data,
    iterations: settings.iterations,
    seed: unit.seed,
    outDir: dir,
    resume,
    batchSize: settings.batchSize,
    logEvery: settings.logEvery,
    evalEvery: settings.evalEvery,
    checkpointEvery: Math.max(settings.logEvery, Math.min(settings.iterations, 500)),
    backend: options.backend,
    ...(options.fault ? { fault: options.fault } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(onProgress ? { onProgress } : {}),
    ...(options.shouldStop ? { shouldStop: options.shouldStop } : {}),
  });
}

/** The conformance tier for the models of these units, each checked with its first seed. */
function conformanceOf(units: readonly RunUnit[], settings: ResolvedSettings, data: TrainingData, fault: FaultName | undefined): Promise<ConformanceReport> {
  const first = new Map<string, number>();
  for (const u of units) first.set(u.model, Math.min(first.get(u.model) ?? u.seed, u.seed));
  const models = [...first].map(([model, seed]) => ({ model, seed }));
  return checkConformance(models, { iterations: settings.iterations, side: data.side, classes: data.classes, fault: fault ?? null });
}

async function readResponses(dir: string, data: TrainingData) {
  const built = loadTrainedModel(dir, data.side, data.classes);
  try {
    for await (const batch of data.testBatches(RESPONSE_IMAGES, 'single')) {
      const images = tf.tensor4d(batch.images, [batch.size, data.side, data.side, 3]);
      try {
        return layerResponses(built, images);
      } finally {
        images.dispose();
      }
    }
    throw new InputError(`no test images to read layer responses from`);
  } finally {
    built.model.dispose();
  }
}

function write(outDir: string, results: ResultSet): ResultSet {
  const valid = ResultSet.parse(results);
  writeFileAtomically(join(outDir, 'results.json'), `${JSON.stringify(valid, null, 1)}\n`);
  return valid;
}
