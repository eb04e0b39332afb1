/**
 * The static report site: an index of runs (newest first) and a page per
 * suite run, with the comparison tables, the paper's error curves (Fig. 4/6),
 * Fig. 7 where measured, throughput, history trends and the environment.
 * Charts are pre-rendered SVG: pages work offline, from file:// or any static
 * host, without JavaScript. Every table and curve has a CSV next to it.
 */
import { ensureDir, writeFileAtomically } from '../runners/files.js';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { Suite } from '../suites/define.js';
import { type Baseline, metricValue } from '../runners/compare/baseline.js';
import type { Comparison, ComparisonRow } from '../runners/compare/compare.js';
import { summarize } from '../runners/compare/stats.js';
import { describeCpu } from '../runners/machine.js';
import type { ResultSet } from '../runners/suite/results.js';
import { curvePoints, errorCurvesSpec, responsePoints, responsesSpec, trendSpec } from './charts.js';
import { html, type Markup, trusted } from './html.js';
import { formatDelta, formatDetectable, formatPaper, formatSummary, verdictLabel } from './reporter.js';
import { renderSvg } from './svg.js';

export interface SiteInput {
  readonly results: ResultSet;
  readonly suite: Suite;
  readonly comparison: Comparison;
  readonly baseline: Baseline | undefined;
}

export interface SitePage {
  readonly file: string;
  readonly input: SiteInput;
}

const STYLE = `
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1100px;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1rem}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}
th{background:#f4f4f4}td.num{text-align:right;font-variant-numeric:tabular-nums}
.banner{padding:.75rem 1rem;border-radius:6px;font-weight:600;margin:1rem 0}
.pass{background:#e3f6e3;color:#1a5e1a}.fail{background:#fde2e2;color:#8a1414}.incomplete,.inconclusive{background:#fff4d6;color:#7a5a00}
.v-regression,.v-broken,.v-diverged,.v-fail,.v-fails{color:#a40000;font-weight:600}.v-pass,.v-holds{color:#1a6e1a}.v-inconclusive{color:#8a5a00;font-weight:600}
figure{margin:1rem 0}figcaption{font-size:.9em;color:#555}.csv{font-size:.85em}code{background:#f4f4f4;padding:0 .2em}
`;

/** A file-name-safe slug of text from results. */
export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 120) || 'run';
}

