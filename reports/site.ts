/**
 * The static report site: an index of runs (newest first) and a page per
 * suite run, with the comparison tables, the paper's error curves (Fig. 4/6),
 * Fig. 7 where measured, throughput, history trends and the environment.
 * Charts are pre-rendered SVG: pages work offline, from file:// or any static
 * host, without JavaScript. Every table and curve has a CSV next to it.
 */
import { ensureDir, writeFileAtomically } from '../runners/files.js';
import { basename, join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { isErrorMetric, type Suite } from '../suites/define.js';
import { type Baseline } from '../runners/records/baseline.js';
import { metricValue } from '../runners/compare/baseline.js';
import type { Comparison, ComparisonRow } from '../runners/compare/compare.js';
import type { NoiseRow } from '../runners/compare/noise.js';
import type { Reference } from '../runners/compare/reference.js';
import { summarize } from '../runners/records/summary.js';
import { describeCpu, shortCpu } from '../runners/records/identity.js';
import { commitOf, type ResultSet } from '../runners/records/results.js';
import { isRecipe } from '../runners/records/recipe.js';
import { SUITES } from '../suites/index.js';
import { paperValue } from '../runners/paper.js';
import { type BaselinePoint, curvePoints, errorCurvesSpec, type NoiseChartPoint, noiseSpec, type ReferencePoint, rateDrops, responsePoints, responsesSpec, sparklineSpec, type TrendPoint, trendSpec } from './charts.js';
import { html, type Markup, trusted } from './html.js';
import { noiseCells, noiseHeader } from './noise-table.js';
import { formatDelta, formatDetectable, formatDuration, formatPaper, formatSummary, formatValue, verdictLabel } from './reporter.js';
import { renderSvg } from './svg.js';

export interface SiteInput {
  readonly results: ResultSet;
  readonly suite: Suite;
  readonly comparison: Comparison;
  readonly baseline: Baseline | undefined;
  /** Runs of the same recipe by an independent implementation, shown beside ours (never gated). */
  readonly references?: readonly Reference[];
}

export interface SitePage {
  readonly file: string;
  readonly input: SiteInput;
}

const STYLE = `
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:1180px;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:.5rem 0 1rem;max-width:100%}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.num{text-align:right;font-variant-numeric:tabular-nums}td code{overflow-wrap:anywhere}
.banner{padding:.75rem 1rem;border-radius:6px;font-weight:600;margin:1rem 0}
.pass{background:#e3f6e3;color:#1a5e1a}.fail{background:#fde2e2;color:#8a1414}.incomplete,.inconclusive{background:#fff4d6;color:#7a5a00}
.v-regression,.v-broken,.v-diverged,.v-fail,.v-fails{color:#a40000;font-weight:600}.v-pass,.v-holds{color:#1a6e1a}.v-inconclusive,.v-incomplete{color:#8a5a00;font-weight:600}.v-none,.v-not-bounded,.v-not-gated{color:#888}td[class^="v-"] a{color:inherit}
figure{margin:1rem 0;max-width:100%;overflow:hidden}figure svg{max-width:100%;height:auto}figcaption{font-size:.9em;color:#555}.csv{font-size:.85em}code{background:#f4f4f4;padding:0 .2em}
.nowrap{white-space:nowrap}.charts{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem}.charts figure{margin:.25rem 0}.muted{color:#666;font-size:.9em}
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
  // A row without a printed number joins the table that prints its metric for other models (Fig. 6's plain nets beside Table 6's ResNets).
  const tableOfMetric = new Map(rows.filter((r) => r.paper).map((r) => [r.metric, `Table ${r.paper!.table}`]));
  const groups = new Map<string, ComparisonRow[]>();
  for (const r of rows) {
    const key = r.paper ? `Table ${r.paper.table}` : (tableOfMetric.get(r.metric) ?? 'Other metrics (not in the paper)');
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups].sort(([a], [b]) => (a.startsWith('Other') ? 1 : b.startsWith('Other') ? -1 : a.localeCompare(b))).map(([title, list]) => ({ title, rows: list }));
}

/** A baseline's path as a published page names it: from the repository's baselines/ folder, else only its file name. */
export function publishedPath(path: string): string {
  const at = path.lastIndexOf('baselines/');
  return at >= 0 ? path.slice(at) : basename(path);
}

function shortCommit(results: ResultSet): string {
  const git = commitOf(results);
  return git ? `${git.commit.slice(0, 7)}${git.dirty ? '+' : ''}` : 'not recorded';
}

/** The machine in a few words ("Intel Xeon, 2 cores, AVX-512"); the environment section lists every extension. */
function deviceOf(results: ResultSet): string {
  return results.backend.gpuModel ?? shortCpu(results.backend);
}

/** Which copy of the data the runs read (run records' digests): two copies of CIFAR-10 train to different errors. */
function dataCopies(results: ResultSet): string {
  const digests = [...new Set(results.runs.map((r) => r.record.dataset.digest))];
  const name = (d: string | null | undefined) => (d === undefined ? 'not recorded (runs from before digests)' : d === null ? 'not hashed (generated or streamed)' : d);
  return `${results.runs[0]!.record.dataset.name}: ${digests.map(name).join('; ')}`;
}

function environment(results: ResultSet): Markup {
  const git = commitOf(results);
  const seeds = [...new Set(results.expectedUnits.map((u) => u.seed))];
  const items: [string, unknown][] = [
    ['suite', `${results.suite.name} v${results.suite.version}`],
    ['preset', results.preset],
    ['backend', results.backend.name],
    ['versions', Object.entries(results.backend.versions).map(([k, v]) => `${k} ${v}`).join(', ')],
    ['device', results.backend.gpuModel ?? describeCpu(results.backend)],
    ...(results.runs.length > 0 ? ([['data read', dataCopies(results)]] as [string, unknown][]) : []),
    ...(results.fault ? ([['calibration fault', results.fault]] as [string, unknown][]) : []),
    ['commit', git ? `${git.commit}${git.dirty ? ' (with uncommitted changes)' : ''}` : 'not recorded with these results'],
    ...(seeds.length > 0 ? ([['seeds', seeds.join(', ')]] as [string, unknown][]) : []),
    ['shards', `${results.shards.included.join(', ')} of ${results.shards.count}`],
    ['created', results.createdAt],
    ['wall time', formatDuration(results.wallSeconds)],
  ];
  const settings = Object.entries(results.settings).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)] as const);
  return html`<div class="charts"><table>${items.map(([k, v]) => html`<tr><th>${k}</th><td><code>${v}</code></td></tr>`)}</table>
<table><thead><tr><th colspan="2">settings</th></tr></thead>${settings.map(([k, v]) => html`<tr><th>${k}</th><td><code>${v}</code></td></tr>`)}</table></div>`;
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

/** The gate's verdict on one model × metric of a comparison. */
const rowVerdict = (input: SiteInput, model: string, metric: string) => input.comparison.rows.find((r) => r.model === model && r.metric === metric)?.verdict;

/** Trend charts side by side: one per model for the suite's first metric, across the history of this suite × preset × backend. */
async function historySection(dir: string, folder: string, input: SiteInput, history: readonly SiteInput[]): Promise<Markup> {
  if (history.length < 2 || input.suite.kind !== 'training') return html`<p>History appears once there are two or more results of this suite, preset and backend (keep them with <code>run --history DIR</code>, draw them with <code>report --history DIR</code>).</p>`;
  const metric = input.suite.metrics[0]!;
  const models = [...new Set(history.flatMap((h) => h.results.runs.map((r) => r.unit.paperModel)))];
  const charts: Markup[] = [];
  const csv: Record<string, unknown>[] = [];
  for (const model of models) {
    const points = history
      .map((h): TrendPoint | undefined => {
        const values = h.results.runs.filter((r) => r.unit.paperModel === model).map((r) => metricValue(r, metric)).filter((v): v is number => v !== undefined);
        const git = commitOf(h.results);
        const verdict = rowVerdict(h, model, metric);
        return values.length > 0 ? { createdAt: h.results.createdAt, ...(git ? { commit: git.commit.slice(0, 7) } : {}), value: summarize(values).mean, ...(verdict ? { verdict } : {}) } : undefined;
      })
      .filter((p): p is TrendPoint => p !== undefined);
    csv.push(...points.map((p) => ({ model, metric, ...p })));
    const band = input.baseline?.metrics[model]?.[metric];
    charts.push(html`<figure>${trusted(await renderSvg(trendSpec(points, band, `${model} ${metric}`, isErrorMetric(metric))))}</figure>`);
  }
  return html`<div class="charts">${charts}</div><p class="muted">Shaded: the baseline's mean ± 2σ over its seeds (not drawn when they agree exactly); dashed: its mean. Points coloured by the gate's verdict on that run (red failed, amber inconclusive); ringed red: outside the baseline's ±2σ. ${csvLink(dir, folder, 'history.csv', csv)}</p>`;
}

