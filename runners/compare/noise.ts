/**
 * The noise curve (what a nightly's design rests on): for result sets of one model trained to
 * different lengths, the seed-to-seed spread of the final test and training error and of their gap, of a
 * time-to-target metric, and the wall time of one run. Pure functions of the run records.
 */
import type { ResultSet, UnitResult } from '../records/results.js';
import { metricValue } from './baseline.js';
import { RECIPE } from '../records/recipe.js';
import { type Summary, summarize } from '../records/summary.js';
import { GATE_ALPHA } from './compare.js';
import { seedsToDetect } from './plan.js';

export interface TimeToTarget {
  /** The test error to fall below (a fraction). */
  readonly target: number;
  /** The first evaluated iteration below it, over the runs that got there. */
  readonly iterations: Summary | undefined;
  /** Runs that got there, of all completed runs: a run that never does is censored, not averaged in. */
  readonly reached: number;
  readonly runs: number;
}

export interface NoisePoint {
  readonly model: string;
  readonly iterations: number;
  /** Iterations between evaluations: time-to-target is resolved to this. */
  readonly evalEvery: number;
  readonly seeds: readonly number[];
  readonly testError: Summary;
  readonly trainError: Summary;
  /** Test error minus the last rate phase's training error (METRICS.generalizationGap). */
  readonly generalizationGap: Summary;
  readonly wallSeconds: Summary;
  /**
   * The fastest run's wall time: the cost of one run on this machine with the least else running
   * (runs that shared the CPU took up to three times longer). What a length's seeds are costed at.
   */
  readonly fastestSeconds: number;
  readonly timeToTarget: TimeToTarget;
}

/** The first evaluated iteration at which a run's test error is below `target`, or undefined. */
export function firstBelow(run: UnitResult, target: number): number | undefined {
  return run.record.curves.test.find((p) => p.testError < target)?.iteration;
}

/**
 * One point of the curve per model and recipe: the spread of its completed
 * runs. Result sets of one recipe (e.g. two runs with other --first-seed) pool
 * into one point; a seed found twice counts once.
 */
export function noisePoints(sets: readonly ResultSet[], target: number): NoisePoint[] {
  const groups = new Map<string, UnitResult[]>();
  for (const results of sets) {
    const recipe = JSON.stringify(RECIPE.map((a) => a.read(results.settings)));
    for (const run of results.runs.filter((r) => r.record.status === 'completed')) {
      const key = JSON.stringify([run.unit.paperModel, recipe]);
      const group = groups.get(key) ?? [];
      if (!group.some((r) => r.unit.seed === run.unit.seed)) group.push(run);
      groups.set(key, group);
    }
  }
  return [...groups.values()].map((runs) => {
    const model = runs[0]!.unit.paperModel;
    const reached = runs.map((r) => firstBelow(r, target)).filter((i): i is number => i !== undefined);
    return {
      model,
      iterations: runs[0]!.record.config.iterations,
      evalEvery: runs[0]!.record.config.evalEvery,
      seeds: runs.map((r) => r.unit.seed),
      testError: summarize(runs.map((r) => metricValue(r, 'testError')!)),
      trainError: summarize(runs.map((r) => metricValue(r, 'trainError')!)),
      generalizationGap: summarize(runs.map((r) => metricValue(r, 'generalizationGap')!)),
      wallSeconds: summarize(runs.map((r) => r.record.wallSeconds)),
      fastestSeconds: Math.min(...runs.map((r) => r.record.wallSeconds)),
      timeToTarget: { target, iterations: reached.length > 0 ? summarize(reached) : undefined, reached: reached.length, runs: runs.length },
    };
  });
}

/** When none is asked: the time-to-target level, and the test-error shift a design is sized for (fractions). */
export const NOISE_DEFAULTS = { target: 0.5, detect: 0.01 } as const;

export interface NoiseRow extends NoisePoint {
  /** The test-error shift the design is sized for (a fraction). */
  readonly detect: number;
  /** Seeds a side that detect it (one gated row, α 0.05, power 0.8), and the CPU time of ours at the fastest run's wall time. */
  readonly seedsToDetect: number | null;
  readonly cpuSecondsToDetect: number | null;
}

/** The noise curve, shortest length first per model, with what each length costs to detect `detect`. */
export function noiseRows(points: readonly NoisePoint[], detect: number): NoiseRow[] {
  return [...points]
    .sort((a, b) => a.model.localeCompare(b.model) || a.iterations - b.iterations)
    .map((point) => {
      const seeds = point.testError.n >= 2 ? seedsToDetect(point.testError.std, detect, GATE_ALPHA) : null;
      return { ...point, detect, seedsToDetect: seeds, cpuSecondsToDetect: seeds === null ? null : seeds * point.fastestSeconds };
    });
}
