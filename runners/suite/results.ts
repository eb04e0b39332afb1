/**
 * A result set: what one `run` (or one shard of it) produced, self-contained
 * (run records inline) so that merge, compare and report need nothing else.
 */
import { z } from 'zod';
import { PRESETS, type Suite } from '../../suites/define.js';
import { InputError } from '../errors.js';
import { readVersionedJson } from '../json.js';
import { type ConformanceCheck, ConformanceReport } from '../conformance/check.js';
import { BACKEND_CHOICES, BackendRecord, describeCpu } from '../machine.js';
import { FAULT_NAMES } from '../train/faults.js';
import { RunRecord } from '../train/record.js';
import { expandUnits, type ResolvedSettings } from './units.js';

export const RESULTS_SCHEMA_VERSION = 1 as const;

/** Suite names become folder names (baselines/recorded/<suite>/…): lower-case letters, digits and dashes only. */
export const SUITE_NAME = /^[a-z0-9][a-z0-9-]*$/;

/**
 * The folder names a suite × preset × backend becomes (a baseline, a history
 * entry; a reference run names no backend, and gets ''). They come from files
 * a user may hand us: only known values are accepted, so the path cannot leave
 * the folder it is made under.
 */
export function pathNames(what: string, suite: string, preset: string, backend?: string): [string, string, string] {
  const known = SUITE_NAME.test(suite) && (PRESETS as readonly string[]).includes(preset) && (backend === undefined || (BACKEND_CHOICES as readonly string[]).includes(backend));
  if (!known) throw new InputError(`not a ${what} name: suite "${suite}", preset "${preset}"${backend === undefined ? '' : `, backend "${backend}"`}`);
  return [suite, preset, backend ?? ''];
}

/** Prefix of the CPU model of results merged from shards that ran on different machines. */
const MIXED = 'mixed: ';

const Unit = z.object({ id: z.string(), model: z.string(), paperModel: z.string(), seed: z.number().int() });

const ArchFacts = z.object({
  name: z.string(),
  dataset: z.string(),
  layers: z.number().int(),
  trainableParams: z.number().int(),
  nonTrainableParams: z.number().int(),
  multiplyAdds: z.number(),
  inputShape: z.array(z.number()),
  outputShape: z.array(z.number()),
});

const LayerResponse = z.object({ index: z.number().int(), layer: z.string(), std: z.number() });

export const ResultSet = z.object({
  schemaVersion: z.literal(RESULTS_SCHEMA_VERSION),
  suite: z.object({ name: z.string().regex(SUITE_NAME, 'a suite name (lower-case letters, digits, dashes)'), version: z.number().int(), kind: z.enum(['training', 'architecture']) }),
  preset: z.enum(PRESETS),
  /** The resolved settings (preset plus overrides). */
  settings: z.record(z.string(), z.unknown()),
  /** Every unit of the whole suite run, so missing shards or seeds are visible. */
  expectedUnits: z.array(Unit),
  /** Which shards of how many these results hold. */
  shards: z.object({ count: z.number().int(), included: z.array(z.number().int()) }),
  backend: BackendRecord,
  /** A fault planted in the code path for calibration (`run --fault`): never a baseline. */
  fault: z.enum(FAULT_NAMES).nullable().default(null),
  createdAt: z.string(),
  /** The commit the results were made from (absent in results from before it was recorded). */
  git: z.object({ commit: z.string(), dirty: z.boolean() }).nullable().optional(),
  wallSeconds: z.number(),
  runs: z.array(z.object({ unit: Unit, dir: z.string(), record: RunRecord, responses: z.array(LayerResponse).optional() })),
  architecture: z.array(z.object({ unit: Unit, facts: ArchFacts })),
  /**
   * The conformance tier's report for the models these results train (training suites); null when
   * the run was asked to skip it (--no-conformance), absent in results from before it existed.
   */
  conformance: ConformanceReport.nullable().optional(),
});
export type ResultSet = z.infer<typeof ResultSet>;
export type UnitResult = ResultSet['runs'][number];

/** The commit results were made from: recorded with them, else (older results) by their first run. */
export function commitOf(results: ResultSet): { commit: string; dirty: boolean } | null {
  return results.git ?? results.runs[0]?.record.git ?? null;
}