/** What the banner says: what was checked, against what. */
function verdictText(input: SiteInput): string {
  const { comparison, suite } = input;
  if (suite.kind === 'architecture') {
    return {
      pass: `PASS: every depth, parameter count and FLOP count matches the paper (${suite.paper})`,
      fail: `FAIL: a count differs from the paper (${suite.paper})`,
      incomplete: 'INCOMPLETE: models are missing (see below)',
      inconclusive: 'INCONCLUSIVE',
    }[comparison.verdict];
  }
  return {
    pass: 'PASS: every gated shift is bounded below its tolerance, or replays the baseline',
    fail: 'FAIL: regression, run at chance, diverged run or failed claim',
    incomplete: comparison.baseline ? 'INCOMPLETE: not gated (see below)' : 'INCOMPLETE: no recorded baseline for this suite, preset and backend, so nothing was gated',
    inconclusive: 'INCONCLUSIVE: these seeds cannot rule out a regression of the tolerance',
  }[comparison.verdict];
}

async function suitePage(dir: string, file: string, input: SiteInput, history: readonly SiteInput[]): Promise<void> {
  const { results, comparison, suite } = input;
  const folder = file.replace(/\.html$/, '');
  ensureDir(join(dir, folder));
  const sections: Markup[] = [];
  for (const [i, group] of groupByPaperTable(comparison.rows).entries()) {
    const unprinted = group.title.startsWith('Table') && group.rows.some((r) => !r.paper);
    sections.push(
      html`<h3>${group.title}</h3>${comparisonTable(group.rows)}${unprinted ? html`<p class="muted">An empty paper cell: the paper prints no number for that model (Fig. 4 and Fig. 6 plot the plain nets).</p>` : ''}${csvLink(dir, folder, `table-${i + 1}.csv`, comparisonRows(group.rows))}`,
    );
  }
  const references = input.references ?? [];
  if (references.length > 0) sections.push(referenceSection(dir, folder, input, references));
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
    const models = [...new Set(points.map((p) => p.model))];
    const paper = models.flatMap((model) => {
      const entry = paperValue(model, 'testError');
      return entry ? [{ model, error: entry.value * 100, table: entry.table }] : [];
    });
    const referenceCurves = references.flatMap((r): ReferencePoint[] => r.run.curves.test.map((p) => ({ model: r.run.model, iteration: p.iteration, error: 100 * p.testError, framework: r.run.framework })));
    const drops = rateDrops(results);
    const baselineCurves = models.flatMap((model): BaselinePoint[] => (input.baseline?.curves[model] ?? []).map((c) => ({ model, iteration: c.iteration, error: 100 * c.mean, low: 100 * c.min, high: 100 * c.max })));
    const curves = await renderSvg(errorCurvesSpec(points, `${suite.title}: error curves (${suite.paper})`, { paper, drops, reference: referenceCurves, baseline: baselineCurves }));
    const iterations = isRecipe(results.settings) ? results.settings.iterations : undefined;
    const dropsAt = [...new Set(drops.map((d) => d.iteration))].sort((a, b) => a - b);
    const paperNote =
      paper.length > 0
        ? html` Dotted red: the paper's final test error (Table ${[...new Set(paper.map((p) => p.table))].join(', ')}), reached with the paper's full schedule${iterations ? html`; this preset trains ${iterations.toLocaleString('en-US')} iterations${dropsAt.length > 0 ? `, the rate divided by 10 after iterations ${dropsAt.map((d) => d.toLocaleString('en-US')).join(' and ')}` : ''}` : ''}.`
        : '';
    sections.push(
      html`<h2>Error curves</h2><figure>${trusted(curves)}<figcaption>Dashed grey: training error (running, over each log window); solid blue: test error, the mean over seeds, shaded from the lowest to the highest seed.${paperNote}${referenceCurves.length > 0 ? ' Orange: the reference implementation\'s test error, same recipe.' : ''}${baselineCurves.length > 0 ? ` Green: the recorded baseline's test error (its ${input.baseline!.metrics[models[0]!]?.testError?.n ?? ''} seeds' mean, shaded from the lowest to the highest).` : ''} Grey rules: the learning rate divided by 10. ${csvLink(dir, folder, 'curves.csv', points as unknown as Record<string, unknown>[])}</figcaption></figure>`,
    );
    const responses = responsePoints(results);
    if (responses.length > 0) {
      sections.push(html`<h2>Layer responses (Fig. 7)</h2><figure>${trusted(await renderSvg(responsesSpec(responses)))}<figcaption>Std of each 3×3 layer's output after BN, before ReLU and addition. ${csvLink(dir, folder, 'responses.csv', responses as unknown as Record<string, unknown>[])}</figcaption></figure>`);
    }
    const throughput = throughputRows(results);
    sections.push(
      html`<h2>Throughput</h2><table><thead><tr><th>model</th><th>training images/s</th><th>pipeline images/s (alone)</th><th>input wait (s)</th><th>gate</th></tr></thead><tbody>${throughput.map((t) => {
        const row = comparison.rows.find((r) => r.model === t.model && r.metric === 'imagesPerSecond');
        return html`<tr><td>${t.model}</td><td class="num">${formatSummary('imagesPerSecond', t.imagesPerSecond === undefined ? undefined : { mean: t.imagesPerSecond as number, std: t.std as number, n: t.n as number })}</td><td class="num">${(t.pipelineImagesPerSecond as number | undefined)?.toFixed(0)}</td><td class="num">${(t.inputWaitSeconds as number).toFixed(1)}</td><td class="${`v-${row?.verdict ?? 'none'}`}">${row ? html`${row.verdict}: ${row.why}` : '–'}</td></tr>`;
      })}</tbody></table>${csvLink(dir, folder, 'throughput.csv', throughput)}`,
    );
    sections.push(html`<h2>History</h2>${await historySection(dir, folder, input, history)}`);
  }
  const baselineNote =
    suite.kind === 'architecture'
      ? html`Baseline: the paper itself: counts from the built graphs are exact and compared with ${suite.paper} as printed.`
      : comparison.baseline
        ? html`Baseline: <code>${publishedPath(comparison.baseline.path)}</code> (recorded ${comparison.baseline.recordedAt}). Paper numbers are the paper's, compared against, never ours.`
        : html`Baseline: none recorded for this suite, preset and backend. Paper numbers are the paper's, shown beside ours, never ours.`;
  const body = html`<p><a href="index.html">← scoreboard</a></p>
<h1>${suite.title}</h1><p>${suite.paper} · preset <code>${results.preset}</code> · backend <code>${results.backend.name}</code> · ${deviceOf(results)} · commit <code>${shortCommit(results)}</code></p>
<div class="${`banner ${comparison.verdict}`}" id="verdict">${verdictText(input)}</div>
${comparison.problems.length > 0 ? html`<ul>${comparison.problems.map((p) => html`<li>${p}</li>`)}</ul>` : ''}
<h2>Comparison</h2><p>${baselineNote}</p>
${sections}
<h2>Environment</h2>${environment(results)}`;
  writeFileAtomically(join(dir, file), page(`${suite.name} ${results.preset} ${results.createdAt}`, body));
}

