/**
 * A suite run is many independent units (model × seed). Settings come from
 * the preset, then command-line overrides; sharding splits units across
 * machines deterministically, balanced by expected cost.
 */
import * as tf from '@tensorflow/tfjs';
import { type PresetName, PRESETS, isRecipe, Recipe, type Settings } from '../records/recipe.js';
import { type Suite, type TrainingPreset, type TrainingSuite } from '../../suites/define.js';
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

/** A preset's recipe fields: what Recipe (records/recipe.ts) records of it. */
type PresetRecipe = Omit<TrainingPreset, 'models' | 'gateThroughput' | 'gatedErrors' | 'tolerance' | 'decidedBy' | 'shards'>;
// The recorded recipe and the preset cannot drift apart: each has exactly the other's fields.
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : never;
const _recipeMatchesPreset: SameKeys<PresetRecipe, Omit<Recipe, 'models' | 'firstSeed'>> = true;

/** A training suite's preset, or a usage error naming the ones it has. */
export function presetOf(suite: TrainingSuite, preset: PresetName): TrainingPreset {
  const found = suite.presets[preset];
  if (found) return found;
  const has = PRESETS.filter((p) => suite.presets[p] !== undefined);
  throw new UsageError(`suite ${suite.name} has no preset "${preset}"; its presets: ${has.join(', ')}`);
}

/** A suite run's settings: the preset with the overrides (each checked once, where the command line parses it). */
export function resolveSettings(suite: Suite, preset: PresetName, overrides: Overrides): Settings {
  return suite.kind === 'training' ? resolveRecipe(suite, preset, overrides) : { models: checkedModels(overrides.models ?? suite.models) };
}

/** A training suite's recipe under a preset and overrides. */
export function resolveRecipe(suite: TrainingSuite, preset: PresetName, overrides: Overrides): Recipe {
  const base = presetOf(suite, preset);
  const models = checkedModels(overrides.models ?? base.models ?? suite.models);
  const { models: _models, gateThroughput: _policy, gatedErrors: _gated, tolerance: _tolerance, decidedBy: _decidedBy, shards: _shards, ...rest } = base;
  const recipe = Recipe.safeParse({
    ...rest,
    models,
    ...(overrides.seeds !== undefined ? { seeds: overrides.seeds } : {}),
    ...(overrides.firstSeed !== undefined && overrides.firstSeed !== 1 ? { firstSeed: overrides.firstSeed } : {}),
    ...(overrides.iterations !== undefined ? { iterations: overrides.iterations } : {}),
    ...(overrides.evalEvery !== undefined ? { evalEvery: overrides.evalEvery } : {}),
  });
  if (!recipe.success) throw new UsageError(`not a recipe of ${suite.name} at ${preset}: ${recipe.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return recipe.data;
}

/** Unknown models fail before any work; two names of one model would count its runs twice. */
function checkedModels(models: readonly string[]): string[] {
  if (models.length === 0) throw new UsageError(`no models to run: --models takes a comma-separated list, e.g. resnet20,plain20`);
  const canonical = models.map((m) => parseModelName(m).name);
  const twice = canonical.filter((m, i) => canonical.indexOf(m) !== i);
  if (twice.length > 0) throw new UsageError(`--models names ${[...new Set(twice)].join(', ')} more than once`);
  return [...models];
}

/** The model to build for a paper model under a preset width. */
export function presetModel(paperModel: string, width: number | undefined): string {
  const spec = parseModelName(paperModel);
  if (width === undefined || spec.kind !== 'stacked') return spec.name;
  return parseModelName(`${spec.name}-w${width}`).name;
}

export function expandUnits(settings: Settings): RunUnit[] {
  const recipe = isRecipe(settings) ? settings : undefined;
  const seeds = recipe?.seeds ?? 1;
  const first = recipe?.firstSeed ?? 1;
  const width = recipe?.width;
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
