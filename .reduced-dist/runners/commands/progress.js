import cliProgress from 'cli-progress';
import { formatDuration } from '../../reports/reporter.js';
/** Time left at the pace of this process so far (a resumed run's earlier steps are not counted). */
export function etaSeconds(e) {
    const done = e.iteration - e.startIteration;
    return done > 0 ? (e.elapsedSeconds / done) * (e.iterations - e.iteration) : undefined;
}
/** "3m 07s elapsed, ETA 9m 59s": where a unit's training stands in time. */
export function formatTiming(e) {
    return `${formatDuration(e.elapsedSeconds)} elapsed, ETA ${formatDuration(etaSeconds(e))}`;
}
/** Plain progress lines for logs (CI): the first step, then one per training-curve point and per evaluation, with elapsed time and ETA. */
export function progressLines(label, e, suite) {
    const at = `${label} it ${e.iteration}/${e.iterations}`;
    const unit = formatTiming(e);
    const time = suite ? `${unit} · suite ${(suite.fraction * 100).toFixed(0)}%, ${formatDuration(suite.elapsedSeconds)} elapsed, ETA ${formatDuration(suite.etaSeconds)}` : unit;
    const pct = (x) => `${(x * 100).toFixed(2)}%`;
    let out = '';
    if (e.point)
        out += `${at} loss ${e.point.loss.toFixed(4)} train-err ${pct(e.point.trainError)} lr ${e.point.learningRate} ${e.point.imagesPerSecond.toFixed(1)} img/s · ${time}\n`;
    if (e.test)
        out += `${at} test-err ${pct(e.test.testError)} · ${time}\n`;
    if (!e.point && !e.test)
        out += `${at} first step done · ${time}\n`;
    return out;
}
/** Progress for long transfers: a bar on a terminal, a line every 10 % in logs. */
export function downloadProgress() {
    const mb = (n) => (n / 1e6).toFixed(1);
    if (!process.stderr.isTTY) {
        let lastDecile = -1;
        return {
            update: (bytes, total) => {
                const decile = total > 0 ? Math.floor((10 * bytes) / total) : Math.floor(bytes / 2e7);
                if (decile === lastDecile)
                    return;
                lastDecile = decile;
                process.stderr.write(`downloaded ${mb(bytes)}${total > 0 ? ` of ${mb(total)}` : ''} MB\n`);
            },
            stop: () => { },
        };
    }
    const bar = new cliProgress.SingleBar({ format: 'download [{bar}] {percentage}% | {value}/{total} MB | ETA {eta_formatted}', stream: process.stderr }, cliProgress.Presets.shades_classic);
    let started = false;
    return {
        update: (bytes, total) => {
            if (!started) {
                bar.start(Number(mb(total)), 0);
                started = true;
            }
            bar.update(Number(mb(bytes)));
        },
        stop: () => started && bar.stop(),
    };
}
//# sourceMappingURL=progress.js.map