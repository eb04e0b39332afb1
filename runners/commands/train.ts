/** `resnet-repro train`: one model, one seed, the paper's recipe; a run folder with run.json. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import cliProgress from 'cli-progress';
import { type BackendRequest, describeBackend, initBackend, speedAdvice } from '../backend.js';
import { UsageError } from '../errors.js';
import { Option } from 'commander';
import { addFlags, FLAGS, type FlagValues } from './flags.js';
import { MAX_BATCH, positive, type RegisterCommand, whole } from './options.js';
import { formatDuration } from '../../reports/reporter.js';
import { formatTiming, progressLines } from './progress.js';
import type { RunRecord } from '../records/run-record.js';
import { openDataset, prepareDataset } from '../data/datasets.js';
import { DATASETS, type DatasetName } from '../records/recipe.js';
import { CIFAR_SCHEDULE } from '../train/schedule.js';
import { type ProgressEvent, train } from '../train/train.js';
import { EXIT_INTERRUPTED, untilSignalled } from './shared.js';

/** The options as commander hands them over: parsed and range-checked at the edge. */
export type TrainCommandOptions = Pick<FlagValues, 'data' | 'out'> & Required<Pick<FlagValues, 'iterations' | 'evalEvery'>> & {
  model: string;
  dataset: DatasetName;
  lr?: number;
  seed: number;
  resume?: boolean;
  batchSize?: number;
  imageSize?: number;
  schedule: 'plateau' | 'step';
  logEvery: number;
  checkpointEvery: number;
  validation?: boolean;
  trainLimit?: number;
  testLimit?: number;
};

/** --data, else RESNET_REPRO_DATA (not for the generated stand-in), else the per-user cache. */
export function dataDirectory(flag: string | undefined, dataset: DatasetName): string {
  const cache = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'resnet-repro', 'data', dataset);
  // The generated stand-in is not the data RESNET_REPRO_DATA points at.
  if (dataset === 'imagenet-standin') return flag ?? cache;
  return flag ?? process.env.RESNET_REPRO_DATA ?? cache;
}

const pct = (x: number | undefined) => (x === undefined ? '–' : `${(x * 100).toFixed(2)}%`);

