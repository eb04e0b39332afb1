/** bench produces its rows and paired figures; the numbers themselves are measurements, never asserted. */
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import test from 'ava';
import type { BenchReport } from '../runners/bench/bench.js';
import { runCli } from './helpers/cli.js';

const tempDir = () => mkdtempSync(join(tmpdir(), 'bench-'));

/** A `python3` on PATH that runs `script` (JavaScript) with node instead. */
function fakePython(script: string): NodeJS.ProcessEnv {
  const dir = tempDir();
  writeFileSync(join(dir, 'fake.mjs'), script);
  writeFileSync(join(dir, 'python3'), `#!/bin/sh\nexec "${process.execPath}" "${join(dir, 'fake.mjs')}" "$@"\n`);
  chmodSync(join(dir, 'python3'), 0o755);
  return { PATH: `${dir}${delimiter}${process.env.PATH ?? ''}` };
}

test('bench writes forward, train-step, train-loop and pipeline rows, and the harness overhead per round', async (t) => {
  const json = join(tempDir(), 'bench.json');
  const { code, stdout, stderr } = await runCli(['bench', 'resnet8-w2', '--batch', '4', '--samples', '2', '--rounds', '2', '--loop', '3', '--json', json]);
  t.is(code, 0, stderr);
  const report = JSON.parse(readFileSync(json, 'utf8')) as BenchReport;
  t.deepEqual(report.rows.map((r) => r.task), ['pipeline', 'forward', 'train-step', 'train-loop']);
  for (const r of report.rows) t.true(r.imagesPerSecond > 0 && r.samples >= 2, `${r.task}: ${JSON.stringify(r)}`);
  const model = report.rows.filter((r) => r.task !== 'pipeline');
  for (const r of model) t.is(r.roundImagesPerSecond.length, 2, r.task);
  t.is(model.find((r) => r.task === 'train-loop')!.samples, 2 * 3);
  const overhead = report.paired.find((f) => f.kind === 'harness-overhead')!;
  t.is(overhead.rounds.length, 2);
  t.true(overhead.min <= overhead.median && overhead.median <= overhead.max);
  t.regex(stdout, /harness overhead resnet8-w2 on \w+: [+-]\d+\.\d % \(rounds [+-]\d+\.\d % … [+-]\d+\.\d %\)/);
  // Each iteration contains its own step, so the time outside the step is never negative.
  const outside = report.paired.find((f) => f.kind === 'outside-step')!;
  t.is(outside.rounds.length, 2);
  t.true(outside.min >= 0, JSON.stringify(outside));
  t.regex(stdout, /of which outside the step .*: \+\d+\.\d %/);
});

test('the reference is timed in the same rounds, in alternating order, and each ratio comes from its own round', async (t) => {
  const log = join(tempDir(), 'requests.log');
  // Answers like scripts/bench_pytorch.py --serve; a round takes 4 ms per run, then 8, then 12.
  const env = fakePython(`
    import { appendFileSync } from 'node:fs';
    import { createInterface } from 'node:readline';
    console.log(JSON.stringify({ backend: 'fake-torch 0.1' }));
    let n = 0;
    for await (const line of createInterface({ input: process.stdin })) {
      const r = JSON.parse(line);
      appendFileSync(${JSON.stringify(log)}, r.task + ' ' + r.warmup + '\\n');
      const ms = 4 * (1 + Math.floor(n++ / 2));
      console.log(JSON.stringify({ times: Array(r.samples).fill(ms) }));
    }
  `);
  const json = join(tempDir(), 'bench.json');
  const { code, stdout, stderr } = await runCli(['bench', 'resnet8', '--batch', '2', '--samples', '2', '--rounds', '3', '--loop', '0', '--pytorch', '--json', json], env);
  t.is(code, 0, stderr);
  t.deepEqual(readFileSync(log, 'utf8').trim().split('\n'), ['train-step 2', 'forward 2', 'forward 1', 'train-step 1', 'train-step 1', 'forward 1']);
  const report = JSON.parse(readFileSync(json, 'utf8')) as BenchReport;
  const row = (backend: string, task: string) => report.rows.find((r) => r.backend === backend && r.task === task)!;
  t.deepEqual(row('fake-torch 0.1', 'train-step').roundImagesPerSecond, [500, 250, 1000 / 6]);
  t.is(row('fake-torch 0.1', 'train-step').pairedWith, report.backends[0]!.choice);
  for (const task of ['forward', 'train-step'] as const) {
    const ours = report.rows.find((r) => r.task === task && r.backend !== 'fake-torch 0.1')!;
    const figure = report.paired.find((f) => f.kind === 'vs-reference' && f.task === task)!;
    t.is(figure.against, 'fake-torch 0.1');
    figure.rounds.forEach((ratio, i) => t.true(Math.abs(ratio - ours.roundImagesPerSecond[i]! / row('fake-torch 0.1', task).roundImagesPerSecond[i]!) < 1e-9));
  }
  t.regex(stdout, /resnet8 +\w+ +train-step .* \d+\.\d\d× \(\d+\.\d\d–\d+\.\d\d\)/);
});

