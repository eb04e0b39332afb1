/**
 * The recipe: what decides the distribution of one run's measurements, as
 * results and baselines record it (the preset plus command-line overrides,
 * without gating policy or data location). Typed and validated here, so
 * every stage reads the same fields instead of casting a loose object.
 */
import { z } from 'zod';
import { type Aspect, aspect } from './differences.js';

/** The presets a recipe is named by (results, baselines and their folders), smallest first. */
export const PRESETS = ['smoke', 'nightly', 'reduced', 'full'] as const;
export type PresetName = (typeof PRESETS)[number];

export const DATASETS = ['cifar10', 'synthetic', 'imagenet', 'imagenet-standin'] as const;
export type DatasetName = (typeof DATASETS)[number];

const Positive = z.number().int().positive();

export const Recipe = z
  .object({
    dataset: z.enum(DATASETS),
    iterations: Positive,
    batchSize: Positive,
    /** First-stage width (the `-w` suffix); the paper's when absent. */
    width: Positive.optional(),
    imageSize: Positive.optional(),
    trainLimit: Positive.optional(),
    testLimit: Positive.optional(),
    logEvery: Positive,
    evalEvery: Positive,
    /** The sample: which paper models, how many seeds, from which (absent: 1). */
    models: z.array(z.string()),
    seeds: Positive,
    firstSeed: Positive.optional(),
  })
  .strict();
export type Recipe = z.infer<typeof Recipe>;

/** An architecture suite builds models and counts: nothing else decides its numbers. */
export const ArchitectureSettings = z.object({ models: z.array(z.string()) }).strict();
export type ArchitectureSettings = z.infer<typeof ArchitectureSettings>;

export const Settings = z.union([Recipe, ArchitectureSettings]);
export type Settings = z.infer<typeof Settings>;

export const isRecipe = (settings: Settings): settings is Recipe => 'iterations' in settings;

/** Which models and seeds: a sample. Everything else in a recipe decides what one run measures. */
const SAMPLE_KEYS: readonly (keyof Recipe)[] = ['models', 'seeds', 'firstSeed'];

/**
 * The recipe without its sample, one aspect per field: a baseline is
 * comparable with results (and two recordings pool) when none differs. An
 * absent optional field is a value (e.g. the paper's width), not unknown;
 * an architecture suite's settings have no recipe fields at all.
 */
export const RECIPE: readonly Aspect<Settings>[] = (Object.keys(Recipe.shape) as (keyof Recipe)[])
  .filter((k) => !SAMPLE_KEYS.includes(k))
  .map((k) => aspect(k, (s: Settings) => (isRecipe(s) ? (s[k] ?? null) : 'none (architecture suite)')));

/** Every setting, sample included, one aspect each: what one suite run's shards and reruns share. */
export const SETTINGS: readonly Aspect<Settings>[] = [
  ...RECIPE,
  aspect('models', (s: Settings) => s.models),
  aspect('seeds', (s: Settings) => (isRecipe(s) ? s.seeds : null)),
  aspect('first seed', (s: Settings) => (isRecipe(s) ? (s.firstSeed ?? 1) : null)),
];