/**
 * Ours beside an independent implementation of the same recipe, and the
 * paper: the reference shows how far the recipe itself gets, so the gap to
 * the paper is the schedule's and the gap to the reference is ours.
 */
function referenceSection(dir: string, folder: string, input: SiteInput, references: readonly Reference[]): Markup {
  // Our test error and the paper's are the comparison's own row for the model: summarised once, by the gate.
  const entries = references.map(({ path, run }) => {
    const row = input.comparison.rows.find((r) => r.model === run.model && r.metric === 'testError');
    const ours = row?.ours;
    return { run, ours, paper: row?.paper, difference: ours === undefined ? undefined : ours.mean - run.testError, file: path.slice(path.indexOf('baselines/')) };
  });
  const csvRows = entries.map(({ run, ours, paper, difference, file }) => ({
    model: run.model,
    oursTestError: ours?.mean,
    oursSeeds: ours?.n,
    reference: run.framework,
    referenceSeed: run.seed,
    referenceTestError: run.testError,
    difference,
    paperTestError: paper?.value,
    paperTable: paper?.table,
    file,
    command: run.command,
  }));
  return html`<h3>Reference implementation, same recipe</h3>
<table id="reference"><thead><tr><th>model</th><th>ours: test error</th><th>reference</th><th>reference: test error</th><th>ours − reference</th><th>paper (full schedule)</th></tr></thead><tbody>${entries.map(
    ({ run, ours, paper, difference, file }) =>
      html`<tr><td>${run.model}</td><td class="num">${formatSummary('testError', ours)}</td><td>${run.framework}, seed ${String(run.seed)}<br><span class="muted"><code>${file}</code></span></td><td class="num">${formatValue('testError', run.testError)}</td><td class="num">${formatDelta('testError', difference)}</td><td class="num">${formatPaper('testError', paper)}</td></tr>`,
  )}</tbody></table>
<p class="muted">Trained by <code>scripts/train_pytorch.py</code> (PyTorch, written independently of this project) with this preset's recipe; not gated: it shows what the recipe itself reaches, so the gap to the paper is the schedule's. ${csvLink(dir, folder, 'reference.csv', csvRows)}</p>`;
}

