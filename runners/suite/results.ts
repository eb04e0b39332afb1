/**
 * What a suite run's results must say before anything is judged from them:
 * one consistent thing (checkConsistency), and shards that belong together
 * (mergeResults). The schema is records/results.ts.
 */
import type { Suite } from '../../suites/define.js';
import type { ConformanceCheck } from '../records/conformance.js';
import { InputError } from '../errors.js';
import { type Aspect, describeDifferences, differences } from '../records/differences.js';
import { type BackendRecord, BUILD, CPU_MODEL, WHOLE_IDENTITY } from '../records/identity.js';
import { BATCH_SIZE, DATASET_NAME, FAULT, ITERATIONS, MODEL_AND_SEED, ofIdentity, provenanceOfRun, type RunProvenance } from '../records/provenance.js';
import { isRecipe } from '../records/recipe.js';
import { ONE_SUITE_RUN, type ResultSet } from '../records/results.js';
import { expandUnits } from './units.js';

/**
 * Checks that a result set says one consistent thing before anything is
 * judged or recorded from it: its expected units are those its settings
 * define, each once; every run is one of them, once; and every run record
 * agrees with the result set (model, seed, recipe, dataset, backend,
 * versions, machine). Throws an InputError naming the first disagreement.
 */
export function checkConsistency(results: ResultSet, suite: Suite, path = 'the results'): void {
  if (results.suite.name !== suite.name) throw new InputError(`${path} are for suite ${results.suite.name}, not ${suite.name}`);
  const ids = results.expectedUnits.map((u) => u.id);
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (twice.length > 0) throw new InputError(`${path} expect unit ${twice[0]} more than once`);
  // Which model a unit stands for decides what it is compared with: it must follow from the settings.
  const key = (u: { id: string }) => u.id;
  const defined = expandUnits(results.settings).sort((a, b) => key(a).localeCompare(key(b)));
  const listed = [...results.expectedUnits].sort((a, b) => key(a).localeCompare(key(b)));
  if (JSON.stringify(defined) !== JSON.stringify(listed.map(({ id, model, paperModel, seed }) => ({ id, model, paperModel, seed })))) {
    throw new InputError(`${path}: expected units (${ids.join(', ') || 'none'}) are not the units their settings define (${defined.map(key).join(', ') || 'none'})`);
  }
  const byId = new Map(results.expectedUnits.map((u) => [u.id, u]));
  const seen = new Set<string>();
  for (const run of [...results.runs.map((r) => r.unit), ...results.architecture.map((a) => a.unit)]) {
    if (seen.has(run.id)) throw new InputError(`${path} hold unit ${run.id} twice`);
    seen.add(run.id);
    const unit = byId.get(run.id);
    if (!unit || JSON.stringify(unit) !== JSON.stringify(run)) throw new InputError(`${path} hold ${run.id}, which is not one of the suite run's units`);
  }
  // Runs on two copies of the data (the official files, a re-encoded copy) are two samples, never one.
  const copies = [...new Set(results.runs.map((r) => r.record.dataset.digest).filter((d): d is string => typeof d === 'string'))];
  if (copies.length > 1) {
    throw new InputError(`${path}: their runs read different copies of the data (${results.runs.map((r) => `${r.unit.id} ${r.record.dataset.digest ?? 'unnamed'}`).join(', ')}): gate and record runs of one copy`);
  }
  if (!isRecipe(results.settings)) return;
  const recipe = results.settings;
  // A run may come from any machine the result set was merged from; each run record names its own.
  const machines = results.machines ?? [results.backend];
  for (const { unit, record } of results.runs) {
    const run = provenanceOfRun(record);
    const asked = (identity: BackendRecord): RunProvenance => ({ ...run, model: unit.model, seed: unit.seed, iterations: recipe.iterations, batchSize: recipe.batchSize, dataset: { name: recipe.dataset }, fault: results.fault, identity });
    const found = machines
      .map((m) => differences(run, asked(m), RUN_IN_RESULTS))
      .reduce((fewest, d) => (d.length < fewest.length ? d : fewest));
    if (found.length > 0) throw new InputError(`${path}: the run record of ${unit.id} differs from the result set: ${describeDifferences(found, 'in the record', 'in the result set')}`);
  }
}

