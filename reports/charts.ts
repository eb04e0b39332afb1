/**
 * Chart builders: pure functions from results to vega-lite specs, testable
 * as data. Rendering (SVG in Node) is separate, in svg.ts.
 */
import { mean } from 'simple-statistics';
import type { TopLevelSpec } from 'vega-lite';
import type { ResultSet } from '../runners/records/results.js';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

export interface CurvePoint {
  readonly model: string;
  readonly iteration: number;
  /** "training" (running, thin dashed) or "test" (bold), as the paper's Fig. 4 and 6. */
  readonly kind: 'training' | 'test';
  /** Error in percent: the mean over seeds, and the lowest and highest seed. */
  readonly error: number;
  readonly low: number;
  readonly high: number;
  readonly seeds: number;
}

/** Curve points per paper model, over seeds at each iteration. */
export function curvePoints(results: ResultSet): CurvePoint[] {
  const groups = new Map<string, number[]>();
  for (const run of results.runs) {
    const model = run.unit.paperModel;
    for (const p of run.record.curves.train) push(groups, `${model}\u0000training\u0000${p.iteration}`, p.trainError);
    for (const p of run.record.curves.test) push(groups, `${model}\u0000test\u0000${p.iteration}`, p.testError);
  }
  return [...groups].map(([key, values]) => {
    const [model, kind, iteration] = key.split('\u0000') as [string, 'training' | 'test', string];
    return { model, kind, iteration: Number(iteration), error: 100 * mean(values), low: 100 * Math.min(...values), high: 100 * Math.max(...values), seeds: values.length };
  });
}

/** Iterations at which a model's learning rate fell (the schedule's drops, as the runs logged them). */
export function rateDrops(results: ResultSet): { model: string; iteration: number }[] {
  const drops = new Map<string, { model: string; iteration: number }>();
  for (const run of results.runs) {
    const points = run.record.curves.train;
    for (let i = 1; i < points.length; i++) {
      if (points[i]!.learningRate < points[i - 1]!.learningRate) {
        const model = run.unit.paperModel;
        // A drop happens between two logged points: the earlier one bounds it.
        drops.set(`${model}/${points[i - 1]!.iteration}`, { model, iteration: points[i - 1]!.iteration });
      }
    }
  }
  return [...drops.values()];
}

function push(map: Map<string, number[]>, key: string, value: number): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The curve key, in legend order: line style and colour by kind. A legend lists only the kinds its chart draws. */
const KINDS = {
  training: { dash: [4, 3], colour: '#7f7f7f' },
  test: { dash: [1, 0], colour: '#1f77b4' },
  "paper's final test error": { dash: [2, 2], colour: '#d62728' },
  'reference implementation, test': { dash: [6, 2], colour: '#ff7f0e' },
  "baseline's test error": { dash: [3, 2], colour: '#2ca02c' },
} as const;
type Kind = keyof typeof KINDS;

/** A reference implementation's test-error curve (percent), drawn in the same panel as ours. */
export interface ReferencePoint {
  readonly model: string;
  readonly iteration: number;
  readonly error: number;
  readonly framework: string;
}

/** The recorded baseline's test error at an evaluation (percent): its seeds' mean and range. */
export interface BaselinePoint {
  readonly model: string;
  readonly iteration: number;
  readonly error: number;
  readonly low: number;
  readonly high: number;
}

/** What an error-curve chart draws besides our curves; each is optional. */
export interface CurveOverlays {
  /** The paper's final test error, a level per model. */
  readonly paper?: readonly { model: string; error: number }[];
  /** Learning-rate drops, a rule per model. */
  readonly drops?: readonly { model: string; iteration: number }[];
  readonly reference?: readonly ReferencePoint[];
  readonly baseline?: readonly BaselinePoint[];
}

