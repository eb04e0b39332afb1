#!/usr/bin/env node
/**
 * The command line: a thin layer over the runners. Exit codes: 0 success,
 * 1 a failed gate (regression or claim), 2 usage or input error (or incomplete
 * results), 3 internal error, 4 an inconclusive gate, 130 interrupted.
 */
import * as tf from '@tensorflow/tfjs';
import { Command, CommanderError, Option } from 'commander';
import { BACKEND_REQUESTS, type BackendRequest } from './backend.js';
import * as arch from './commands/arch.js';
import * as baseline from './commands/baseline.js';
import * as bench from './commands/bench.js';
import * as calibrate from './commands/calibrate.js';
import * as compare from './commands/compare.js';
import * as conformance from './commands/conformance.js';
import * as data from './commands/data.js';
import * as list from './commands/list.js';
import * as merge from './commands/merge.js';
import * as paper from './commands/paper.js';
import * as noise from './commands/noise.js';
import * as plan from './commands/plan.js';
import type { Cli } from './commands/options.js';
import * as report from './commands/report.js';
import * as run from './commands/run.js';
import * as setup from './commands/setup.js';
import * as train from './commands/train.js';
import { InputError, UsageError } from './errors.js';
import { fileSystemProblem } from './files.js';

/** Every command, in the order `--help` lists them; each module declares its options beside its handler. */
const COMMANDS = [paper, arch, train, list, run, compare, conformance, baseline, merge, calibrate, plan, noise, report, bench, data, setup];

function createProgram(): Command {
  const program = new Command('resnet-repro')
    .description('Reproduce He et al., "Deep Residual Learning for Image Recognition" (CVPR 2016): build, train, compare, report.')
    .addOption(
      new Option('--backend <name>', 'tfjs backend; auto takes the best that loads')
        .choices(BACKEND_REQUESTS)
        .env('RESNET_REPRO_BACKEND')
        .default('auto'),
    )
    .option('--verbose', "show TensorFlow's C++ start-up lines and tfjs's warnings (also RESNET_REPRO_VERBOSE=1)")
    .showSuggestionAfterError(true)
    .exitOverride();
  // tfjs's console warnings (the "Hi, looks like you are running TensorFlow.js in Node.js" banner) are for --verbose;
  // the C++ lines are filtered by the resnet-repro wrapper, which sees the same flag.
  program.hook('preAction', () => {
    if (program.opts<{ verbose?: boolean }>().verbose) process.env.RESNET_REPRO_VERBOSE = '1';
    tf.env().set('PROD', !process.env.RESNET_REPRO_VERBOSE);
  });
  const cli: Cli = { backend: () => program.opts<{ backend: BackendRequest }>().backend };
  for (const command of COMMANDS) command.register(program, cli);
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
