/**
 * What the command prints besides its answer: TensorFlow's C++ start-up lines are silent
 * unless --verbose, and the filter changes nothing else (exit codes, signals, last words).
 * These run the installed command (runners/resnet-repro on the built dist/), as `npx
 * resnet-repro` does.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import test from 'ava';
import { runProgram } from './helpers/cli.js';

const COMMAND = fileURLToPath(new URL('../runners/resnet-repro', import.meta.url));
const BUILT = fileURLToPath(new URL('../dist/runners/cli.js', import.meta.url));
const TF_LINE = /^(WARNING: All log messages before absl::InitializeLog\(\)|[IW]\d{4} \d\d:\d\d:\d\d\.\d+ +\d+ \S+:\d+\] |\d{4}-\d\d-\d\d [\d:.]+: [IW] )/m;

const run = (file: string, args: string[], env: NodeJS.ProcessEnv = {}) => runProgram(file, args, { RESNET_REPRO_VERBOSE: '', ...env });

test('native TensorFlow\'s start-up lines are dropped from stderr, and shown with --verbose', async (t) => {
  const quiet = await run(COMMAND, ['--backend', 'tensorflow', 'arch', 'resnet20']);
  if (quiet.code === 2 && /not installed|native binding/.test(quiet.stderr)) {
    t.log(`skipped: no native TensorFlow here (${quiet.stderr.trim().split('\n')[0]}); "npx resnet-repro setup tensorflow" installs it`);
    t.pass();
    return;
  }
  t.is(quiet.code, 0, quiet.stderr);
  t.regex(quiet.stderr, /^backend: tensorflow /m);
  t.notRegex(quiet.stderr, TF_LINE, quiet.stderr);
  t.regex(quiet.stdout, /resnet20\s+cifar10\s+20\s+0\.270M/);
  // Whatever TensorFlow prints unfiltered (node on the built CLI directly) --verbose shows, line for line.
  const raw = (await run(process.execPath, [BUILT, '--backend', 'tensorflow', 'arch', 'resnet20'])).stderr;
  const verbose = (await run(COMMAND, ['--verbose', '--backend', 'tensorflow', 'arch', 'resnet20'])).stderr;
  const tfLines = (s: string) => s.split('\n').filter((l) => TF_LINE.test(l)).map((l) => l.replace(/\d{2}:\d{2}:[\d.]+ +\d+/, 'TIME PID'));
  t.deepEqual(tfLines(verbose), tfLines(raw));
});

test('exit codes and Ctrl-C pass through the command: node runs in its place (exec), and its last words pass the filter', async (t) => {
  const unknown = await run(COMMAND, ['arch', 'resnet21']);
  t.is(unknown.code, 2);
  t.regex(unknown.stderr, /resnet21/);
  const out = mkdtempSync(join(tmpdir(), 'wrapped-'));
  const child = spawn(COMMAND, ['--backend', 'cpu', 'train', '--model', 'resnet8-w2', '--dataset', 'synthetic', '--iterations', '100000', '--batch-size', '4', '--train-limit', '8', '--test-limit', '4', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
    if (/first step done/.test(stderr) && !child.killed) child.kill('SIGINT');
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  t.is(code, 130, stderr);
  t.regex(stderr, /stopping after this step/);
});

test('the command preloads tcmalloc where it is installed and every run records it; RESNET_REPRO_ALLOCATOR=system keeps glibc\'s; a preload of your own is left alone', async (t) => {
  const tcmalloc = ['x86_64-linux-gnu', 'aarch64-linux-gnu'].map((d) => `/usr/lib/${d}/libtcmalloc_minimal.so.4`).find((f) => existsSync(f));
  if (!tcmalloc) {
    t.log('skipped: no libtcmalloc_minimal.so.4 here (Debian/Ubuntu: apt-get install libtcmalloc-minimal4; .ci/run installs it)');
    t.pass();
    return;
  }
  const out = mkdtempSync(join(tmpdir(), 'allocator-'));
  const trained = await run(COMMAND, ['--backend', 'cpu', 'train', '--model', 'resnet8-w2', '--dataset', 'synthetic', '--iterations', '2', '--batch-size', '4', '--train-limit', '8', '--test-limit', '4', '--out', out]);
  t.is(trained.code, 0, trained.stderr);
  t.regex(trained.stderr, /^backend: cpu \(.*, tcmalloc\) on /m);
  t.is((JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')) as { host: { allocator?: string } }).host.allocator, 'tcmalloc');
  const system = await run(COMMAND, ['--backend', 'cpu', 'arch', 'resnet20'], { RESNET_REPRO_ALLOCATOR: 'system' });
  t.regex(system.stderr, /^backend: cpu \([^)]*\) on /m);
  t.notRegex(system.stderr, /tcmalloc/);
  const own = await run(COMMAND, ['--backend', 'cpu', 'arch', 'resnet20'], { RESNET_REPRO_ALLOCATOR: 'system', LD_PRELOAD: tcmalloc });
  t.regex(own.stderr, /, tcmalloc\) on /, 'the preload the user set stays');
});