/**
 * Fig. 4 / Fig. 6 as small multiples, one panel per model: training error
 * thin and dashed, test error bold with the seeds' range shaded, the paper's
 * final test error as a dotted level, the learning-rate drops as rules, and
 * the recorded baseline's test error (mean, its seeds' range) to compare by eye.
 */
export function errorCurvesSpec(points: readonly CurvePoint[], title: string, overlays: CurveOverlays = {}): TopLevelSpec {
  const { paper = [], drops = [], reference = [], baseline = [] } = overlays;
  const PAPER: Kind = "paper's final test error";
  const REFERENCE: Kind = 'reference implementation, test';
  const BASELINE: Kind = "baseline's test error";
  const rows = [
    ...points.map((p) => ({ type: 'curve', ...p })),
    ...paper.map((p) => ({ type: 'paper', kind: PAPER, ...p })),
    ...drops.map((d) => ({ type: 'drop', ...d })),
    ...reference.map((r) => ({ type: 'reference', kind: REFERENCE, ...r })),
    ...baseline.map((b) => ({ type: 'baseline', kind: BASELINE, ...b })),
  ];
  const present = (Object.keys(KINDS) as Kind[]).filter(
    (k) => k === 'training' || k === 'test' || (k === PAPER && paper.length > 0) || (k === REFERENCE && reference.length > 0) || (k === BASELINE && baseline.length > 0),
  );
  const kind = {
    color: { field: 'kind', type: 'nominal' as const, title: 'curve', scale: { domain: present, range: present.map((k) => KINDS[k].colour) }, legend: { labelLimit: 280 } },
    strokeDash: { field: 'kind', type: 'nominal' as const, title: 'curve', scale: { domain: present, range: present.map((k) => KINDS[k].dash) } },
  };
  const models = new Set(points.map((p) => p.model)).size;
  const x = { field: 'iteration', type: 'quantitative' as const, title: 'iteration (mini-batches)' };
  const y = { field: 'error', type: 'quantitative' as const, title: 'error (%)', scale: { zero: true } };
  return {
    $schema: SCHEMA,
    title,
    data: { values: rows as unknown as Record<string, unknown>[] },
    // A page is ~1,000 px wide: one model gets a wide panel, more share the width, three per row.
    columns: Math.min(3, Math.max(1, models)),
    facet: { field: 'model', type: 'nominal', title: null },
    spec: {
      width: models <= 1 ? 760 : models === 2 ? 440 : 300,
      height: models <= 1 ? 280 : 190,
      layer: [
        { transform: [{ filter: "datum.type === 'drop'" }], mark: { type: 'rule', color: '#bbb' }, encoding: { x } },
        { name: 'baseline_range', transform: [{ filter: "datum.type === 'baseline'" }], mark: { type: 'area', opacity: 0.15, color: KINDS[BASELINE].colour }, encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } },
        { transform: [{ filter: "datum.type === 'curve' && datum.kind === 'test'" }], mark: { type: 'area', opacity: 0.18, color: KINDS.test.colour }, encoding: { x, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } },
        {
          transform: [{ filter: "datum.type === 'curve'" }],
          // Points too: a run with one evaluation still shows its test error.
          mark: { type: 'line', interpolate: 'linear', point: { filled: true, size: 16 } },
          encoding: {
            x,
            y,
            ...kind,
            strokeWidth: { field: 'kind', type: 'ordinal', sort: ['training', 'test'], legend: null, scale: { domain: ['training', 'test'], range: [1, 2.5] } },
            tooltip: [{ field: 'model' }, { field: 'kind' }, { field: 'iteration', type: 'quantitative' }, { field: 'error', type: 'quantitative', format: '.2f', title: 'mean error (%)' }, { field: 'seeds', type: 'quantitative' }],
          },
        },
        {
          name: 'baseline_curve',
          transform: [{ filter: "datum.type === 'baseline'" }],
          mark: { type: 'line', interpolate: 'linear', strokeWidth: 1.5 },
          encoding: { x, y, ...kind, tooltip: [{ field: 'model' }, { field: 'iteration', type: 'quantitative' }, { field: 'error', type: 'quantitative', format: '.2f', title: "baseline's mean test error (%)" }] },
        },
        {
          name: 'reference_curve',
          transform: [{ filter: "datum.type === 'reference'" }],
          mark: { type: 'line', interpolate: 'linear', strokeWidth: 1.5 },
          encoding: { x, y, ...kind, tooltip: [{ field: 'model' }, { field: 'framework' }, { field: 'iteration', type: 'quantitative' }, { field: 'error', type: 'quantitative', format: '.2f', title: 'reference test error (%)' }] },
        },
        { name: 'paper_level', transform: [{ filter: "datum.type === 'paper'" }], mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { y, ...kind, tooltip: [{ field: 'model' }, { field: 'error', type: 'quantitative', title: "paper's test error (%)" }] } },
      ],
    },
  } as TopLevelSpec;
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
  /** Short commit, when the results recorded one. */
  readonly commit?: string;
  readonly value: number;
  /** The gate's verdict on this row then: regressions are marked. */
  readonly verdict?: string;
}

