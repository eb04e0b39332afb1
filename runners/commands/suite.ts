/** `list`, `run`, `compare`, `baseline record` and `merge`: the suite loop for CI. */
import { appendFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { consoleReporter } from '../../reports/console.js';
import { junitReporter } from '../../reports/junit.js';
import { markdownReporter } from '../../reports/markdown.js';
import { writeSite } from '../../reports/site.js';
import { PRESETS, type PresetName, type Suite } from '../../suites/define.js';
import { findSuite, SUITES } from '../../suites/index.js';
import { type BackendRequest, describeBackend, initBackend, speedAdvice } from '../backend.js';
import { type Baseline, defaultBaselinePath, readBaseline, recordBaseline, writeBaseline } from '../compare/baseline.js';
import { type Comparison, compare } from '../compare/compare.js';
import { InputError, UsageError } from '../errors.js';
import { mergeResults, readResults, type ResultSet } from '../suite/results.js';
import { runSuite } from '../suite/run.js';
import { parseShard } from '../suite/units.js';
import { wholeNumber } from './options.js';
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

function resultsPath(path: string): string {
  return existsSync(path) && statSync(path).isDirectory() ? join(path, 'results.json') : path;
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
  if (data && !explicitBaseline && JSON.stringify(data.settings) !== JSON.stringify(results.settings)) {
    process.stderr.write(`${path} was recorded with other settings than these results (overrides, or an older suite definition): not used\n`);
    data = undefined;
  }
  return { comparison: compare(results, suite, data ? { path, data } : undefined), baseline: data };
}

/** Compares, prints, writes JUnit and Markdown (and the GitHub step summary); returns the exit code. */
export function gate(results: ResultSet, options: OutputOptions): number {
  const { comparison } = comparisonFor(results, options.baseline);
  process.stdout.write(consoleReporter.render(comparison));
  const write = (file: string, text: string) => {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  };
  if (options.junit) write(options.junit, junitReporter.render(comparison));
  const markdown = markdownReporter.render(comparison);
  if (options.markdown) write(options.markdown, markdown);
  if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, markdown);
  return comparison.exitCode;
}

export interface RunCommandOptions extends OutputOptions {
  preset: string;
  seeds?: string;
  models?: string;
  iterations?: string;
  data?: string;
  shard?: string;
  out?: string;
}

export async function runCommand(name: string, options: RunCommandOptions, backendRequest: BackendRequest): Promise<number> {
  const suite = suiteByName(name);
  if (!(PRESETS as readonly string[]).includes(options.preset)) throw new UsageError(`unknown preset "${options.preset}": one of ${PRESETS.join(', ')}`);
  const preset = options.preset as PresetName;
  const shard = options.shard ? parseShard(options.shard) : { index: 1, count: 1 };
  const seeds = wholeNumber('--seeds', options.seeds, 1);
  const iterations = wholeNumber('--iterations', options.iterations, 1);
  const dataset = suite.kind === 'training' ? suite.presets[preset].dataset : undefined;
  const dataDir = dataset && dataset !== 'synthetic' ? dataDirectory(options.data, dataset) : undefined;
  const backend = await initBackend(backendRequest, { gradients: suite.kind === 'training' });
  process.stderr.write(`${describeBackend(backend)}\n`);
  const advice = suite.kind === 'training' ? speedAdvice(backend) : undefined;
  if (advice) process.stderr.write(`${advice}\n`);
  let stop = false;
  const onSignal = () => {
    if (stop) process.exit(130);
    stop = true;
    process.stderr.write('\nstopping after this step; run the same command again to continue\n');
  };
  process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
  const outDir = options.out ?? join('results', `${suite.name}-${preset}${shard.count > 1 ? `-shard${shard.index}of${shard.count}` : ''}`);
  let results: ResultSet;
  try {
    results = await runSuite({
      suite,
      preset,
      overrides: {
        ...(options.models ? { models: options.models.split(',').map((m) => m.trim()).filter(Boolean) } : {}),
        ...(seeds !== undefined ? { seeds } : {}),
        ...(iterations !== undefined ? { iterations } : {}),
      },
      dataDir,
      shard,
      outDir,
      backend,
      log: (line) => process.stderr.write(`${line}\n`),
      onProgress: (unit, e) => process.stderr.write(progressLines(unit.id, e)),
      shouldStop: () => stop,
    });
  } finally {
    process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
  }
  process.stderr.write(`results: ${join(outDir, 'results.json')} (${results.wallSeconds.toFixed(0)} s)\n`);
  if (stop || results.runs.some((r) => r.record.status === 'interrupted')) return 130;
  if (shard.count > 1) {
    process.stdout.write(`shard ${shard.index}/${shard.count} done: merge every shard's results with "resnet-repro merge", then "resnet-repro compare"\n`);
    return 0;
  }
  return gate(results, options);
}

export function compareCommand(path: string, options: OutputOptions): number {
  return gate(readResults(resultsPath(path)), options);
}

export function recordCommand(path: string, options: { out?: string }): string {
  const results = readResults(resultsPath(path));
  const suite = suiteByName(results.suite.name);
  const baseline = recordBaseline(results, suite);
  const out = options.out ?? defaultBaselinePath(suite.name, results.preset, results.backend.name);
  writeBaseline(out, baseline);
  return out;
}

export function mergeCommand(paths: string[], options: { out: string }): string {
  const merged = mergeResults(paths.map((p) => ({ path: p, results: readResults(resultsPath(p)) })));
  mkdirSync(options.out, { recursive: true });
  const out = join(options.out, 'results.json');
  writeFileSync(out, `${JSON.stringify(merged, null, 1)}\n`);
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
