/**
 * Executes a suite (or one shard of it): each unit trains into its own run
 * folder under `<out>/runs/`, and the result set goes to `<out>/results.json`.
 * Re-running the same command continues: completed units are reused,
 * interrupted ones resume from their checkpoints.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { type PresetName, isRecipe, type Recipe } from '../records/recipe.js';
import type { Suite } from '../../suites/define.js';
import { type BackendInfo, backendRecord } from '../backend.js';
import { checkConformance } from '../conformance/check.js';
import { conformancePassed, type ConformanceReport, tensorsCompared } from '../records/conformance.js';
import { openDataset, prepareDataset } from '../data/datasets.js';
import type { TrainingData } from '../data/source.js';
import { InputError } from '../errors.js';
import { gitState } from '../git.js';
import { ensureDir, writeFileAtomically } from '../files.js';
import { buildModel } from '../models/build.js';
import { archFacts } from '../models/count.js';
import { parseModelName } from '../models/names.js';
import { layerResponses } from '../models/responses.js';
import { type Aspect, aspect, type Difference, describeDifferences, differences } from '../records/differences.js';
import type { FaultName } from '../records/faults.js';
import { ACCELERATOR, BUILD, WHOLE_IDENTITY } from '../records/identity.js';
import { DATA_COPY, DATASET, FAULT, MODEL_AND_SEED, ofIdentity, provenanceOfRun, RUN_RECIPE, type RunProvenance } from '../records/provenance.js';
import { ONE_SUITE_RUN, readResults, RESULTS_SCHEMA_VERSION, ResultSet, type SuiteRun, type UnitResult } from '../records/results.js';
import { readRunRecord, type RunRecord } from '../records/run-record.js';
import { lockRunFolder } from '../train/lock.js';
import { loadTrainedModel, type ProgressEvent, train } from '../train/train.js';
import { SuiteProgressTracker, type SuiteProgress } from './progress.js';
import { expandUnits, type Overrides, resolveSettings, type RunUnit, shardUnits, unitCost } from './units.js';

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
      settings,
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
    if (!isRecipe(settings)) throw new Error(`${suite.name} is a training suite, yet its settings are not a recipe`);
    const training = settings;
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
    for (const unit of mine) if (finishedEarlier(join(options.outDir, 'runs', unit.id))) tracker.finish(unit);
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
 * settings, backend, device, fault or shard count there are refused, not
 * overwritten. The machine is each run folder's to answer (provenanceDifferences):
 * an interrupted run may resume elsewhere.
 */
function refuseOtherRun(outDir: string, ours: SuiteRun): void {
  const path = join(outDir, 'results.json');
  if (!existsSync(path)) return;
  const found = differences<SuiteRun>(readResults(path), ours, FOLDER_HOLDS);
  if (found.length > 0) throw new InputError(`${outDir} holds another suite run (${describeDifferences(found)}). Choose another --out, or delete that folder.`);
}

/** An --out folder holds one suite run on one kind of device (the CPU is each run folder's to answer). */
const FOLDER_HOLDS: readonly Aspect<SuiteRun>[] = [...ONE_SUITE_RUN, ...ACCELERATOR.map((a) => aspect(a.name, (r: SuiteRun) => a.read(r.backend)))];

/**
 * What a run folder's record must match to be reused or resumed for a unit:
 * the same model, seed, recipe, data, fault, backend and versions, and for a
 * completed run the same machine. An interrupted run may resume on another
 * machine identity: it completes and records every machine it ran on (it
 * cannot replay then).
 */
function provenanceDifferences(record: RunRecord, unit: RunUnit, recipe: Recipe, data: TrainingData, backend: BackendInfo, fault: FaultName | undefined): Difference[] {
  const asked: RunProvenance = {
    model: unit.model,
    seed: unit.seed,
    iterations: recipe.iterations,
    batchSize: recipe.batchSize,
    logEvery: recipe.logEvery,
    evalEvery: recipe.evalEvery,
    dataset: { name: data.name, trainImages: data.trainCount, testImages: data.testCount, digest: data.digest },
    fault: fault ?? null,
    identity: backendRecord(backend),
  };
  const machine = record.status === 'interrupted' ? [...BUILD, ...ACCELERATOR] : WHOLE_IDENTITY;
  // A record from before digests cannot say which copy it read: it is reused as before (its resume adopts this copy, train.ts).
  const copy = record.dataset.digest === undefined ? [] : [DATA_COPY];
  return differences(provenanceOfRun(record), asked, [...MODEL_AND_SEED, ...RUN_RECIPE, DATASET, ...copy, FAULT, ...ofIdentity(machine)]);
}

/** Whether a run folder holds a run that will be reused rather than trained (if it is this unit's: trainUnit checks). */
function finishedEarlier(dir: string): boolean {
  const runFile = join(dir, 'run.json');
  return existsSync(runFile) && readRunRecord(runFile).status !== 'interrupted';
}

/** Trains a unit, or reuses its completed run, or resumes its interrupted one — only when that run is this unit's, here. */
async function trainUnit(
  unit: RunUnit,
  dir: string,
  settings: Recipe,
  data: TrainingData,
  options: RunSuiteOptions,
  onProgress: ((event: ProgressEvent) => void) | undefined,
): Promise<RunRecord> {
  const runFile = join(dir, 'run.json');
  let resume = false;
  if (existsSync(runFile)) {
    const previous = readRunRecord(runFile);
    const differ = provenanceDifferences(previous, unit, settings, data, options.backend, options.fault);
    if (differ.length > 0) {
      throw new InputError(`${dir} holds a run made differently: ${describeDifferences(differ)}. Its results cannot stand for this run: use another --out, or delete that folder.`);
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
function conformanceOf(units: readonly RunUnit[], settings: Recipe, data: TrainingData, fault: FaultName | undefined): Promise<ConformanceReport> {
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
