/**
 * The records contract: one question, "is this the same computation?", asked
 * one way (differences over named aspects) by every check between stages.
 */
import test from 'ava';
import { EVALUATION_KERNELS } from '../runners/kernels/fused-conv.js';
import cifar10Depth from '../suites/cifar10-depth.js';
import { appendBaseline } from '../runners/compare/baseline.js';
import { compare } from '../runners/compare/compare.js';
import { InputError } from '../runners/errors.js';
import { aspect, describeDifferences, differences } from '../runners/records/differences.js';
import { type BackendRecord, memoryAllocator, sameNumerics, sameTiming, WHOLE_IDENTITY } from '../runners/records/identity.js';
import { isRecipe, RECIPE, Recipe } from '../runners/records/recipe.js';
import type { ResultSet } from '../runners/records/results.js';
import { finalPhaseTrainError, generalizationGap, identityOfRun, type TrainPoint } from '../runners/records/run-record.js';
import { checkConsistency, mergeResults } from '../runners/suite/results.js';
import { baselineFrom, fakeResults } from './helpers/results.js';

const XEON: BackendRecord = { name: 'tensorflow', device: 'cpu', versions: { tensorflow: '2.21.0' }, cpuModel: 'Xeon', gpuModel: null, cpuCores: 2, cpuFeatures: ['avx2', 'avx512f'], env: { TF_ENABLE_ONEDNN_OPTS: '1' } };
const AVX2_ONLY: BackendRecord = { ...XEON, env: { ...XEON.env, ONEDNN_MAX_CPU_ISA: 'AVX2' } };
const on = (results: ResultSet, backend: BackendRecord): ResultSet => ({
  ...results,
  backend,
  runs: results.runs.map((r) => ({ ...r, record: { ...r.record, backend: { name: backend.name, device: backend.device, versions: backend.versions }, host: { ...r.record.host, cpuModel: backend.cpuModel, cpus: backend.cpuCores!, cpuFeatures: [...backend.cpuFeatures!], env: backend.env! } } })),
});

test('differences name each aspect that differs, compare values whatever their key order, and never match an unknown value', (t) => {
  const aspects = [aspect('env', (x: { env?: Record<string, string> }) => x.env)];
  t.deepEqual(differences({ env: { a: '1', b: '2' } }, { env: { b: '2', a: '1' } }, aspects), []);
  t.deepEqual(differences({ env: { a: '1' } }, { env: { a: '2' } }, aspects), [{ aspect: 'env', theirs: '{"a":"1"}', ours: '{"a":"2"}' }]);
  t.deepEqual(differences({}, {}, aspects), [{ aspect: 'env', theirs: 'unknown', ours: 'unknown' }], 'nobody recorded it: not the same');
  t.deepEqual(differences({}, {}, aspects, { unknown: 'is a value' }), [], 'recorded alike');
  t.deepEqual(differences({}, { env: {} }, aspects, { unknown: 'is a value' }).length, 1, 'unknown is not empty');
  t.is(describeDifferences(differences({ env: { a: '1' } }, { env: { a: '2' } }, aspects)), 'env {"a":"1"} there, {"a":"2"} now');
});