/** The headline of a comparison: the first model of the suite with both our number and the paper's. */
function headline(input: SiteInput): { text: string; value?: number } {
  const { comparison, suite } = input;
  if (suite.kind === 'architecture') {
    const passed = comparison.rows.filter((r) => r.verdict === 'pass').length;
    return { text: `${passed} of ${comparison.rows.length} counts match`, value: passed };
  }
  if (suite.layerResponses) {
    // Fig. 7 is about responses, not errors: its headline is its first claim that was evaluated.
    const claim = comparison.claims[0];
    const std = (model: string) => comparison.rows.find((r) => r.model === model && r.metric === 'meanResponseStd')?.ours?.mean;
    return claim ? { text: `${claim.text}: ${claim.verdict}`, ...(std('resnet20') !== undefined ? { value: std('resnet20')! } : {}) } : { text: '–' };
  }
  const order = (m: string) => (suite.models.indexOf(m) + 1 || 1e9);
  // The suite's first error metric the paper prints (ImageNet's tables print 10-crop errors).
  const metric = suite.metrics.find((m) => isErrorMetric(m) && comparison.rows.some((r) => r.metric === m && r.paper && r.ours)) ?? 'testError';
  const row = comparison.rows.filter((r) => r.metric === metric && r.paper && r.ours).sort((a, b) => order(a.model) - order(b.model))[0];
  if (!row) return { text: '–' };
  // Only the paper's own recipe makes a number comparable with the paper's: say what the others are.
  const settings = input.results.settings;
  const caveat = input.results.preset === 'full' || !isRecipe(settings) ? '' : ` (${input.results.preset}: ${settings.iterations.toLocaleString('en-US')} iterations${settings.width ? `, width ${settings.width}` : ''}; not the paper's recipe)`;
  const label = row.metric === 'testError' ? 'test error' : row.metric === 'top1Error10Crop' ? 'top-1 error (10-crop)' : row.metric;
  return { text: `${row.model} ${label} ${formatValue(row.metric, row.ours!.mean)}${caveat} · paper ${formatPaper(row.metric, row.paper)}`, value: row.ours!.mean };
}

