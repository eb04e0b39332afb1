import cliProgress from 'cli-progress';
import type { SuiteProgress } from '../suite/progress.js';
import type { ProgressEvent } from '../train/train.js';

/** "1h 02m", "3m 07s", "12s": a duration for progress lines; "–" when unknown. */
export function formatDuration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Time left at the pace of this process so far (a resumed run's earlier steps are not counted). */
export function etaSeconds(e: Pick<ProgressEvent, 'iteration' | 'iterations' | 'startIteration' | 'elapsedSeconds'>): number | undefined {
  const done = e.iteration - e.startIteration;
  return done > 0 ? (e.elapsedSeconds / done) * (e.iterations - e.iteration) : undefined;
}

/** Plain progress lines for logs (CI): the first step, then one per training-curve point and per evaluation, with elapsed time and ETA. */
export function progressLines(label: string, e: ProgressEvent, suite?: SuiteProgress): string {
  const at = `${label} it ${e.iteration}/${e.iterations}`;
  const unit = `${formatDuration(e.elapsedSeconds)} elapsed, ETA ${formatDuration(etaSeconds(e))}`;
  const time = suite ? `${unit} · suite ${(suite.fraction * 100).toFixed(0)}%, ${formatDuration(suite.elapsedSeconds)} elapsed, ETA ${formatDuration(suite.etaSeconds)}` : unit;
  const pct = (x: number) => `${(x * 100).toFixed(2)}%`;
  let out = '';
  if (e.point) out += `${at} loss ${e.point.loss.toFixed(4)} train-err ${pct(e.point.trainError)} lr ${e.point.learningRate} ${e.point.imagesPerSecond.toFixed(1)} img/s · ${time}\n`;
  if (e.test) out += `${at} test-err ${pct(e.test.testError)} · ${time}\n`;
  if (!e.point && !e.test) out += `${at} first step done · ${time}\n`;
  return out;
}

/** Progress for long transfers: a bar on a terminal, a line every 10 % in logs. */
export function downloadProgress(): { update: (bytes: number, total: number) => void; stop: () => void } {
  const mb = (n: number) => (n / 1e6).toFixed(1);
  if (!process.stderr.isTTY) {
    let lastDecile = -1;
    return {
      update: (bytes, total) => {
        const decile = total > 0 ? Math.floor((10 * bytes) / total) : Math.floor(bytes / 2e7);
        if (decile === lastDecile) return;
        lastDecile = decile;
        process.stderr.write(`downloaded ${mb(bytes)}${total > 0 ? ` of ${mb(total)}` : ''} MB\n`);
      },
      stop: () => {},
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
