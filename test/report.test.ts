/**
 * Report pages: chart specs as data, escaping of everything that comes from
 * results, and the generated site opened in a real browser (Debian's
 * chromium driven by playwright-core) with its charts, tables and no errors.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { chromium } from 'playwright-core';
import { PINNED_CIFAR10_DEPTH as cifar10Depth } from './helpers/suites.js';
import { compare } from '../runners/compare/compare.js';
import type { ResultSet } from '../runners/records/results.js';
import { curvePoints, errorCurvesSpec, rateDrops, responsePoints, responsesSpec, trendSpec } from '../reports/charts.js';
import { html, trusted } from '../reports/html.js';
import { publishedPath, writeSite } from '../reports/site.js';
import { appendToHistory } from '../runners/suite/history.js';
import { baselineFrom, fakeResults } from './helpers/results.js';
import { REFERENCE } from './helpers/reference.js';
import { runCli } from './helpers/cli.js';

import { findBrowser, HOW_TO_GET_ONE } from '../scripts/browser.mjs';

const CHROMIUM: string | undefined = findBrowser();
const HOSTILE = '<script>alert(1)</script>';

function siteInput(results: ResultSet) {
  const baseline = baselineFrom(cifar10Depth, results);
  return { results, suite: cifar10Depth, comparison: compare(results, cifar10Depth, baseline), baseline: baseline.data };
}

/** Hostile text in everything the page shows from results: the comparison is made first (the gate refuses such results). */
function hostile(results: ResultSet) {
  const input = siteInput(results);
  for (const unit of [...results.expectedUnits, ...results.runs.map((r) => r.unit)]) if (unit.paperModel === 'resnet20') unit.paperModel = HOSTILE;
  results.settings = { ...results.settings, models: [...results.settings.models, HOSTILE] };
  const rows = input.comparison.rows.map((r) => (r.model === 'resnet20' ? { ...r, model: HOSTILE } : r));
  return { ...input, comparison: { ...input.comparison, rows } };
}

function twoSeeds(): ResultSet {
  const r = fakeResults(cifar10Depth, 'nightly', { resnet20: [{ testError: 0.1 }, { testError: 0.2 }], plain20: [{ testError: 0.3 }, { testError: 0.3 }] });
  // Two test evaluations per run, so curves have lines.
  for (const run of r.runs) run.record.curves.test.unshift({ iteration: 20, testError: 0.5, loss: 2 });
  return r;
}

test('curve points average seeds per model, kind and iteration, in percent', async (t) => {
  const points = curvePoints(twoSeeds());
  const r20 = points.find((p) => p.model === 'resnet20' && p.kind === 'test' && p.iteration === 600)!;
  t.is(r20.seeds, 2);
  t.true(Math.abs(r20.error - 15) < 1e-9);
  t.true(points.some((p) => p.kind === 'training'));
});

test('the error-curve spec: a panel per model; training dashed, test bold with the seeds\' range, the paper\'s level and the rate drops marked', async (t) => {
  const results = twoSeeds();
  const spec = errorCurvesSpec(curvePoints(results), 'curves', { paper: [{ model: 'resnet20', error: 8.75 }], drops: [{ model: 'resnet20', iteration: 300 }] }) as unknown as {
    facet: { field: string };
    spec: { layer: { name?: string; mark: { type: string }; transform: { filter: string }[]; encoding: Record<string, { field?: string; scale?: { domain?: string[]; range?: unknown[] } }> }[] };
    data: { values: { type: string }[] };
  };
  t.is(spec.facet.field, 'model');
  const [drops, , band, lines] = spec.spec.layer;
  const paper = spec.spec.layer.find((l) => l.name === 'paper_level');
  t.is(drops!.mark.type, 'rule');
  t.is(band!.mark.type, 'area');
  t.deepEqual(lines!.encoding.strokeDash!.scale, { domain: ['training', 'test', "paper's final test error"], range: [[4, 3], [1, 0], [2, 2]] });
  t.deepEqual(lines!.encoding.strokeWidth!.scale, { domain: ['training', 'test'], range: [1, 2.5] });
  t.is(paper!.mark.type, 'rule');
  t.deepEqual([...new Set(spec.data.values.map((v) => v.type))].sort(), ['curve', 'drop', 'paper']);
  const r20 = curvePoints(results).find((p) => p.model === 'resnet20' && p.kind === 'test' && p.iteration === 600)!;
  t.deepEqual([r20.low, r20.high], [10, 20]);
});

