/**
 * The conformance tier (runners/conformance/): our models, training step,
 * optimiser, input pipeline and initialisation against PyTorch's fixtures
 * (scripts/conformance.py), on whatever backend the tests run. Tolerances
 * and why: runners/conformance/check.ts and the README's "Tiers".
 */
import test from 'ava';
import { SUITES } from '../suites/index.js';
import { checkConformance } from '../runners/conformance/check.js';
import { conformancePassed, type ConformanceReport } from '../runners/records/conformance.js';
import { hasModelFixture, twinOf } from '../runners/conformance/fixtures.js';
import { FAULT_NAMES, type FaultName } from '../runners/records/faults.js';
import { useBackend } from './helpers/backend.js';

test.before(async () => {
  await useBackend({ gradients: true });
});

const SMOKE_SHAPE = { iterations: 40, side: 32, classes: 10 } as const;

const failures = (r: ConformanceReport) =>
  [...r.run.map((c) => ({ model: 'the run', c })), ...r.models.flatMap((m) => m.checks.map((c) => ({ model: m.model, c })))]
    .filter(({ c }) => c.failed > 0)
    .map(({ model, c }) => `${model} ${c.kind}: ${c.failures[0]?.tensor} ${c.failures[0]?.value} > ${c.failures[0]?.tolerance}`);

test('every model a suite trains has a reference fixture for its twin', (t) => {
  const models = new Set(SUITES.flatMap((s) => (s.kind === 'training' ? [...s.models, ...Object.values(s.presets).flatMap((p) => p?.models ?? [])] : [])));
  const missing = [...models].filter((m) => !hasModelFixture(twinOf(m).replace(/-g0(?=-|$)/, '')));
  t.deepEqual(missing, [], 'regenerate with python3 scripts/conformance.py');
});

// Every fixture, ImageNet twins at 64 px through the same builder; 1202 layers is the slowest (seconds).
const MODELS = ['resnet20', 'plain20', 'resnet32', 'plain56', 'resnet110', 'resnet1202', 'highway20', 'highway56', 'highway19', 'resnet38-skip1', 'resnet38-skip3', 'resnet38-skip4', 'resnet110-skip4'];
const IMAGENET = ['plain18', 'plain34', 'resnet18-a', 'resnet34-a', 'resnet18', 'resnet34', 'resnet34-c', 'resnet50', 'resnet50-v1.5', 'resnet101', 'resnet152'];

for (const model of MODELS) {
  test(`${model}: the clean code path conforms (logits in both BN modes, loss, gradients, updates, optimiser, pipeline, initialisation)`, async (t) => {
    const report = await checkConformance([{ model: `${model}-w4`.replace('highway19-w4', 'highway19'), seed: 1 }], SMOKE_SHAPE);
    t.deepEqual(failures(report), []);
    t.true(conformancePassed(report));
  });
}

test('ImageNet twins conform at 64 px', async (t) => {
  const report = await checkConformance(IMAGENET.map((m) => ({ model: `${m}-w4`, seed: 1 })), { iterations: 20, side: 64, classes: 10 });
  t.deepEqual(failures(report), []);
  t.is(report.models.length, IMAGENET.length);
});

/** Which check each planted fault must trip: the tier names it, so a CI log says what broke. */
const CAUGHT_BY: Record<FaultName, RegExp> = {
  'lr-x0.3': /updates|optimizer/,
  'no-augmentation': /pipeline-images/,
  'no-shortcuts': /logits-evaluation/,
  'bn-momentum': /statistics: .*moving_/,
  'weight-decay-x10': /optimizer/,
  'weight-decay-x2': /optimizer/,
  'label-noise-20': /labels/,
  'classifier-init-x10': /initialisation: fc\/kernel/,
  'eval-train-mode': /logits-evaluation/,
};

for (const fault of FAULT_NAMES) {
  test(`fault ${fault} fails the conformance tier, named by the check that caught it`, async (t) => {
    const report = await checkConformance([{ model: 'resnet20-w4', seed: 1 }], { ...SMOKE_SHAPE, fault });
    t.false(conformancePassed(report));
    t.regex(failures(report).join('\n'), CAUGHT_BY[fault]);
  });
}

test('weight decay at twice its rate fails the optimiser check by orders of magnitude, not at the margin', async (t) => {
  const report = await checkConformance([{ model: 'resnet20-w4', seed: 1 }], { ...SMOKE_SHAPE, fault: 'weight-decay-x2' });
  const optimizer = report.models[0]!.checks.find((c) => c.kind === 'optimizer')!;
  const largest = optimizer.worst?.value ?? 0;
  t.true(largest > 1000 * optimizer.tolerance, `largest ${largest} against ${optimizer.tolerance}`);
});

test('a model whose weights differ from the reference model fails on its weights and compares nothing else', async (t) => {
  // resnet20's twin against plain20's fixture would pass the weights (option A adds none): a projection net cannot.
  const report = await checkConformance([{ model: 'resnet18-w4', seed: 1 }], { iterations: 20, side: 64, classes: 10, fault: 'no-shortcuts' });
  const checks = report.models[0]!.checks.map((c) => c.kind);
  t.false(conformancePassed(report));
  t.regex(failures(report).join('\n'), /weights: conv\d_1\.proj/);
  t.false(checks.includes('logits-evaluation'));
});