/** How the gate's verdict on a history point is drawn: failures red, undecided amber, the rest grey. */
const TREND_VERDICTS = {
  domain: ['passed or not gated', 'inconclusive', 'failed'],
  range: ['#555', '#d08c00', '#d62728'],
};
const verdictClass = (verdict: string | undefined) =>
  ['regression', 'broken', 'diverged'].includes(verdict ?? '') ? 'failed' : verdict === 'inconclusive' ? 'inconclusive' : 'passed or not gated';

/** The x label of a history point: its date and short commit. */
export const trendLabel = (p: TrendPoint) => `${p.createdAt.slice(0, 10)} ${p.commit ?? ''}`.trim();

/**
 * History: one metric across results, coloured by the gate's verdict then, against the
 * baseline's band (mean ± 2σ over its seeds) and mean. Points outside the band are ringed.
 * A baseline whose seeds agree exactly (σ 0) has no band to draw: only its mean, and the title says so.
 */
export function trendSpec(points: readonly TrendPoint[], baseline: { mean: number; std: number; n: number } | undefined, title: string, percent: boolean): TopLevelSpec {
  const scale = percent ? 100 : 1;
  const banded = baseline !== undefined && baseline.std > 0;
  const outside = (v: number) => banded && Math.abs(v - baseline.mean) > 2 * baseline.std;
  // Dates alone can repeat (two runs a day): the label is made unique, in time order.
  const values = points.map((p, i) => ({
    label: `${trendLabel(p)}${points.slice(0, i).some((q) => trendLabel(q) === trendLabel(p)) ? ` #${i + 1}` : ''}`,
    value: p.value * scale,
    verdict: verdictClass(p.verdict),
    outside: outside(p.value),
  }));
  const x = { field: 'label', type: 'ordinal' as const, title: 'run (date, commit)', sort: null, axis: { labelAngle: -40 } };
  const y = { field: 'value', type: 'quantitative' as const, title: percent ? `${title} (%)` : title, scale: { zero: false } };
  const layers: NonNullable<Extract<TopLevelSpec, { layer: unknown }>['layer']> = [];
  if (baseline) {
    const band = { low: (baseline.mean - 2 * baseline.std) * scale, high: (baseline.mean + 2 * baseline.std) * scale, mean: baseline.mean * scale };
    if (banded) layers.push({ name: 'baseline_band', data: { values: [band] }, mark: { type: 'rect', opacity: 0.15, color: '#4c78a8' }, encoding: { y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } });
    layers.push({ data: { values: [band] }, mark: { type: 'rule', strokeDash: [4, 3], color: '#4c78a8' }, encoding: { y: { field: 'mean', type: 'quantitative' } } });
  }
  layers.push({
    name: 'runs',
    data: { values },
    mark: { type: 'line', point: { filled: true, size: 40 }, color: '#555' },
    encoding: {
      x,
      y,
      color: { field: 'verdict', type: 'nominal', title: 'gate', scale: TREND_VERDICTS },
      tooltip: [{ field: 'label', title: 'run' }, { field: 'value', type: 'quantitative', format: '.3f' }, { field: 'verdict', title: 'gate' }, { field: 'outside', title: "outside the baseline's ±2σ" }],
    },
  });
  if (values.some((v) => v.outside)) {
    layers.push({ name: 'outside_band', data: { values: values.filter((v) => v.outside) }, mark: { type: 'point', shape: 'circle', size: 220, filled: false, strokeWidth: 2, color: '#d62728' }, encoding: { x, y } });
  }
  const note = !baseline ? '' : banded ? ` (baseline n=${baseline.n})` : ` (baseline σ 0 over n=${baseline.n}: no band)`;
  return { $schema: SCHEMA, title: `${title}${note}`, width: 300, height: 170, layer: layers };
}