/** The least sensitive gated row: what this comparison as a whole could detect; where conformance decides, what it compared. */
function worstDetectable(input: SiteInput): string {
  const c = input.comparison;
  if (c.decidedBy === 'conformance' && c.conformance) {
    return c.conformance.status === 'pass' ? `conformance: ${c.conformance.tensors.toLocaleString('en-US')} tensors within tolerance` : `conformance: ${c.conformance.status}`;
  }
  const gated = input.comparison.rows.filter((r) => r.test && isErrorMetric(r.metric));
  const worst = gated.sort((a, b) => b.test!.detectable - a.test!.detectable)[0];
  return worst ? `${formatDetectable(worst)} ${worst.model}` : '–';
}

/** The index: a scoreboard of the paper (one row per suite, per preset and backend it ran on), then every run's provenance. */
async function indexPage(pages: readonly SitePage[], noise?: string): Promise<string> {
  const key = (p: SitePage) => `${p.input.results.suite.name}/${p.input.results.preset}/${p.input.results.backend.name}`;
  const rows: Markup[] = [];
  for (const suite of SUITES) {
    const mine = pages.filter((p) => p.input.suite.name === suite.name);
    const groups = [...new Set(mine.map(key))].sort();
    if (groups.length === 0) {
      rows.push(html`<tr><td>${suite.paper}</td><td>${suite.title}<br><code>${suite.name}</code></td><td colspan="6" class="v-none">not run yet</td></tr>`);
      continue;
    }
    for (const [i, group] of groups.entries()) {
      const runs = mine.filter((p) => key(p) === group); // newest first
      const latest = runs[0]!;
      const trendValues = [...runs].reverse().map((p) => headline(p.input).value).filter((v): v is number => v !== undefined);
      const trend = trendValues.length >= 2 ? trusted(await renderSvg(sparklineSpec(trendValues))) : html`<span class="muted">${runs.length} run${runs.length === 1 ? '' : 's'}</span>`;
      const r = latest.input.results;
      rows.push(
        html`<tr>${i === 0 ? html`<td rowspan="${String(groups.length)}">${suite.paper}</td><td rowspan="${String(groups.length)}">${suite.title}<br><code>${suite.name}</code></td>` : ''}<td class="nowrap">${r.preset} · ${r.backend.name}</td><td class="${`v-${latest.input.comparison.verdict}`}"><a href="${latest.file}">${latest.input.comparison.verdict}</a></td><td>${headline(latest.input).text}</td><td class="num">${worstDetectable(latest.input)}</td><td>${trend}</td><td class="nowrap">${r.createdAt.slice(0, 10)}</td></tr>`,
      );
    }
  }
  const provenance = pages.map((p) => {
    const r = p.input.results;
    return html`<tr><td class="nowrap">${r.createdAt.replace('T', ' ').slice(0, 16)}</td><td><a href="${p.file}">${r.suite.name}</a></td><td>${r.preset}</td><td>${r.backend.name}<br><span class="muted">${Object.entries(r.backend.versions).map(([k, v]) => `${k} ${v}`).join(', ')}</span></td><td>${deviceOf(r)}</td><td class="nowrap"><code>${shortCommit(r)}</code></td><td class="num">${formatDuration(r.wallSeconds)}</td><td class="${`v-${p.input.comparison.verdict}`}">${p.input.comparison.verdict}${r.fault ? html` (fault ${r.fault})` : ''}</td></tr>`;
  });
  return page(
    'resnet-repro: reproduction scoreboard',
    html`<h1>Reproducing “Deep Residual Learning for Image Recognition”</h1>
<p>He et al., CVPR 2016. Each row is a part of the paper; each cell the latest result per preset and backend against its recorded baseline (the verdict) and the paper (the headline). The next column names what decided: at smoke the conformance tier (the code against PyTorch), elsewhere the smallest regression the latest comparison could have caught, against its tolerance.</p>
<table id="scoreboard"><thead><tr><th>paper</th><th>suite</th><th>preset · backend</th><th>verdict</th><th>headline: ours · paper</th><th>decided by, or the regression it could detect</th><th>trend</th><th>latest</th></tr></thead><tbody>${rows}</tbody></table>
${noise ? html`<p>How the nightly is designed: <a href="${noise}">the noise curve</a> (seed-to-seed σ against the cost of one run).</p>` : ''}
<h2>Runs</h2><p class="muted">Newest first. Commit <code>+</code>: with uncommitted changes.</p>
<table id="runs"><thead><tr><th>created (UTC)</th><th>suite</th><th>preset</th><th>backend</th><th>device</th><th>commit</th><th>wall time</th><th>verdict</th></tr></thead><tbody>${provenance}</tbody></table>`,
  );
}

