/**
 * The conformance tier: whether a run's code computes what the paper's
 * networks and recipe compute, decided in seconds on any CPU or backend.
 * For each model a suite run trains, it builds the model's twin (the same
 * architecture at width 4) through the run's own training plan — its fault,
 * if one is planted, included — loads the reference fixture's weights, and
 * compares with PyTorch: logits with batch and with moving statistics (the
 * evaluation's path), the training loss, the gradients and the updates of
 * three SGD steps at the run's own learning rates, the optimiser on its own,
 * and the initial weights of the real model statistically. Once per run, the
 * input pipeline on fixed bytes (mean, crops, flips, labels).
 *
 * Statistics cannot tell a fault from noise in a two-minute run; this can.
 */
import * as tf from '@tensorflow/tfjs';
import { InMemoryData } from '../data/source.js';
import { perPixelMean, type ImageSet } from '../data/images.js';
import { decayedWeights, type BuiltModel } from '../models/build.js';
import { parseModelName } from '../models/names.js';
import { type CheckKind, type ConformanceCheck, type ConformanceReport, checkPassed, type ModelConformance } from '../records/conformance.js';
import type { FaultName } from '../records/faults.js';
import { buildPlanned, planRun, preparedBatch, startEvaluation, type TrainingPlan } from '../train/plan.js';
import { learningRate, type Schedule } from '../train/schedule.js';
import { Sgd } from '../train/sgd.js';
import { trainingStep } from '../train/train.js';
import { hasModelFixture, readModelFixture, readPipelineFixture, readSgdFixture, type ModelFixture, type StepRole, twinOf } from './fixtures.js';
import { floats, fillOf, hashed, inTheirLayout, type Layout, relativeError, sketch, sketchError, SKETCH_DIRECTIONS, toOurLayout, uniform } from './hash.js';
import { checkInitialisation, INIT_Z_BOUND } from './init.js';


/**
 * Per kind: what is measured, and the largest value that passes. Relative
 * errors are to the tensor's own scale (max-abs for logits; L2 through the
 * sketches for gradients and updates). Set an order of magnitude or more above
 * the largest clean difference measured across CPUs and backends, and orders
 * below what each planted fault gives (README, "The conformance tier").
 */
export const CHECKS: Record<CheckKind, { readonly measure: string; readonly tolerance: number; readonly what: string }> = {
  weights: { measure: 'differences', tolerance: 0, what: 'weight names and shapes against the reference model' },
  'logits-training': { measure: 'relative error', tolerance: 1e-3, what: 'logits with batch statistics' },
  'logits-evaluation': { measure: 'relative error', tolerance: 1e-5, what: 'logits as the evaluation computes them' },
  loss: { measure: 'relative error', tolerance: 1e-3, what: 'training loss of each SGD step' },
  gradients: { measure: 'relative error', tolerance: 0.5, what: 'gradients of all parameters together (a coarse check: ReLU kinks)' },
  updates: { measure: 'relative error', tolerance: 1e-3, what: "each parameter's change in one SGD step against the reference's rule applied to the step's gradient" },
  statistics: { measure: 'relative error', tolerance: 1e-2, what: "each BN moving statistic's change in one step against the reference's" },
  optimizer: { measure: 'relative error', tolerance: 1e-6, what: "Caffe's SGD update at the run's rates" },
  'pipeline-mean': { measure: 'relative error', tolerance: 1e-6, what: 'per-pixel mean of fixed bytes' },
  'pipeline-images': { measure: 'relative error', tolerance: 1e-6, what: 'augmented images (pad 4, crop, flip) of fixed bytes' },
  labels: { measure: 'mismatches', tolerance: 0, what: 'labels of an augmented batch' },
  initialisation: { measure: '|z|', tolerance: INIT_Z_BOUND, what: 'initial weights against the paper\'s distributions' },
};

/**
 * A value whose own float32 computation in the reference is far from its
 * float64 one (its conditioning) is held to this multiple of that distance
 * when it exceeds the kind's tolerance: another float32 implementation sums
 * in another order, so its rounding differs by the same order, not the same
 * amount.
 */
