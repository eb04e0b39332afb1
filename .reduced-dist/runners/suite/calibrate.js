/**
 * The gate's sensitivity, measured: clean reruns (new seeds, the same code)
 * and runs with each planted fault, all compared with one baseline as a
 * nightly would be. A fault the gate catches fails its comparison; a clean
 * rerun that fails is a false alarm. Each run trains into its own folder
 * under the output, so an interrupted calibration continues where it stopped.
 */
import { join } from 'node:path';
import { compare } from '../compare/compare.js';
import { runSuite } from './run.js';
export async function calibrate(options) {
    const { suite, preset, baseline } = options;
    const settings = baseline.data.settings;
    const seeds = options.seeds ?? settings.seeds ?? 1;
    const models = options.models ?? settings.models;
    const recorded = Object.values(baseline.data.metrics).flatMap((m) => Object.values(m).flatMap((s) => s.values?.map((v) => v.seed) ?? []));
    const firstFree = Math.max(seeds, (settings.firstSeed ?? 1) + (settings.seeds ?? 1) - 1, ...recorded) + 1;
    const plan = [
        ...Array.from({ length: options.reruns }, (_, k) => ({ name: `clean rerun ${k + 1}`, fault: null, firstSeed: firstFree + k * seeds })),
        ...options.faults.map((fault) => ({ name: fault, fault, firstSeed: 1 })),
    ];
    const rows = [];
    for (const step of plan) {
        if (options.shouldStop?.())
            break;
        options.log?.(`calibration: ${step.name} (seeds ${step.firstSeed}…${step.firstSeed + seeds - 1})`);
        const results = await runSuite({
            suite,
            preset,
            overrides: { ...(models ? { models } : {}), ...(settings.iterations ? { iterations: settings.iterations } : {}), seeds, firstSeed: step.firstSeed },
            ...(options.dataDir ? { dataDir: options.dataDir } : {}),
            shard: { index: 1, count: 1 },
            outDir: join(options.outDir, step.fault ?? `clean-${step.firstSeed}`),
            backend: options.backend,
            ...(step.fault ? { fault: step.fault } : {}),
            ...(options.log ? { log: options.log } : {}),
            ...(options.onProgress ? { onProgress: options.onProgress } : {}),
            ...(options.shouldStop ? { shouldStop: options.shouldStop } : {}),
        });
        if (results.runs.some((r) => r.record.status === 'interrupted'))
            break;
        rows.push(calibrationRow(step.name, step.fault, results, compare(results, suite, baseline)));
    }
    return rows;
}
function calibrationRow(name, fault, results, c) {
    const shifts = c.rows.filter((r) => r.metric === 'testError' && r.delta !== undefined).map((r) => r.delta);
    return {
        name,
        fault,
        seeds: [...new Set(results.expectedUnits.map((u) => u.seed))],
        verdict: c.verdict,
        caughtBy: [
            ...c.rows.filter((r) => r.verdict === 'regression' || r.verdict === 'broken' || r.verdict === 'diverged').map((r) => `${r.model} ${r.metric} (${r.verdict})`),
            ...c.claims.filter((k) => k.gated && k.verdict === 'fails').map((k) => `claim ${k.id}`),
        ],
        inconclusiveRows: c.rows.filter((r) => r.verdict === 'inconclusive').length,
        worstTestErrorShift: shifts.length > 0 ? Math.max(...shifts) : undefined,
        wallSeconds: results.wallSeconds,
    };
}
/** The calibration as a Markdown table, for the README and CI summaries. */
export function calibrationTable(rows) {
    const lines = ['| run | seeds | verdict | caught by | inconclusive rows | worst test-error shift | wall |', '|---|---|---|---|---|---|---|'];
    for (const r of rows) {
        const outcome = r.fault ? (r.verdict === 'fail' ? 'caught' : r.verdict === 'pass' ? 'MISSED (passed)' : `not caught (${r.verdict})`) : r.verdict === 'fail' ? 'FALSE ALARM' : r.verdict;
        const shift = r.worstTestErrorShift === undefined ? '–' : `${r.worstTestErrorShift >= 0 ? '+' : '−'}${(Math.abs(r.worstTestErrorShift) * 100).toFixed(1)} pts`;
        lines.push(`| ${r.name} | ${r.seeds.join(', ')} | ${outcome} | ${r.caughtBy.join('; ') || '–'} | ${r.inconclusiveRows} | ${shift} | ${r.wallSeconds.toFixed(0)} s |`);
    }
    const clean = rows.filter((r) => !r.fault);
    const faults = rows.filter((r) => r.fault);
    lines.push('', `faults caught: ${faults.filter((r) => r.verdict === 'fail').length} of ${faults.length}; faults that passed: ${faults.filter((r) => r.verdict === 'pass').length}; ` +
        `false alarms: ${clean.filter((r) => r.verdict === 'fail').length} of ${clean.length} clean reruns`);
    return `${lines.join('\n')}\n`;
}
//# sourceMappingURL=calibrate.js.map