/** A bar with ETA on a terminal; one line per log point elsewhere (CI logs). */
function progressReporter(model: string): { onProgress: (e: ProgressEvent) => void; stop: () => void } {
  if (!process.stderr.isTTY) {
    return {
      onProgress: (e) => process.stderr.write(progressLines(model, e)),
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    // Our own ETA (cli-progress's prints "NULL" cut to "LL" on a finished or stalled bar).
    { format: `${model} [{bar}] {value}/{total} | {time} | loss {loss} | train {train} | test {test} | {ips} img/s`, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let last = { loss: '–', train: '–', test: '–', ips: '–', time: '' };
  return {
    onProgress: (e) => {
      const done = e.iteration === e.iterations;
      last = { ...last, time: done ? `done in ${formatDuration(e.elapsedSeconds)}` : formatTiming(e) };
      if (e.point) last = { ...last, loss: e.point.loss.toFixed(3), train: pct(e.point.trainError), ips: e.point.imagesPerSecond.toFixed(0) };
      if (e.test) last = { ...last, test: pct(e.test.testError) };
      if (!started) {
        bar.start(e.iterations, e.iteration, last);
        started = true;
      }
      bar.update(e.iteration, last);
    },
    stop: () => started && bar.stop(),
  };
}

export async function trainCommand(options: TrainCommandOptions, backendRequest: BackendRequest): Promise<number> {
  const { dataset, seed, trainLimit, testLimit, imageSize, iterations, logEvery, evalEvery, checkpointEvery } = options;
  const learningRate = options.lr;
  // §3.4 and §4.2: 256 for ImageNet, 128 for CIFAR-10.
  const batchSize = options.batchSize ?? (dataset === 'imagenet' || dataset === 'imagenet-standin' ? 256 : 128);
  if (dataset === 'synthetic') {
    // Generated data has no folder and no held-out split: say so rather than ignore the flag.
    if (options.data !== undefined) throw new UsageError('--data names a dataset folder; --dataset synthetic is generated and reads none (drop --data, or use --dataset cifar10)');
    if (options.validation) throw new UsageError('--validation holds out 5k CIFAR-10 training images; --dataset synthetic has no such split (use --test-limit to size its test set)');
  }
  // Open the data before the backend: a missing dataset fails in a second, not after loading TensorFlow.
  const dir = dataset === 'synthetic' ? undefined : dataDirectory(options.data, dataset);
  await prepareDataset({ name: dataset, dir }, (line) => process.stderr.write(`${line}\n`));
  const data = openDataset({
    name: dataset,
    dir,
    validationSplit: options.validation ?? false,
    trainLimit,
    testLimit,
    side: imageSize,
    seed,
  });
  const backend = await initBackend(backendRequest, { gradients: true });
  process.stderr.write(`${describeBackend(backend)}\n`);
  const advice = speedAdvice(backend);
  if (advice) process.stderr.write(`${advice}\n`);

  const progress = progressReporter(options.model);
  let record: RunRecord;
  try {
    ({ value: record } = await untilSignalled((shouldStop) =>
      train({
        model: options.model,
        data,
        iterations,
        learningRate,
        imagenetSchedule: options.schedule,
        seed,
        outDir: options.out ?? join('runs', `${options.model}-${dataset}-s${seed}`),
        resume: options.resume ?? false,
        batchSize,
        logEvery,
        evalEvery,
        checkpointEvery,
        backend,
        onProgress: progress.onProgress,
        log: (line) => process.stderr.write(`${line}\n`),
        shouldStop,
      }),
    ));
  } finally {
    progress.stop();
  }
  const m = record.metrics;
  process.stdout.write(
    `${record.model} on ${record.dataset.name}: ${record.status} after ${record.iterations} iterations; ` +
      `train error ${pct(m.trainError)}, test error ${pct(m.testError)} (${record.dataset.testSplit}, ${record.dataset.testImages} images` +
      `${m.top1Error10Crop !== undefined ? `; 10-crop top-1 ${pct(m.top1Error10Crop)}, top-5 ${pct(m.top5Error10Crop)}` : ''}); ` +
      `${record.imagesPerSecond.toFixed(1)} img/s training, pipeline ${record.pipelineImagesPerSecond.toFixed(0)} img/s on its own, input wait ${record.inputWaitSeconds.toFixed(1)} s, on ${record.backend.name}; ${record.wallSeconds.toFixed(0)} s\n`,
  );
  return record.status === 'completed' ? 0 : record.status === 'interrupted' ? EXIT_INTERRUPTED : 1;
}

export const register: RegisterCommand = (program, cli) => {
  const command = program
    .command('train')
    .description('train and evaluate one model with the paper\'s recipe; writes run.json, curves (CSV) and checkpoints to --out')
    .requiredOption('--model <name>', 'model name, e.g. resnet20 (see "arch --help")')
    .addOption(new Option('--dataset <name>', 'cifar10, synthetic (generated, no download) or imagenet').choices(DATASETS).default('cifar10'));
  addFlags(
    command,
    FLAGS.data("CIFAR-10 binary files, or ImageNet's train/ and val/"),
    FLAGS.iterations('iterations; the schedule keeps its shape (lr ÷10 at 50 % and 75 %)').default(CIFAR_SCHEDULE.iterations),
    new Option('--lr <rate>', "base learning rate (default 0.1, the paper's)").argParser(positive('--lr')),
    new Option('--seed <n>', 'drives initialisation, data order and augmentation').argParser(whole('--seed')).default(1),
    FLAGS.out('run folder (default runs/<model>-<dataset>-s<seed>)'),
    new Option('--resume', 'continue the interrupted run in --out'),
    new Option('--batch-size <n>', 'mini-batch size (default 128 CIFAR-10, 256 ImageNet)').argParser(whole('--batch-size', 1, MAX_BATCH)),
    new Option('--image-size <n>', 'ImageNet crop side (default 224; smaller for smoke runs)').argParser(whole('--image-size', 1, 1024)),
    new Option('--schedule <kind>', 'ImageNet: plateau (÷10 when validation error stalls) or step (at 1/4, 1/2, 3/4)').choices(['plateau', 'step']).default('plateau'),
    new Option('--log-every <n>', 'iterations per training-curve point').argParser(whole('--log-every', 1)).default(100),
    FLAGS.evalEvery('iterations per test evaluation').default(1000),
    new Option('--checkpoint-every <n>', 'iterations per checkpoint (at most this many are lost when killed)').argParser(whole('--checkpoint-every', 1)).default(1000),
    new Option('--validation', 'train on 45k, test on the 5k held-out training images'),
    new Option('--train-limit <n>', 'use only the first n training images (synthetic: generate n)').argParser(whole('--train-limit', 1)),
    new Option('--test-limit <n>', 'use only the first n test images').argParser(whole('--test-limit', 1)),
  ).action(async (options: TrainCommandOptions) => {
    process.exitCode = await trainCommand(options, cli.backend());
  });
};