export const CONDITIONING_FACTOR = 100;

const maxAbs = (xs: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < xs.length; i++) m = Math.max(m, Math.abs(xs[i]!));
  return m;
};

/**
 * The smallest change a parameter's update is measured against, as a share of
 * the weight: w₁ − w₀ carries w₁'s float32 rounding (6e-8·|w|), so a change far
 * below the weight (a highway gate's, 5e-5 of it) would measure rounding.
 */
const WEIGHT_ROUNDING = 1e-3;

/** Failures kept per check, worst first: enough to name what broke. */
const KEEP_FAILURES = 5;


interface Entry {
  readonly tensor: string;
  readonly value: number;
  /** The reference's own float32 error of this value (fixtures with conditioning). */
  readonly float32Error?: number;
  readonly detail?: string;
}

const toleranceOf = (kind: CheckKind, e: Entry): number => Math.max(CHECKS[kind].tolerance, CONDITIONING_FACTOR * (e.float32Error ?? 0));

function checkOf(kind: CheckKind, entries: readonly Entry[]): ConformanceCheck {
  // How far along its tolerance each entry is; NaN and ∞ fail and rank worst.
  const excess = (e: Entry) => (Number.isFinite(e.value) ? e.value / Math.max(toleranceOf(kind, e), Number.MIN_VALUE) : Number.POSITIVE_INFINITY);
  const sorted = [...entries].sort((a, b) => excess(b) - excess(a));
  const failing = sorted.filter((e) => !(e.value <= toleranceOf(kind, e)));
  const measured = (v: number) => (Number.isFinite(v) ? v : null);
  const row = (e: Entry) => ({ tensor: e.tensor, value: measured(e.value), tolerance: toleranceOf(kind, e) });
  return {
    kind,
    tensors: entries.length,
    tolerance: CHECKS[kind].tolerance,
    worst: sorted[0] ? row(sorted[0]) : null,
    failed: failing.length,
    failures: failing.slice(0, KEEP_FAILURES).map((e) => ({ ...row(e), ...(e.detail ? { detail: e.detail } : {}) })),
  };
}


/** The rate a plan's schedule gives at a step role (fixtures.ts StepRole). */
export function rateAt(schedule: Schedule, role: StepRole): number {
  if (role === 'start') return learningRate(schedule, 0, schedule.warmup !== undefined, 0);
  const first = schedule.milestones[0];
  // A plateau schedule has no milestones: its first division is its first plateau.
  return first !== undefined ? learningRate(schedule, first, false, 0) : learningRate(schedule, 0, false, 1);
}

/** What a run trains: its recipe's length and schedule, its data's shape, its fault. */
export interface RunShape {
  readonly iterations: number;
  readonly imagenetSchedule?: 'plateau' | 'step';
  /** The run's images and classes: the real model's initialisation is checked at this shape. */
  readonly side: number;
  readonly classes: number;
  readonly fault?: FaultName | null;
}

/** The conformance tier for the models a run trains (each with the seed its first run uses). */
export async function checkConformance(models: readonly { model: string; seed: number }[], run: RunShape): Promise<ConformanceReport> {
  const started = performance.now();
  const results: ModelConformance[] = [];
  for (const { model, seed } of models) {
    results.push(await checkModel(model, seed, run));
    // Let the event loop run between models (progress output, signals).
    await new Promise((resolve) => setImmediate(resolve));
  }
  const first = models[0];
  const runChecks = first ? await checkPipeline(planRun(parseModelName(first.model), run)) : [];
  return { models: results, run: runChecks, seconds: (performance.now() - started) / 1000 };
}

/** The fixture a twin is checked against: -g0 changes only the initial γ, which the fixture's weights replace. */
export const fixtureNameOf = (twin: string): string => parseModelName(twin.replace(/-g0(?=-|$)/, '')).name;