test('a reference implementation of the same recipe is drawn in each model\'s panel and tabled beside ours and the paper', async (t) => {
  const results = twoSeeds();
  const reference = { model: 'resnet20', iteration: 600, error: 12, framework: 'pytorch 2.13.0+cpu' };
  const spec = errorCurvesSpec(curvePoints(results), 'curves', { reference: [reference] }) as unknown as { spec: { layer: { name?: string; encoding: { color?: { scale?: { domain?: string[] } } } }[] } };
  const layer = spec.spec.layer.find((l) => l.name === 'reference_curve')!;
  t.deepEqual(layer.encoding.color!.scale!.domain, ['training', 'test', 'reference implementation, test'], 'no paper level drawn, none in the legend');
  const dir = mkdtempSync(join(tmpdir(), 'site-'));
  const [page] = await writeSite(dir, [{ ...siteInput(results), references: [{ path: '/x/baselines/reference/cifar10-depth/nightly/pytorch.json', run: REFERENCE }] }]);
  const text = readFileSync(join(dir, page!.file), 'utf8');
  // Ours: seeds at 10 % and 20 %; the reference: 12 %; the paper: 8.75 % (Table 6).
  t.regex(text, /<table id="reference">[^]*resnet20[^]*15\.00% ± 7\.07 \(n=2\)[^]*pytorch 2\.13\.0\+cpu, seed 1[^]*baselines\/reference\/cifar10-depth\/nightly\/pytorch\.json[^]*12\.00%[^]*\+3\.00%[^]*8\.75% \(T6\)/);
  t.true(existsSync(join(dir, page!.file.replace(/\.html$/, ''), 'reference.csv')));
});

test('rate drops are read from the runs\' logged learning rates', (t) => {
  const results = twoSeeds();
  const train = results.runs[0]!.record.curves.train;
  const lr = [0.1, 0.1, 0.01, 0.001];
  results.runs[0]!.record.curves.train = lr.map((learningRate, i) => ({ ...train[0]!, iteration: (i + 1) * 100, learningRate }));
  t.deepEqual(rateDrops(results), [{ model: results.runs[0]!.unit.paperModel, iteration: 200 }, { model: results.runs[0]!.unit.paperModel, iteration: 300 }]);
});

test('Fig. 7 data ranks layers by response, largest first; the spec has both panels', async (t) => {
  const results = twoSeeds();
  results.runs[0]!.responses = [{ index: 1, layer: 'a', std: 0.5 }, { index: 2, layer: 'b', std: 2 }, { index: 3, layer: 'c', std: 1 }];
  const points = responsePoints(results);
  t.deepEqual(points.map((p) => [p.layer, p.rank]), [[1, 3], [2, 1], [3, 2]]);
  t.is((responsesSpec(points) as { vconcat: unknown[] }).vconcat.length, 2);
});

test('the trend spec labels runs by date and commit, colours each by the gate\'s verdict, and rings points outside the baseline\'s ±2σ', async (t) => {
  const points = [
    { createdAt: '2026-01-01T04:10:00Z', commit: 'abc1234', value: 0.1, verdict: 'pass' },
    { createdAt: '2026-01-02T04:10:00Z', commit: 'def5678', value: 0.2, verdict: 'regression' },
    { createdAt: '2026-01-03T04:10:00Z', commit: '0123456', value: 0.13, verdict: 'inconclusive' },
  ];
  type Layer = { name?: string; data: { values: { label?: string; verdict?: string; outside?: boolean }[] } };
  const spec = trendSpec(points, { mean: 0.1, std: 0.01, n: 2 }, 'm', true) as { title: string; layer: Layer[] };
  const runs = spec.layer.find((l) => l.name === 'runs')!;
  t.deepEqual(runs.data.values.map((v) => [v.label, v.verdict]), [['2026-01-01 abc1234', 'passed or not gated'], ['2026-01-02 def5678', 'failed'], ['2026-01-03 0123456', 'inconclusive']]);
  t.deepEqual(spec.layer.find((l) => l.name === 'outside_band')!.data.values.map((v) => v.label), ['2026-01-02 def5678', '2026-01-03 0123456'], '3 and 10 points above a 1-point σ');
  t.true(spec.layer.some((l) => l.name === 'baseline_band'));
  t.regex(spec.title, /baseline n=2/);
  const flat = trendSpec(points, { mean: 0.1, std: 0, n: 2 }, 'm', true) as { title: string; layer: Layer[] };
  t.false(flat.layer.some((l) => l.name === 'baseline_band' || l.name === 'outside_band'), 'σ 0: no band of width 0, nothing outside it');
  t.regex(flat.title, /σ 0 over n=2: no band/);
  t.is((trendSpec(points, undefined, 'm', true) as { layer: unknown[] }).layer.length, 1);
});

