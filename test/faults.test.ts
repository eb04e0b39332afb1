/**
 * Calibration faults are real changes to the code path, not edited numbers:
 * each one changes what a tiny run computes, and the run says it had it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import type { BackendInfo } from '../runners/backend.js';
import { openDataset } from '../runners/data/datasets.js';
import { FAULT_NAMES, type FaultName } from '../runners/records/faults.js';
import type { RunRecord } from '../runners/records/run-record.js';
import { train } from '../runners/train/train.js';
import { useBackend } from './helpers/backend.js';

let backend: BackendInfo;
let clean: RunRecord;
const data = openDataset({ name: 'synthetic', trainLimit: 64, testLimit: 32 });

const tinyRun = (fault?: FaultName) =>
  train({
    model: 'resnet8-w2',
    data,
    iterations: 4,
    seed: 3,
    outDir: mkdtempSync(join(tmpdir(), `fault-${fault ?? 'none'}-`)),
    resume: false,
    batchSize: 8,
    logEvery: 1,
    evalEvery: 4,
    checkpointEvery: 4,
    backend,
    ...(fault ? { fault } : {}),
  });

test.before(async () => {
  backend = await useBackend({ gradients: true });
  clean = await tinyRun();
});

const signature = (r: RunRecord) => JSON.stringify([r.curves.train.map((p) => p.loss), r.curves.test.map((p) => p.testError), r.curves.test.map((p) => p.loss)]);

for (const fault of FAULT_NAMES) {
  test.serial(`fault ${fault} changes the computation and is recorded`, async (t) => {
    const faulty = await tinyRun(fault);
    t.is(faulty.fault, fault);
    t.is(clean.fault, null);
    t.not(signature(faulty), signature(clean), 'the fault must change the losses or the test evaluation');
  });
}

test.serial('the recorded recipe shows the faults that change constants', async (t) => {
  t.is((await tinyRun('lr-x0.3')).config.schedule.baseLearningRate, 0.1 * 0.3);
  t.is((await tinyRun('weight-decay-x10')).config.weightDecay, 1e-3);
  t.is(clean.config.weightDecay, 1e-4);
});
