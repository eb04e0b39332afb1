/** Facts counted from the built graph: exact, so never shown with a spread or a sample size. */
export const EXACT_METRICS = new Set(['layers', 'trainableParams', 'multiplyAdds']);
const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
/** 1.81×10⁹: how the paper prints FLOPs. */
export function formatScientific(value, digits = 3) {
    if (value === 0)
        return '0';
    const exponent = Math.floor(Math.log10(Math.abs(value)));
    const mantissa = (value / 10 ** exponent).toPrecision(digits);
    const power = String(exponent).replace(/-/, '⁻').replace(/\d/g, (d) => SUPERSCRIPT[Number(d)]);
    return `${mantissa}×10${power}`;
}
/** The one cell formatter: errors as percentages, parameter and layer counts exact, multiply-adds as the paper prints them, rates as numbers. */
export function formatValue(metric, value) {
    if (value === undefined)
        return '–';
    if (/Error/.test(metric))
        return `${(value * 100).toFixed(2)}%`;
    if (metric === 'imagesPerSecond')
        return value.toFixed(1);
    if (metric === 'meanResponseStd')
        return value.toFixed(3);
    if (metric === 'multiplyAdds')
        return formatScientific(value);
    if (metric === 'layers')
        return String(value); // a depth is a name too: "ResNet-1202"
    if (Number.isInteger(value))
        return value.toLocaleString('en-US');
    return Math.abs(value) >= 1e6 ? formatScientific(value) : String(Number(value.toPrecision(4)));
}
/** "1h 02m", "3m 07s", "12s": a duration (wall times, progress); "–" when unknown. */
export function formatDuration(seconds) {
    if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0)
        return '–';
    const s = Math.round(seconds);
    if (s < 60)
        return `${s}s`;
    if (s < 3600)
        return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
    return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
export function formatSummary(metric, s) {
    if (!s)
        return '–';
    if (EXACT_METRICS.has(metric))
        return formatValue(metric, s.mean);
    return s.n > 1 ? `${formatValue(metric, s.mean)} ± ${formatValue(metric, s.std).replace('%', '')} (n=${s.n})` : `${formatValue(metric, s.mean)} (one seed)`;
}
export function formatDelta(metric, delta) {
    if (delta === undefined)
        return '';
    const text = formatValue(metric, Math.abs(delta));
    return `${delta >= 0 ? '+' : '−'}${text}`;
}
/** A shift's size in the metric's unit: errors in percentage points, rates as numbers; ∞ where the data bound nothing. */
export function formatShift(metric, value) {
    if (value === undefined)
        return '–';
    if (!Number.isFinite(value))
        return '∞';
    if (/Error$/.test(metric))
        return `${(value * 100).toFixed(2)} pts`;
    return formatValue(metric, value);
}
/** The smallest regression the row's comparison could detect, against its tolerance: "1.20 pts (tol. 2.00)". */
export function formatDetectable(row) {
    if (!row.test)
        return '–';
    return `${formatShift(row.metric, row.test.detectable)} (tol. ${formatShift(row.metric, row.test.tolerance).replace(' pts', '')})`;
}
/** The gate's policy in one line: what PASS means for these rows. */
export function formatPolicy(c) {
    if (!c.policy)
        return undefined;
    const t = c.policy.tolerance;
    return (`gate: PASS needs the harmful shift bounded below the tolerance (errors ${(t.error * 100).toFixed(1)} pts, throughput ${(t.throughput * 100).toFixed(0)} %, responses ${(t.response * 100).toFixed(0)} %) ` +
        `and a regression of that size detectable with power ${c.policy.power}; family-wise α ${c.policy.alpha} (${c.policy.rowAlpha.toPrecision(2)} per row)`);
}
/** A row's verdict as printed: a pass by replay says so. */
export function verdictLabel(row) {
    return row.replay ? `${row.verdict} (replay)` : row.verdict;
}
/** Verdicts that fail a job, and those that keep it from passing. */
export const FAILING = new Set(['regression', 'broken', 'diverged', 'fail']);
/** The paper's number as printed, with its unit where the print leaves it implicit (Table 6 prints errors in %). */
export function formatPaper(metric, paper) {
    if (!paper)
        return '';
    return `${paper.printed}${/Error/.test(metric) && !paper.printed.includes('%') ? '%' : ''} (T${paper.table})`;
}
//# sourceMappingURL=reporter.js.map