async function checkModel(model: string, seed: number, run: RunShape): Promise<ModelConformance> {
  const twin = twinOf(model);
  const fixture = hasModelFixture(fixtureNameOf(twin)) ? readModelFixture(fixtureNameOf(twin)) : undefined;
  const plan = planRun(parseModelName(twin), run);
  const checks: ConformanceCheck[] = [];
  if (fixture) {
    await withModel(() => buildPlanned(plan, { seed, inputSize: fixture.side, numClasses: fixture.classes }), async (built) => {
      const weights = checkWeights(built, fixture);
      checks.push(weights);
      if (!checkPassed(weights)) return; // nothing else can be compared
      loadWeights(built, fixture);
      checks.push(...checkLogits(plan, built, fixture));
      if (fixture.steps) checks.push(...checkSteps(plan, built, fixture));
    });
  }
  checks.push(checkOptimizer(plan));
  // The real model, at its own width and with the run's seed: what training starts from.
  const spec = parseModelName(model);
  const realPlan = planRun(spec, run);
  await withModel(() => buildPlanned(realPlan, { seed, inputSize: run.side, numClasses: run.classes }), async (built) => {
    const findings = checkInitialisation(spec, built.model.weights);
    checks.push(checkOf('initialisation', findings.map((f) => ({ tensor: f.tensor, value: f.value, detail: `expected ${f.expected}` }))));
  });
  return { model: spec.name, twin, reference: fixture?.reference ?? null, checks };
}

async function withModel(build: () => BuiltModel, use: (built: BuiltModel) => Promise<void>): Promise<void> {
  const built = build();
  try {
    await use(built);
  } finally {
    built.model.dispose();
  }
}

/** Our weights (PyTorch layout and shape) against the reference model's: the same set, or nothing else compares. */
function checkWeights(built: BuiltModel, fixture: ModelFixture): ConformanceCheck {
  const ours = new Map(built.model.weights.map((w) => [w.originalName, theirShape(fixtureLayout(fixture, w.originalName), w.shape as number[])]));
  const theirs = new Map(fixture.weights.map(([name, , shape]) => [name, shape]));
  const entries: Entry[] = [];
  for (const name of new Set([...ours.keys(), ...theirs.keys()])) {
    const a = ours.get(name);
    const b = theirs.get(name);
    const same = a !== undefined && b !== undefined && a.join('×') === b.join('×');
    const detail = !a ? 'only in the reference model' : !b ? 'only in ours' : same ? undefined : `shape ${a.join('×')}, reference ${b.join('×')}`;
    entries.push({ tensor: name, value: same ? 0 : 1, ...(detail ? { detail } : {}) });
  }
  return checkOf('weights', entries);
}

const layouts = new WeakMap<ModelFixture, Map<string, Layout>>();

/** A weight's PyTorch layout, as the fixture lists it (looked up by name: a 1202-layer net has 6,000 weights). */
function fixtureLayout(fixture: ModelFixture, name: string): Layout {
  let byName = layouts.get(fixture);
  if (!byName) {
    byName = new Map(fixture.weights.map(([n, layout]) => [n, layout]));
    layouts.set(fixture, byName);
  }
  return byName.get(name) ?? 'vector';
}

/** Our shape [kh, kw, I, O] / [I, O] in PyTorch's order. */
function theirShape(layout: Layout, shape: readonly number[]): number[] {
  if (layout === 'conv') return [shape[3]!, shape[2]!, shape[0]!, shape[1]!];
  if (layout === 'dense') return [shape[1]!, shape[0]!];
  return [...shape];
}

function loadWeights(built: BuiltModel, fixture: ModelFixture): void {
  const ours = new Map(built.model.weights.map((w) => [w.originalName, w]));
  for (const [name, layout, shape] of fixture.weights) {
    const size = shape.reduce((a, b) => a * b, 1);
    const { scale, offset } = fillOf(name, shape, fixture.fill);
    const value = toOurLayout(layout, shape, hashed(`${fixture.model}:${name}`, size, scale, offset));
    ours.get(name)!.write(value);
    value.dispose();
  }
}

/** The fixture's input batch NHWC, as the reference drew it. */
const fixtureImages = (fixture: ModelFixture, what: string): tf.Tensor4D =>
  tf.tensor4d(hashed(`${fixture.model}:${what}`, fixture.batch * fixture.side * fixture.side * 3, 1.5), [fixture.batch, fixture.side, fixture.side, 3]);