test('error curves draw the recorded baseline\'s test error (mean, seeds\' range) in each panel; one model gets a wide panel', async (t) => {
  const results = fakeResults(cifar10Depth, 'nightly', { resnet20: [{ testError: 0.1 }, { testError: 0.2 }] });
  const spec = errorCurvesSpec(curvePoints(results), 'curves', { baseline: [{ model: 'resnet20', iteration: 600, error: 12, low: 10, high: 14 }] }) as unknown as {
    columns: number;
    spec: { width: number; layer: { name?: string; encoding: { color?: { scale?: { domain?: string[] } } } }[] };
  };
  t.is(spec.columns, 1);
  t.true(spec.spec.width >= 700, `one panel ${spec.spec.width} px wide`);
  t.truthy(spec.spec.layer.find((l) => l.name === 'baseline_range'));
  t.deepEqual(spec.spec.layer.find((l) => l.name === 'baseline_curve')!.encoding.color!.scale!.domain, ['training', 'test', "baseline's test error"]);
});

test('a suite page: Fig. 6\'s plain nets sit in Table 6\'s comparison (an empty paper cell), the baseline is named from baselines/, throughput rows say why they are not gated', async (t) => {
  const results = twoSeeds();
  const dir = mkdtempSync(join(tmpdir(), 'site-'));
  const input = siteInput(results);
  const [page] = await writeSite(dir, [{ ...input, comparison: { ...input.comparison, baseline: { ...input.comparison.baseline!, path: '/home/ci/clone/baselines/recorded/cifar10-depth/nightly/cpu.json' } } }]);
  const text = readFileSync(join(dir, page!.file), 'utf8');
  const table6 = text.slice(text.indexOf('<h3>Table 6</h3>'), text.indexOf('</table>', text.indexOf('<h3>Table 6</h3>')));
  t.regex(table6, /plain20/, 'plain-20 beside the ResNets');
  t.regex(text, /the paper prints no number for that model/);
  t.regex(text, /Baseline: <code>baselines\/recorded\/cifar10-depth\/nightly\/cpu\.json<\/code>/);
  t.notRegex(text, /\/home\/ci\/clone/);
  t.regex(text, /<h2>Throughput<\/h2>[^]*not-gated: throughput is gated only against a baseline from the same machine/);
  t.is(publishedPath('/tmp/mine.json'), 'mine.json');
});

test('html`` escapes every interpolation unless trusted', async (t) => {
  t.is(html`<td>${HOSTILE}</td>`.value, '<td>&lt;script&gt;alert(1)&lt;/script&gt;</td>');
  t.is(html`<a title="${'" onmouseover="x'}">`.value, '<a title="&quot; onmouseover=&quot;x">');
  t.is(html`${trusted('<svg></svg>')}`.value, '<svg></svg>');
});

test('a run named <script> renders as text everywhere: tables, charts, environment', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'site-'));
  const [page] = await writeSite(dir, [hostile(twoSeeds())]);
  const text = readFileSync(join(dir, page!.file), 'utf8');
  t.false(text.includes(HOSTILE), 'no raw script tag anywhere in the page, SVG included');
  t.true(text.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
});

