/** Reference runs: another implementation's training of a preset's recipe, read from baselines/reference and shown beside ours. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { InputError } from '../runners/errors.js';
import { referencesFor, sameRecipe } from '../runners/compare/reference.js';
import { REFERENCE } from './helpers/reference.js';

function store(files: Record<string, unknown>): string {
  const root = mkdtempSync(join(tmpdir(), 'reference-'));
  const dir = join(root, 'cifar10-depth', 'nightly');
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  return root;
}

test('reference runs are read per suite × preset; none recorded is none', (t) => {
  const root = store({ 'pytorch.json': REFERENCE, 'notes.txt': 'not a run' });
  const found = referencesFor('cifar10-depth', 'nightly', root);
  t.deepEqual(found.map((r) => r.run), [REFERENCE]);
  t.deepEqual(referencesFor('cifar10-depth', 'smoke', root), []);
  t.throws(() => referencesFor('cifar10-depth', '../../etc', root), { instanceOf: InputError, message: /not a reference name/ });
});

test('a malformed or truncated reference run is an input error naming the file', (t) => {
  const { testError: _dropped, ...partial } = REFERENCE;
  t.throws(() => referencesFor('cifar10-depth', 'nightly', store({ 'pytorch.json': partial })), { instanceOf: InputError, message: /pytorch\.json is not a valid reference run[^]*testError/ });
  t.throws(() => referencesFor('cifar10-depth', 'nightly', store({ 'pytorch.json': '{"schemaVersion": 1,' })), { instanceOf: InputError, message: /cannot read reference run .*pytorch\.json/ });
});

test('a reference is shown only beside results of its recipe (iterations and batch size)', (t) => {
  const nightly = { dataset: 'cifar10', iterations: 600, batchSize: 128, logEvery: 50, evalEvery: 600, models: ['resnet20'], seeds: 16 } as const;
  t.true(sameRecipe(REFERENCE, { ...nightly, models: ['resnet20'] }));
  t.false(sameRecipe(REFERENCE, { ...nightly, models: ['resnet20'], iterations: 8000 }));
  t.false(sameRecipe(REFERENCE, { ...nightly, models: ['resnet20'], batchSize: 64 }));
  t.false(sameRecipe(REFERENCE, { models: ['resnet20'] }), 'an architecture suite has no recipe');
});
