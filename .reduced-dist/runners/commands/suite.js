/** `list`, `run`, `compare`, `baseline record` and `merge`: the suite loop for CI. */
import { appendFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { consoleReporter } from '../../reports/console.js';
import { junitReporter } from '../../reports/junit.js';
import { markdownReporter } from '../../reports/markdown.js';
import { writeSite } from '../../reports/site.js';
import { PRESETS } from '../../suites/define.js';
import { findSuite, SUITES } from '../../suites/index.js';
import { describeBackend, initBackend, speedAdvice } from '../backend.js';
import { appendBaseline, defaultBaselinePath, readBaseline, recordBaseline, writeBaseline } from '../compare/baseline.js';
import { compare } from '../compare/compare.js';
import { InputError, UsageError } from '../errors.js';
import { writeFileAtomically } from '../files.js';
import { FAULT_NAMES } from '../train/faults.js';
import { gitState } from '../git.js';
import { checkConsistency, mergeResults, readResults } from '../suite/results.js';
import { calibrate, calibrationTable } from '../suite/calibrate.js';
import { runSuite } from '../suite/run.js';
import { parseShard, recipeSettings } from '../suite/units.js';
import { wholeNumber } from './options.js';
import { progressLines } from './progress.js';
import { dataDirectory } from './train.js';
export function suiteByName(name) {
    const suite = findSuite(name);
    if (!suite)
        throw new UsageError(`unknown suite "${name}": one of ${SUITES.map((s) => s.name).join(', ')} ("resnet-repro list")`);
    return suite;
}
export function listSuites() {
    const rows = SUITES.map((s) => [s.name, s.kind, s.paper, s.title]);
    const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i].length)));
    return `${rows.map((r) => r.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c)).join('  ')).join('\n')}\npresets: ${PRESETS.join(', ')}\n`;
}
function resultsPath(path) {
    return existsSync(path) && statSync(path).isDirectory() ? join(path, 'results.json') : path;
}
/**
 * The comparison of results with their baseline: the explicit one, else the
 * default for this suite × preset × backend (unused when recorded with other
 * settings, since overridden runs need their own).
 */
