/** `resnet-repro list`: the suites and presets. */
import { PRESETS } from '../../suites/define.js';
import { SUITES } from '../../suites/index.js';
import type { RegisterCommand } from './options.js';

export function listSuites(): string {
  const rows = SUITES.map((s) => [s.name, s.kind, s.paper, s.title]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  return `${rows.map((r) => r.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c)).join('  ')).join('\n')}\npresets: ${PRESETS.join(', ')}\n`;
}

export const register: RegisterCommand = (program) => {
  program
    .command('list')
    .description('the suites and presets')
    .action(() => {
      process.stdout.write(listSuites());
    });
};
