#!/usr/bin/env node
/**
 * The command line: a thin layer over the runners. Exit codes: 0 success,
 * 1 a failed gate (regression or claim), 2 usage or input error (or incomplete
 * results), 3 internal error, 4 an inconclusive gate, 130 interrupted.
 */
import { Command, CommanderError, Option } from 'commander';
import { BACKEND_REQUESTS, type BackendRequest, describeBackend, initBackend } from './backend.js';
import { archRecords, formatArchTable } from './commands/arch.js';
import { dataDirectory, type TrainCommandOptions, trainCommand } from './commands/train.js';
import { downloadProgress } from './commands/progress.js';
import { downloadCifar10 } from './data/download.js';
import { type BenchCommandOptions, benchCommand } from './commands/bench.js';
import { type CalibrateCommandOptions, calibrateCommand, compareCommand, listSuites, mergeCommand, recordCommand, reportCommand, type RunCommandOptions, runCommand } from './commands/suite.js';
import { FAULTS } from './train/faults.js';
import { InputError, UsageError } from './errors.js';
import { fileSystemProblem } from './files.js';
import { DEFAULT_TENSORFLOW_VERSION, defaultCacheDir, setupTensorflow } from './setup/tensorflow.js';

const MODEL_GRAMMAR = `
Model names:
  CIFAR-10   resnet<d>, plain<d>, highway<d>   d = 6n+2 (20, 32, 44, 56, 110, 1202, …)
             highway19                         Srivastava et al.'s 19-layer highway net
  ImageNet   resnet<d>, plain<d>               d = 18, 34, 50, 101, 152 (Table 1)
  Suffixes   -a | -b | -c   shortcut option (ImageNet default B, CIFAR default A)
             -v1.5          bottleneck stride on the 3×3 (default: first 1×1, as the paper)
             -skip<k>       CIFAR residual blocks wrapping k convolutions (default 2)
             -w<width>      first-stage width (default 16 CIFAR, 64 ImageNet)
  Prefix     cifar- | imagenet-   where a depth is both (cifar-resnet50)
With no models, lists every model the paper uses.`;

interface GlobalOptions {
  backend: BackendRequest;
}