test('--profile breaks one forward pass and one training step down by kernel, beside the reference\'s operators, and the JSON records the CPU identity', async (t) => {
  const env = fakePython(`
    import { createInterface } from 'node:readline';
    console.log(JSON.stringify({ backend: 'fake-torch 0.1' }));
    for await (const line of createInterface({ input: process.stdin })) {
      const r = JSON.parse(line);
      console.log(JSON.stringify(r.task === 'profile'
        ? r.pass === 'train-step'
          ? { wallMs: 9, kernels: [{ name: 'aten::convolution_backward', calls: 3, totalMs: 6 }, { name: 'aten::relu', calls: 2, totalMs: 2 }] }
          : { wallMs: 3, kernels: [{ name: 'aten::mkldnn_convolution', calls: 3, totalMs: 2 }] }
        : { times: Array(r.samples).fill(4) }));
    }
  `);
  const json = join(tempDir(), 'bench.json');
  const { code, stdout, stderr } = await runCli(['bench', 'resnet8', '--batch', '2', '--samples', '1', '--rounds', '1', '--loop', '0', '--pytorch', '--profile', '--json', json], env);
  t.is(code, 0, stderr);
  const report = JSON.parse(readFileSync(json, 'utf8')) as BenchReport;
  t.deepEqual(report.profiles!.map((p) => [p.backend === 'fake-torch 0.1' ? 'theirs' : 'ours', p.pass]), [['ours', 'forward'], ['theirs', 'forward'], ['ours', 'train-step'], ['theirs', 'train-step']]);
  const [oursForward, , ours, theirs] = report.profiles!;
  t.is(ours!.backend, report.backends[0]!.choice);
  t.true(oursForward!.kernels.some((k) => /Conv2D/.test(k.name)));
  t.false(oursForward!.kernels.some((k) => /Grad|Backprop/.test(k.name)), 'an evaluation runs no gradient');
  t.true(ours!.kernels.some((k) => /Conv2D/.test(k.name)), JSON.stringify(ours!.kernels.map((k) => k.name)));
  for (let i = 1; i < ours!.kernels.length; i++) t.true(ours!.kernels[i - 1]!.totalMs >= ours!.kernels[i]!.totalMs, 'heaviest first');
  if (ours!.backend === 'tensorflow') {
    // The gradients our kernels run on the backend directly are timed too: one each per BN layer and per ReLU of ResNet-8 (seven of each).
    for (const name of ['FusedBatchNormGradV3 (direct)', 'ReluGrad (direct)']) t.is(ours!.kernels.find((k) => k.name === name)?.calls, 7, name);
  }
  t.deepEqual(theirs, { model: 'resnet8', backend: 'fake-torch 0.1', pass: 'train-step', wallMs: 9, kernels: [{ name: 'aten::convolution_backward', calls: 3, totalMs: 6 }, { name: 'aten::relu', calls: 2, totalMs: 2 }] });
  t.regex(stdout, /profile resnet8 on fake-torch 0\.1: one forward pass \(evaluation\), 3 ms wall while profiled; kernels \(self time\) sum to 2 ms\n {2}aten::mkldnn_convolution/);
  t.regex(stdout, /profile resnet8 on fake-torch 0\.1: one training step, 9 ms wall while profiled; kernels \(self time\) sum to 8 ms\n {2}aten::convolution_backward +3 +6\.0 ms +66\.7 %\n[^]*\(outside any kernel\) +0 +1\.0 ms +11\.1 %/);
  // What throughput may be compared across: model, cores and vector extensions, printed and recorded.
  const machine = report.backends[0]!;
  t.true(machine.cpuCores! > 0 && Array.isArray(machine.cpuFeatures) && machine.cpuModel.length > 0);
  t.true(stdout.includes(`on ${machine.cpuModel}, ${machine.cpuCores} cores`), stdout);
});

test('--pytorch without torch says how to install it', async (t) => {
  const env = fakePython(`console.error("ModuleNotFoundError: No module named 'torch'"); process.exit(1);`);
  const { code, stderr } = await runCli(['bench', 'resnet8', '--batch', '2', '--samples', '1', '--rounds', '1', '--loop', '0', '--pytorch'], env);
  t.is(code, 2);
  t.regex(stderr, /torch is not installed \(pip install torch/);
});

test('--pytorch compares only CIFAR ResNets, and says so', async (t) => {
  const { code, stderr } = await runCli(['bench', 'plain20', '--pytorch']);
  t.is(code, 2);
  t.regex(stderr, /--pytorch compares CIFAR ResNets/);
});
