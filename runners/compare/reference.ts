/**
 * Reference runs: a suite's recipe trained by an independent implementation
 * (`scripts/train_pytorch.py`), kept in
 * `baselines/reference/<suite>/<preset>/<name>.json`. The report shows them
 * beside ours: evidence that our training is the recipe's, so that the gap to
 * the paper is the schedule's. They are never gated: one seed of another
 * framework is a measurement to look at, not a tolerance.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { isRecipe, type Settings } from '../records/recipe.js';
import { readVersionedJson } from '../json.js';
import { BASELINES_DIR } from '../paths.js';
import { pathNames } from '../records/results.js';

const REFERENCE_SCHEMA_VERSION = 1;

export const ReferenceRun = z.object({
  schemaVersion: z.literal(REFERENCE_SCHEMA_VERSION),
  createdAt: z.string(),
  /** How it was made, to be rerun. */
  command: z.string(),
  /** e.g. "pytorch 2.13.0+cpu". */
  framework: z.string(),
  threads: z.number().int().positive(),
  cpu: z.string(),
  /** Our name of the model it trained, e.g. "resnet20". */
  model: z.string(),
  seed: z.number().int(),
  recipe: z.object({
    iterations: z.number().int().positive(),
    batchSize: z.number().int().positive(),
    baseLearningRate: z.number().positive(),
    milestones: z.array(z.number().int()),
    momentum: z.number(),
    weightDecay: z.number(),
    sgd: z.string(),
  }),
  testError: z.number().min(0).max(1),
  trainError: z.number().min(0).max(1),
  wallSeconds: z.number().nonnegative(),
  imagesPerSecond: z.number().positive().nullable(),
  curves: z.object({
    train: z.array(z.object({ iteration: z.number().int(), trainError: z.number(), loss: z.number(), learningRate: z.number() })),
    test: z.array(z.object({ iteration: z.number().int(), testError: z.number(), loss: z.number() })),
  }),
});
export type ReferenceRun = z.infer<typeof ReferenceRun>;

export interface Reference {
  readonly path: string;
  readonly run: ReferenceRun;
}

/** The reference runs recorded for a suite × preset (none when the folder is absent); a malformed file is an InputError naming it. */
export function referencesFor(suite: string, preset: string, root: string = join(BASELINES_DIR, 'reference')): Reference[] {
  const [s, p] = pathNames('reference', suite, preset);
  const dir = join(root, s, p);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ path: join(dir, f), run: readVersionedJson(join(dir, f), ReferenceRun, REFERENCE_SCHEMA_VERSION, 'reference run') }));
}

/** Whether a reference trained the recipe our results trained (iterations and batch size; the rest is the suite's). */
export function sameRecipe(reference: ReferenceRun, settings: Settings): boolean {
  return isRecipe(settings) && reference.recipe.iterations === settings.iterations && reference.recipe.batchSize === settings.batchSize;
}