test.serial('in Chromium at 1280 px: a scoreboard of the paper, suite pages with the paper\'s level on the error curves, no page scrolling sideways, no console errors', async (t) => {
  if (!CHROMIUM) return t.fail(HOW_TO_GET_ONE);
  const dir = mkdtempSync(join(tmpdir(), 'site-'));
  const older = twoSeeds();
  const newer = { ...twoSeeds(), createdAt: '2026-02-01T00:00:00Z' };
  await writeSite(dir, [siteInput(older), hostile(newer)]);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    const sideways = () => page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    await page.goto(`file://${join(dir, 'index.html')}`);
    // One row per part of the paper; the one that ran shows its verdict, headline and provenance.
    const scoreboard = page.locator('#scoreboard tbody tr');
    t.true((await scoreboard.count()) >= 7);
    const ran = scoreboard.filter({ hasText: 'cifar10-depth' });
    t.regex((await ran.textContent()) ?? '', /nightly · cpu.*(pass|fail|inconclusive|incomplete).*test error .* paper 8\.75%/s);
    t.true(((await scoreboard.filter({ hasText: 'imagenet-depth' }).textContent()) ?? '').includes('not run yet'));
    t.is(await page.locator('#runs tbody tr').count(), 2);
    t.false(await sideways(), 'the index scrolls sideways at 1280 px');
    // Dates and "preset · backend" read on one line: a cell's text spans one line box.
    const lines = await page.evaluate(() =>
      [...document.querySelectorAll('#scoreboard td.nowrap')].map((td) => {
        const range = document.createRange();
        range.selectNodeContents(td);
        return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
      }),
    );
    t.true(lines.length >= 2 && lines.every((n) => n === 1), `line boxes per cell: ${lines.join(', ')}`);
    await page.locator('#runs a').first().click(); // newest first: the one with the hostile name
    await page.waitForSelector('#verdict');
    t.regex((await page.textContent('#verdict')) ?? '', /PASS|FAIL|INCOMPLETE|INCONCLUSIVE/);
    t.true((await page.locator('figure svg').count()) >= 2, 'error curves and history charts');
    t.true(((await page.textContent('body')) ?? '').includes(HOSTILE), 'the hostile name shows as text');
    t.is(await page.locator('a[download]').first().getAttribute('href').then((h) => (h ? existsSync(join(dir, h)) : false)), true, 'CSV links resolve');
    t.false(await sideways(), 'a suite page scrolls sideways at 1280 px');
    await page.goBack();
    await page.locator('#runs a').nth(1).click(); // the older page, where resnet20 keeps its name and its paper number
    await page.waitForSelector('#verdict');
    t.true((await page.locator('figure svg .paper_level_marks line').count()) >= 1, "the error curves mark the paper's final test error");
    t.true(((await page.textContent('figure svg')) ?? '').includes("paper's final test error"), 'the legend names the paper level');
    t.false(await sideways(), 'a suite page scrolls sideways at 1280 px');
    t.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
  t.true(readdirSync(dir).some((f) => f.endsWith('.html') && f !== 'index.html'));
});

test('report --history draws from a results store that run/compare --history append to, once per result set', async (t) => {
  const { writeFileSync } = await import('node:fs');
  const { runCli } = await import('./helpers/cli.js');
  const dir = mkdtempSync(join(tmpdir(), 'history-'));
  const store = join(dir, 'history');
  const first = { ...twoSeeds(), createdAt: '2026-03-01T04:00:00.000Z', git: { commit: 'a'.repeat(40), dirty: false } };
  const second = { ...twoSeeds(), createdAt: '2026-03-02T04:00:00.000Z', git: { commit: 'b'.repeat(40), dirty: false } };
  for (const [name, results] of [['first', first], ['second', second]] as const) {
    writeFileSync(join(dir, `${name}.json`), JSON.stringify(results));
    const compared = await runCli(['compare', join(dir, `${name}.json`), '--history', store]);
    t.regex(compared.stderr, /history: .*cifar10-depth\/nightly\/cpu\/2026-03-0\dT04-00-00-000Z-(a|b){7}\.json/);
  }
  await runCli(['compare', join(dir, 'second.json'), '--history', store]); // the same results again: stored once
  t.is(readdirSync(join(store, 'cifar10-depth', 'nightly', 'cpu')).length, 2);
  const { code, stdout, stderr } = await runCli(['report', '--history', store, '--out', join(dir, 'site')]);
  t.is(code, 0, stderr);
  t.regex(stdout, /\(2 pages\)/);
  const index = readFileSync(join(dir, 'site', 'index.html'), 'utf8');
  t.true(index.includes('aaaaaaa') && index.includes('bbbbbbb'), 'both commits in the provenance table');
  const newest = readdirSync(join(dir, 'site')).filter((f) => f.endsWith('.html') && f !== 'index.html').sort().pop()!;
  t.true(readFileSync(join(dir, 'site', newest), 'utf8').includes('2026-03-01 aaaaaaa'), 'history axis: date and commit');
  const empty = await runCli(['report', '--out', join(dir, 'site2')]);
  t.is(empty.code, 2);
  t.regex(empty.stderr, /pass results\.json files or folders, or --history DIR/);
});

