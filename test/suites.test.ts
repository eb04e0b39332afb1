/** Suites as data, units, shards and merging. */
import test from 'ava';
import { listSuites } from '../runners/commands/list.js';
import { PRESETS } from '../runners/records/recipe.js';
import { SUITES } from '../suites/index.js';
import cifar10Depth from '../suites/cifar10-depth.js';
import { InputError, UsageError } from '../runners/errors.js';
import { parseModelName } from '../runners/models/names.js';
import { paperEntries } from '../runners/paper.js';
import { mergeResults } from '../runners/suite/results.js';
import { expandUnits, parseShard, resolveSettings, type RunUnit, shardUnits, unitCost } from '../runners/suite/units.js';
import { fakeResults } from './helpers/results.js';

test('every suite names buildable models, complete presets and claims about its own models', (t) => {
  const names = SUITES.map((s) => s.name);
  t.is(new Set(names).size, names.length);
  for (const suite of SUITES) {
    for (const m of suite.models) t.notThrows(() => parseModelName(m), `${suite.name}: ${m}`);
    if (suite.kind !== 'training') continue;
    for (const preset of PRESETS) {
      for (const m of suite.presets[preset]?.models ?? []) t.notThrows(() => parseModelName(m), `${suite.name}/${preset}: ${m}`);
    }
    for (const claim of suite.claims) {
      t.true(suite.models.includes(claim.lower) && suite.models.includes(claim.higher), `${suite.name}: claim ${claim.id}`);
      t.true(suite.metrics.includes(claim.metric), `${suite.name}: claim ${claim.id} uses a compared metric`);
    }
  }
});

test('paper numbers are referenced, not copied: every paper model of a suite with a paper row has it in baselines/paper.json', (t) => {
  const withPaper = new Set(paperEntries().map((e) => e.model));
  t.true(cifar10Depth.models.filter((m) => m.startsWith('resnet')).every((m) => withPaper.has(m)));
});

test('the smoke preset uses tiny widths on generated data; nightly uses real CIFAR-10', (t) => {
  const smoke = resolveSettings(cifar10Depth, 'smoke', {});
  t.true('dataset' in smoke && smoke.dataset === 'synthetic');
  const units = expandUnits(smoke);
  t.true(units.every((u) => u.model.endsWith('-w4')));
  t.deepEqual(units.map((u) => u.id).slice(0, 2), ['plain20-w4-s1', 'plain20-w4-s2']);
  t.is(units[0]!.paperModel, 'plain20');
  const nightly = resolveSettings(cifar10Depth, 'nightly', {});
  t.true('dataset' in nightly && nightly.dataset === 'cifar10');
});

test('the cifar10-depth nightly: fourteen seeds of ResNet-20 on the paper\'s schedule shape at 2,000 iterations, at most three per shard over five shards', (t) => {
  const settings = resolveSettings(cifar10Depth, 'nightly', {});
  t.like(settings, { iterations: 2000, evalEvery: 500, batchSize: 128, dataset: 'cifar10' });
  const units = expandUnits(settings);
  t.deepEqual([...new Set(units.map((u) => u.paperModel))], ['resnet20']);
  t.is(units.length, 14);
  t.is(cifar10Depth.presets.nightly.shards, 5);
  t.deepEqual([1, 2, 3, 4, 5].map((shard) => shardUnits(units, unitCost, shard, 5).length), [3, 3, 3, 3, 2]);
});

test('the reduced preset is the paper\'s CIFAR schedule at 1/8 for ResNet-20; suites without it say which presets they have', (t) => {
  const reduced = resolveSettings(cifar10Depth, 'reduced', {});
  t.true('iterations' in reduced && reduced.iterations === 8_000 && reduced.batchSize === 128 && reduced.dataset === 'cifar10' && reduced.width === undefined);
  t.deepEqual(expandUnits(reduced).map((u) => u.id), ['resnet20-s1']);
  const highway = SUITES.find((s) => s.name === 'cifar10-highway')!;
  t.throws(() => resolveSettings(highway, 'reduced', {}), { instanceOf: UsageError, message: /suite cifar10-highway has no preset "reduced"; its presets: smoke, nightly, full/ });
});