test('the machine identity: a numerics variable is another identity on native TensorFlow, not on wasm, for numerics and for timing alike', (t) => {
  t.true(sameNumerics(XEON, { ...XEON }));
  t.false(sameNumerics(XEON, AVX2_ONLY));
  t.true(sameTiming(XEON, { ...XEON, versions: { ...XEON.versions, tensorflow: '2.22.0' } }), 'another release on the same machine: its throughput is what the gate watches');
  t.false(sameTiming(XEON, AVX2_ONLY), 'other kernels on the same CPU: another machine for timing');
  t.false(sameTiming(XEON, { ...XEON, env: { TF_NUM_INTRAOP_THREADS: '1' } }), 'one thread of two cores');
  t.false(sameTiming(XEON, { ...XEON, cpuCores: 4 }));
  // The allocator changes speed, not numbers: timing only. Records from before it was kept ran on the system's.
  t.true(sameNumerics(XEON, { ...XEON, allocator: 'tcmalloc' }), 'the same numbers on another allocator');
  t.false(sameTiming(XEON, { ...XEON, allocator: 'tcmalloc' }), 'not the same speed');
  t.true(sameTiming(XEON, { ...XEON, allocator: 'system' }), 'absent is the system allocator');
  t.false(sameTiming(XEON, { ...XEON, cpuFeatures: ['avx2'] }));
  // Fused evaluation kernels (a binding built by setup) compute the evaluation to float32 rounding, not bit for bit: another build.
  const fused = { ...XEON, versions: { ...XEON.versions, [EVALUATION_KERNELS]: 'fused' } };
  t.false(sameNumerics(XEON, fused), 'a baseline evaluated by tfjs-layers is not replayed by fused kernels');
  t.true(sameTiming(XEON, fused), 'the same machine: its training throughput still compares');
  const wasm = { ...XEON, name: 'wasm' as const, versions: { wasm: '4.22.0' } };
  t.true(sameNumerics(wasm, { ...wasm, cpuModel: 'EPYC', env: {} }), 'IEEE-exact whatever the CPU');
  t.false(sameNumerics(wasm, { ...wasm, versions: { wasm: '4.23.0' } }));
  const { cpuFeatures: _dropped, ...unknownExtensions } = XEON;
  t.false(sameTiming(unknownExtensions, unknownExtensions), 'extensions nobody recorded never match');
});

test("a run record's identity reads as the one shape results and baselines keep", (t) => {
  const run = on(fakeResults(cifar10Depth, 'nightly', { resnet20: [{ testError: 0.4 }] }), XEON).runs[0]!.record;
  t.deepEqual(identityOfRun(run), XEON);
});

test('the recipe is typed: unknown fields and a non-recipe are refused; its aspects leave out the sample (models, seeds, first seed)', (t) => {
  const nightly = fakeResults(cifar10Depth, 'nightly', { resnet20: [{ testError: 0.4 }] }).settings;
  t.true(isRecipe(nightly));
  t.false(Recipe.safeParse({ ...nightly, learningRate: 0.2 }).success, 'a field nobody reads would pass unseen');
  t.false(Recipe.safeParse({ ...nightly, iterations: 0 }).success);
  t.deepEqual(differences(nightly, { ...nightly, seeds: 99, models: ['resnet56'], firstSeed: 5 } as typeof nightly, RECIPE), []);
  t.deepEqual(
    differences(nightly, { ...nightly, iterations: 4000 } as typeof nightly, RECIPE).map((d) => d.aspect),
    ['iterations'],
  );
  t.deepEqual(differences(nightly, { ...nightly, width: 4 } as typeof nightly, RECIPE).map((d) => `${d.aspect} ${d.theirs} → ${d.ours}`), ['width none → 4'], "an absent width is the paper's, a value");
});

test('a baseline pools only seeds of the same computation: another numerics environment is refused, naming it', (t) => {
  const existing = baselineFrom(cifar10Depth, on(fakeResults(cifar10Depth, 'nightly', { resnet20: [{ testError: 0.4 }, { testError: 0.41 }] }), XEON)).data;
  // Seed 3 alone, as `run --first-seed 3 --seeds 1` records it.
  const three = fakeResults(cifar10Depth, 'nightly', { resnet20: [{ testError: 0.4 }, { testError: 0.41 }, { testError: 0.42 }] });
  const seed3 = (backend: BackendRecord) => on({ ...three, settings: { ...three.settings, seeds: 1, firstSeed: 3 } as ResultSet['settings'], expectedUnits: three.expectedUnits.slice(2), runs: three.runs.slice(2) }, backend);
  const added = baselineFrom(cifar10Depth, seed3(AVX2_ONLY)).data;
  t.throws(() => appendBaseline(existing, added, 'b.json'), { instanceOf: InputError, message: /cannot pool into b\.json: numerics environment \{"TF_ENABLE_ONEDNN_OPTS":"1"\} there, \{"ONEDNN_MAX_CPU_ISA":"AVX2","TF_ENABLE_ONEDNN_OPTS":"1"\} in these results/ });
  const sameMachine = baselineFrom(cifar10Depth, seed3(XEON)).data;
  t.is(appendBaseline(existing, sameMachine, 'b.json').metrics.resnet20!.testError!.n, 3);
});

