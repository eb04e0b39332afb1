/**
 * A suite run's overall progress: each unit weighs its expected cost
 * (multiply-adds × iterations, as the shards are balanced), and the ETA
 * extrapolates the pace of the training this process did: completed runs
 * that were reused took no time and do not count towards it.
 */
import type { ProgressEvent } from '../train/train.js';
import type { RunUnit } from './units.js';

export interface SuiteProgress {
  /** Share of the shard's cost done, 0…1. */
  readonly fraction: number;
  readonly elapsedSeconds: number;
  readonly etaSeconds: number | undefined;
}

export class SuiteProgressTracker {
  private readonly total: number;
  private done = 0;
  private trainedHere = 0;
  private readonly finished = new Set<string>();
  private readonly last = new Map<string, ProgressEvent>();
  private readonly started = performance.now();

  constructor(private readonly costs: ReadonlyMap<string, number>) {
    this.total = [...costs.values()].reduce((a, b) => a + b, 0);
  }

  /** Where the suite stands at this event of one unit. */
  update(unit: RunUnit, e: ProgressEvent): SuiteProgress {
    this.last.set(unit.id, e);
    const cost = this.costs.get(unit.id) ?? 0;
    const before = (cost * e.startIteration) / e.iterations;
    const here = (cost * (e.iteration - e.startIteration)) / e.iterations;
    const elapsedSeconds = (performance.now() - this.started) / 1000;
    const fraction = this.total > 0 ? (this.done + before + here) / this.total : 1;
    const pace = (this.trainedHere + here) / elapsedSeconds;
    const left = this.total - this.done - before - here;
    return { fraction, elapsedSeconds, etaSeconds: pace > 0 ? left / pace : undefined };
  }

  /**
   * A unit finished (trained, reused or stopped): its whole cost is done. Runs found complete
   * are finished before the first step, wherever they stand in the order, so that the ETA does
   * not count them as work left; finishing a unit again changes nothing.
   */
  finish(unit: RunUnit): void {
    if (this.finished.has(unit.id)) return;
    this.finished.add(unit.id);
    const cost = this.costs.get(unit.id) ?? 0;
    const e = this.last.get(unit.id);
    this.done += cost;
    if (e) this.trainedHere += (cost * (e.iterations - e.startIteration)) / e.iterations;
  }
}