export function comparisonFor(results, explicitBaseline) {
    const suite = suiteByName(results.suite.name);
    const path = explicitBaseline ?? defaultBaselinePath(suite.name, results.preset, results.backend.name);
    if (explicitBaseline && !existsSync(explicitBaseline))
        throw new InputError(`baseline not found: ${explicitBaseline}`);
    let data = suite.kind === 'training' ? readBaseline(path) : undefined;
    if (data && !explicitBaseline && recipeSettings(data.settings) !== recipeSettings(results.settings)) {
        process.stderr.write(`${path} was recorded with another recipe than these results (overridden iterations, or an older suite definition): not used\n`);
        data = undefined;
    }
    return { comparison: compare(results, suite, data ? { path, data } : undefined), baseline: data };
}
/** Compares, prints, writes JUnit and Markdown (and the GitHub step summary); returns the exit code. */
export function gate(results, options) {
    const { comparison } = comparisonFor(results, options.baseline);
    process.stdout.write(consoleReporter.render(comparison));
    if (options.junit)
        writeFileAtomically(options.junit, junitReporter.render(comparison));
    const markdown = markdownReporter.render(comparison);
    if (options.markdown)
        writeFileAtomically(options.markdown, markdown);
    if (process.env.GITHUB_STEP_SUMMARY)
        appendFileSync(process.env.GITHUB_STEP_SUMMARY, markdown);
    return comparison.exitCode;
}
export async function runCommand(name, options, backendRequest) {
    const suite = suiteByName(name);
    if (!PRESETS.includes(options.preset))
        throw new UsageError(`unknown preset "${options.preset}": one of ${PRESETS.join(', ')}`);
    const preset = options.preset;
    const shard = options.shard ? parseShard(options.shard) : { index: 1, count: 1 };
    const seeds = wholeNumber('--seeds', options.seeds, 1);
    const firstSeed = wholeNumber('--first-seed', options.firstSeed, 1);
    const iterations = wholeNumber('--iterations', options.iterations, 1);
    const fault = parseFault(options.fault);
    const dataset = suite.kind === 'training' ? suite.presets[preset].dataset : undefined;
    const dataDir = dataset && dataset !== 'synthetic' ? dataDirectory(options.data, dataset) : undefined;
    const backend = await initBackend(backendRequest, { gradients: suite.kind === 'training' });
    process.stderr.write(`${describeBackend(backend)}\n`);
    const advice = suite.kind === 'training' ? speedAdvice(backend) : undefined;
    if (advice)
        process.stderr.write(`${advice}\n`);
    let stop = false;
    const onSignal = () => {
        if (stop)
            process.exit(130);
        stop = true;
        process.stderr.write('\nstopping after this step; run the same command again to continue\n');
    };
    process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
    const outDir = options.out ?? join('results', `${suite.name}-${preset}${shard.count > 1 ? `-shard${shard.index}of${shard.count}` : ''}`);
    let results;
    try {
        results = await runSuite({
            suite,
            preset,
            overrides: {
                ...(options.models !== undefined ? { models: options.models.split(',').map((m) => m.trim()).filter(Boolean) } : {}),
                ...(seeds !== undefined ? { seeds } : {}),
                ...(firstSeed !== undefined ? { firstSeed } : {}),
                ...(iterations !== undefined ? { iterations } : {}),
            },
            dataDir,
            shard,
            outDir,
            backend,
            ...(fault ? { fault } : {}),
            log: (line) => process.stderr.write(`${line}\n`),
            onProgress: (unit, e) => process.stderr.write(progressLines(unit.id, e)),
            shouldStop: () => stop,
        });
    }
    finally {
        process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    }
    process.stderr.write(`results: ${join(outDir, 'results.json')} (${results.wallSeconds.toFixed(0)} s)\n`);
    if (stop || results.runs.some((r) => r.record.status === 'interrupted'))
        return 130;
    if (shard.count > 1) {
        process.stdout.write(`shard ${shard.index}/${shard.count} done: merge every shard's results with "resnet-repro merge", then "resnet-repro compare"\n`);
        return 0;
    }
    return gate(results, options);
}
export function compareCommand(path, options) {
    return gate(readResults(resultsPath(path)), options);
}
export function parseFault(text) {
    if (text === undefined)
        return undefined;
    if (!FAULT_NAMES.includes(text))
        throw new UsageError(`unknown fault "${text}": one of ${FAULT_NAMES.join(', ')}`);
    return text;
}
/** `baseline record`: a new baseline, or (`--append`) more seeds pooled into the existing one. */
export function recordCommand(path, options) {
    const results = readResults(resultsPath(path));
    const suite = suiteByName(results.suite.name);
    const git = gitState();
    const baseline = recordBaseline(results, suite, git ? `${git.commit}${git.dirty ? '+changes' : ''}` : null);
    const out = options.out ?? defaultBaselinePath(suite.name, results.preset, results.backend.name);
    if (options.append) {
        const existing = readBaseline(out);
        if (!existing)
            throw new InputError(`--append: there is no baseline at ${out} to pool into (record one without --append first)`);
        writeBaseline(out, appendBaseline(existing, baseline, out));
    }
    else {
        writeBaseline(out, baseline);
    }
    return out;
}
export function mergeCommand(paths, options) {
    const sets = paths.map((p) => ({ path: p, results: readResults(resultsPath(p)) }));
    for (const { path, results } of sets)
        checkConsistency(results, suiteByName(results.suite.name), path);
    const merged = mergeResults(sets, options.mixedMachines ?? false);
    const out = join(options.out, 'results.json');
    writeFileAtomically(out, `${JSON.stringify(merged, null, 1)}\n`);
    return out;
}
/** `report`: the static site from any number of results (history comes from their dates). */
export async function reportCommand(paths, options) {
    const inputs = paths.map((p) => {
        const results = readResults(resultsPath(p));
        const { comparison, baseline } = comparisonFor(results, options.baseline);
        return { results, suite: suiteByName(results.suite.name), comparison, baseline };
    });
    const pages = await writeSite(options.out, inputs);
    return `${join(options.out, 'index.html')} (${pages.length} page${pages.length === 1 ? '' : 's'})`;
}
/** `calibrate`: clean reruns and planted faults against the recorded baseline; prints and writes the table. */
export async function calibrateCommand(name, options, backendRequest) {
    const suite = suiteByName(name);
    if (suite.kind !== 'training')
        throw new UsageError(`${suite.name} counts architectures: nothing to calibrate`);
    if (!PRESETS.includes(options.preset))
        throw new UsageError(`unknown preset "${options.preset}": one of ${PRESETS.join(', ')}`);
    const preset = options.preset;
    const seeds = wholeNumber('--seeds', options.seeds, 1);
    const reruns = wholeNumber('--reruns', options.reruns, 0);
    const faults = options.faults === undefined ? [...FAULT_NAMES] : options.faults.split(',').map((f) => parseFault(f.trim()));
    const backend = await initBackend(backendRequest, { gradients: true });
    process.stderr.write(`${describeBackend(backend)}\n`);
    const path = options.baseline ?? defaultBaselinePath(suite.name, preset, backend.choice);
    const data = readBaseline(path);
    if (!data)
        throw new InputError(`no baseline at ${path} to calibrate against: record one first ("resnet-repro run ${suite.name} --preset ${preset}", then "baseline record")`);
    const dataset = suite.presets[preset].dataset;
    const outDir = options.out ?? join('results', `calibrate-${suite.name}-${preset}`);
    let stop = false;
    const onSignal = () => {
        if (stop)
            process.exit(130);
        stop = true;
        process.stderr.write('\nstopping after this step; run the same command again to continue\n');
    };
    process.on('SIGINT', onSignal).on('SIGTERM', onSignal);
    try {
        const rows = await calibrate({
            suite,
            preset,
            ...(options.models !== undefined ? { models: options.models.split(',').map((m) => m.trim()).filter(Boolean) } : {}),
            ...(seeds !== undefined ? { seeds } : {}),
            reruns,
            faults,
            baseline: { path, data },
            ...(dataset !== 'synthetic' ? { dataDir: dataDirectory(options.data, dataset) } : {}),
            outDir,
            backend,
            log: (line) => process.stderr.write(`${line}\n`),
            onProgress: (unit, e) => process.stderr.write(progressLines(unit.id, e)),
            shouldStop: () => stop,
        });
        const table = calibrationTable(rows);
        writeFileAtomically(join(outDir, 'calibration.md'), table);
        writeFileAtomically(join(outDir, 'calibration.json'), `${JSON.stringify(rows, null, 1)}\n`);
        process.stdout.write(table);
        return stop ? 130 : 0;
    }
    finally {
        process.off('SIGINT', onSignal).off('SIGTERM', onSignal);
    }
}
//# sourceMappingURL=suite.js.map