function createProgram(): Command {
  const program = new Command('resnet-repro')
    .description('Reproduce He et al., "Deep Residual Learning for Image Recognition" (CVPR 2016): build, train, compare, report.')
    .addOption(
      new Option('--backend <name>', 'tfjs backend; auto takes the best that loads')
        .choices(BACKEND_REQUESTS)
        .env('RESNET_REPRO_BACKEND')
        .default('auto'),
    )
    .showSuggestionAfterError(true)
    .exitOverride();

  program
    .command('arch')
    .description('layers, trainable parameters, multiply-adds and output shape of each model, counted from the built graph')
    .argument('[models...]', 'model names (default: every model of the paper)')
    .option('--json', 'print a JSON array, one object per model')
    .addHelpText('after', MODEL_GRAMMAR)
    .action(async (models: string[], options: { json?: boolean }) => {
      const backend = await initBackend(program.opts<GlobalOptions>().backend);
      const records = archRecords(models, backend);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(records, null, 2)}\n`);
      } else {
        process.stdout.write(`${formatArchTable(records)}\n`);
      }
      process.stderr.write(`${describeBackend(backend)}\n`);
    });

  program
    .command('train')
    .description('train and evaluate one model with the paper\'s CIFAR-10 recipe; writes run.json, curves (CSV) and checkpoints to --out')
    .requiredOption('--model <name>', 'model name, e.g. resnet20 (see "arch --help")')
    .option('--dataset <name>', 'cifar10, synthetic (generated, no download) or imagenet', 'cifar10')
    .option('--data <dir>', 'CIFAR-10 binary files, or ImageNet\'s train/ and val/ (default: $RESNET_REPRO_DATA, else ~/.cache/resnet-repro/data/<dataset>)')
    .option('--iterations <n>', 'iterations; the schedule keeps its shape (lr ÷10 at 50 % and 75 %)', '64000')
    .option('--lr <rate>', 'base learning rate (default 0.1, the paper\'s)')
    .option('--seed <n>', 'drives initialisation, data order and augmentation', '1')
    .option('--out <dir>', 'run folder (default runs/<model>-<dataset>-s<seed>)')
    .option('--resume', 'continue the interrupted run in --out')
    .option('--batch-size <n>', 'mini-batch size (default 128 CIFAR-10, 256 ImageNet)')
    .option('--image-size <n>', 'ImageNet crop side (default 224; smaller for smoke runs)')
    .option('--schedule <kind>', 'ImageNet: plateau (÷10 when validation error stalls) or step (at 1/4, 1/2, 3/4)', 'plateau')
    .option('--log-every <n>', 'iterations per training-curve point', '100')
    .option('--eval-every <n>', 'iterations per test evaluation', '1000')
    .option('--checkpoint-every <n>', 'iterations per checkpoint (at most this many are lost when killed)', '1000')
    .option('--validation', 'train on 45k, test on the 5k held-out training images')
    .option('--train-limit <n>', 'use only the first n training images (synthetic: generate n)')
    .option('--test-limit <n>', 'use only the first n test images')
    .action(async (options: TrainCommandOptions) => {
      process.exitCode = await trainCommand(options, program.opts<GlobalOptions>().backend);
    });

  program
    .command('list')
    .description('the suites and presets')
    .action(() => {
      process.stdout.write(listSuites());
    });

  const gateOptions = (command: Command) =>
    command
      .option('--baseline <file>', 'recorded baseline (default: baselines/recorded/<suite>/<preset>/<backend>.json)')
      .option('--junit <file>', 'write JUnit XML')
      .option('--markdown <file>', 'write a Markdown summary (also appended to $GITHUB_STEP_SUMMARY when set)');

  gateOptions(
    program
      .command('run')
      .description('run a suite (or one shard), compare with its baseline and the paper, and gate: exit 0 pass, 1 regression or failed claim, 2 incomplete, 4 inconclusive')
      .argument('<suite>', 'suite name ("resnet-repro list")')
      .option('--preset <name>', 'smoke, nightly or full', 'smoke')
      .option('--models <list>', 'comma-separated models instead of the preset\'s')
      .option('--seeds <n>', 'seeds per model')
      .option('--first-seed <n>', 'first seed (default 1): other seeds sample the same recipe, e.g. to pool into a baseline')
      .option('--fault <name>', `calibration only: plant a fault in the code path (${Object.keys(FAULTS).join(', ')}); recorded, never a baseline`)
      .option('--iterations <n>', 'iterations per run')
      .option('--data <dir>', 'dataset folder (default: $RESNET_REPRO_DATA, else ~/.cache/resnet-repro/data/<dataset>)')
      .option('--shard <i/n>', 'run shard i of n (balanced by cost); merge the shards afterwards')
      .option('--out <dir>', 'output folder (default results/<suite>-<preset>); running again continues it'),
  ).action(async (name: string, options: RunCommandOptions) => {
    process.exitCode = await runCommand(name, options, program.opts<GlobalOptions>().backend);
  });

  gateOptions(
    program
      .command('compare')
      .description('compare results with the recorded baseline and the paper, and gate (exit 0 pass, 1 regression, 2 incomplete, 4 inconclusive)')
      .argument('<results>', 'results.json, or the folder holding it'),
  ).action((path: string, options: { baseline?: string; junit?: string; markdown?: string }) => {
    process.exitCode = compareCommand(path, options);
  });

  program
    .command('baseline')
    .description('recorded baselines')
    .command('record')
    .description('record a baseline (mean, std, n over seeds; curve envelopes) from complete results, for review in a pull request')
    .argument('<results>', 'results.json, or the folder holding it')
    .option('--out <file>', 'default: baselines/recorded/<suite>/<preset>/<backend>.json')
    .option('--append', 'pool these runs (new seeds, same recipe and machine) into the existing baseline, keeping its history')
    .action((path: string, options: { out?: string; append?: boolean }) => {
      process.stdout.write(`${recordCommand(path, options)}\n`);
    });

  program
    .command('merge')
    .description('combine the results of a suite\'s shards; refuses different suites, versions, presets, settings or backends')
    .argument('<results...>', 'results.json files or folders')
    .requiredOption('--out <dir>', 'folder for the merged results.json')
    .option('--mixed-machines', 'merge shards that ran on different CPUs or environments (throughput is then never gated, nothing replays)')
    .action((paths: string[], options: { out: string; mixedMachines?: boolean }) => {
      process.stdout.write(`${mergeCommand(paths, options)}\n`);
    });

  program
    .command('calibrate')
    .description('measure the gate: clean reruns (new seeds) and each planted fault, compared with the recorded baseline; prints which faults are caught and the false alarms')
    .argument('<suite>', 'suite name ("resnet-repro list")')
    .option('--preset <name>', 'smoke, nightly or full', 'smoke')
    .option('--models <list>', 'comma-separated models instead of the preset\'s')
    .option('--seeds <n>', 'seeds per model (default: the baseline\'s)')
    .option('--reruns <n>', 'clean reruns, each with new seeds', '2')
    .option('--faults <list>', `comma-separated faults (default all: ${Object.keys(FAULTS).join(', ')})`)
    .option('--baseline <file>', 'baseline to calibrate against (default: the recorded one for this suite × preset × backend)')
    .option('--data <dir>', 'dataset folder (default: $RESNET_REPRO_DATA, else ~/.cache/resnet-repro/data/<dataset>)')
    .option('--out <dir>', 'output folder (default results/calibrate-<suite>-<preset>); running again continues it')
    .action(async (name: string, options: CalibrateCommandOptions) => {
      process.exitCode = await calibrateCommand(name, options, program.opts<GlobalOptions>().backend);
    });

  program
    .command('report')
    .description('write a static HTML site: an index of runs and a page per suite run (tables, error curves, Fig. 7, throughput, history, environment; CSV for each)')
    .argument('<results...>', 'results.json files or folders (several of one suite give its history)')
    .requiredOption('--out <dir>', 'site folder, e.g. site/')
    .option('--baseline <file>', 'baseline to compare with (default: the recorded one for each result)')
    .action(async (paths: string[], options: { out: string; baseline?: string }) => {
      process.stdout.write(`${await reportCommand(paths, options)}\n`);
    });

  program
    .command('bench')
    .description('forward and training-step throughput per model × backend (tinybench; warm-up excluded), the input pipeline alone, and the training loop against a bare step')
    .argument('[models...]', 'models (default resnet20 resnet56 resnet110)')
    .option('--backends <list>', 'comma-separated backends (default: the one --backend selects)')
    .option('--batch <n>', 'batch size', '128')
    .option('--samples <n>', 'timed runs per task per round (after warm-up: 2 runs in the first round, 1 after)', '5')
    .option('--rounds <n>', 'rounds; each times every task in turn, ratios are taken within a round', '3')
    .option('--loop <n>', 'training-loop iterations timed per round for the harness overhead (0 skips)', '5')
    .option('--pytorch', 'time the same models in PyTorch (scripts/bench_pytorch.py; needs python3 and torch) in the same rounds, and print the ratio')
    .option('--json <file>', 'write the rows as JSON')
    .action(async (models: string[], options: BenchCommandOptions) => {
      await benchCommand(models, options, program.opts<GlobalOptions>().backend);
    });

  const data = program.command('data').description('get datasets');
  data
    .command('cifar10')
    .description('download the official CIFAR-10 binary archive, check its published MD5 and extract it (idempotent)')
    .option('--dir <dir>', 'where to put the files (default: $RESNET_REPRO_DATA, else ~/.cache/resnet-repro/data/cifar10)')
    .option('--archive <file>', 'install from cifar-10-binary.tar.gz already on disk (offline machines)')
    .option('--url <url>', 'a mirror of the official archive (the published MD5 is still required)')
    .action(async (options: { dir?: string; archive?: string; url?: string }) => {
      const dir = dataDirectory(options.dir, 'cifar10');
      const progress = downloadProgress();
      try {
        await downloadCifar10({
          dir,
          ...(options.archive ? { archive: options.archive } : {}),
          ...(options.url ? { url: options.url } : {}),
          onProgress: progress.update,
          log: (line) => process.stderr.write(`${line}\n`),
        });
      } finally {
        progress.stop();
      }
      process.stdout.write(`${dir}\n`);
    });

  const setup = program.command('setup').description('install optional native pieces');
  setup
    .command('tensorflow')
    .description('build the native TensorFlow backend (tfjs-node) against the TensorFlow pip wheel, without its blocked download')
    .option('--gpu', 'tfjs-node-gpu with the full tensorflow wheel (CUDA libraries: pip install "tensorflow[and-cuda]")')
    .option('--tf-version <version>', 'TensorFlow wheel version', DEFAULT_TENSORFLOW_VERSION)
    .option('--cache <dir>', 'where wheels and staged libraries are kept', defaultCacheDir())
    .option('--force', 'rebuild even if the binding already works')
    .action((options: { gpu?: boolean; tfVersion: string; cache: string; force?: boolean }) => {
      setupTensorflow({
        gpu: options.gpu ?? false,
        tensorflowVersion: options.tfVersion,
        cacheDir: options.cache,
        force: options.force ?? false,
        log: (line) => process.stderr.write(`setup: ${line}\n`),
      });
    });

  const all = (c: Command): Command[] => [c, ...c.commands.flatMap(all)];
  for (const command of all(program)) command.exitOverride();
  return program;
}

async function main(argv: readonly string[]): Promise<number> {
  try {
    process.exitCode = 0;
    await createProgram().parseAsync(argv as string[]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its message (and a suggestion) already.
      return error.exitCode === 0 ? 0 : 2;
    }
    const problem = error instanceof UsageError || error instanceof InputError ? error : fileSystemProblem(error);
    if (problem) {
      process.stderr.write(`error: ${problem.message}\n`);
      return 2;
    }
    process.stderr.write(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 3;
  }
}

// A closed pipe (stderr piped into head) must not end a run mid-step with a gate's exit code and a stale lock: drop the output, keep going.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

process.exitCode = await main(process.argv);
