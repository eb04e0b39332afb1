/**
 * A result set: what one `run` (or one shard of it) produced, self-contained
 * (run records inline) so that merge, compare and report need nothing else.
 */
import { z } from 'zod';
import { InputError } from '../errors.js';
import { readVersionedJson } from '../json.js';
import { RunRecord } from '../train/record.js';

export const RESULTS_SCHEMA_VERSION = 1 as const;

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
  suite: z.object({ name: z.string(), version: z.number().int(), kind: z.enum(['training', 'architecture']) }),
  preset: z.string(),
  /** The resolved settings (preset plus overrides). */
  settings: z.record(z.string(), z.unknown()),
  /** Every unit of the whole suite run, so missing shards or seeds are visible. */
  expectedUnits: z.array(Unit),
  /** Which shards of how many these results hold. */
  shards: z.object({ count: z.number().int(), included: z.array(z.number().int()) }),
  backend: z.object({ name: z.string(), device: z.string(), versions: z.record(z.string(), z.string()), cpuModel: z.string(), gpuModel: z.string().nullable().default(null) }),
  createdAt: z.string(),
  wallSeconds: z.number(),
  runs: z.array(z.object({ unit: Unit, dir: z.string(), record: RunRecord, responses: z.array(LayerResponse).optional() })),
  architecture: z.array(z.object({ unit: Unit, facts: ArchFacts })),
});
export type ResultSet = z.infer<typeof ResultSet>;
export type UnitResult = ResultSet['runs'][number];

export function readResults(path: string): ResultSet {
  return readVersionedJson(path, ResultSet, RESULTS_SCHEMA_VERSION, 'result set');
}

/**
 * Combines shards of one suite run. Refuses different suites, suite
 * versions, presets, settings or backends, and duplicate units.
 */
export function mergeResults(sets: readonly { path: string; results: ResultSet }[]): ResultSet {
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
  }
  const seen = new Map<string, string>();
  for (const { path, results } of sets) {
    for (const u of [...results.runs.map((r) => r.unit), ...results.architecture.map((a) => a.unit)]) {
      if (seen.has(u.id)) throw new InputError(`unit ${u.id} is in both ${seen.get(u.id)} and ${path}`);
      seen.set(u.id, path);
    }
  }
  const base = first!.results;
  return {
    ...base,
    shards: { count: base.shards.count, included: [...new Set(sets.flatMap((s) => s.results.shards.included))].sort((a, b) => a - b) },
    createdAt: new Date().toISOString(),
    wallSeconds: sets.reduce((t, s) => t + s.results.wallSeconds, 0),
    runs: sets.flatMap((s) => s.results.runs),
    architecture: sets.flatMap((s) => s.results.architecture),
  };
}