/** What a result set says of each of its runs: it keeps no intervals or image counts (each record has its own) and, merged, several machines. */
const RUN_IN_RESULTS: readonly Aspect<RunProvenance>[] = [...MODEL_AND_SEED, ITERATIONS, BATCH_SIZE, DATASET_NAME, FAULT, ...ofIdentity([...BUILD, CPU_MODEL])];

/**
 * Combines shards of one suite run. Refuses different suites, suite
 * versions, presets, settings, backends, versions, machines or faults, and
 * duplicate units.
 */
export function mergeResults(sets: readonly { path: string; results: ResultSet }[], mixedMachines = false): ResultSet {
  if (sets.length === 0) throw new InputError('nothing to merge');
  const [first, ...rest] = sets;
  for (const other of rest) {
    const found = differences(first!.results, other.results, ONE_SUITE_RUN);
    if (found.length > 0) throw new InputError(`cannot merge ${other.path} with ${first!.path}: different ${describeDifferences(found, `in ${first!.path}`, `in ${other.path}`)}`);
  }
  const seen = new Map<string, string>();
  for (const { path, results } of sets) {
    for (const u of [...results.runs.map((r) => r.unit), ...results.architecture.map((a) => a.unit)]) {
      if (seen.has(u.id)) throw new InputError(`unit ${u.id} is in both ${seen.get(u.id)} and ${path}`);
      seen.set(u.id, path);
    }
  }
  const base = first!.results;
  // The distinct identities the shards recorded (recorded alike counts as one, unknown fields included).
  const machines: BackendRecord[] = [];
  for (const m of sets.flatMap((s) => s.results.machines ?? [s.results.backend])) {
    if (!machines.some((known) => differences(known, m, WHOLE_IDENTITY, { unknown: 'is a value' }).length === 0)) machines.push(m);
  }
  if (machines.length > 1 && !mixedMachines) {
    throw new InputError(
      `cannot merge ${sets.map((s) => s.path).join(', ')}: the shards ran on different machines (${describeDifferences(differences(machines[0]!, machines[1]!, WHOLE_IDENTITY, { unknown: 'is a value' }), 'on one', 'on another')}). ` +
        'Pass --mixed-machines to merge them anyway: throughput is then never gated and no run can replay the baseline.',
    );
  }
  // Shards from several machines: the result set's own identity leaves the CPU unknown, so it never matches one (no replay, no throughput gate).
  const backend: BackendRecord =
    machines.length > 1 ? { name: base.backend.name, device: base.backend.device, versions: base.backend.versions, gpuModel: base.backend.gpuModel, cpuModel: `several: ${[...new Set(machines.map((m) => m.cpuModel))].join(' | ')}` } : base.backend;
  return {
    ...base,
    backend,
    ...(machines.length > 1 ? { machines } : {}),
    shards: { count: base.shards.count, included: [...new Set(sets.flatMap((s) => s.results.shards.included))].sort((a, b) => a - b) },
    createdAt: new Date().toISOString(),
    wallSeconds: sets.reduce((t, s) => t + s.results.wallSeconds, 0),
    runs: sets.flatMap((s) => s.results.runs),
    architecture: sets.flatMap((s) => s.results.architecture),
    ...mergedConformance(sets.map((s) => s.results)),
  };
}

/** Each shard checked the models it trained: together, every model once; skipped or missing if any shard's was. */
function mergedConformance(sets: readonly ResultSet[]): Pick<ResultSet, 'conformance'> {
  if (sets.some((r) => r.conformance === undefined)) return {};
  const reports = sets.map((r) => r.conformance);
  if (reports.some((r) => r === null)) return { conformance: null };
  const models = new Map(reports.flatMap((r) => r!.models).map((m) => [m.model, m]));
  // Every shard checks the pipeline: keep, per kind, the shard's check that failed most.
  const run = new Map<string, ConformanceCheck>();
  for (const check of reports.flatMap((r) => r!.run)) if ((run.get(check.kind)?.failed ?? -1) < check.failed) run.set(check.kind, check);
  return { conformance: { models: [...models.values()], run: [...run.values()], seconds: reports.reduce((t, r) => t + r!.seconds, 0) } };
}
