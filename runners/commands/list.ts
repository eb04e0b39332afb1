/** `resnet-repro list`: the suites and presets. */
import { PRESETS } from '../../suites/define.js';
import { SUITES } from '../../suites/index.js';
import type { RegisterCommand } from './options.js';

export function listSuites(): string {
  const rows = SUITES.map((s) => [s.name, s.kind, s.paper, s.title]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  const everywhere = PRESETS.filter((p) => SUITES.every((s) => s.kind !== 'training' || s.presets[p] !== undefined));
  const some = PRESETS.filter((p) => !everywhere.includes(p)).map((p) => `${p} (${SUITES.filter((s) => s.kind === 'training' && s.presets[p] !== undefined).map((s) => s.name).join(', ')})`);
  return `${rows.map((r) => r.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c)).join('  ')).join('\n')}\npresets: ${[...everywhere, ...some].join(', ')}\n`;
}

export const register: RegisterCommand = (program) => {
  program
    .command('list')
    .description('the suites and presets')
    .action(() => {
      process.stdout.write(listSuites());
    });
};
