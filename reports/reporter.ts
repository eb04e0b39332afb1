/** Renderers of a comparison: each is a plug-in of this one interface (as Playwright's reporters). */
import type { Comparison } from '../runners/compare/compare.js';

export interface Reporter {
  readonly name: string;
  render(comparison: Comparison): string;
}

/** Shared cell formatting: errors as percentages, counts and rates as numbers. */
export function formatValue(metric: string, value: number | undefined): string {
  if (value === undefined) return '–';
  if (/Error$/.test(metric)) return `${(value * 100).toFixed(2)}%`;
  if (metric === 'imagesPerSecond') return value.toFixed(1);
  if (metric === 'meanResponseStd') return value.toFixed(3);
  if (Math.abs(value) >= 1e6) return value.toExponential(3);
  return String(value);
}

export function formatSummary(metric: string, s: { mean: number; std: number; n: number } | undefined): string {
  if (!s) return '–';
  return s.n > 1 ? `${formatValue(metric, s.mean)} ± ${formatValue(metric, s.std).replace('%', '')} (n=${s.n})` : `${formatValue(metric, s.mean)} (n=1)`;
}

export function formatDelta(metric: string, delta: number | undefined): string {
  if (delta === undefined) return '';
  const text = formatValue(metric, Math.abs(delta));
  return `${delta >= 0 ? '+' : '−'}${text}`;
}

/** The paper's number as printed, with its unit where the print leaves it implicit (Table 6 prints errors in %). */
export function formatPaper(metric: string, paper: { printed: string; table: string } | undefined): string {
  if (!paper) return '';
  return `${paper.printed}${/Error/.test(metric) && !paper.printed.includes('%') ? '%' : ''} (T${paper.table})`;
}
