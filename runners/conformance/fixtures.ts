/**
 * The conformance tier's reference fixtures (baselines/conformance/, made by
 * scripts/conformance.py in PyTorch, never by hand): per model twin, the
 * logits, the training steps' losses, gradients and updates; the optimiser on
 * its own; the CIFAR input pipeline on fixed bytes.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { InputError } from '../errors.js';
import { readVersionedJson } from '../json.js';
import { parseModelName } from '../models/names.js';
import { BASELINES_DIR } from '../paths.js';

export const FIXTURES_DIR = join(BASELINES_DIR, 'conformance');
export const FIXTURE_SCHEMA_VERSION = 2 as const;

/** Where in the paper's schedule a fixture's step is taken: the first iterations, or the first after the rate's first division. */
export const StepRole = z.enum(['start', 'first-drop']);
export type StepRole = z.infer<typeof StepRole>;

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64');

export const ModelFixture = z.object({
  schemaVersion: z.literal(FIXTURE_SCHEMA_VERSION),
  model: z.string(),
  reference: z.string(),
  side: z.number().int().positive(),
  batch: z.number().int().positive(),
  classes: z.number().int().positive(),
  /** Every weight and BN statistic: our name, PyTorch layout and shape, in the reference's module order. */
  weights: z.array(z.tuple([z.string(), z.enum(['conv', 'dense', 'vector']), z.array(z.number().int().positive())])),
  /** (scale, offset) of hashed values by weight suffix, where this model's differ from the usual (hash.ts fillOf). */
  fill: z.record(z.string(), z.tuple([z.number(), z.number()])).optional(),
  /** Logits [batch, classes] with the moving statistics (evaluation), and with batch statistics (training). */
  inference: base64,
  training: base64.optional(),
  /** How far PyTorch's own float32 computation is from its float64 reference: the value's conditioning. */
  inferenceFloat32Error: z.number().nonnegative(),
  trainingFloat32Error: z.number().nonnegative().optional(),
  /**
   * SGD steps in Caffe's form, each from the fixture's weights: the loss, sketches of the gradients and of
   * what the step changed, in `weights` order, and per tensor the float32 error of each.
   */
  steps: z
    .array(
      z.object({
        role: StepRole,
        learningRate: z.number(),
        labels: z.array(z.number().int()),
        loss: z.number(),
        lossFloat32Error: z.number().nonnegative(),
        gradients: base64,
        gradientsFloat32Error: base64,
        state: base64,
        stateFloat32Error: base64,
      }),
    )
    .optional(),
});
export type ModelFixture = z.infer<typeof ModelFixture>;

const Update = z.object({ velocity: base64, weight: base64 });
export const SgdFixture = z.object({
  schemaVersion: z.literal(FIXTURE_SCHEMA_VERSION),
  reference: z.string(),
  /** The paper's SGD constants as the reference states them: λ applies to convolution and fc kernels only. */
  recipe: z.object({ momentum: z.number(), weightDecay: z.number(), decayed: z.literal('kernels') }),
  tensors: z.object({ kernel: z.array(z.number().int()), gamma: z.array(z.number().int()) }),
  steps: z.array(z.object({ role: StepRole, warmup: z.boolean(), learningRate: z.number(), after: z.object({ kernel: Update, gamma: Update }) })),
});
export type SgdFixture = z.infer<typeof SgdFixture>;

export const PipelineFixture = z.object({
  schemaVersion: z.literal(FIXTURE_SCHEMA_VERSION),
  reference: z.string(),
  count: z.number().int().positive(),
  side: z.number().int().positive(),
  seed: z.number().int(),
  iteration: z.number().int(),
  mean: base64,
  images: z.array(z.object({ index: z.number().int(), dx: z.number().int(), dy: z.number().int(), flip: z.boolean(), label: z.number().int(), sketch: z.array(z.number()) })),
  /** The first held-out images (the same bytes) as evaluation reads them: the original view, mean subtracted. */
  evaluation: z.array(z.object({ index: z.number().int(), label: z.number().int(), sketch: z.array(z.number()) })),
});
export type PipelineFixture = z.infer<typeof PipelineFixture>;

/** Width of every twin: small enough that a 1202-layer net's fixture stays small. */
export const TWIN_WIDTH = 4;

/**
 * The model a fixture stands for: the run's model at the twin width, through
 * the same builder (ImageNet twins also at the fixture's smaller image side).
 * highway19 is checked as it is.
 */
export function twinOf(model: string): string {
  const spec = parseModelName(model);
  if (spec.kind !== 'stacked') return spec.name;
  const bare = spec.name.replace(/-w\d+$/, '');
  return parseModelName(`${bare}-w${TWIN_WIDTH}`).name;
}

const cache = new Map<string, unknown>();

function read<S extends z.ZodType>(file: string, schema: S, what: string): z.infer<S> {
  const path = join(FIXTURES_DIR, `${file}.json`);
  if (!cache.has(path)) {
    if (!existsSync(path)) throw new InputError(`no conformance fixture ${path}: regenerate the fixtures with "python3 scripts/conformance.py ${file}" (needs torch)`);
    cache.set(path, readVersionedJson(path, schema, FIXTURE_SCHEMA_VERSION, what));
  }
  return cache.get(path) as z.infer<S>;
}

export const readModelFixture = (twin: string): ModelFixture => read(twin, ModelFixture, 'conformance fixture');
export const readSgdFixture = (): SgdFixture => read('sgd', SgdFixture, 'optimiser fixture');
export const readPipelineFixture = (): PipelineFixture => read('cifar-pipeline', PipelineFixture, 'pipeline fixture');

export const hasModelFixture = (twin: string): boolean => existsSync(join(FIXTURES_DIR, `${twin}.json`));
