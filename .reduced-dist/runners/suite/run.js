/**
 * Executes a suite (or one shard of it): each unit trains into its own run
 * folder under `<out>/runs/`, and the result set goes to `<out>/results.json`.
 * Re-running the same command continues: completed units are reused,
 * interrupted ones resume from their checkpoints.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { backendRecord } from '../backend.js';
import { describeCpu } from '../machine.js';
import { openDataset } from '../data/datasets.js';
import { InputError } from '../errors.js';
import { gitState } from '../git.js';
import { ensureDir, writeFileAtomically } from '../files.js';
import { buildModel } from '../models/build.js';
import { archFacts } from '../models/count.js';
import { parseModelName } from '../models/names.js';
import { layerResponses } from '../models/responses.js';
import { lockRunFolder } from '../train/lock.js';
import { readRunRecord } from '../train/record.js';
import { loadTrainedModel, train } from '../train/train.js';
import { readResults, RESULTS_SCHEMA_VERSION, ResultSet } from './results.js';
import { SuiteProgressTracker } from './progress.js';
import { expandUnits, resolveSettings, shardUnits, unitCost } from './units.js';
/** Images read for the Fig. 7 response statistics. */
const RESPONSE_IMAGES = 500;
export async function runSuite(options) {
    const { suite, preset, backend } = options;
    const log = options.log ?? (() => { });
    const settings = resolveSettings(suite, preset, options.overrides);
    const expected = expandUnits(settings);
    const mine = options.shard.count === 1 ? expected : shardUnits(expected, unitCost, options.shard.index, options.shard.count);
    ensureDir(options.outDir);
    const unlock = lockRunFolder(options.outDir, log);
    const started = performance.now();
    try {
        const base = {
            schemaVersion: RESULTS_SCHEMA_VERSION,
            suite: { name: suite.name, version: suite.version, kind: suite.kind },
            preset,
            settings: settings,
            expectedUnits: expected,
            shards: { count: options.shard.count, included: [options.shard.index] },
            backend: backendRecord(backend),
            fault: options.fault ?? null,
            createdAt: new Date().toISOString(),
            git: gitState(),
        };
        refuseOtherRun(options.outDir, base);
        if (suite.kind === 'architecture') {
            const architecture = mine.map((unit) => {
                const built = buildModel(parseModelName(unit.model), { init: 'zeros' });
                try {
                    return { unit, facts: archFacts(built) };
                }
                finally {
                    built.model.dispose();
                    tf.disposeVariables();
                }
            });
            return write(options.outDir, { ...base, wallSeconds: (performance.now() - started) / 1000, runs: [], architecture });
        }
        const training = settings;
        const data = openDataset({ name: training.dataset, dir: options.dataDir, trainLimit: training.trainLimit, testLimit: training.testLimit, side: training.imageSize });
        log(`${suite.name} (${preset}): ${mine.length} of ${expected.length} runs on this shard, ${data.name}, ${training.iterations} iterations each`);
        const runs = [];
        const tracker = new SuiteProgressTracker(new Map(mine.map((u) => [u.id, unitCost(u)])));
        for (const [i, unit] of mine.entries()) {
            if (options.shouldStop?.())
                break;
            const dir = join(options.outDir, 'runs', unit.id);
            log(`[${i + 1}/${mine.length}] ${unit.id}`);
            const onProgress = options.onProgress && ((e) => options.onProgress(unit, e, tracker.update(unit, e)));
            const record = await trainUnit(unit, dir, training, data, options, onProgress);
            tracker.finish(unit);
            const responses = suite.layerResponses && record.status === 'completed' ? await readResponses(dir, data) : undefined;
            runs.push({ unit, dir: relative(options.outDir, dir), record, ...(responses ? { responses } : {}) });
            if (record.status === 'interrupted')
                break;
        }
        return write(options.outDir, { ...base, wallSeconds: (performance.now() - started) / 1000, runs, architecture: [] });
    }
    finally {
        unlock();
    }
}
/**
 * A folder holds one suite run: results of another suite, version, preset,
 * settings, backend, machine or fault there are refused, not overwritten.
 */
