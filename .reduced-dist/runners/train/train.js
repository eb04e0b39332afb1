/**
 * The training loop: the paper's recipes (SGD, momentum 0.9, weight decay
 * 1e-4; CIFAR-10: batch 128, lr 0.1 ÷10 at 1/2 and 3/4, warm-up for the
 * deepest nets; ImageNet: batch 256, ÷10 on plateau or at fixed steps),
 * seeded, checkpointed and resumable, recording the curves of Fig. 4 and 6
 * into a validated run record.
 */
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { stringify } from 'csv-stringify/sync';
import { mean } from 'simple-statistics';
import { permutation, rng } from '../data/rng.js';
import { InputError, UsageError } from '../errors.js';
import { ensureDir, writeFileAtomically } from '../files.js';
import { gitState } from '../git.js';
import { buildModel, decayedWeights } from '../models/build.js';
import { archFacts } from '../models/count.js';
import { parseModelName } from '../models/names.js';
import { readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { LABEL_NOISE_RATE } from './faults.js';
import { lockRunFolder } from './lock.js';
import { RUN_SCHEMA_VERSION, RunRecord } from './record.js';
import { CIFAR_SCHEDULE, CIFAR_WARMUP, SGD_RECIPE, IMAGENET_PLATEAU_SCHEDULE, IMAGENET_STEP_SCHEDULE, learningRate, onPlateau, scheduleFor } from './schedule.js';
import { Sgd } from './sgd.js';
function recipeOf(options, schedule) {
    return {
        iterations: options.iterations,
        batchSize: options.batchSize,
        baseLearningRate: schedule.baseLearningRate,
        schedule: JSON.stringify({ ...schedule, baseLearningRate: undefined }),
        trainImages: options.data.trainCount,
        testImages: options.data.testCount,
        logEvery: options.logEvery,
        evalEvery: options.evalEvery,
    };
}
const EVAL_BATCH = 250;
/** The paper's recipe for a model over `iterations` (the schedule keeps its shape). */
export function recipeFor(spec, iterations, imagenet = 'plateau') {
    if (spec.dataset === 'imagenet') {
        return imagenet === 'plateau' ? { ...IMAGENET_PLATEAU_SCHEDULE, iterations } : scheduleFor(IMAGENET_STEP_SCHEDULE, iterations);
    }
    const schedule = scheduleFor(CIFAR_SCHEDULE, iterations);
    // §4.2 says it of ResNet-110; we apply it from 110 layers up (1202 too).
    const deep = spec.family === 'resnet' && spec.depth >= 110;
    return deep ? { ...schedule, warmup: { ...CIFAR_WARMUP, maxIterations: Math.min(CIFAR_WARMUP.maxIterations, iterations) } } : schedule;
}
/** The SGD constants a run trains with: the paper's, unless a calibration fault changes them. */
function sgdConfig(fault) {
    return fault === 'weight-decay-x10' ? { ...SGD_RECIPE, weightDecay: SGD_RECIPE.weightDecay * 10 } : SGD_RECIPE;
}
/** The augmented batch of `indices` for iteration `it`, with the calibration faults that touch data. */
async function preparedBatch(data, indices, seed, it, fault) {
    // A constant draw of ½ puts every crop at offset 0 and never flips (augment.ts): the centre view.
    const random = fault === 'no-augmentation' ? () => 0.5 : rng(seed, 'augment', it);
    const batch = await data.trainBatch(indices, random);
    if (fault !== 'label-noise-20')
        return batch;
    // The same images are mislabelled every epoch, each with a fixed wrong class.
    const labels = batch.labels.map((label, k) => {
        const draw = rng(seed, 'label-noise', indices[k]);
        return draw() < LABEL_NOISE_RATE ? (label + 1 + Math.floor(draw() * (data.classes - 1))) % data.classes : label;
    });
    return { ...batch, labels };
}
/** Indices of the images in batch `iteration`: epoch-wise seeded shuffles, so any batch can be recomputed. */
class BatchOrder {
    count;
    seed;
    epoch = -1;
    order = new Uint32Array(0);
    constructor(count, seed) {
        this.count = count;
        this.seed = seed;
    }
    indices(iteration, batchSize) {
        const out = new Uint32Array(batchSize);
        for (let k = 0; k < batchSize; k++) {
            const global = iteration * batchSize + k;
            const epoch = Math.floor(global / this.count);
            if (epoch !== this.epoch) {
                this.epoch = epoch;
                this.order = permutation(this.count, rng(this.seed, 'order', epoch));
            }
            out[k] = this.order[global % this.count];
        }
        return out;
    }
}
const toTensor = (data, batch) => tf.tensor4d(batch.images, [batch.size, data.side, data.side, 3]);
/** Top-1 and top-5 error and mean loss on the held-out split; multi-view batches average softmax scores per image. */
async function evaluate(built, data, view, fault) {
    const training = fault === 'eval-train-mode';
    let wrong1 = 0;
    let wrong5 = 0;
    let lossSum = 0;
    let images = 0;
    for await (const batch of data.testBatches(EVAL_BATCH, view)) {
        const n = batch.size / batch.views;
        const [w1, w5, l] = tf.tidy(() => {
            const logits = built.model.apply(toTensor(data, batch), { training });
            const probs = tf.softmax(logits).reshape([n, batch.views, data.classes]).mean(1);
            const labels = tf.tensor1d(batch.labels.filter((_, i) => i % batch.views === 0), 'int32');
            const k = Math.min(5, data.classes);
            const inTop5 = tf.equal(tf.topk(probs, k).indices, labels.expandDims(1)).any(1);
            const loss = tf.neg(tf.log(tf.add(tf.sum(tf.mul(probs, tf.oneHot(labels, data.classes)), 1), 1e-12))).sum();
            return [tf.notEqual(tf.argMax(probs, 1), labels).sum(), tf.logicalNot(inTop5).sum(), loss];
        });
        wrong1 += (await w1.data())[0];
        wrong5 += (await w5.data())[0];
        lossSum += (await l.data())[0];
        images += n;
        tf.dispose([w1, w5, l]);
    }
    return { top1: wrong1 / images, top5: wrong5 / images, loss: lossSum / images };
}
/** Trains one model; always returns (and writes) a run record, whatever the outcome. */
export async function train(options) {
    const log = options.log ?? (() => { });
    const spec = parseModelName(options.model);
    const expected = spec.dataset === 'imagenet' ? 'imagenet' : 'a CIFAR-10-shaped set (cifar10 or synthetic)';
    if ((spec.dataset === 'imagenet') !== (options.data.name === 'imagenet')) {
        throw new UsageError(`${spec.name} is trained on ${expected}, not ${options.data.name}`);
    }
    for (const [name, value] of [['iterations', options.iterations], ['batch size', options.batchSize], ['log interval', options.logEvery], ['eval interval', options.evalEvery], ['checkpoint interval', options.checkpointEvery]]) {
        if (!Number.isInteger(value) || value < 1)
            throw new UsageError(`${name} must be a positive integer, not ${value}`);
    }
    ensureDir(options.outDir);
    const unlock = lockRunFolder(options.outDir, log);
    try {
        return await trainLocked(options, spec, log);
    }
    finally {
        unlock();
    }
}
function startSession(options, spec, checkpointPath, log) {
    const { data } = options;
    const { fault } = options;
    const recipe = recipeFor(spec, options.iterations, options.imagenetSchedule);
    const base = options.learningRate ?? recipe.baseLearningRate;
    const schedule = { ...recipe, baseLearningRate: fault === 'lr-x0.3' ? base * 0.3 : base };
    const buildSpec = fault === 'no-shortcuts' && spec.kind === 'stacked' ? { ...spec, family: 'plain' } : spec;
    const built = buildModel(buildSpec, { seed: options.seed, inputSize: data.side, numClasses: data.classes, ...(fault === 'bn-momentum' ? { bnMomentum: 0.1 } : {}) });
    if (fault === 'classifier-init-x10') {
        const fc = built.model.weights.find((w) => w.originalName === 'fc/kernel');
        fc.write(tf.tidy(() => fc.read().mul(10)));
    }
    if (data.classes !== spec.numClasses)
        log(`${spec.name}: ${data.classes}-way classifier for ${data.name}'s ${data.classes} classes (the paper's has ${spec.numClasses})`);
    const session = {
        built,
        variables: built.model.trainableWeights.map((w) => w.read()),
        originalName: new Map(built.model.trainableWeights.map((w) => [w.name, w.originalName])),
        sgd: new Sgd(sgdConfig(fault), new Set(decayedWeights(built).map((w) => w.name))),
        schedule,
        facts: archFacts(built),
        state: {
            model: spec.name,
            seed: options.seed,
            dataset: data.name,
            fault: fault ?? null,
            iteration: 0,
            warming: schedule.warmup !== undefined,
            plateauDrops: 0,
            errorsSinceDrop: [],
            wallSeconds: 0,
            inputWaitSeconds: 0,
            startedAt: new Date().toISOString(),
            curves: { train: [], test: [] },
            window: EMPTY_WINDOW,
            recipe: recipeOf(options, schedule),
        },
    };
    if (!options.resume)
        return session;
    const saved = readCheckpoint(checkpointPath);
    const h = saved.header;
    if (h.model !== spec.name || h.seed !== options.seed || h.dataset !== data.name || (h.fault ?? null) !== (fault ?? null)) {
        const what = (m, seed, d, f) => `${m}, seed ${seed}, ${d}${f ? `, fault ${f}` : ''}`;
        throw new InputError(`the checkpoint in ${options.outDir} is for ${what(h.model, h.seed, h.dataset, h.fault)}; asked for ${what(spec.name, options.seed, data.name, fault)}.`);
    }
    if (!Number.isSafeInteger(h.iteration) || h.iteration < 0 || h.iteration > options.iterations) {
        throw new InputError(`the checkpoint in ${options.outDir} is at iteration ${h.iteration}, outside 0…${options.iterations}: it is not a checkpoint of this run.`);
    }
    if (h.recipe) {
        const now = recipeOf(options, schedule);
        const changed = Object.keys(now).filter((k) => now[k] !== h.recipe[k]).map((k) => `${k} ${String(h.recipe[k])} → ${String(now[k])}`);
        if (changed.length > 0)
            throw new InputError(`--resume continues a run with its own settings, but these differ: ${changed.join('; ')}. Resume with the original settings, or start a new run in another --out.`);
    }
    const byName = restoreWeights(built, saved, checkpointPath);
    for (const v of session.variables) {
        const t = byName.get(`velocity:${session.originalName.get(v.name)}`);
        if (t)
            session.sgd.velocity.set(v.name, tf.variable(tf.tensor(t.values, t.shape), false, `${v.name}/velocity`));
    }
    log(`resuming ${spec.name} at iteration ${h.iteration} of ${options.iterations}`);
    return { ...session, state: { ...h, window: h.window ?? EMPTY_WINDOW, recipe: h.recipe ?? recipeOf(options, schedule) } };
}
function saveCheckpoint(path, session) {
    writeCheckpoint(path, {
        header: session.state,
        tensors: [
            ...session.built.model.weights.map((w) => ({ name: `weight:${w.originalName}`, shape: w.shape, values: w.read().dataSync() })),
            ...[...session.sgd.velocity].map(([name, v]) => ({ name: `velocity:${session.originalName.get(name)}`, shape: v.shape, values: v.dataSync() })),
        ],
    });
}
/** The training loss: softmax cross-entropy, the mean over the batch (weight decay is the optimiser's). */
export function trainingLoss(logits, labels, classes) {
    return tf.losses.softmaxCrossEntropy(tf.oneHot(labels, classes), logits);
}
/**
 * One SGD step on a batch; the update is skipped when the loss is not finite
 * (the caller ends the run). Exported for the conformance tests, which replay
 * it against a reference implementation.
 */
export function trainingStep(session, data, batch, learningRate) {
    const { built, variables, sgd } = session;
    const { loss, wrong } = tf.tidy(() => {
        const x = toTensor(data, batch);
        const labels = tf.tensor1d(batch.labels, 'int32');
        let miss;
        const { value, grads } = tf.variableGrads(() => {
            const logits = built.model.apply(x, { training: true });
            miss = tf.keep(tf.notEqual(tf.argMax(logits, 1), labels).sum());
            return trainingLoss(logits, labels, data.classes);
        }, variables);
        const lossValue = value.dataSync()[0];
        if (Number.isFinite(lossValue))
            sgd.apply(variables, grads, learningRate);
        return { loss: lossValue, wrong: miss };
    });
    const missed = wrong.dataSync()[0];
    wrong.dispose();
    return { loss, missed };
}
const EMPTY_WINDOW = { wrong: 0, loss: 0, steps: 0, stepSeconds: 0 };
/** Logs the window as a point of the training curve; ends a warm-up whose training error has fallen far enough. */
function logPoint(session, window, options, learningRate, log) {
    const { schedule } = session;
    const point = {
        iteration: session.state.iteration,
        trainError: window.wrong / (window.steps * options.batchSize),
        loss: window.loss / window.steps,
        learningRate,
        imagesPerSecond: (window.steps * options.batchSize) / window.stepSeconds,
    };
    session.state.curves.train.push(point);
    if (session.state.warming && schedule.warmup && point.trainError < schedule.warmup.untilTrainErrorBelow) {
        session.state = { ...session.state, warming: false };
        log(`${session.state.model}: warm-up ends at iteration ${point.iteration} (training error ${(point.trainError * 100).toFixed(1)} %)`);
    }
    return point;
}
/** Evaluates on the held-out split, adds the test point, and divides the learning rate if the error has plateaued. */
async function testPoint(session, data, log, fault) {
    const result = await evaluate(session.built, data, 'single', fault);
    const { state } = session;
    const test = { iteration: state.iteration, testError: result.top1, loss: result.loss, ...(data.classes > 5 ? { top5Error: result.top5 } : {}) };
    state.curves.test.push(test);
    if (onPlateau(session.schedule, [...state.errorsSinceDrop, result.top1])) {
        session.state = { ...state, plateauDrops: state.plateauDrops + 1, errorsSinceDrop: [] };
        log(`${state.model}: held-out error has plateaued; learning rate ÷10 from iteration ${state.iteration}`);
    }
    else {
        session.state = { ...state, errorsSinceDrop: [...state.errorsSinceDrop, result.top1] };
    }
    return test;
}
async function trainLocked(options, spec, log) {
    const { data } = options;
    const runPath = join(options.outDir, 'run.json');
    const checkpointPath = join(options.outDir, 'checkpoint.ckpt');
    if (!options.resume && (existsSync(runPath) || existsSync(checkpointPath))) {
        throw new InputError(`${options.outDir} already holds a run: pass --resume to continue it, or choose another --out.`);
    }
    if (options.resume && !existsSync(checkpointPath)) {
        throw new InputError(`nothing to resume in ${options.outDir}: no checkpoint.ckpt${existsSync(runPath) ? ' (its run.json says how it ended)' : ''}.`);
    }
    const session = startSession(options, spec, checkpointPath, log);
    const { schedule } = session;
    const order = new BatchOrder(data.trainCount, options.seed);
    const prepare = (it) => preparedBatch(data, order.indices(it, options.batchSize), options.seed, it, options.fault);
    const pipelineImagesPerSecond = await measurePipeline(prepare, session.state.iteration, options.batchSize);
    let status = 'completed';
    let divergedAt = -1;
    let segmentStart = performance.now();
    let next = session.state.iteration < options.iterations ? prepare(session.state.iteration) : undefined;
    const startIteration = session.state.iteration;
    const loopStart = performance.now();
    const progress = (rest = {}) => ({
        iteration: session.state.iteration,
        iterations: options.iterations,
        startIteration,
        elapsedSeconds: (performance.now() - loopStart) / 1000,
        ...rest,
    });
    while (session.state.iteration < options.iterations) {
        // Let the event loop run (signal handlers, I/O): the step itself is synchronous.
        await new Promise((resolve) => setImmediate(resolve));
        if (options.shouldStop?.()) {
            status = 'interrupted';
            break;
        }
        const it = session.state.iteration;
        const lr = learningRate(schedule, it, session.state.warming, session.state.plateauDrops);
        const waitStart = performance.now();
        const batch = await next;
        session.state = { ...session.state, inputWaitSeconds: session.state.inputWaitSeconds + (performance.now() - waitStart) / 1000 };
        // The next batch is prepared while this step runs (decoding happens off the main thread).
        next = it + 1 < options.iterations ? prepare(it + 1) : undefined;
        const stepStart = performance.now();
        const { loss, missed } = trainingStep(session, data, batch, lr);
        const stepSeconds = (performance.now() - stepStart) / 1000;
        if (!Number.isFinite(loss)) {
            status = 'diverged';
            divergedAt = it;
            log(`${spec.name}: loss is ${loss} at iteration ${it}: the run diverged`);
            break;
        }
        const w = session.state.window ?? EMPTY_WINDOW;
        session.state = { ...session.state, iteration: it + 1, window: { wrong: w.wrong + missed, loss: w.loss + loss, steps: w.steps + 1, stepSeconds: w.stepSeconds + stepSeconds } };
        const done = session.state.iteration;
        const last = done === options.iterations;
        if (done % options.logEvery === 0 || last) {
            const point = logPoint(session, session.state.window ?? EMPTY_WINDOW, options, lr, log);
            options.onProgress?.(progress({ point }));
            session.state = { ...session.state, window: EMPTY_WINDOW };
        }
        else if (done === startIteration + 1) {
            // Say at once that training runs (and how fast), not only at the first log point.
            options.onProgress?.(progress());
        }
        if (session.state.warming && schedule.warmup && done >= schedule.warmup.maxIterations)
            session.state = { ...session.state, warming: false };
        if (done % options.evalEvery === 0 || last) {
            const test = await testPoint(session, data, log, options.fault);
            options.onProgress?.(progress({ test }));
        }
        if (done % options.checkpointEvery === 0 && !last) {
            session.state = { ...session.state, wallSeconds: session.state.wallSeconds + (performance.now() - segmentStart) / 1000 };
            segmentStart = performance.now();
            saveCheckpoint(checkpointPath, session);
        }
    }
    await next?.catch(() => undefined); // a batch prepared for a step that never ran
    session.state = { ...session.state, wallSeconds: session.state.wallSeconds + (performance.now() - segmentStart) / 1000 };
    // Interrupted: where to resume. Completed: the trained weights (Fig. 7 reads them).
    if (status !== 'diverged')
        saveCheckpoint(checkpointPath, session);
    // ImageNet's tables report 10-crop testing; it is measured once, at the end.
    const tenCrop = status === 'completed' && data.name === 'imagenet' ? await evaluate(session.built, data, 'ten-crop', options.fault) : undefined;
    const record = runRecord({ options, spec, data, schedule, facts: session.facts, state: session.state, status, divergedAt, checkpointPath, pipelineImagesPerSecond, tenCrop });
    writeFileAtomically(runPath, `${JSON.stringify(record, null, 2)}\n`);
    writeFileAtomically(join(options.outDir, 'train-curve.csv'), stringify(record.curves.train, { header: true }));
    writeFileAtomically(join(options.outDir, 'test-curve.csv'), stringify(record.curves.test, { header: true }));
    session.sgd.dispose();
    session.built.model.dispose();
    return record;
}
/** Everything a run record says, validated against its schema. */
function runRecord(r) {
    const { options, data, state } = r;
    return RunRecord.parse({
        schemaVersion: RUN_SCHEMA_VERSION,
        status: r.status,
        ...(r.status === 'diverged' ? { divergedAt: r.divergedAt } : {}),
        ...(r.status === 'interrupted' ? { checkpoint: r.checkpointPath } : {}),
        model: r.spec.name,
        dataset: { name: data.name, dir: data.dir, trainImages: data.trainCount, testImages: data.testCount, testSplit: data.testSplit },
        seed: options.seed,
        config: {
            batchSize: options.batchSize,
            iterations: options.iterations,
            schedule: { ...r.schedule, milestones: [...r.schedule.milestones] },
            ...sgdConfig(options.fault),
            logEvery: options.logEvery,
            evalEvery: options.evalEvery,
            checkpointEvery: options.checkpointEvery,
        },
        architecture: { layers: r.facts.layers, trainableParams: r.facts.trainableParams, multiplyAdds: r.facts.multiplyAdds, inputSize: data.side, classes: data.classes },
        backend: { name: options.backend.choice, device: options.backend.device, versions: options.backend.versions },
        host: {
            cpuModel: options.backend.cpuModel,
            gpuModel: options.backend.gpuModel,
            cpus: options.backend.cpuCores,
            cpuFeatures: [...options.backend.cpuFeatures],
            env: options.backend.env,
            memoryBytes: os.totalmem(),
            platform: `${os.platform()} ${os.arch()}`,
            node: process.version,
        },
        fault: options.fault ?? null,
        git: gitState(),
        startedAt: state.startedAt,
        finishedAt: new Date().toISOString(),
        wallSeconds: state.wallSeconds,
        iterations: state.iteration,
        imagesPerSecond: meanOrZero(state.curves.train.map((p) => p.imagesPerSecond)),
        pipelineImagesPerSecond: r.pipelineImagesPerSecond,
        inputWaitSeconds: state.inputWaitSeconds,
        metrics: finalMetrics(state.curves, r.tenCrop),
        curves: state.curves,
    });
}
/** Writes a checkpoint's weights (and BN statistics) into a built model; returns the checkpoint's tensors by name. */
function restoreWeights(built, saved, path) {
    const byName = new Map(saved.tensors.map((t) => [t.name, t]));
    for (const w of built.model.weights) {
        const t = byName.get(`weight:${w.originalName}`);
        if (!t)
            throw new InputError(`checkpoint ${path} lacks ${w.originalName}`);
        w.write(tf.tensor(t.values, t.shape));
    }
    return byName;
}
/** The trained model of a run folder (its final checkpoint), for analyses such as Fig. 7. */
export function loadTrainedModel(runDir, inputSize, numClasses) {
    const path = join(runDir, 'checkpoint.ckpt');
    if (!existsSync(path))
        throw new InputError(`no trained weights in ${runDir} (checkpoint.ckpt is missing)`);
    const saved = readCheckpoint(path);
    const built = buildModel(parseModelName(saved.header.model), { inputSize, numClasses, init: 'zeros' });
    restoreWeights(built, saved, path);
    return built;
}
/** Batches timed back to back, before training, to measure the input pipeline on its own. */
const PIPELINE_PROBE_BATCHES = 3;
/**
 * The pipeline's own rate: a few batches prepared back to back with nothing
 * else running (their random streams are the iterations', so training sees
 * the same data either way).
 */
async function measurePipeline(prepare, from, batchSize) {
    const start = performance.now();
    for (let i = 0; i < PIPELINE_PROBE_BATCHES; i++)
        await prepare(from + i);
    return (PIPELINE_PROBE_BATCHES * batchSize) / ((performance.now() - start) / 1000);
}
const meanOrZero = (xs) => (xs.length === 0 ? 0 : mean(xs));
function finalMetrics(curves, tenCrop) {
    const lastTrain = curves.train.at(-1);
    const lastTest = curves.test.at(-1);
    return {
        ...(lastTrain ? { trainError: lastTrain.trainError, loss: lastTrain.loss } : {}),
        ...(lastTest ? { testError: lastTest.testError } : {}),
        ...(lastTest?.top5Error !== undefined ? { top5Error: lastTest.top5Error } : {}),
        ...(tenCrop ? { top1Error10Crop: tenCrop.top1, top5Error10Crop: tenCrop.top5 } : {}),
    };
}
//# sourceMappingURL=train.js.map