test('command-line overrides replace preset settings; unknown models fail before any work', (t) => {
  const s = resolveSettings(cifar10Depth, 'smoke', { models: ['resnet8'], seeds: 3, iterations: 7 });
  t.true('seeds' in s && s.seeds === 3 && s.iterations === 7);
  t.deepEqual(expandUnits(s).map((u) => u.id), ['resnet8-w4-s1', 'resnet8-w4-s2', 'resnet8-w4-s3']);
  t.throws(() => resolveSettings(cifar10Depth, 'smoke', { models: ['resnet9'] }), { instanceOf: UsageError });
  t.throws(() => resolveSettings(cifar10Depth, 'smoke', { seeds: 0 }), { instanceOf: UsageError });
});

test('shards partition the units exactly, the same way every time, balanced by cost', (t) => {
  const units: RunUnit[] = ['a', 'b', 'c', 'd', 'e', 'f', 'g'].map((m, i) => ({ id: `${m}-s1`, model: m, paperModel: m, seed: 1 + (i % 1) }));
  const cost = (u: RunUnit) => ({ a: 8, b: 7, c: 6, d: 5, e: 4, f: 3, g: 2 })[u.model]!;
  const shards = [1, 2, 3].map((i) => shardUnits(units, cost, i, 3));
  t.deepEqual(shards.flat().map((u) => u.id).sort(), units.map((u) => u.id).sort());
  t.deepEqual(shardUnits(units, cost, 2, 3), shards[1]);
  const loads = shards.map((s) => s.reduce((n, u) => n + cost(u), 0));
  t.true(Math.max(...loads) - Math.min(...loads) <= 2, loads.join(','));
  t.deepEqual(parseShard('2/3'), { index: 2, count: 3 });
  for (const bad of ['0/3', '4/3', '1/0', 'x']) t.throws(() => parseShard(bad), { instanceOf: UsageError });
});

test('merge combines shards, and refuses other suite versions, presets or duplicate units', (t) => {
  const all = fakeResults(cifar10Depth, 'nightly', { resnet20: [{ testError: 0.08 }, { testError: 0.081 }] });
  const one = { ...all, shards: { count: 2, included: [1] }, runs: all.runs.slice(0, 1) };
  const two = { ...all, shards: { count: 2, included: [2] }, runs: all.runs.slice(1) };
  const merged = mergeResults([{ path: 'a', results: one }, { path: 'b', results: two }]);
  t.deepEqual(merged.shards.included, [1, 2]);
  t.is(merged.runs.length, 2);
  t.throws(() => mergeResults([{ path: 'a', results: one }, { path: 'b', results: { ...two, suite: { ...two.suite, version: 9 } } }]), { instanceOf: InputError, message: /different suite cifar10-depth v1 in a, cifar10-depth v9 in b/ });
  t.throws(() => mergeResults([{ path: 'a', results: one }, { path: 'b', results: { ...two, preset: 'smoke' } }]), { instanceOf: InputError, message: /different preset/ });
  t.throws(() => mergeResults([{ path: 'a', results: one }, { path: 'b', results: one }]), { instanceOf: InputError, message: /in both a and b/ });
});

test('list says what data each preset needs: smoke runs on generated data everywhere, the rest on CIFAR-10 or ILSVRC2012', (t) => {
  const text = listSuites();
  t.regex(text, /cifar10-depth .*\n\s+presets: smoke \(generated\), nightly \(CIFAR-10\), reduced \(CIFAR-10\), full \(CIFAR-10\)/);
  t.regex(text, /imagenet-depth .*\n\s+presets: smoke \(generated\), nightly \(ILSVRC2012\), full \(ILSVRC2012\)/);
  t.regex(text, /resnet-repro data cifar10/);
});