function page(title: string, body: Markup): string {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><style>${trusted(STYLE)}</style></head>
<body>${body}</body></html>
`.value;
}

/** Writes a CSV beside the page and returns a link to it. */
function csvLink(dir: string, folder: string, name: string, rows: Record<string, unknown>[]): Markup {
  writeFileAtomically(join(dir, folder, name), stringify(rows, { header: true }));
  return html`<a class="csv" href="${`${folder}/${name}`}" download>CSV</a>`;
}

function comparisonRows(rows: readonly ComparisonRow[]): Record<string, unknown>[] {
  return rows.map((r) => ({
    model: r.model,
    metric: r.metric,
    oursMean: r.ours?.mean,
    oursStd: r.ours?.std,
    oursN: r.ours?.n,
    baselineMean: r.baseline?.mean,
    baselineStd: r.baseline?.std,
    baselineN: r.baseline?.n,
    paper: r.paper?.value,
    paperTable: r.paper?.table,
    paperRow: r.paper?.row,
    delta: r.delta,
    detectable: r.test?.detectable,
    tolerance: r.test?.tolerance,
    verdict: r.verdict,
    why: r.why,
  }));
}

function comparisonTable(rows: readonly ComparisonRow[]): Markup {
  return html`<table><thead><tr><th>model</th><th>metric</th><th>ours</th><th>baseline</th><th>paper</th><th>Δ</th><th>detectable</th><th>verdict</th></tr></thead><tbody>
${rows.map(
  (r) =>
    html`<tr><td>${r.model}</td><td>${r.metric}</td><td class="num">${formatSummary(r.metric, r.ours)}</td><td class="num">${formatSummary(r.metric, r.baseline)}</td><td class="num">${formatPaper(r.metric, r.paper)}</td><td class="num">${formatDelta(r.metric, r.delta)}</td><td class="num">${formatDetectable(r)}</td><td class="${`v-${r.verdict}`}" title="${r.why}">${verdictLabel(r)}</td></tr>\n`,
)}</tbody></table>`;
}

/** One table per paper table the rows refer to, then the metrics the paper does not print. */
function groupByPaperTable(rows: readonly ComparisonRow[]): { title: string; rows: ComparisonRow[] }[] {
  const groups = new Map<string, ComparisonRow[]>();
  for (const r of rows) {
    const key = r.paper ? `Table ${r.paper.table}` : 'Other metrics (not in the paper)';
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups].sort(([a], [b]) => (a.startsWith('Other') ? 1 : b.startsWith('Other') ? -1 : a.localeCompare(b))).map(([title, list]) => ({ title, rows: list }));
}

function environment(results: ResultSet): Markup {
  const record = results.runs[0]?.record;
  const git = record?.git;
  const seeds = [...new Set(results.expectedUnits.map((u) => u.seed))];
  const items: [string, unknown][] = [
    ['suite', `${results.suite.name} v${results.suite.version}`],
    ['preset', results.preset],
    ['backend', results.backend.name],
    ['versions', Object.entries(results.backend.versions).map(([k, v]) => `${k} ${v}`).join(', ')],
    ['device', results.backend.gpuModel ?? describeCpu(results.backend)],
    ...(results.fault ? ([['calibration fault', results.fault]] as [string, unknown][]) : []),
    ['commit', git ? `${git.commit}${git.dirty ? ' (uncommitted changes)' : ''}` : 'unknown'],
    ['seeds', seeds.join(', ')],
    ['shards', `${results.shards.included.join(', ')} of ${results.shards.count}`],
    ['created', results.createdAt],
    ['wall time', `${results.wallSeconds.toFixed(0)} s`],
    ['settings', JSON.stringify(results.settings)],
  ];
  return html`<table>${items.map(([k, v]) => html`<tr><th>${k}</th><td><code>${v}</code></td></tr>`)}</table>`;
}

function throughputRows(results: ResultSet): Record<string, unknown>[] {
  const models = [...new Set(results.runs.map((r) => r.unit.paperModel))];
  return models.map((model) => {
    const runs = results.runs.filter((r) => r.unit.paperModel === model);
    const ips = runs.map((r) => metricValue(r, 'imagesPerSecond')).filter((v): v is number => v !== undefined);
    const s = ips.length > 0 ? summarize(ips) : undefined;
    return {
      model,
      imagesPerSecond: s?.mean,
      std: s?.std,
      n: s?.n,
      pipelineImagesPerSecond: runs[0]?.record.pipelineImagesPerSecond,
      inputWaitSeconds: runs.reduce((t, r) => t + r.record.inputWaitSeconds, 0),
    };
  });
}

/** Trend charts: one per model for the suite's first metric, across the history of this suite × preset × backend. */
async function historySection(dir: string, folder: string, input: SiteInput, history: readonly SiteInput[]): Promise<Markup> {
  if (history.length < 2 || input.suite.kind !== 'training') return html`<p>History appears once there are two or more results of this suite, preset and backend.</p>`;
  const metric = input.suite.metrics[0]!;
  const models = [...new Set(history.flatMap((h) => h.results.runs.map((r) => r.unit.paperModel)))];
  const charts: Markup[] = [];
  const csv: Record<string, unknown>[] = [];
  for (const model of models) {
    const points = history
      .map((h) => {
        const values = h.results.runs.filter((r) => r.unit.paperModel === model).map((r) => metricValue(r, metric)).filter((v): v is number => v !== undefined);
        return values.length > 0 ? { createdAt: h.results.createdAt, value: summarize(values).mean } : undefined;
      })
      .filter((p): p is { createdAt: string; value: number } => p !== undefined);
    csv.push(...points.map((p) => ({ model, metric, ...p })));
    const band = input.baseline?.metrics[model]?.[metric];
    charts.push(html`<figure>${trusted(await renderSvg(trendSpec(points, band, `${model} ${metric}`, /Error$/.test(metric))))}</figure>`);
  }
  return html`${charts}<p>Shaded: the baseline's mean ± 2σ over seeds. ${csvLink(dir, folder, 'history.csv', csv)}</p>`;
}

