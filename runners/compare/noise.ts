/**
 * The noise curve (what a nightly's design rests on): for result sets of one model trained to
 * different lengths, the seed-to-seed spread of the final test and training error, of a
 * time-to-target metric, and the wall time of one run. Pure functions of the run records.
 */
import type { ResultSet, UnitResult } from '../suite/results.js';
import { metricValue } from './baseline.js';
import { type Summary, summarize } from './stats.js';

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
  readonly wallSeconds: Summary;
  readonly timeToTarget: TimeToTarget;
}

/** The first evaluated iteration at which a run's test error is below `target`, or undefined. */
export function firstBelow(run: UnitResult, target: number): number | undefined {
  return run.record.curves.test.find((p) => p.testError < target)?.iteration;
}

/** One point of the curve per model in a result set: its completed runs' spread. */
export function noisePoints(results: ResultSet, target: number): NoisePoint[] {
  const completed = results.runs.filter((r) => r.record.status === 'completed');
  const models = [...new Set(completed.map((r) => r.unit.paperModel))];
  return models.map((model) => {
    const runs = completed.filter((r) => r.unit.paperModel === model);
    const reached = runs.map((r) => firstBelow(r, target)).filter((i): i is number => i !== undefined);
    return {
      model,
      iterations: runs[0]!.record.config.iterations,
      evalEvery: runs[0]!.record.config.evalEvery,
      seeds: runs.map((r) => r.unit.seed),
      testError: summarize(runs.map((r) => metricValue(r, 'testError')!)),
      trainError: summarize(runs.map((r) => metricValue(r, 'trainError')!)),
      wallSeconds: summarize(runs.map((r) => r.record.wallSeconds)),
      timeToTarget: { target, iterations: reached.length > 0 ? summarize(reached) : undefined, reached: reached.length, runs: runs.length },
    };
  });
}
