#!/usr/bin/env node
/**
 * The last step of `npm install` in a clone (npm's prepare, after the build): native TensorFlow where
 * this machine can build it — python3 with pip, the tensorflow-cpu wheel from its index, a C++
 * toolchain — as tfjs-node's own install would fetch it. Otherwise one line says what the suite falls
 * back to and how to get native speed. Never fails the install. RESNET_REPRO_NATIVE=0 skips it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/runners/cli.js', import.meta.url));
const say = (line) => process.stderr.write(`resnet-repro: ${line}\n`);

if (process.env.RESNET_REPRO_NATIVE === '0') {
  say('native TensorFlow skipped (RESNET_REPRO_NATIVE=0); "npx resnet-repro setup tensorflow" sets it up');
} else {
  say('setting up native TensorFlow from the tensorflow-cpu pip wheel (once; RESNET_REPRO_NATIVE=0 skips)…');
  const setup = spawnSync(process.execPath, [cli, 'setup', 'tensorflow'], { encoding: 'utf8', env: { ...process.env, RESNET_REPRO_VERBOSE: '' } });
  if (setup.status === 0) {
    say('native TensorFlow ready: suites train on the tensorflow backend');
  } else {
    const log = join(mkdtempSync(join(tmpdir(), 'resnet-repro-setup-')), 'setup.log');
    writeFileSync(log, `${setup.stdout ?? ''}${setup.stderr ?? ''}${setup.error ? String(setup.error) : ''}`);
    const reason = `${setup.stderr ?? ''}`.trim().split('\n').filter(Boolean).pop() ?? String(setup.error ?? `exit ${setup.status}`);
    say(`native TensorFlow not set up (${reason}); suites run on wasm, about 7× slower to train. Log: ${log}; retry with "npx resnet-repro setup tensorflow"`);
  }
}
