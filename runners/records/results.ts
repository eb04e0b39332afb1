/**
 * A result set: what one `run` (or one shard of it) produced, self-contained
 * (run records inline) so that merge, compare and report need nothing else.
 */
import { z } from 'zod';
import { type Aspect, aspect } from './differences.js';
import { PRESETS, Settings, SETTINGS } from './recipe.js';
import { InputError } from '../errors.js';
import { readVersionedJson } from '../json.js';
import { ConformanceReport } from './conformance.js';
import { BACKEND_CHOICES, BackendRecord, BUILD } from './identity.js';
import { FAULT_NAMES } from './faults.js';
import { RunRecord } from './run-record.js';

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
  settings: Settings,
  /** Every unit of the whole suite run, so missing shards or seeds are visible. */
  expectedUnits: z.array(Unit),
  /** Which shards of how many these results hold. */
  shards: z.object({ count: z.number().int(), included: z.array(z.number().int()) }),
  backend: BackendRecord,
  /**
   * The machines of shards merged with --mixed-machines (each a whole identity); `backend` then
   * leaves the CPU unknown, so these results never replay a baseline and their throughput is not gated.
   */
  machines: z.array(BackendRecord).min(2).optional(),
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

/** What identifies one suite run in its results, whichever shard or machine wrote them. */
export type SuiteRun = Pick<ResultSet, 'suite' | 'preset' | 'settings' | 'backend' | 'fault' | 'shards'>;

/**
 * What every shard and every continuation of one suite run shares, whatever machine it ran on: the
 * suite at its version, the preset, the settings, the build, the fault and the shard count.
 */
export const ONE_SUITE_RUN: readonly Aspect<SuiteRun>[] = [
  aspect('suite', (r) => `${r.suite.name} v${r.suite.version}`),
  aspect('preset', (r) => r.preset),
  ...SETTINGS.map((a) => aspect(a.name, (r: SuiteRun) => a.read(r.settings))),
  ...BUILD.map((a) => aspect(a.name, (r: SuiteRun) => a.read(r.backend))),
  aspect('fault', (r) => r.fault),
  aspect('shard count', (r) => r.shards.count),
];