function refuseOtherRun(outDir, ours) {
    const path = join(outDir, 'results.json');
    if (!existsSync(path))
        return;
    const theirs = readResults(path);
    const aspects = [
        ['suite', (r) => `${r.suite.name} v${r.suite.version}`],
        ['preset', (r) => r.preset],
        ['settings', (r) => JSON.stringify(r.settings)],
        ['backend', (r) => `${r.backend.name} ${JSON.stringify(r.backend.versions)}`],
        ['machine', (r) => `${describeCpu(r.backend)}${r.backend.gpuModel ? ` + ${r.backend.gpuModel}` : ''} ${JSON.stringify(r.backend.env ?? {})}`],
        ['device', (r) => r.backend.device],
        ['fault', (r) => r.fault ?? 'none'],
        ['shards', (r) => r.shards.count],
    ];
    const differ = aspects.filter(([, f]) => f(theirs) !== f(ours)).map(([what, f]) => `${what} ${String(f(theirs))} there, ${String(f(ours))} now`);
    if (differ.length > 0)
        throw new InputError(`${outDir} holds another suite run (${differ.join('; ')}). Choose another --out, or delete that folder.`);
}
/**
 * What a run folder's record must match to be reused or resumed for a unit:
 * the same model, seed, recipe, data, fault, backend, versions and machine.
 * Returns the differences, named.
 */
function provenanceDifferences(record, unit, settings, data, backend, fault) {
    const ours = backendRecord(backend);
    const host = record.host;
    const checks = [
        ['model', record.model, unit.model],
        ['seed', record.seed, unit.seed],
        ['iterations', record.config.iterations, settings.iterations],
        ['batch size', record.config.batchSize, settings.batchSize],
        ['log interval', record.config.logEvery, settings.logEvery],
        ['eval interval', record.config.evalEvery, settings.evalEvery],
        ['dataset', `${record.dataset.name} (${record.dataset.trainImages}/${record.dataset.testImages} images)`, `${data.name} (${data.trainCount}/${data.testCount} images)`],
        ['fault', record.fault ?? null, fault ?? null],
        ['backend', record.backend.name, ours.name],
        ['versions', JSON.stringify(record.backend.versions), JSON.stringify(ours.versions)],
        ['device', record.backend.device, ours.device],
        ['CPU', host.cpuModel, ours.cpuModel],
        ['GPU', host.gpuModel ?? null, ours.gpuModel],
        ['cores', host.cpus, ours.cpuCores],
        ['CPU extensions', JSON.stringify(host.cpuFeatures ?? 'unknown'), JSON.stringify(ours.cpuFeatures)],
        ['numerics environment', JSON.stringify(host.env ?? 'unknown'), JSON.stringify(ours.env)],
    ];
    return checks.filter(([, a, b]) => a !== b).map(([what, a, b]) => `${what} ${String(a)} (now ${String(b)})`);
}
/** Trains a unit, or reuses its completed run, or resumes its interrupted one — only when that run is this unit's, here. */
async function trainUnit(unit, dir, settings, data, options, onProgress) {
    const runFile = join(dir, 'run.json');
    let resume = false;
    if (existsSync(runFile)) {
        const previous = readRunRecord(runFile);
        const differences = provenanceDifferences(previous, unit, settings, data, options.backend, options.fault);
        if (differences.length > 0) {
            throw new InputError(`${dir} holds a run made differently: ${differences.join('; ')}. Its results cannot stand for this run: use another --out, or delete that folder.`);
        }
        if (previous.status !== 'interrupted') {
            options.log?.(`${unit.id}: reusing its ${previous.status} run`);
            return previous;
        }
        resume = true;
    }
    else if (existsSync(join(dir, 'checkpoint.ckpt'))) {
        resume = true; // killed before it could write run.json
    }
    return train({
        model: unit.model,
        data,
        iterations: settings.iterations,
        seed: unit.seed,
        outDir: dir,
        resume,
        batchSize: settings.batchSize,
        logEvery: settings.logEvery,
        evalEvery: settings.evalEvery,
        checkpointEvery: Math.max(settings.logEvery, Math.min(settings.iterations, 500)),
        backend: options.backend,
        ...(options.fault ? { fault: options.fault } : {}),
        ...(options.log ? { log: options.log } : {}),
        ...(onProgress ? { onProgress } : {}),
        ...(options.shouldStop ? { shouldStop: options.shouldStop } : {}),
    });
}
async function readResponses(dir, data) {
    const built = loadTrainedModel(dir, data.side, data.classes);
    try {
        for await (const batch of data.testBatches(RESPONSE_IMAGES, 'single')) {
            const images = tf.tensor4d(batch.images, [batch.size, data.side, data.side, 3]);
            try {
                return layerResponses(built, images);
            }
            finally {
                images.dispose();
            }
        }
        throw new InputError(`no test images to read layer responses from`);
    }
    finally {
        built.model.dispose();
    }
}
function write(outDir, results) {
    const valid = ResultSet.parse(results);
    writeFileAtomically(join(outDir, 'results.json'), `${JSON.stringify(valid, null, 1)}\n`);
    return valid;
}
//# sourceMappingURL=run.js.map