export function readResults(path: string): ResultSet {
  return readVersionedJson(path, ResultSet, RESULTS_SCHEMA_VERSION, 'result set');
}

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
  const defined = expandUnits(results.settings as unknown as ResolvedSettings).sort((a, b) => key(a).localeCompare(key(b)));
  const listed = [...results.expectedUnits].sort((a, b) => key(a).localeCompare(key(b)));
  if (JSON.stringify(defined) !== JSON.stringify(listed.map(({ id, model, paperModel, seed }) => ({ id, model, paperModel, seed })))) {
    throw new InputError(`${path}: expected units (${ids.join(', ') || 'none'}) are not the units their settings define (${defined.map(key).join(', ') || 'none'})`);
  }
  const byId = new Map(results.expectedUnits.map((u) => [u.id, u]));
  const seen = new Set<string>();
  const settings = results.settings as Partial<ResolvedSettings>;
  for (const run of [...results.runs.map((r) => r.unit), ...results.architecture.map((a) => a.unit)]) {
    if (seen.has(run.id)) throw new InputError(`${path} hold unit ${run.id} twice`);
    seen.add(run.id);
    const unit = byId.get(run.id);
    if (!unit || JSON.stringify(unit) !== JSON.stringify(run)) throw new InputError(`${path} hold ${run.id}, which is not one of the suite run's units`);
  }
  for (const { unit, record } of results.runs) {
    const b = results.backend;
    const differs = [
      record.model !== unit.model && `model ${record.model}`,
      record.seed !== unit.seed && `seed ${record.seed}`,
      settings.iterations !== undefined && record.config.iterations !== settings.iterations && `${record.config.iterations} iterations`,
      settings.batchSize !== undefined && record.config.batchSize !== settings.batchSize && `batch ${record.config.batchSize}`,
      settings.dataset !== undefined && record.dataset.name !== settings.dataset && `dataset ${record.dataset.name}`,
      record.backend.name !== b.name && `backend ${record.backend.name}`,
      JSON.stringify(record.backend.versions) !== JSON.stringify(b.versions) && `versions ${JSON.stringify(record.backend.versions)}`,
      !(record.host.cpuModel === b.cpuModel || (b.cpuModel.startsWith(MIXED) && b.cpuModel.slice(MIXED.length).split(' | ').includes(record.host.cpuModel))) && `CPU ${record.host.cpuModel}`,
      (record.fault ?? null) !== results.fault && `fault ${record.fault ?? 'none'}`,
    ].filter(Boolean);
    if (differs.length > 0) throw new InputError(`${path}: the run record of ${unit.id} says ${differs.join(', ')}, which the result set does not (${b.name}, ${describeCpu(b)})`);
  }
}

/**
 * Combines shards of one suite run. Refuses different suites, suite
 * versions, presets, settings, backends, versions, machines or faults, and
 * duplicate units.
 */
export function mergeResults(sets: readonly { path: string; results: ResultSet }[], mixedMachines = false): ResultSet {
  if (sets.length === 0) throw new InputError('nothing to merge');
  const [first, ...rest] = sets;
  const key = (r: ResultSet) => JSON.stringify([r.suite, r.preset, r.settings, r.shards.count]);
  for (const other of rest) {
    const a = first!.results;
    const b = other.results;
    if (a.suite.name !== b.suite.name || a.suite.version !== b.suite.version) {
      throw new InputError(`cannot merge ${other.path} (${b.suite.name} v${b.suite.version}) with ${first!.path} (${a.suite.name} v${a.suite.version}): different suites or suite versions`);
    }
    if (key(a) !== key(b)) throw new InputError(`cannot merge ${other.path} with ${first!.path}: different preset, settings or shard count`);
    if (a.backend.name !== b.backend.name) throw new InputError(`cannot merge ${other.path} (backend ${b.backend.name}) with ${first!.path} (backend ${a.backend.name})`);
    if (JSON.stringify(a.backend.versions) !== JSON.stringify(b.backend.versions)) {
      throw new InputError(`cannot merge ${other.path} (${JSON.stringify(b.backend.versions)}) with ${first!.path} (${JSON.stringify(a.backend.versions)}): different versions`);
    }
    if (!mixedMachines && JSON.stringify(a.backend) !== JSON.stringify(b.backend)) {
      throw new InputError(
        `cannot merge ${other.path} (${describeCpu(b.backend)}, ${JSON.stringify(b.backend.env ?? {})}) with ${first!.path} (${describeCpu(a.backend)}, ${JSON.stringify(a.backend.env ?? {})}): the shards ran on different machines. ` +
          'Pass --mixed-machines to merge them anyway: throughput is then never gated and no run can replay the baseline.',
      );
    }
    if (a.fault !== b.fault) throw new InputError(`cannot merge ${other.path} (fault ${b.fault ?? 'none'}) with ${first!.path} (fault ${a.fault ?? 'none'})`);
  }
  const seen = new Map<string, string>();
  for (const { path, results } of sets) {
    for (const u of [...results.runs.map((r) => r.unit), ...results.architecture.map((a) => a.unit)]) {
      if (seen.has(u.id)) throw new InputError(`unit ${u.id} is in both ${seen.get(u.id)} and ${path}`);
      seen.set(u.id, path);
    }
  }
  const base = first!.results;
  const machines = [...new Set(sets.map((s) => describeCpu(s.results.backend)))];
  const backend: BackendRecord =
    machines.length > 1 || new Set(sets.map((s) => JSON.stringify(s.results.backend))).size > 1
      ? { name: base.backend.name, device: base.backend.device, versions: base.backend.versions, gpuModel: base.backend.gpuModel, cpuModel: `${MIXED}${[...new Set(sets.map((s) => s.results.backend.cpuModel))].join(' | ')}` }
      : base.backend;
  return {
    ...base,
    backend,
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
