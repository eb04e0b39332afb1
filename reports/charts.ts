/**
 * Chart builders: pure functions from results to vega-lite specs, testable
 * as data. Rendering (SVG in Node) is separate, in svg.ts.
 */
import { mean } from 'simple-statistics';
import type { TopLevelSpec } from 'vega-lite';
import type { ResultSet } from '../runners/suite/results.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export interface CurvePoint {
  readonly model: string;
  readonly iteration: number;
  /** "training" (running, thin dashed) or "test" (bold), as the paper's Fig. 4 and 6. */
  readonly kind: 'training' | 'test';
  /** Error in percent, mean over seeds. */
  readonly error: number;
  readonly seeds: number;
}

/** Curve points per paper model, averaged over seeds at each iteration. */
export function curvePoints(results: ResultSet): CurvePoint[] {
  const groups = new Map<string, number[]>();
  for (const run of results.runs) {
    const model = run.unit.paperModel;
    for (const p of run.record.curves.train) push(groups, `${model}\u0000training\u0000${p.iteration}`, p.trainError);
    for (const p of run.record.curves.test) push(groups, `${model}\u0000test\u0000${p.iteration}`, p.testError);
  }
  return [...groups].map(([key, values]) => {
    const [model, kind, iteration] = key.split('\u0000') as [string, 'training' | 'test', string];
    return { model, kind, iteration: Number(iteration), error: 100 * mean(values), seeds: values.length };
  });
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Fig. 4 / Fig. 6: training error thin and dashed, test error bold, one colour per model, iterations on x. */
export function errorCurvesSpec(points: readonly CurvePoint[], title: string): TopLevelSpec {
  return {
    $schema: SCHEMA,
    title,
    width: 560,
    height: 320,
    data: { values: points as unknown as Record<string, unknown>[] },
    // Points too: a short run may have a single evaluation, which a line alone would not show.
    mark: { type: 'line', interpolate: 'linear', point: { filled: true, size: 18 } },
    encoding: {
      x: { field: 'iteration', type: 'quantitative', title: 'iterations' },
      y: { field: 'error', type: 'quantitative', title: 'error (%)', scale: { zero: true } },
      color: { field: 'model', type: 'nominal', title: 'model' },
      strokeDash: { field: 'kind', type: 'nominal', title: 'curve', scale: { domain: ['training', 'test'], range: [[4, 3], [1, 0]] } },
      strokeWidth: { field: 'kind', type: 'ordinal', sort: ['training', 'test'], legend: null, scale: { domain: ['training', 'test'], range: [1, 2.5] } },
      detail: { field: 'kind', type: 'nominal' },
      tooltip: [{ field: 'model' }, { field: 'kind' }, { field: 'iteration', type: 'quantitative' }, { field: 'error', type: 'quantitative', format: '.2f' }],
    },
  };
}

export interface ResponsePoint {
  readonly model: string;
  /** Layer position in depth order, and rank when sorted by std (descending). */
  readonly layer: number;
  readonly rank: number;
  readonly std: number;
}

/** Fig. 7's data: per model, the mean over seeds of each 3×3 layer's response std. */
export function responsePoints(results: ResultSet): ResponsePoint[] {
  const byModel = new Map<string, number[][]>();
  for (const run of results.runs) {
    if (!run.responses) continue;
    const list = byModel.get(run.unit.paperModel) ?? [];
    list.push(run.responses.map((r) => r.std));
    byModel.set(run.unit.paperModel, list);
  }
  return [...byModel].flatMap(([model, seeds]) => {
    const means = seeds[0]!.map((_, i) => seeds.reduce((s, run) => s + (run[i] ?? 0), 0) / seeds.length);
    const ranks = [...means.keys()].sort((a, b) => means[b]! - means[a]!);
    return means.map((std, i) => ({ model, layer: i + 1, rank: ranks.indexOf(i) + 1, std }));
  });
}

/** Fig. 7: std of the responses in layer order (top) and sorted in descending order (bottom). */
export function responsesSpec(points: readonly ResponsePoint[]): TopLevelSpec {
  const panel = (field: 'layer' | 'rank', title: string) => ({
    width: 560,
    height: 200,
    title,
    mark: { type: 'line' as const, point: true },
    encoding: {
      x: { field, type: 'quantitative' as const, title: field === 'layer' ? 'layer index (original)' : 'layer index (sorted by magnitude)' },
      y: { field: 'std', type: 'quantitative' as const, title: 'std' },
      color: { field: 'model', type: 'nominal' as const },
    },
  });
  return {
    $schema: SCHEMA,
    data: { values: points as unknown as Record<string, unknown>[] },
    vconcat: [panel('layer', 'Layer responses (Fig. 7, top)'), panel('rank', 'Sorted (Fig. 7, bottom)')],
  };
}

export interface TrendPoint {
  readonly createdAt: string;
  readonly value: number;
}

/** History: one metric across nightly results, with the baseline's band (mean ± 2σ) and mean. */
export function trendSpec(points: readonly TrendPoint[], baseline: { mean: number; std: number } | undefined, title: string, percent: boolean): TopLevelSpec {
  const scale = percent ? 100 : 1;
  const values = points.map((p) => ({ date: p.createdAt, value: p.value * scale }));
  const layers: NonNullable<Extract<TopLevelSpec, { layer: unknown }>['layer']> = [];
  if (baseline) {
    const band = { low: (baseline.mean - 2 * baseline.std) * scale, high: (baseline.mean + 2 * baseline.std) * scale, mean: baseline.mean * scale };
    layers.push(
      { data: { values: [band] }, mark: { type: 'rect', opacity: 0.15, color: '#4c78a8' }, encoding: { y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } },
      { data: { values: [band] }, mark: { type: 'rule', strokeDash: [4, 3], color: '#4c78a8' }, encoding: { y: { field: 'mean', type: 'quantitative' } } },
    );
  }
  layers.push({
    data: { values },
    mark: { type: 'line', point: true, color: '#e45756' },
    encoding: {
      x: { field: 'date', type: 'temporal', title: 'run' },
      y: { field: 'value', type: 'quantitative', title: percent ? `${title} (%)` : title, scale: { zero: false } },
      tooltip: [{ field: 'date', type: 'temporal' }, { field: 'value', type: 'quantitative', format: '.3f' }],
    },
  });
  return { $schema: SCHEMA, title, width: 360, height: 160, layer: layers };
}