test('the nightly Pages script, run twice: the history branch grows and the site draws both runs', async (t) => {
  const { execFileSync, spawnSync } = await import('node:child_process');
  const dir = mkdtempSync(join(tmpdir(), 'pages-'));
  const remote = join(dir, 'remote.git');
  execFileSync('git', ['init', '--quiet', '--bare', remote]);
  const root = new URL('..', import.meta.url).pathname;
  const env = { ...process.env, RESNET_REPRO_CLI: `${process.execPath} --import tsx ${join(root, 'runners', 'cli.ts')}` };
  const night = () =>
    spawnSync(join(root, 'scripts', 'nightly-pages.sh'), [remote, join(dir, 'site'), 'cifar10-depth', '--preset', 'smoke', '--models', 'resnet8', '--seeds', '1', '--iterations', '2'], { env, encoding: 'utf8' });
  const first = night();
  t.regex(first.stdout, /no branch results-history .* starting it/s, first.stderr);
  const second = night();
  t.regex(second.stdout, /history: results-history of .*, 1 result sets/, second.stderr);
  // No baseline for a 2-iteration recipe: the gate says incomplete, and the night is still kept and published.
  t.is(second.status, 2, second.stderr);
  const stored = execFileSync('git', ['--git-dir', remote, 'ls-tree', '-r', '--name-only', 'results-history'], { encoding: 'utf8' }).trim().split('\n');
  t.is(stored.length, 2);
  t.true(stored.every((f) => f.startsWith('cifar10-depth/smoke/')));
  t.is((readFileSync(join(dir, 'site', 'index.html'), 'utf8').match(/<tr><td[^>]*>\d{4}-\d\d-\d\d \d\d:\d\d<\/td>/g) ?? []).length, 2, 'the provenance table lists both nights');
});

test('report skips a folder a failed run left without results, names it, and writes the site from the rest (exit 0)', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'report-'));
  const empty = join(dir, 'imagenet-depth');
  const good = join(dir, 'cifar10-depth');
  mkdirSync(empty);
  mkdirSync(good);
  writeFileSync(join(good, 'results.json'), JSON.stringify(twoSeeds()));
  const site = join(dir, 'site');
  const { code, stdout, stderr } = await runCli(['report', empty, good, '--out', site]);
  t.is(code, 0, stderr);
  t.regex(stderr, /report: skipped .*imagenet-depth: it holds no results\.json/);
  t.regex(stdout, /index\.html \(1 page\)/);
  const none = await runCli(['report', empty, '--out', site]);
  t.is(none.code, 2);
  t.regex(none.stderr, /nothing to report/);
});

test('a results file whose commit is not a hash cannot steer where history writes', (t) => {
  const store = mkdtempSync(join(tmpdir(), 'history-'));
  const results = twoSeeds();
  const path = appendToHistory(store, { ...results, git: { commit: '/../../../PWNED', dirty: false } });
  t.true(path.startsWith(join(store, 'cifar10-depth', 'nightly', 'cpu')), path);
  t.regex(path, /-nogit\.json$/);
});

test('report --noise: a page draws σ against the minutes of one run per length, tables what each length costs to detect a point, and the scoreboard links it', async (t) => {
  if (!CHROMIUM) return t.fail(HOW_TO_GET_ONE);
  const dir = mkdtempSync(join(tmpdir(), 'noise-'));
  const lengths = [
    { iterations: 600, errors: [0.42, 0.39, 0.45, 0.4], seconds: 300 },
    { iterations: 2000, errors: [0.265, 0.27, 0.26, 0.268], seconds: 900 },
  ];
  const paths = lengths.map(({ iterations, errors, seconds }) => {
    const results = fakeResults(cifar10Depth, 'nightly', { resnet20: errors.map((testError) => ({ testError })) });
    const settings = { ...results.settings, iterations } as ResultSet['settings'];
    const set: ResultSet = { ...results, settings, runs: results.runs.map((r) => ({ ...r, record: { ...r.record, wallSeconds: seconds, config: { ...r.record.config, iterations } } })) };
    const folder = join(dir, `noise-${iterations}`);
    mkdirSync(folder);
    writeFileSync(join(folder, 'results.json'), JSON.stringify(set));
    return folder;
  });
  const site = join(dir, 'site');
  const { code, stderr } = await runCli(['report', paths[0]!, '--noise', ...paths, '--out', site]);
  t.is(code, 0, stderr);
  t.regex(readFileSync(join(site, 'index.html'), 'utf8'), /<a href="noise\.html">the noise curve<\/a>/);
  const csv = readFileSync(join(site, 'noise', 'noise.csv'), 'utf8').trim().split('\n');
  t.is(csv.length, 3, 'a row per length');
  t.true(csv[0]!.split(',').includes('gapStd'), 'the gap\'s spread beside the errors\'');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    await page.goto(`file://${join(site, 'noise.html')}`);
    t.is(await page.locator('figure svg').count(), 1);
    t.true((await page.locator('figure svg text').allTextContents()).some((s) => s.includes('2,000 it.')), 'each point is labelled with its length');
    t.true((await page.locator('figure svg text').allTextContents()).some((s) => s === 'generalisation gap'), 'the gap is drawn beside the errors');
    const rows = await page.locator('tbody tr').allTextContents();
    t.is(rows.length, 2);
    t.regex(rows[0]!, /resnet20\s*600\s*4/);
    t.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