async function suitePage(dir: string, file: string, input: SiteInput, history: readonly SiteInput[]): Promise<void> {
  const { results, comparison, suite } = input;
  const folder = file.replace(/\.html$/, '');
  ensureDir(join(dir, folder));
  const sections: Markup[] = [];
  for (const [i, group] of groupByPaperTable(comparison.rows).entries()) {
    sections.push(html`<h3>${group.title}</h3>${comparisonTable(group.rows)}${csvLink(dir, folder, `table-${i + 1}.csv`, comparisonRows(group.rows))}`);
  }
  if (comparison.claims.length > 0) {
    const claimRows = comparison.claims.map((c) => ({ claim: c.text, verdict: c.verdict, gated: c.gated, evidence: c.why }));
    sections.push(
      html`<h3>Claims</h3><table><thead><tr><th>claim</th><th>verdict</th><th>evidence</th></tr></thead><tbody>${comparison.claims.map(
        (c) => html`<tr><td>${c.text}${c.gated ? '' : ' (not gated at this preset)'}</td><td class="${`v-${c.verdict}`}">${c.verdict}</td><td>${c.why}</td></tr>`,
      )}</tbody></table>${csvLink(dir, folder, 'claims.csv', claimRows)}`,
    );
  }
  if (suite.kind === 'training') {
    const points = curvePoints(results);
    const curves = await renderSvg(errorCurvesSpec(points, `${suite.title}: error curves (${suite.paper})`));
    sections.push(html`<h2>Error curves</h2><figure>${trusted(curves)}<figcaption>Thin dashed: training error (running); bold: test error. Mean over seeds. ${csvLink(dir, folder, 'curves.csv', points as unknown as Record<string, unknown>[])}</figcaption></figure>`);
    const responses = responsePoints(results);
    if (responses.length > 0) {
      sections.push(html`<h2>Layer responses (Fig. 7)</h2><figure>${trusted(await renderSvg(responsesSpec(responses)))}<figcaption>Std of each 3×3 layer's output after BN, before ReLU and addition. ${csvLink(dir, folder, 'responses.csv', responses as unknown as Record<string, unknown>[])}</figcaption></figure>`);
    }
    const throughput = throughputRows(results);
    sections.push(
      html`<h2>Throughput</h2><table><thead><tr><th>model</th><th>training images/s</th><th>pipeline images/s (alone)</th><th>input wait (s)</th></tr></thead><tbody>${throughput.map(
        (t) => html`<tr><td>${t.model}</td><td class="num">${formatSummary('imagesPerSecond', t.imagesPerSecond === undefined ? undefined : { mean: t.imagesPerSecond as number, std: t.std as number, n: t.n as number })}</td><td class="num">${(t.pipelineImagesPerSecond as number | undefined)?.toFixed(0)}</td><td class="num">${(t.inputWaitSeconds as number).toFixed(1)}</td></tr>`,
      )}</tbody></table>${csvLink(dir, folder, 'throughput.csv', throughput)}`,
    );
    sections.push(html`<h2>History</h2>${await historySection(dir, folder, input, history)}`);
  }
  const verdictText = {
    pass: 'PASS: every gated shift is bounded below its tolerance, or replays the baseline',
    fail: 'FAIL: regression, run at chance, diverged run or failed claim',
    incomplete: 'INCOMPLETE: not gated (see below)',
    inconclusive: 'INCONCLUSIVE: these seeds cannot rule out a regression of the tolerance',
  }[comparison.verdict];
  const body = html`<p><a href="index.html">← all runs</a></p>
<h1>${suite.title}</h1><p>${suite.paper} · preset <code>${results.preset}</code> · backend <code>${results.backend.name}</code></p>
<div class="${`banner ${comparison.verdict}`}" id="verdict">${verdictText}</div>
${comparison.problems.length > 0 ? html`<ul>${comparison.problems.map((p) => html`<li>${p}</li>`)}</ul>` : ''}
<h2>Comparison</h2><p>Baseline: ${comparison.baseline ? html`<code>${comparison.baseline.path}</code> (recorded ${comparison.baseline.recordedAt})` : 'none'}. Paper numbers are the paper's, compared against, never ours.</p>
${sections}
<h2>Environment</h2>${environment(results)}`;
  writeFileAtomically(join(dir, file), page(`${suite.name} ${results.preset} ${results.createdAt}`, body));
}

/** Writes the site; returns the pages, newest first. */
export async function writeSite(outDir: string, inputs: readonly SiteInput[]): Promise<SitePage[]> {
  ensureDir(outDir);
  const sorted = [...inputs].sort((a, b) => b.results.createdAt.localeCompare(a.results.createdAt));
  const pages: SitePage[] = [];
  const used = new Set<string>();
  for (const input of sorted) {
    const r = input.results;
    let file = `${slug(`${r.suite.name}-${r.preset}-${r.backend.name}-${r.createdAt}`)}.html`;
    for (let i = 2; used.has(file); i++) file = file.replace(/(-\d+)?\.html$/, `-${i}.html`);
    used.add(file);
    const history = sorted
      .filter((h) => h.results.suite.name === r.suite.name && h.results.preset === r.preset && h.results.backend.name === r.backend.name)
      .reverse();
    await suitePage(outDir, file, input, history);
    pages.push({ file, input });
  }
  const rows = pages.map(
    (p) =>
      html`<tr><td>${p.input.results.createdAt}</td><td><a href="${p.file}">${p.input.results.suite.name}</a></td><td>${p.input.results.preset}</td><td>${p.input.results.backend.name}</td><td class="${`v-${p.input.comparison.verdict}`}">${p.input.comparison.verdict}</td></tr>`,
  );
  writeFileAtomically(
    join(outDir, 'index.html'),
    page(
      'resnet-repro runs',
      html`<h1>resnet-repro runs</h1><p>He et al., Deep Residual Learning for Image Recognition (CVPR 2016): our results against recorded baselines and the paper. Newest first.</p>
<table><thead><tr><th>created</th><th>suite</th><th>preset</th><th>backend</th><th>verdict</th></tr></thead><tbody>${rows}</tbody></table>`,
    ),
  );
  return pages;
}