test('shards from two machines merge only when asked, list each machine, and then neither replay nor gate throughput', (t) => {
  const all = fakeResults(cifar10Depth, 'nightly', { resnet20: [{ testError: 0.4 }, { testError: 0.41 }] });
  const one = on({ ...all, shards: { count: 2, included: [1] }, runs: all.runs.slice(0, 1) }, XEON);
  const two = on({ ...all, shards: { count: 2, included: [2] }, runs: all.runs.slice(1) }, AVX2_ONLY);
  t.throws(() => mergeResults([{ path: 'a', results: one }, { path: 'b', results: two }]), { instanceOf: InputError, message: /different machines \(numerics environment .*\)\. Pass --mixed-machines/ });
  const merged = mergeResults([{ path: 'a', results: one }, { path: 'b', results: two }], true);
  t.deepEqual(merged.machines, [XEON, AVX2_ONLY]);
  t.notThrows(() => checkConsistency(merged, cifar10Depth), 'each run is one of the machines');
  t.false(sameNumerics(merged.backend, XEON) || sameTiming(merged.backend, XEON), 'the merged identity matches no machine');
  const foreign = { ...merged, runs: merged.runs.map((r) => ({ ...r, record: { ...r.record, host: { ...r.record.host, cpuModel: 'EPYC' } } })) };
  t.throws(() => checkConsistency(foreign, cifar10Depth), { instanceOf: InputError, message: /CPU EPYC in the record/ });
  const baseline = baselineFrom(cifar10Depth, on(all, XEON));
  t.true(compare(merged, cifar10Depth, baseline).rows.every((r) => !/identical seed for seed/.test(r.why)), 'no replay');
});

test('merged shards of one machine keep its identity', (t) => {
  const all = on(fakeResults(cifar10Depth, 'nightly', { resnet20: [{ testError: 0.4 }, { testError: 0.41 }] }), XEON);
  const merged = mergeResults([
    { path: 'a', results: { ...all, shards: { count: 2, included: [1] }, runs: all.runs.slice(0, 1) } },
    { path: 'b', results: { ...all, shards: { count: 2, included: [2] }, runs: all.runs.slice(1) } },
  ]);
  t.deepEqual(merged.backend, XEON);
  t.is(merged.machines, undefined);
  t.true(differences(merged.backend, XEON, WHOLE_IDENTITY).length === 0);
});

/** The same results, each run's record naming the copy of the data it read (undefined: a record from before digests). */
const reading = (results: ResultSet, digest: (seed: number) => string | undefined): ResultSet => ({
  ...results,
  runs: results.runs.map((r) => ({ ...r, record: { ...r.record, dataset: { ...r.record.dataset, digest: digest(r.unit.seed) } } })),
});
const OFFICIAL = 'sha256:0fficia1';
const JPEG_COPY = 'sha256:1b9e9c0b';

test('the copy of the data is provenance: a baseline keeps the copy its runs read and gates only runs of that copy', (t) => {
  const results = fakeResults(cifar10Depth, 'nightly', { resnet20: [{ testError: 0.4 }, { testError: 0.41 }, { testError: 0.42 }] });
  const baseline = baselineFrom(cifar10Depth, reading(results, () => JPEG_COPY));
  t.is(baseline.data.dataDigest, JPEG_COPY);
  t.notThrows(() => compare(reading(results, () => JPEG_COPY), cifar10Depth, baseline));
  t.throws(() => compare(reading(results, () => OFFICIAL), cifar10Depth, baseline), {
    instanceOf: InputError,
    message: /baseline\.json cannot gate these results: its runs read sha256:1b9e9c0b, but resnet20-s1 read sha256:0fficia1, .*record a baseline on this one/,
  });
  t.throws(() => compare(reading(results, (seed) => (seed === 2 ? undefined : JPEG_COPY)), cifar10Depth, baseline), { instanceOf: InputError, message: /resnet20-s2 read a copy it does not name/ });
  // A baseline from before digests says nothing of its copy: it gates as before.
  const older = baselineFrom(cifar10Depth, reading(results, () => undefined));
  t.is(older.data.dataDigest, undefined);
  t.notThrows(() => compare(reading(results, () => OFFICIAL), cifar10Depth, older));
});

