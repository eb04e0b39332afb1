import test from 'ava';
import { runCli } from './helpers/cli.js';

test('arch --json prints one object per model with the documented fields and the backend that ran', async (t) => {
  const { code, stdout, stderr } = await runCli(['arch', 'resnet20', 'resnet110', '--json']);
  t.is(code, 0, stderr);
  const records = JSON.parse(stdout) as Record<string, unknown>[];
  t.deepEqual(records.map((r) => r.name), ['resnet20', 'resnet110']);
  for (const key of ['name', 'layers', 'trainableParams', 'multiplyAdds', 'outputShape']) t.true(key in records[0]!, key);
  t.is(records[0]!.layers, 20);
  t.deepEqual(records[0]!.outputShape, [10]);
  t.truthy((records[0]!.backend as { name: string }).name);
  t.regex(stderr, /^backend: /m);
});

test('arch without models lists every model of the paper, as a table with the paper\'s numbers beside ours', async (t) => {
  const { code, stdout, stderr } = await runCli(['arch']);
  t.is(code, 0, stderr);
  for (const name of ['resnet18', 'resnet152', 'plain34', 'resnet34-a', 'resnet34-c', 'resnet50-v1.5', 'resnet1202', 'plain110', 'highway19']) {
    t.regex(stdout, new RegExp(`^${name.replace('.', '\\.')}\\s`, 'm'), name);
  }
  t.regex(stdout, /^resnet20\s+cifar10\s+20\s+0\.270M\s+0\.27M/m);
});

test('an unknown model exits 2, says what to type instead, and prints nothing on stdout', async (t) => {
  const { code, stdout, stderr } = await runCli(['arch', 'resnet20', 'resnet21', '--json']);
  t.is(code, 2);
  t.is(stdout, '');
  t.regex(stderr, /resnet21.*6n\+2/);
});

test('a bad option or command exits 2 with commander\'s suggestion', async (t) => {
  const backend = await runCli(['--backend', 'tpu', 'arch', 'resnet20']);
  t.is(backend.code, 2);
  t.regex(backend.stderr, /Allowed choices are auto, tensorflow-gpu, tensorflow, wasm, cpu/);
  const command = await runCli(['arc']);
  t.is(command.code, 2);
  t.regex(command.stderr, /Did you mean arch\?/);
});

test('help exits 0 and explains the model-name grammar', async (t) => {
  const { code, stdout } = await runCli(['arch', '--help']);
  t.is(code, 0);
  t.regex(stdout, /-skip<k>/);
  t.regex(stdout, /cifar-resnet50/);
});

test('the backend can be chosen by environment variable', async (t) => {
  const { code, stderr } = await runCli(['arch', 'resnet20'], { RESNET_REPRO_BACKEND: 'cpu' });
  t.is(code, 0, stderr);
  t.regex(stderr, /^backend: cpu \(@tensorflow\/tfjs 4\.22\.0\)/m);
});
