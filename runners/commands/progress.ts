/** Progress for long transfers: a bar on a terminal, a line every 10 % in logs. */
import cliProgress from 'cli-progress';

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