function checkLogits(plan: TrainingPlan, built: BuiltModel, fixture: ModelFixture): ConformanceCheck[] {
  const x = fixtureImages(fixture, 'input');
  try {
    const evaluator = startEvaluation(plan, built);
    const evaluation = tf.tidy(() => evaluator.logits(x).dataSync());
    evaluator.dispose();
    const checks = [checkOf('logits-evaluation', [{ tensor: 'logits', value: relativeError(evaluation, floats(fixture.inference)), float32Error: fixture.inferenceFloat32Error }])];
    if (fixture.training) {
      // A forward pass in training mode moves the BN statistics: put them back for the steps.
      const statistics = built.model.weights.filter((w) => !w.trainable).map((w) => [w, w.read().clone()] as const);
      const training = tf.tidy(() => (built.model.apply(x, { training: true }) as tf.Tensor).dataSync());
      for (const [w, saved] of statistics) {
        w.write(saved);
        saved.dispose();
      }
      checks.push(checkOf('logits-training', [{ tensor: 'logits', value: relativeError(training, floats(fixture.training)), float32Error: fixture.trainingFloat32Error ?? 0 }]));
    }
    return checks;
  } finally {
    x.dispose();
  }
}

/** Per weight (fixture order): the sketch of a tensor in PyTorch's layout. */
const sketchOf = (fixture: ModelFixture, name: string, value: tf.Tensor): number[] => sketch(inTheirLayout(fixtureLayout(fixture, name), value));

/** Per weight of `which`, in fixture order: our sketch's relative error, the reference's own float32 error, and the reference's norm. */
function sketchErrors(fixture: ModelFixture, ours: Map<string, number[]>, theirs: Float32Array, float32Errors: Float32Array, which: (name: string) => boolean) {
  const width = 1 + SKETCH_DIRECTIONS;
  return fixture.weights.flatMap(([name], i) => {
    if (!which(name)) return [];
    const mine = ours.get(name);
    const reference = theirs.subarray(i * width, (i + 1) * width);
    return [{ name, error: mine ? sketchError(mine, reference) : Number.POSITIVE_INFINITY, float32Error: float32Errors[i]!, norm: reference[0]! }];
  });
}

/**
 * The relative L2 error of many tensors taken as one vector, from their own:
 * √Σ(eᵢ‖gᵢ‖)² / √Σ‖gᵢ‖². Gradients are compared this way, not tensor by tensor:
 * a ReLU whose input lies within rounding of zero takes the other side in
 * another float32 implementation, and one such kink moves a few tensors'
 * gradients by percents (seen in plain-20, against PyTorch's float64 and its
 * own finite differences) while the whole gradient moves by far less.
 */
function pooled(errors: readonly { error: number; float32Error: number; norm: number }[]): { error: number; float32Error: number } {
  const total = Math.sqrt(errors.reduce((t, e) => t + e.norm ** 2, 0));
  const combine = (pick: (e: (typeof errors)[number]) => number) => Math.sqrt(errors.reduce((t, e) => t + (pick(e) * e.norm) ** 2, 0)) / (total || 1);
  return { error: combine((e) => e.error), float32Error: combine((e) => e.float32Error) };
}

const isStatistic = (name: string) => name.endsWith('/moving_mean') || name.endsWith('/moving_variance');

/**
 * SGD steps through the training step itself, each from the fixture's weights
 * and statistics with no velocity (momentum is the optimiser check's), at the
 * rate the run's schedule gives at the step's place. The loss and the BN
 * statistics' change are compared with the reference's; the gradients pooled
 * (see `pooled`); and each parameter's change with what the reference's rule,
 * w ← w − η(g + λw) with its η and λ, makes of the gradient the step computed.
 */
