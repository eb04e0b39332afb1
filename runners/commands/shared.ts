/**
 * What the suite commands (run, compare, merge, baseline, calibrate, report)
 * share: finding suites and results, the comparison with its baseline, the
 * gate's outputs, and stopping long work on a signal.
 */
import { appendFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Option } from 'commander';
import { REPORTERS } from '../../reports/index.js';
import { PRESETS, type PresetName, RECIPE } from '../records/recipe.js';
import { type Suite } from '../../suites/define.js';
import { findSuite, SUITES } from '../../suites/index.js';
import { type Baseline, defaultBaselinePath, readBaseline } from '../records/baseline.js';
import { type Comparison, compare } from '../compare/compare.js';
import { InputError, UsageError } from '../errors.js';
import { writeFileAtomically } from '../files.js';
import { appendToHistory } from '../suite/history.js';
import type { SuiteProgress } from '../suite/progress.js';
import { readResults, type ResultSet } from '../records/results.js';
import { describeDifferences, differences } from '../records/differences.js';
import { type RunUnit } from '../suite/units.js';
import type { ProgressEvent } from '../train/train.js';
import { progressLines } from './progress.js';

/** Seeds per model in one suite run. */

export function suiteByName(name: string): Suite {
  const suite = findSuite(name);
  if (!suite) throw new UsageError(`unknown suite "${name}": one of ${SUITES.map((s) => s.name).join(', ')} ("resnet-repro list")`);
  return suite;
}

/** --preset, checked by commander against the presets. */
export const presetOption = () => new Option('--preset <name>', 'preset').choices(PRESETS).default('smoke' as PresetName);

/** results.json, given it or its folder; a train run folder or a missing path gets a message saying what to pass. */
export function resultsPath(path: string): string {
  if (!existsSync(path)) throw new InputError(`${path} does not exist: pass the results.json that "resnet-repro run" writes, or its --out folder`);
  if (!statSync(path).isDirectory()) return path;
  const file = join(path, 'results.json');
  if (existsSync(file)) return file;
  if (existsSync(join(path, 'run.json'))) throw new InputError(`${path} is a single training run ("resnet-repro train"), not suite results: compare, report and merge take the --out folder of "resnet-repro run"`);
  throw new InputError(`${path} holds no results.json: pass the --out folder of "resnet-repro run"`);
}

export const readResultsAt = (path: string): ResultSet => readResults(resultsPath(path));

export interface GateOutputOptions {
  baseline?: string;
  junit?: string;
  markdown?: string;
  history?: string;
}

/** The options of the commands that gate (run, compare). */
export function withGateOutputs<C extends { option(flags: string, description: string): C }>(command: C): C {
  return command
    .option('--baseline <file>', 'recorded baseline (default: baselines/recorded/<suite>/<preset>/<backend>.json)')
    .option('--junit <file>', 'write JUnit XML')
    .option('--markdown <file>', 'write a Markdown summary (also appended to $GITHUB_STEP_SUMMARY when set)')
    .option('--history <dir>', 'add these results to a results store kept between runs (<suite>/<preset>/<backend>/<date>-<commit>.json; "report --history" draws from it)');
}

/**
 * The comparison of results with their baseline: the explicit one, else the
 * default for this suite × preset × backend (unused when recorded with
 * another recipe, since overridden runs need their own).
 */
export function comparisonFor(results: ResultSet, explicitBaseline?: string): { comparison: Comparison; baseline: Baseline | undefined } {
  const suite = suiteByName(results.suite.name);
  const path = explicitBaseline ?? defaultBaselinePath(suite.name, results.preset, results.backend.name);
  if (explicitBaseline && !existsSync(explicitBaseline)) throw new InputError(`baseline not found: ${explicitBaseline}`);
  let data = suite.kind === 'training' ? readBaseline(path) : undefined;
  const otherRecipe = data && !explicitBaseline ? differences(data.settings, results.settings, RECIPE) : [];
  if (otherRecipe.length > 0) {
    process.stderr.write(`${path} was recorded with another recipe than these results (${describeDifferences(otherRecipe, 'there', 'here')}): not used\n`);
    data = undefined;
  }
  return { comparison: compare(results, suite, data ? { path, data } : undefined), baseline: data };
}

/** Compares, prints (console reporter), writes JUnit and Markdown (and the GitHub step summary); returns the exit code. */
export function gate(results: ResultSet, options: GateOutputOptions): number {
  const { comparison } = comparisonFor(results, options.baseline);
  process.stdout.write(REPORTERS.console.render(comparison));
  if (options.junit) writeFileAtomically(options.junit, REPORTERS.junit.render(comparison));
  const markdown = REPORTERS.markdown.render(comparison);
  if (options.markdown) writeFileAtomically(options.markdown, markdown);
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, markdown);
  if (options.history) process.stderr.write(`history: ${appendToHistory(options.history, results)}\n`);
  return comparison.exitCode;
}

/** A stopped run's exit code (128 + SIGINT's number, as shells report Ctrl-C). */
export const EXIT_INTERRUPTED = 130;

/**
 * Runs `work` with Ctrl-C and SIGTERM turned into a request to stop after the
 * current step, with a checkpoint (a second signal exits at once); says whether one came.
 */
export async function untilSignalled<T>(work: (shouldStop: () => boolean) => Promise<T>): Promise<{ value: T; stopped: boolean }> {
  let stopped = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopped) process.exit(EXIT_INTERRUPTED);
    stopped = true;
    process.stderr.write(`\n${signal}: stopping after this step and writing a checkpoint (again to quit at once); run the same command again to continue\n`);
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  try {
    const value = await work(() => stopped);
    return { value, stopped };
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
}

/** Log lines and progress of suite runs, on stderr (stdout carries the verdict). */
export const consoleProgress = {
  log: (line: string) => process.stderr.write(`${line}\n`),
  onProgress: (unit: RunUnit, e: ProgressEvent, suite?: SuiteProgress) => process.stderr.write(progressLines(unit.id, e, suite)),
};
