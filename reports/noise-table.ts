/** The noise curve as a table, one row per length: the same cells in the console (`resnet-repro noise`) and on the site (`noise.html`). */
import type { NoiseRow } from '../runners/compare/noise.js';
import { formatDuration, formatSummary } from './reporter.js';

export function noiseHeader(target: number, detect: number): string[] {
  return ['model', 'iterations', 'seeds', 'test error', 'training error', 'generalisation gap', `first test error < ${Number((target * 100).toPrecision(4))} %`, 'one run: fastest (mean)', `seeds a side for ${(detect * 100).toFixed(1)} pts`, 'our CPU time for it'];
}

export function noiseCells(r: NoiseRow): string[] {
  return [
    r.model,
    r.iterations.toLocaleString('en-US'),
    String(r.seeds.length),
    formatSummary('testError', r.testError),
    formatSummary('trainError', r.trainError),
    formatSummary('generalizationGap', r.generalizationGap),
    r.timeToTarget.iterations ? `${formatSummary('iterations', r.timeToTarget.iterations)} (${r.timeToTarget.reached}/${r.timeToTarget.runs} reached; every ${r.evalEvery})` : `not reached (0/${r.timeToTarget.runs})`,
    `${formatDuration(r.fastestSeconds)} (mean ${formatDuration(r.wallSeconds.mean)})`,
    r.seedsToDetect === null ? '–' : String(r.seedsToDetect),
    r.cpuSecondsToDetect === null ? '–' : formatDuration(r.cpuSecondsToDetect),
  ];
}