function checkSteps(plan: TrainingPlan, built: BuiltModel, fixture: ModelFixture): ConformanceCheck[] {
  const { recipe } = readSgdFixture();
  const variables = built.model.trainableWeights.map((w) => w.read() as tf.Variable);
  const originalName = new Map(built.model.trainableWeights.map((w) => [w.name, w.originalName]));
  const trainable = new Set(built.model.trainableWeights.map((w) => w.originalName));
  const decayed = new Set(decayedWeights(built).map((w) => w.name));
  const initial = new Map(built.model.weights.map((w) => [w.originalName, w.read().clone()]));
  const losses: Entry[] = [];
  const gradients: Entry[] = [];
  const updates: Entry[] = [];
  const statistics: Entry[] = [];
  try {
    fixture.steps!.forEach((step, k) => {
      for (const w of built.model.weights) w.write(initial.get(w.originalName)!.clone());
      const sgd = new Sgd(plan.sgd, decayed);
      const lr = rateAt(plan.schedule, step.role);
      const at = step.role === 'start' ? 'first step' : 'step after the first rate drop';
      const images = fixtureImages(fixture, `step${k}`);
      const batch = { images: images.dataSync() as Float32Array, labels: Int32Array.from(step.labels), size: fixture.batch };
      images.dispose();
      const grads = new Map<string, tf.Tensor>();
      const observe = (g: tf.NamedTensorMap) => {
        for (const [v, t] of Object.entries(g)) grads.set(originalName.get(v)!, tf.keep(t.clone()));
      };
      const { loss } = trainingStep({ built, variables, sgd }, { side: fixture.side, classes: fixture.classes }, batch, lr, observe);
      sgd.dispose();
      try {
        losses.push({ tensor: at, value: Math.abs(loss - step.loss) / Math.abs(step.loss), float32Error: step.lossFloat32Error, detail: `loss ${loss.toPrecision(6)}, reference ${step.loss.toPrecision(6)}` });
        const sketches = new Map([...grads].map(([name, g]) => [name, sketchOf(fixture, name, g)]));
        const g = pooled(sketchErrors(fixture, sketches, floats(step.gradients), floats(step.gradientsFloat32Error), (n) => trainable.has(n)));
        gradients.push({ tensor: `all ${trainable.size} parameters' gradients, ${at}`, value: g.error, float32Error: g.float32Error });
        for (const w of built.model.weights) {
          const name = w.originalName;
          if (!trainable.has(name)) continue;
          const [changed, expected, scale] = tf.tidy(() => {
            const w0 = initial.get(name)!;
            const decay = fixtureLayout(fixture, name) === 'vector' ? 0 : recipe.weightDecay;
            const rule = tf.mul(tf.add(grads.get(name)!, tf.mul(w0, decay)), -step.learningRate);
            return [tf.sub(w.read(), w0).dataSync(), rule.dataSync(), tf.max(tf.abs(w0)).dataSync()[0]!] as const;
          });
          const size = maxAbs(expected);
          const error = (relativeError(changed, expected) * size) / Math.max(size, WEIGHT_ROUNDING * scale);
          updates.push({ tensor: `${name} (${at})`, value: error, detail: `rate ${lr}, the reference's ${step.learningRate}` });
        }
        // BN's moving statistics follow the forward pass alone: tensor by tensor, against the reference's.
        const changed = new Map(
          built.model.weights
            .filter((w) => isStatistic(w.originalName))
            .map((w) => {
              const delta = tf.sub(w.read(), initial.get(w.originalName)!);
              const sketched = sketchOf(fixture, w.originalName, delta);
              delta.dispose();
              return [w.originalName, sketched];
            }),
        );
        const changes = sketchErrors(fixture, changed, floats(step.state), floats(step.stateFloat32Error), isStatistic);
        statistics.push(...changes.map((e) => ({ tensor: `${e.name} (${at})`, value: e.error, float32Error: e.float32Error })));
      } finally {
        tf.dispose([...grads.values()]);
      }
    });
  } finally {
    tf.dispose([...initial.values()]);
  }
  return [checkOf('loss', losses), checkOf('gradients', gradients), checkOf('updates', updates), checkOf('statistics', statistics)];
}

let sgdVariables = 0;