test('runs of two copies of the data are never one sample: not one result set, not one baseline, not one pool', (t) => {
  const results = fakeResults(cifar10Depth, 'nightly', { resnet20: [{ testError: 0.4 }, { testError: 0.41 }, { testError: 0.42 }] });
  const mixed = reading(results, (seed) => (seed === 3 ? OFFICIAL : JPEG_COPY));
  t.throws(() => checkConsistency(mixed, cifar10Depth), { instanceOf: InputError, message: /read different copies of the data \(resnet20-s1 sha256:1b9e9c0b, resnet20-s2 sha256:1b9e9c0b, resnet20-s3 sha256:0fficia1\)/ });
  t.throws(() => baselineFrom(cifar10Depth, mixed), { instanceOf: InputError, message: /different copies of the data/ });

  const firstTwo = (r: ResultSet): ResultSet => ({ ...r, settings: { ...r.settings, seeds: 2 } as ResultSet['settings'], expectedUnits: r.expectedUnits.slice(0, 2), runs: r.runs.slice(0, 2) });
  const third = (r: ResultSet): ResultSet => ({ ...r, settings: { ...r.settings, seeds: 1, firstSeed: 3 } as ResultSet['settings'], expectedUnits: r.expectedUnits.slice(2), runs: r.runs.slice(2) });
  const existing = baselineFrom(cifar10Depth, on(firstTwo(reading(results, () => JPEG_COPY)), XEON)).data;
  const pool = (digest: string | undefined) => appendBaseline(existing, baselineFrom(cifar10Depth, on(third(reading(results, () => digest)), XEON)).data, 'b.json');
  t.throws(() => pool(OFFICIAL), { instanceOf: InputError, message: /cannot pool into b\.json: its runs read sha256:1b9e9c0b, these read sha256:0fficia1/ });
  t.is(pool(JPEG_COPY).dataDigest, JPEG_COPY);
  t.is(pool(JPEG_COPY).metrics.resnet20!.testError!.n, 3);
  t.is(pool(undefined).dataDigest, undefined, 'seeds that do not name their copy leave the pool not naming one');
});

test("the generalisation gap: final test error minus the training error of the last learning-rate phase, each window weighted by its iterations", (t) => {
  const point = (iteration: number, trainError: number, learningRate: number): TrainPoint => ({ iteration, trainError, loss: 1, learningRate, imagesPerSecond: 100 });
  // Rate 0.01 until 100, then 0.001: the last phase is the windows ending at 150 (50 iterations) and 175 (25).
  const curve = [point(50, 0.5, 0.1), point(100, 0.4, 0.01), point(150, 0.3, 0.001), point(175, 0.24, 0.001)];
  t.is(finalPhaseTrainError(curve), (0.3 * 50 + 0.24 * 25) / 75);
  t.is(finalPhaseTrainError([point(25, 0.6, 0.1)]), 0.6, 'one phase: the whole curve');
  t.is(finalPhaseTrainError([]), undefined);
  t.is(generalizationGap({ metrics: { testError: 0.3 }, curves: { train: curve, test: [] } }), 0.3 - 0.28);
  t.is(generalizationGap({ metrics: {}, curves: { train: curve, test: [] } }), undefined, 'no test error (a diverged run): no gap');
});

test('the allocator is read from the libraries mapped into the process: tcmalloc, jemalloc, else the system\'s', (t) => {
  t.is(memoryAllocator(() => '7f00-7f01 r-xp 0 08:01 12 /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4.5.10\n'), 'tcmalloc');
  t.is(memoryAllocator(() => '7f00-7f01 r-xp 0 08:01 12 /usr/lib/x86_64-linux-gnu/libjemalloc.so.2\n'), 'jemalloc');
  t.is(memoryAllocator(() => '7f00-7f01 r-xp 0 08:01 12 /usr/lib/x86_64-linux-gnu/libc.so.6\n'), 'system');
  t.is(memoryAllocator(() => { throw new Error('ENOENT'); }), 'system', 'no /proc: nothing preloaded one');
});