/** A trend small enough for a table cell: no axes, the last point marked. */
export function sparklineSpec(values: readonly number[]): TopLevelSpec {
  const data = values.map((value, i) => ({ i, value, last: i === values.length - 1 }));
  return {
    $schema: SCHEMA,
    width: 110,
    height: 26,
    padding: 2,
    config: { view: { stroke: null } },
    data: { values: data },
    layer: [
      { mark: { type: 'line', color: '#1f77b4' }, encoding: { x: { field: 'i', type: 'quantitative', axis: null }, y: { field: 'value', type: 'quantitative', axis: null, scale: { zero: false } } } },
      { transform: [{ filter: 'datum.last' }], mark: { type: 'point', filled: true, color: '#1f77b4', size: 20 }, encoding: { x: { field: 'i', type: 'quantitative', axis: null }, y: { field: 'value', type: 'quantitative', axis: null, scale: { zero: false } } } },
    ],
  };
}

/** One length of the noise curve: σ over seeds against what one run costs. */
export interface NoiseChartPoint {
  readonly model: string;
  readonly iterations: number;
  readonly seeds: number;
  /** σ over seeds, in points of error. */
  readonly sigma: number;
  readonly metric: 'test error' | 'training error' | 'generalisation gap';
  /** Wall minutes of one run on the machine that measured it. */
  readonly minutes: number;
}

/**
 * The noise curve: seed-to-seed σ of final test and training error and of their gap against
 * the CPU minutes one run costs, one point per length (labelled with its
 * iterations). Longer runs cost more each but may need far fewer seeds.
 */
export function noiseSpec(points: readonly NoiseChartPoint[], title: string): TopLevelSpec {
  const values = points.map((p) => ({ ...p, label: `${p.iterations.toLocaleString('en-US')} it.` }));
  const x = { field: 'minutes', type: 'quantitative' as const, title: 'one run (CPU minutes, this machine)', scale: { type: 'log' as const } };
  const y = { field: 'sigma', type: 'quantitative' as const, title: 'σ over seeds (points of error)', scale: { zero: true } };
  const color = { field: 'metric', type: 'nominal' as const, title: null, scale: { domain: ['test error', 'training error', 'generalisation gap'], range: ['#1f77b4', '#999', '#ff7f0e'] } };
  return {
    $schema: SCHEMA,
    title,
    width: 420,
    height: 220,
    data: { values },
    layer: [
      { mark: { type: 'line', point: { filled: true, size: 50 } }, encoding: { x, y, color, detail: { field: 'model' }, tooltip: [{ field: 'model' }, { field: 'label', title: 'length' }, { field: 'seeds' }, { field: 'sigma', title: 'σ (pts)', format: '.2f' }, { field: 'minutes', format: '.1f' }] } },
      { transform: [{ filter: "datum.metric === 'test error'" }], mark: { type: 'text', dy: -10, fontSize: 10 }, encoding: { x, y, text: { field: 'label' } } },
    ],
  };
}
