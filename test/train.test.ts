/**
 * The trainer at tiny scale on the pure-JS cpu backend (deterministic): the
 * same seed gives the same curve, a resumed run ends where an uninterrupted
 * one does, a NaN loss is recorded as diverged, folders are locked.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { type BackendInfo, initBackend } from '../runners/backend.js';
import { InputError, UsageError } from '../runners/errors.js';
import { readCheckpoint, writeCheckpoint } from '../runners/train/checkpoint.js';
import { lockRunFolder } from '../runners/train/lock.js';
import { readRunRecord } from '../runners/records/run-record.js';
import { openDataset } from '../runners/data/datasets.js';
import type { TrainingData } from '../runners/data/source.js';
import { type TrainOptions, train } from '../runners/train/train.js';

let backend: BackendInfo;
test.before(async () => {
  backend = await initBackend('cpu', { gradients: true });
});

const fresh = () => mkdtempSync(join(tmpdir(), 'run-'));

function tiny(outDir: string, overrides: Partial<TrainOptions> = {}): TrainOptions {
  return {
    model: 'resnet8-skip1-w2',
    data: openDataset({ name: 'synthetic', trainLimit: 64, testLimit: 32 }),
    iterations: 6,
    seed: 11,
    outDir,
    resume: false,
    batchSize: 8,
    logEvery: 2,
    evalEvery: 3,
    checkpointEvery: 2,
    backend,
    ...overrides,
  };
}

test.serial('the same seed on the same backend gives the same curves; another seed does not', async (t) => {
  const a = await train(tiny(fresh()));
  const b = await train(tiny(fresh()));
  const c = await train(tiny(fresh(), { seed: 12 }));
  t.is(a.status, 'completed');
  t.deepEqual(a.curves.train.map((p) => p.loss), b.curves.train.map((p) => p.loss));
  t.deepEqual(a.curves.test, b.curves.test);
  t.notDeepEqual(a.curves.train.map((p) => p.loss), c.curves.train.map((p) => p.loss));
});

test.serial('how often a run evaluates never changes how it trains: evaluated every step or only at the end, the same curve and final test error', async (t) => {
  // Presets choose evalEvery for cost (the cifar10-depth nightly evaluates once per quarter); that is only sound if evaluation leaves training alone.
  const often = await train(tiny(fresh(), { evalEvery: 1 }));
  const once = await train(tiny(fresh(), { evalEvery: 6 }));
  t.is(often.curves.test.length, 6);
  t.is(once.curves.test.length, 1);
  const fitted = (r: typeof once) => r.curves.train.map(({ iteration, trainError, loss }) => ({ iteration, trainError, loss }));
  t.deepEqual(fitted(once), fitted(often));
  t.deepEqual(once.curves.test.at(-1), often.curves.test.at(-1));
});

test.serial('the run folder holds a valid run.json with the documented keys, and CSV curves', async (t) => {
  const dir = fresh();
  await train(tiny(dir));
  const record = readRunRecord(join(dir, 'run.json'));
  t.is(record.status, 'completed');
  t.is(record.model, 'resnet8-skip1-w2');
  t.is(record.dataset.name, 'synthetic');
  t.is(record.backend.name, 'cpu');
  t.is(record.seed, 11);
  t.is(record.iterations, 6);
  if (record.status !== 'completed') return t.fail();
  t.true(record.metrics.testError >= 0 && record.metrics.testError <= 1);
  t.true(record.metrics.trainError >= 0 && record.metrics.trainError <= 1);
  t.true(record.imagesPerSecond > 0);
  t.deepEqual(record.curves.train.map((p) => p.iteration), [2, 4, 6]);
  t.deepEqual(record.curves.test.map((p) => p.iteration), [3, 6]);
  const csv = readFileSync(join(dir, 'train-curve.csv'), 'utf8').split('\n');
  t.is(csv[0], 'iteration,trainError,loss,learningRate,imagesPerSecond');
  t.is(csv.filter(Boolean).length, 4);
});

test.serial('the run record says where the wall time went: steps, evaluations and checkpoints, the rest being the loop\'s own', async (t) => {
  const record = await train(tiny(fresh()));
  const spent = record.loopSeconds!;
  t.true(spent.steps > 0 && spent.evaluation > 0 && spent.checkpoints > 0, JSON.stringify(spent));
  t.true(spent.steps + spent.evaluation + spent.checkpoints <= record.wallSeconds + 1e-6, `${JSON.stringify(spent)} within ${record.wallSeconds} s`);
  // Interrupted and resumed, the parts add up across both processes.
  const dir = fresh();
  let steps = 0;
  const first = await train(tiny(dir, { shouldStop: () => steps++ >= 4 }));
  const resumed = await train(tiny(dir, { resume: true }));
  t.true(resumed.loopSeconds!.steps > first.loopSeconds!.steps);
  t.true(resumed.loopSeconds!.steps + resumed.loopSeconds!.evaluation + resumed.loopSeconds!.checkpoints <= resumed.wallSeconds + 1e-6);
});

test.serial('an interrupted run resumes from its checkpoint to the same result', async (t) => {
  const whole = await train(tiny(fresh()));
  const dir = fresh();
  let steps = 0;
  const stopped = await train(tiny(dir, { shouldStop: () => steps++ >= 4 }));
  t.is(stopped.status, 'interrupted');
  t.is(stopped.iterations, 4);
  t.is(readRunRecord(join(dir, 'run.json')).status, 'interrupted');
  const resumed = await train(tiny(dir, { resume: true }));
  t.is(resumed.status, 'completed');
  t.deepEqual(resumed.curves.train.map((p) => p.loss), whole.curves.train.map((p) => p.loss));
  t.deepEqual(resumed.curves.test, whole.curves.test);
});

test.serial('a run resumed on another machine identity completes and records every machine it ran on, from the iteration each took over', async (t) => {
  const dir = fresh();
  let steps = 0;
  await train(tiny(dir, { shouldStop: () => steps++ >= 4 }));
  const elsewhere: BackendInfo = { ...backend, cpuModel: 'another CPU', cpuCores: 4, cpuFeatures: ['avx2'], env: { ONEDNN_MAX_CPU_ISA: 'AVX2' } };
  const resumed = await train(tiny(dir, { resume: true, backend: elsewhere }));
  t.is(resumed.status, 'completed');
  t.is(resumed.host.cpuModel, 'another CPU');
  t.deepEqual(
    resumed.machines?.map((m) => [m.fromIteration, m.cpuModel, m.cpus]),
    [
      [0, backend.cpuModel, backend.cpuCores],
      [4, 'another CPU', 4],
    ],
  );
  // On one machine nothing is added.
  t.is((await train(tiny(fresh()))).machines, undefined);
});

test.serial('a run resumes only on the copy of the data it started on; a checkpoint from before digests adopts the copy it resumes on, and says so', async (t) => {
  const synthetic = openDataset({ name: 'synthetic', trainLimit: 64, testLimit: 32 });
  // The same images under another name stand for another copy: only the digest tells copies apart.
  const copy = (digest: string): TrainingData => Object.assign(Object.create(synthetic) as TrainingData, { digest });
  const dir = fresh();
  let steps = 0;
  await train(tiny(dir, { data: copy('sha256:one'), shouldStop: () => steps++ >= 4 }));
  await t.throwsAsync(train(tiny(dir, { resume: true, data: copy('sha256:two') })), {
    instanceOf: InputError,
    message: /these differ: data \(sha256 of its files\) sha256:one when started, sha256:two now\. Resume with the original settings and the copy of the data it started on/,
  });
  t.is((await train(tiny(dir, { resume: true, data: copy('sha256:one') }))).dataset.digest, 'sha256:one');

  const legacy = fresh();
  steps = 0;
  await train(tiny(legacy, { data: copy('sha256:one'), shouldStop: () => steps++ >= 4 }));
  const path = join(legacy, 'checkpoint.ckpt');
  const saved = readCheckpoint<{ recipe: Record<string, unknown> }>(path);
  const { dataDigest: _dropped, ...recipe } = saved.header.recipe;
  writeCheckpoint(path, { ...saved, header: { ...saved.header, recipe } });
  const lines: string[] = [];
  const resumed = await train(tiny(legacy, { resume: true, data: copy('sha256:two'), log: (line) => lines.push(line) }));
  t.is(resumed.status, 'completed');
  t.is(resumed.dataset.digest, 'sha256:two');
  t.true(lines.some((l) => /checkpoint predates data digests; from iteration 4 on it reads sha256:two/.test(l)), lines.join('\n'));
});

test.serial('a NaN loss ends the run as diverged, recorded, never completed', async (t) => {
  const dir = fresh();
  const record = await train(tiny(dir, { learningRate: 1e30, iterations: 20 }));
  t.is(record.status, 'diverged');
  if (record.status !== 'diverged') return;
  t.true(record.divergedAt >= 0 && record.divergedAt < 20);
  t.is(readRunRecord(join(dir, 'run.json')).status, 'diverged');
});

test.serial('a folder in use by a live run is refused; a stale lock is taken over', async (t) => {
  const dir = fresh();
  writeFileSync(join(dir, 'run.lock'), String(process.pid));
  await t.throwsAsync(train(tiny(dir)), { instanceOf: InputError, message: /in use by another run \(pid \d+\)/ });
  writeFileSync(join(dir, 'run.lock'), '999999999');
  t.is((await train(tiny(dir))).status, 'completed');
  t.false(existsSync(join(dir, 'run.lock')), 'the lock is released');
});

test.serial('an existing run is not overwritten without --resume, and --resume needs a checkpoint', async (t) => {
  const dir = fresh();
  await train(tiny(dir));
  await t.throwsAsync(train(tiny(dir)), { instanceOf: InputError, message: /already holds a run: pass --resume/ });
  await t.throwsAsync(train(tiny(fresh(), { resume: true })), { instanceOf: InputError, message: /nothing to resume/ });
  await t.throwsAsync(train(tiny(dir, { resume: true, seed: 99 })), { instanceOf: InputError, message: /checkpoint .* is of another run: seed 11 in it, 99 asked/ });
});

test.serial('bad settings are usage errors before any work', async (t) => {
  await t.throwsAsync(train(tiny(fresh(), { model: 'resnet21' })), { instanceOf: UsageError });
  await t.throwsAsync(train(tiny(fresh(), { model: 'resnet18' })), { instanceOf: UsageError, message: /resnet18 is trained on an ImageNet-shaped set \(imagenet or imagenet-standin\), not synthetic/ });
  await t.throwsAsync(train(tiny(fresh(), { batchSize: 0 })), { instanceOf: UsageError });
});

test('a corrupt checkpoint is an error that names it', (t) => {
  const dir = fresh();
  writeFileSync(join(dir, 'checkpoint.ckpt'), 'garbage');
  t.throws(() => readCheckpoint(join(dir, 'checkpoint.ckpt')), { instanceOf: InputError, message: /checkpoint\.ckpt is corrupt/ });
});

test('a failed checkpoint write leaves the previous checkpoint intact', (t) => {
  const dir = fresh();
  const path = join(dir, 'checkpoint.ckpt');
  writeCheckpoint(path, { header: { iteration: 1 }, tensors: [{ name: 'w', shape: [2], values: new Float32Array([1, 2]) }] });
  mkdirSync(`${path}.tmp-${process.pid}`); // the temporary file cannot be created
  t.throws(() => writeCheckpoint(path, { header: { iteration: 2 }, tensors: [] }));
  const kept = readCheckpoint<{ iteration: number }>(path);
  t.is(kept.header.iteration, 1);
  t.deepEqual(Array.from(kept.tensors[0]!.values), [1, 2]);
});

test('run records are validated when read', (t) => {
  const dir = fresh();
  writeFileSync(join(dir, 'old.json'), JSON.stringify({ schemaVersion: 0 }));
  t.throws(() => readRunRecord(join(dir, 'old.json')), { instanceOf: InputError, message: /schema version 0/ });
  writeFileSync(join(dir, 'bad.json'), JSON.stringify({ schemaVersion: 1, status: 'completed' }));
  t.throws(() => readRunRecord(join(dir, 'bad.json')), { instanceOf: InputError, message: /not a valid run record/ });
});

test('a checkpoint with flipped bytes, cut to 6 bytes, or with a wrong shape is refused, naming it', (t) => {
  const dir = fresh();
  const path = join(dir, 'c.ckpt');
  writeCheckpoint(path, { header: { iteration: 3 }, tensors: [{ name: 'w', shape: [2, 2], values: new Float32Array([1, 2, 3, 4]) }] });
  const bytes = readFileSync(path);
  const flipped = Buffer.from(bytes);
  flipped[flipped.length - 3]! ^= 0xff;
  writeFileSync(path, flipped);
  t.throws(() => readCheckpoint(path), { instanceOf: InputError, message: /checksum mismatch/ });
  writeFileSync(path, bytes.subarray(0, 6));
  t.throws(() => readCheckpoint(path), { instanceOf: InputError, message: /is corrupt/ });
  writeCheckpoint(path, { header: { iteration: 3 }, tensors: [{ name: 'w', shape: [3, 2], values: new Float32Array([1, 2, 3, 4]) }] });
  t.throws(() => readCheckpoint(path), { instanceOf: InputError, message: /shape \[3,2\] but 4 values/ });
});

test('a folder\'s lock removes temporary files that killed processes left, and keeps live ones', (t) => {
  const dir = fresh();
  writeFileSync(join(dir, 'run.json.tmp-999999'), '{"half":');
  writeFileSync(join(dir, `checkpoint.ckpt.tmp-${process.pid}`), 'ours');
  const lines: string[] = [];
  const unlock = lockRunFolder(dir, (l) => lines.push(l));
  unlock();
  t.false(existsSync(join(dir, 'run.json.tmp-999999')));
  t.true(existsSync(join(dir, `checkpoint.ckpt.tmp-${process.pid}`)));
  t.regex(lines.join('\n'), /removed run\.json\.tmp-999999/);
});
