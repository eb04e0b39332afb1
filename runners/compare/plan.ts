/**
 * Power planning: what each gated row of a preset can detect, given the
 * seed-to-seed noise its recorded baseline measured; how many seeds would
 * detect a chosen effect; and how long each CI shard takes. It asks the gate's
 * own rule (stats.ts through compare.ts), assuming our seeds are as noisy as
 * the baseline's: the detectable effect of a comparison does not depend on the
 * values, only on σ and the counts.
 */
import { METRICS, type TrainingMetric, type TrainingSuite } from '../../suites/define.js';
import { type PresetName, RECIPE } from '../records/recipe.js';
import { describeDifferences, differences } from '../records/differences.js';
import { shortCpu } from '../records/identity.js';
import { expandUnits, presetOf, resolveRecipe, shardUnits } from '../suite/units.js';
import type { Baseline } from '../records/baseline.js';
import { GATE_ALPHA, GATE_POWER, gateRule, gatesErrorMetric, shiftTest } from './compare.js';

/** Beyond this many seeds a side, planning stops: the answer is "not with seeds". */
export const MAX_PLANNED_SEEDS = 10_000;

export interface PlanRow {
  readonly model: string;
  readonly metric: TrainingMetric;
  /** The baseline's seed-to-seed standard deviation (a fraction for errors, images/s for throughput). */
  readonly sigma: number;
  /** Our seeds at this preset, and the baseline's. */
  readonly seeds: number;
  readonly baselineSeeds: number;
  /** The smallest harmful shift these counts detect with the gate's power at the row's α. */
  readonly detectable: number;
  /** In the metric's unit (a fraction of the baseline mean for throughput). */
  readonly tolerance: number;
  /** The effect planned for: `--detect` for error rows, else the tolerance. */
  readonly target: number;
  /** Seeds a side (ours and a re-recorded baseline alike) that detect the target; null beyond MAX_PLANNED_SEEDS. */
  readonly seedsFor: number | null;
  /** Our seeds that detect the target against the baseline as recorded; null when no number of ours can (the baseline's own noise is too large). */
  readonly seedsAgainstBaseline: number | null;
}

export interface Plan {
  readonly suite: string;
  readonly preset: PresetName;
  /** Where the baseline's noise and durations were measured. */
  readonly machine: string;
  readonly rowAlpha: number;
  readonly power: number;
  readonly rows: readonly PlanRow[];
  readonly shards: number;
  /** The longest shard's expected wall time, from the baseline's run durations; null when it kept none. */
  readonly wallSecondsPerShard: number | null;
  /** How one run's seconds were obtained, per model: recorded wall times, or training images over recorded images/s (evaluations excluded). */
  readonly runSeconds: Readonly<Record<string, { readonly seconds: number; readonly from: 'wall times' | 'images/s' }>>;
  /** Where the baseline's recipe is not the preset's: `compare` refuses it, and its wall times price another recipe. Null when they agree. */
  readonly recipeDiffers: string | null;
}

export function planPreset(suite: TrainingSuite, presetName: PresetName, baseline: Baseline, detect?: number): Plan {
  const preset = presetOf(suite, presetName);
  const settings = resolveRecipe(suite, presetName, {});
  const models = [...settings.models];
  // Rows as on the baseline's own machine: elsewhere throughput drops out and each error row gets a larger share of α.
  const gated = suite.metrics.filter((m) => gatesErrorMetric(preset, m) && (m !== 'imagesPerSecond' || preset.gateThroughput));
  const cells = models.flatMap((model) => gated.flatMap((metric) => (baseline.metrics[model]?.[metric] ? [{ model, metric, base: baseline.metrics[model]![metric]! }] : [])));
  const rowAlpha = GATE_ALPHA / Math.max(1, cells.length);
  const rows = cells.map(({ model, metric, base }): PlanRow => {
    const rule = gateRule(preset, metric, rowAlpha);
    const detectableWith = (ours: number, theirs: number) =>
      shiftTest({ mean: base.mean, std: base.std, n: ours }, { mean: base.mean, std: base.std, n: theirs }, METRICS[metric].worse, rule).detectable;
    const tolerance = rule.relative ? rule.tolerance * Math.abs(base.mean) : rule.tolerance;
    const target = METRICS[metric].kind === 'error' && detect !== undefined ? detect : tolerance;
    return {
      model,
      metric,
      sigma: base.std,
      seeds: settings.seeds,
      baselineSeeds: base.n,
      detectable: detectableWith(settings.seeds, base.n),
      tolerance,
      target,
      seedsFor: fewestSeeds((n) => detectableWith(n, n) <= target),
      seedsAgainstBaseline: fewestSeeds((n) => detectableWith(n, base.n) <= target),
    };
  });
  const runSeconds: Record<string, Plan['runSeconds'][string]> = {};
  for (const model of models) {
    const wall = baseline.durations?.[model];
    const rate = baseline.metrics[model]?.imagesPerSecond;
    if (wall) runSeconds[model] = { seconds: wall.mean, from: 'wall times' };
    else if (rate) runSeconds[model] = { seconds: (settings.iterations * settings.batchSize) / rate.mean, from: 'images/s' };
  }
  const shards = preset.shards ?? 1;
  const units = expandUnits(settings);
  const timed = units.every((u) => runSeconds[u.paperModel] !== undefined);
  const cost = (u: (typeof units)[number]) => runSeconds[u.paperModel]?.seconds ?? 0;
  const wallSecondsPerShard = timed
    ? Math.max(...Array.from({ length: shards }, (_, i) => shardUnits(units, cost, i + 1, shards).reduce((sum, u) => sum + cost(u), 0)))
    : null;
  const recipe = differences(baseline.settings, settings, RECIPE);
  const recipeDiffers = recipe.length > 0 ? describeDifferences(recipe, 'in the baseline', 'in the preset') : null;
  return { suite: suite.name, preset: presetName, machine: `${baseline.backend.name} on ${shortCpu(baseline.backend)}`, rowAlpha, power: GATE_POWER, rows, shards, wallSecondsPerShard, runSeconds, recipeDiffers };
}

/** Seeds a side that detect `target` (an error shift, as a fraction) at σ, α and the gate's power; null beyond MAX_PLANNED_SEEDS. */
export function seedsToDetect(sigma: number, target: number, alpha: number): number | null {
  const rule = { tolerance: target, relative: false, alpha, power: GATE_POWER };
  return fewestSeeds((n) => shiftTest({ mean: 0, std: sigma, n }, { mean: 0, std: sigma, n }, 'higher', rule).detectable <= target);
}

/** The smallest n ≥ 2 for which `enough(n)` holds (detectable effects shrink as n grows), by bisection; null beyond the cap. */
function fewestSeeds(enough: (n: number) => boolean): number | null {
  if (!enough(MAX_PLANNED_SEEDS)) return null;
  let low = 1;
  let high = MAX_PLANNED_SEEDS;
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (enough(mid)) high = mid;
    else low = mid;
  }
  return Math.max(2, high);
}
