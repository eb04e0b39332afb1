/**
 * A suite run is many independent units (model × seed). Settings come from
 * the preset, then command-line overrides; sharding splits units across
 * machines deterministically, balanced by expected cost.
 */
import * as tf from '@tensorflow/tfjs';
import { type PresetName, PRESETS, type Suite, type TrainingPreset, type TrainingSuite } from '../../suites/define.js';
import { UsageError } from '../errors.js';
import { buildModel } from '../models/build.js';
import { archFacts } from '../models/count.js';
import { parseModelName } from '../models/names.js';

export interface RunUnit {
  /** Folder-safe and unique in the suite: "<model>-s<seed>". */
  readonly id: string;
  /** The model actually built (with the preset's width), e.g. resnet20-w4. */
  readonly model: string;
  /** The paper's model it stands for, e.g. resnet20: claims and paper numbers use it. */
  readonly paperModel: string;
  readonly seed: number;
}

export interface Overrides {
  readonly models?: readonly string[];
  readonly seeds?: number;
  /** The first seed (default 1): other seeds sample the same distribution (calibration's clean reruns). */
  readonly firstSeed?: number;
  readonly iterations?: number;
  /** Iterations between test evaluations: a time-to-target metric needs them often (evaluating never changes training). */
  readonly evalEvery?: number;
}

/**
 * What determines the measurements, and so what a baseline must match: no
 * gating policy (read from the suite when comparing) and no data location
 * (the same data may live in another folder on another machine).
 */
export type ResolvedSettings = Omit<TrainingPreset, 'models' | 'gateThroughput' | 'gatedErrors' | 'tolerance' | 'decidedBy' | 'shards'> & { readonly models: readonly string[]; readonly firstSeed?: number };

/** Which models and seeds: a sample. Everything else in the settings decides what one run measures. */
const SAMPLE_KEYS = new Set(['models', 'seeds', 'firstSeed']);

/**
 * The settings that decide the distribution of one run's measurements (the
 * recipe), without which models and seeds were sampled: a baseline is
 * comparable with results when these are equal.
 */
export function recipeSettings(settings: Record<string, unknown>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(settings).filter(([k]) => !SAMPLE_KEYS.has(k)).sort(([a], [b]) => a.localeCompare(b))));
}

/** A training suite's preset, or a usage error naming the ones it has. */
export function presetOf(suite: TrainingSuite, preset: PresetName): TrainingPreset {
  const found = suite.presets[preset];
  if (found) return found;
  const has = PRESETS.filter((p) => suite.presets[p] !== undefined);
  throw new UsageError(`suite ${suite.name} has no preset "${preset}"; its presets: ${has.join(', ')}`);
}

export function resolveSettings(suite: Suite, preset: PresetName, overrides: Overrides): ResolvedSettings | { readonly models: readonly string[] } {
  const models = overrides.models ?? (suite.kind === 'training' ? (presetOf(suite, preset).models ?? suite.models) : suite.models);
  if (models.length === 0) throw new UsageError(`no models to run: --models takes a comma-separated list, e.g. resnet20,plain20`);
  // Unknown models fail before any work; two names of one model would count its runs twice.
  const canonical = models.map((m) => parseModelName(m).name);
  const twice = canonical.filter((m, i) => canonical.indexOf(m) !== i);
  if (twice.length > 0) throw new UsageError(`--models names ${[...new Set(twice)].join(', ')} more than once`);
  if (suite.kind === 'architecture') return { models };
  const base = presetOf(suite, preset);
  for (const [name, value] of [['--seeds', overrides.seeds], ['--first-seed', overrides.firstSeed], ['--iterations', overrides.iterations], ['--eval-every', overrides.evalEvery]] as const) {
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 1)) throw new UsageError(`${name} takes a positive whole number`);
  }
  const { models: _models, gateThroughput: _policy, gatedErrors: _gated, tolerance: _tolerance, decidedBy: _decidedBy, shards: _shards, ...rest } = base;
  return {
    ...rest,
    models,
    ...(overrides.seeds !== undefined ? { seeds: overrides.seeds } : {}),
    ...(overrides.firstSeed !== undefined && overrides.firstSeed !== 1 ? { firstSeed: overrides.firstSeed } : {}),
    ...(overrides.iterations !== undefined ? { iterations: overrides.iterations } : {}),
    ...(overrides.evalEvery !== undefined ? { evalEvery: overrides.evalEvery } : {}),
  };
}

/** The model to build for a paper model under a preset width. */
export function presetModel(paperModel: string, width: number | undefined): string {
  const spec = parseModelName(paperModel);
  if (width === undefined || spec.kind !== 'stacked') return spec.name;
  return parseModelName(`${spec.name}-w${width}`).name;
}

export function expandUnits(settings: ResolvedSettings | { readonly models: readonly string[] }): RunUnit[] {
  const seeds = 'seeds' in settings ? settings.seeds : 1;
  const first = 'firstSeed' in settings ? (settings.firstSeed ?? 1) : 1;
  const width = 'width' in settings ? settings.width : undefined;
  return settings.models.flatMap((paperModel) => {
    const model = presetModel(paperModel, width);
    return Array.from({ length: seeds }, (_, i) => ({ id: `${model}-s${first + i}`, model, paperModel: parseModelName(paperModel).name, seed: first + i }));
  });
}

const costs = new Map<string, number>();

/**
 * Multiply-adds per image, from the built graph: training cost is proportional
 * to it. Built once per model (sharding and suite progress both ask, for every seed).
 */
export function unitCost(unit: RunUnit): number {
  const known = costs.get(unit.model);
  if (known !== undefined) return known;
  const built = buildModel(parseModelName(unit.model), { init: 'zeros' });
  try {
    const cost = archFacts(built).multiplyAdds;
    costs.set(unit.model, cost);
    return cost;
  } finally {
    built.model.dispose();
    tf.disposeVariables();
  }
}

export function parseShard(text: string): { index: number; count: number } {
  const m = text.match(/^(\d{1,4})\/(\d{1,4})$/);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) throw new UsageError(`--shard takes i/n with 1 ≤ i ≤ n ≤ 9999, e.g. 1/4, not "${text}"`);
  return { index, count };
}

/**
 * Longest-processing-time-first: the most expensive unit goes to the least
 * loaded shard, ties broken by unit id and shard number, so every machine
 * computes the same partition.
 */
export function shardUnits(units: readonly RunUnit[], cost: (u: RunUnit) => number, index: number, count: number): RunUnit[] {
  const load = new Array<number>(count).fill(0);
  const assigned: RunUnit[][] = Array.from({ length: count }, () => []);
  const sorted = [...units].map((u) => ({ u, c: cost(u) })).sort((a, b) => b.c - a.c || a.u.id.localeCompare(b.u.id));
  for (const { u, c } of sorted) {
    let best = 0;
    for (let s = 1; s < count; s++) if (load[s]! < load[best]!) best = s;
    load[best]! += c;
    assigned[best]!.push(u);
  }
  const mine = new Set(assigned[index - 1]!.map((u) => u.id));
  return units.filter((u) => mine.has(u.id));
}