/** Writes the site; returns the pages, newest first. */
export async function writeSite(outDir: string, inputs: readonly SiteInput[], extras: SiteExtras = {}): Promise<SitePage[]> {
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
  const noise = extras.noise && extras.noise.length > 0 ? await noisePage(outDir, extras.noise) : undefined;
  writeFileAtomically(join(outDir, 'index.html'), await indexPage(pages, noise));
  return pages;
}

/** Pages beside the runs': the noise curve a nightly is designed from (`report --noise`). */
export interface SiteExtras {
  readonly noise?: readonly NoiseRow[];
}

const NOISE_PAGE = 'noise.html';

/** The noise curve: σ against CPU minutes per run, the table `resnet-repro noise` prints, and its CSV. Returns the page's file. */
async function noisePage(dir: string, rows: readonly NoiseRow[]): Promise<string> {
  const points = rows.flatMap((r): NoiseChartPoint[] => [
    { model: r.model, iterations: r.iterations, seeds: r.seeds.length, sigma: 100 * r.testError.std, metric: 'test error', minutes: r.fastestSeconds / 60 },
    { model: r.model, iterations: r.iterations, seeds: r.seeds.length, sigma: 100 * r.trainError.std, metric: 'training error', minutes: r.fastestSeconds / 60 },
    { model: r.model, iterations: r.iterations, seeds: r.seeds.length, sigma: 100 * r.generalizationGap.std, metric: 'generalisation gap', minutes: r.fastestSeconds / 60 },
  ]);
  const target = rows[0]!.timeToTarget.target;
  const detect = rows[0]!.detect;
  const chart = await renderSvg(noiseSpec(points, `Seed-to-seed noise against the cost of one run (${[...new Set(rows.map((r) => r.model))].join(', ')})`));
  const body = rows.map((r) => html`<tr>${noiseCells(r).map((cell, i) => (i < 1 ? html`<td>${cell}</td>` : html`<td class="num">${cell}</td>`))}</tr>`);
  const csv = rows.map((r) => ({ model: r.model, iterations: r.iterations, seeds: r.seeds.join(' '), testErrorMean: r.testError.mean, testErrorStd: r.testError.std, trainErrorMean: r.trainError.mean, trainErrorStd: r.trainError.std, gapMean: r.generalizationGap.mean, gapStd: r.generalizationGap.std, target, firstBelowMean: r.timeToTarget.iterations?.mean ?? '', firstBelowStd: r.timeToTarget.iterations?.std ?? '', reached: r.timeToTarget.reached, wallSecondsMean: r.wallSeconds.mean, wallSecondsFastest: r.fastestSeconds, seedsToDetect: r.seedsToDetect ?? '', detect }));
  writeFileAtomically(
    join(dir, NOISE_PAGE),
    page(
      'resnet-repro: the noise curve',
      html`<p><a href="index.html">← scoreboard</a></p><h1>The noise curve</h1>
<p>One recipe trained to several lengths on the same machine, several seeds each: how much the final errors vary from seed to seed, and what one run costs. A nightly that must detect a shift of ${(100 * detect).toFixed(1)} points needs the seeds in the last columns at each length (the gate's own rule: one-sided Welch bound, α 0.05, power 0.8, one gated row); the design takes the length whose seeds cost least. Wall times are of this machine as measured, with whatever else ran on it: a length is costed at its fastest run, the one least disturbed.</p>
<figure>${trusted(chart)}<figcaption>σ of the final test error (blue), training error (grey) and generalisation gap (orange: test error minus the training error since the last rate drop) over seeds, against the wall minutes of one run (the fastest of the length); labels: iterations. ${csvLink(dir, 'noise', 'noise.csv', csv)}</figcaption></figure>
<table><thead><tr>${noiseHeader(target, detect).map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>${body}</tbody></table>`,
    ),
  );
  return NOISE_PAGE;
}
