/** `list`, `run`, `compare`, `baseline record` and `merge`: the suite loop for CI. */
import { appendFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { consoleReporter } from '../../reports/console.js';
import { junitReporter } from '../../reports/junit.js';
import { markdownReporter } from '../../reports/markdown.js';
import { writeSite } from '../../reports/site.js';
import { PRESETS, type PresetName, type Suite } from '../../suites/define.js';
import { findSuite, SUITES } from '../../suites/index.js';
import { type BackendRequest, describeBackend, initBackend, speedAdvice } from '../backend.js';
import { appendBaseline, type Baseline, defaultBaselinePath, readBaseline, recordBaseline, writeBaseline } from '../compare/baseline.js';
import { type Comparison, compare } from '../compare/compare.js';
import { InputError, UsageError } from '../errors.js';
import { writeFileAtomically } from '../files.js';
import { FAULT_NAMES, type FaultName } from '../train/faults.js';
import { gitState } from '../git.js';
import { checkConsistency, mergeResults, readResults, type ResultSet } from '../suite/results.js';
import { calibrate, calibrationTable } from '../suite/calibrate.js';
import { runSuite } from '../suite/run.js';
import { parseShard, recipeSettings, type RunUnit } from '../suite/units.js';
import type { ProgressEvent } from '../train/train.js';
import { MAX_ITERATIONS, MAX_WHOLE, wholeNumber } from './options.js';

/** Seeds per model in one suite run. */
const MAX_SEEDS = 1000;
import { progressLines } from './progress.js';
import { dataDirectory } from './train.js';

export function suiteByName(name: string): Suite {
  const suite = findSuite(name);
  if (!suite) throw new UsageError(`unknown suite "${name}": one of ${SUITES.map((s) => s.name).join(', ')} ("resnet-repro list")`);
  return suite;
}

export function listSuites(): string {
  const rows = SUITES.map((s) => [s.name, s.kind, s.paper, s.title]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  return `${rows.map((r) => r.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c)).join('  ')).join('\n')}\npresets: ${PRESETS.join(', ')}\n`;
}

/** results.json, given it or its folder; a train run folder or a missing path gets a message saying what to pass. */
function resultsPath(path: string): string {
  if (!existsSync(path)) throw new InputError(`${path} does not exist: pass the results.json that "resnet-repro run" writes, or its --out folder`);
  if (!statSync(path).isDirectory()) return path;
  const file = join(path, 'results.json');
  if (existsSync(file)) return file;
  if (existsSync(join(path, 'run.json'))) throw new InputError(`${path} is a single training run ("resnet-repro train"), not suite results: compare, report and merge take the --out folder of "resnet-repro run"`);
  throw new InputError(`${path} holds no results.json: pass the --out folder of "resnet-repro run"`);
}

export interface OutputOptions {
  baseline?: string;
  junit?: string;
  markdown?: string;
}

/**
 * The comparison of results with their baseline: the explicit one, else the
 * default for this suite × preset × backend (unused when recorded with other
 * settings, since overridden runs need their own).
 */
export function comparisonFor(results: ResultSet, explicitBaseline?: string): { comparison: Comparison; baseline: Baseline | undefined } {
  const suite = suiteByName(results.suite.name);
  const path = explicitBaseline ?? defaultBaselinePath(suite.name, results.preset, results.backend.name);
  if (explicitBaseline && !existsSync(explicitBaseline)) throw new InputError(`baseline not found: ${explicitBaseline}`);
  let data = suite.kind === 'training' ? readBaseline(path) : undefined;
  if (data && !explicitBaseline && recipeSettings(data.settings) !== recipeSettings(results.settings)) {
    process.stderr.write(`${path} was recorded with another recipe than these results (overridden iterations, or an older suite definition): not used\n`);
    data = undefined;
  }
  return { comparison: compare(results, suite, data ? { path, data } : undefined), baseline: data };
}

/** Compares, prints, writes JUnit and Markdown (and the GitHub step summary); returns the exit code. */
export function gate(results: ResultSet, options: OutputOptions): number {
  const { comparison } = comparisonFor(results, options.baseline);
  process.stdout.write(consoleReporter.render(comparison));
  if (options.junit) writeFileAtomically(options.junit, junitReporter.render(comparison));
  const markdown = markdownReporter.render(comparison);
  if (options.markdown) writeFileAtomically(options.markdown, markdown);
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, markdown);
  return comparison.exitCode;
}

export interface RunCommandOptions extends OutputOptions {
  preset: string;
  seeds?: string;
  firstSeed?: string;
  fault?: string;
  models?: string;
  iterations?: string;
  data?: string;
  shard?: string;
  out?: string;
}

export async function runCommand(name: string, options: RunCommandOptions, backendRequest: BackendRequest): Promise<number> {
  const suite = suiteByName(name);
  const preset = presetName(options.preset);
  const shard = options.shard ? parseShard(options.shard) : { index: 1, count: 1 };
  const seeds = wholeNumber('--seeds', options.seeds, 1, MAX_SEEDS);
  const firstSeed = wholeNumber('--first-seed', options.firstSeed, 1, MAX_WHOLE - MAX_SEEDS);
  const iterations = wholeNumber('--iterations', options.iterations, 1, MAX_ITERATIONS);
  const fault = parseFault(options.fault);
  const dataset = suite.kind === 'training' ? suite.presets[preset].dataset : undefined;
  const dataDir = dataset && dataset !== 'synthetic' ? dataDirectory(options.data, dataset) : undefined;
  const backend = await initBackend(backendRequest, { gradients: suite.kind === 'training' });
  process.stderr.write(`${describeBackend(backend)}\n`);
  const advice = suite.kind === 'training' ? speedAdvice(backend) : undefined;
  if (advice) process.stderr.write(`${advice}\n`);
  const outDir = options.out ?? join('results', `${suite.name}-${preset}${shard.count > 1 ? `-shard${shard.index}of${shard.count}` : ''}`);
  const { value: results, stopped } = await untilSignalled((shouldStop) =>
    runSuite({
      suite,
      preset,
      overrides: {
        ...(options.models !== undefined ? { models: modelList(options.models) } : {}),
        ...(seeds !== undefined ? { seeds } : {}),
        ...(firstSeed !== undefined ? { firstSeed } : {}),
        ...(iterations !== undefined ? { iterations } : {}),
      },
      dataDir,
      shard,
      outDir,
      backend,
      ...(fault ? { fault } : {}),
      ...consoleProgress,
      shouldStop,
    }),
  );
  process.stderr.write(`results: ${join(outDir, 'results.json')} (${results.wallSeconds.toFixed(0)} s)\n`);
  if (stopped || results.runs.some((r) => r.record.status === 'interrupted')) return 130;
  if (shard.count > 1) {
    process.stdout.write(`shard ${shard.index}/${shard.count} done: merge every shard's results with "resnet-repro merge", then "resnet-repro compare"\n`);
    return 0;
  }
  return gate(results, options);
}

export function compareCommand(path: string, options: OutputOptions): number {
  return gate(readResults(resultsPath(path)), options);
}

export function parseFault(text: string | undefined): FaultName | undefined {
  if (text === undefined) return undefined;
  if (!(FAULT_NAMES as readonly string[]).includes(text)) throw new UsageError(`unknown fault "${text}": one of ${FAULT_NAMES.join(', ')}`);
  return text as FaultName;
}

/** `baseline record`: a new baseline, or (`--append`) more seeds pooled into the existing one. */
export function recordCommand(path: string, options: { out?: string; append?: boolean }): string {
  const results = readResults(resultsPath(path));
  const suite = suiteByName(results.suite.name);
  const git = gitState();
  const baseline = recordBaseline(results, suite, git ? `${git.commit}${git.dirty ? '+changes' : ''}` : null);
  const out = options.out ?? defaultBaselinePath(suite.name, results.preset, results.backend.name);
  if (options.append) {
    const existing = readBaseline(out);
    if (!existing) throw new InputError(`--append: there is no baseline at ${out} to pool into (record one without --append first)`);
    writeBaseline(out, appendBaseline(existing, baseline, out));
  } else {
    writeBaseline(out, baseline);
  }
  return out;
}

export function mergeCommand(paths: string[], options: { out: string; mixedMachines?: boolean }): string {
  const sets = paths.map((p) => ({ path: p, results: readResults(resultsPath(p)) }));
  for (const { path, results } of sets) checkConsistency(results, suiteByName(results.suite.name), path);
  const merged = mergeResults(sets, options.mixedMachines ?? false);
  const out = join(options.out, 'results.json');
  writeFileAtomically(out, `${JSON.stringify(merged, null, 1)}\n`);
  return out;
}

/** `report`: the static site from any number of results (history comes from their dates). */
export async function reportCommand(paths: string[], options: { out: string; baseline?: string }): Promise<string> {
  const inputs = paths.map((p) => {
    const results = readResults(resultsPath(p));
    const { comparison, baseline } = comparisonFor(results, options.baseline);
    return { results, suite: suiteByName(results.suite.name), comparison, baseline };
  });
  const pages = await writeSite(options.out, inputs);
  return `${join(options.out, 'index.html')} (${pages.length} page${pages.length === 1 ? '' : 's'})`;
}

export interface CalibrateCommandOptions {
  preset: string;
  models?: string;
  seeds?: string;
  reruns: string;
  faults?: string;
  data?: string;
  out?: string;
  baseline?: string;
}

/** `calibrate`: clean reruns and planted faults against the recorded baseline; prints and writes the table. */
export async function calibrateCommand(name: string, options: CalibrateCommandOptions, backendRequest: BackendRequest): Promise<number> {
  const suite = suiteByName(name);
  if (suite.kind !== 'training') throw new UsageError(`${suite.name} counts architectures: nothing to calibrate`);
  const preset = presetName(options.preset);
  const seeds = wholeNumber('--seeds', options.seeds, 1, MAX_SEEDS);
  const reruns = wholeNumber('--reruns', options.reruns, 0, 100)!;
  const faults = options.faults === undefined ? [...FAULT_NAMES] : options.faults.split(',').map((f) => parseFault(f.trim())!);
  const backend = await initBackend(backendRequest, { gradients: true });
  process.stderr.write(`${describeBackend(backend)}\n`);
  const path = options.baseline ?? defaultBaselinePath(suite.name, preset, backend.choice);
  const data = readBaseline(path);
  if (!data) throw new InputError(`no baseline at ${path} to calibrate against: record one first ("resnet-repro run ${suite.name} --preset ${preset}", then "baseline record")`);
  const dataset = suite.presets[preset].dataset;
  const outDir = options.out ?? join('results', `calibrate-${suite.name}-${preset}`);
  const { value: rows, stopped } = await untilSignalled((shouldStop) =>
    calibrate({
      suite,
      preset,
      ...(options.models !== undefined ? { models: modelList(options.models) } : {}),
      ...(seeds !== undefined ? { seeds } : {}),
      reruns,
      faults,
      baseline: { path, data },
      ...(dataset !== 'synthetic' ? { dataDir: dataDirectory(options.data, dataset) } : {}),
      outDir,
      backend,
      ...consoleProgress,
      shouldStop,
    }),
  );
  const table = calibrationTable(rows);
  writeFileAtomically(join(outDir, 'calibration.md'), table);
  writeFileAtomically(join(outDir, 'calibration.json'), `${JSON.stringify(rows, null, 1)}\n`);
  process.stdout.write(table);
  return stopped ? 130 : 0;
}

/**
 * Runs `work` with Ctrl-C and SIGTERM turned into a request to stop after the
 * current step (a second signal exits at once); says whether one came.
 */
async function untilSignalled<T>(work: (shouldStop: () => boolean) => Promise<T>): Promise<{ value: T; stopped: boolean }> {
  let stopped = false;
  const onSignal = () => {
    if (stopped) process.exit(130);
    stopped = true;
    process.stderr.write('\nstopping after this step; run the same command again to continue\n');
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
const consoleProgress = {
  log: (line: string) => process.stderr.write(`${line}\n`),
  onProgress: (unit: RunUnit, e: ProgressEvent) => process.stderr.write(progressLines(unit.id, e)),
};

/** "--models a, b," → ["a", "b"]. */
const modelList = (text: string) => text.split(',').map((m) => m.trim()).filter(Boolean);

function presetName(text: string): PresetName {
  if (!(PRESETS as readonly string[]).includes(text)) throw new UsageError(`unknown preset "${text}": one of ${PRESETS.join(', ')}`);
  return text as PresetName;
}