/** The optimiser on its own, on hashed tensors where weight decay's share of the update is large. */
function checkOptimizer(plan: TrainingPlan): ConformanceCheck {
  const fixture = readSgdFixture();
  const warms = plan.schedule.warmup !== undefined;
  const entries: Entry[] = [];
  for (const step of fixture.steps.filter((s) => s.role === 'first-drop' || s.warmup === warms)) {
    const lr = rateAt(plan.schedule, step.role);
    tf.tidy(() => {
      const vars = Object.entries(fixture.tensors).map(([name, shape]) => {
        const size = shape.reduce((a, b) => a * b, 1);
        const w = tf.variable(tf.tensor(hashed(`sgd:${name}:w`, size, 1), shape), true, `conformance-sgd-${name}-${++sgdVariables}`);
        return { name: name as 'kernel' | 'gamma', shape, size, w };
      });
      const kernel = vars.find((v) => v.name === 'kernel')!;
      const sgd = new Sgd(plan.sgd, new Set([kernel.w.name]));
      for (const v of vars) sgd.velocity.set(v.w.name, tf.variable(tf.tensor(hashed(`sgd:${v.name}:v`, v.size, 1e-3), v.shape), false));
      const grads = Object.fromEntries(vars.map((v) => [v.w.name, tf.tensor(hashed(`sgd:${v.name}:g`, v.size, 1e-3), v.shape)]));
      sgd.apply(vars.map((v) => v.w), grads, lr);
      for (const v of vars) {
        const expected = step.after[v.name];
        const where = `${v.name} (${step.role}${step.warmup ? ', warming up' : ''}: rate ${lr}, reference ${step.learningRate})`;
        entries.push({ tensor: `velocity of ${where}`, value: relativeError(sgd.velocity.get(v.w.name)!.dataSync(), floats(expected.velocity)) });
        entries.push({ tensor: `weight of ${where}`, value: relativeError(v.w.dataSync(), floats(expected.weight)) });
      }
      sgd.dispose();
      for (const v of vars) v.w.dispose();
    });
  }
  return checkOf('optimizer', entries);
}

/** The CIFAR input pipeline on fixed bytes, through the plan's batch preparation (its augmentation and labels). */
async function checkPipeline(plan: TrainingPlan): Promise<ConformanceCheck[]> {
  const f = readPipelineFixture();
  const pixels = f.side * f.side * 3;
  const set: ImageSet = {
    name: 'conformance',
    side: f.side,
    classes: 10,
    count: f.count,
    images: Uint8Array.from(uniform('pipeline:bytes', f.count * pixels), (u) => Math.min(255, Math.max(0, Math.trunc((u + 1) * 128)))),
    labels: Uint8Array.from(uniform('pipeline:labels', f.count), (u) => Math.min(9, Math.max(0, Math.trunc(((u + 1) / 2) * 10)))),
  };
  const data = new InMemoryData(set, set, 'test', null);
  const batch = await preparedBatch(plan, data, Uint32Array.from(f.images.map((i) => i.index)), f.seed, f.iteration);
  const images: Entry[] = f.images.map((image, k) => ({
    tensor: `image ${image.index}`,
    value: sketchError(sketch(batch.images.subarray(k * pixels, (k + 1) * pixels)), image.sketch),
    detail: `reference crop (${image.dx}, ${image.dy})${image.flip ? ', flipped' : ''}`,
  }));
  const labels: Entry[] = f.images.map((image, k) => ({ tensor: `label of image ${image.index}`, value: batch.labels[k] === image.label ? 0 : 1, detail: `${batch.labels[k]}, reference ${image.label}` }));
  // What evaluation reads: the first held-out batch, in the original view.
  for await (const test of data.testBatches(f.evaluation.length, 'single')) {
    f.evaluation.forEach((image, k) => {
      images.push({ tensor: `held-out image ${image.index}`, value: sketchError(sketch(test.images.subarray(k * pixels, (k + 1) * pixels)), image.sketch), detail: 'the original view' });
      labels.push({ tensor: `label of held-out image ${image.index}`, value: test.labels[k] === image.label ? 0 : 1, detail: `${test.labels[k]}, reference ${image.label}` });
    });
    break;
  }
  return [
    checkOf('pipeline-mean', [{ tensor: 'per-pixel mean', value: relativeError(perPixelMean(set), floats(f.mean)) }]),
    checkOf('pipeline-images', images),
    checkOf('labels', labels),
  ];
}
