/** `resnet-repro list`: the suites, their presets, and the data each preset needs. */
import { PRESETS, type DatasetName } from '../records/recipe.js';
import { SUITES } from '../../suites/index.js';
import type { RegisterCommand } from './options.js';

/** What a preset's dataset asks of the user. */
const NEEDS: Record<DatasetName, string> = {
  synthetic: 'generated',
  'imagenet-standin': 'generated',
  cifar10: 'CIFAR-10',
  imagenet: 'ILSVRC2012',
};

export function listSuites(): string {
  const rows = SUITES.map((s) => [s.name, s.kind, s.paper, s.title]);
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = SUITES.flatMap((s, i) => {
    const line = rows[i]!.map((c, k) => (k < 3 ? c.padEnd(widths[k]!) : c)).join('  ');
    if (s.kind !== 'training') return [line, '    presets: any (counts only, no data)'];
    const presets = PRESETS.filter((p) => s.presets[p] !== undefined).map((p) => `${p} (${NEEDS[s.presets[p]!.dataset]})`);
    return [line, `    presets: ${presets.join(', ')}`];
  });
  return `${lines.join('\n')}

data: "generated" needs nothing (made on first use and cached); CIFAR-10: "resnet-repro data cifar10"
downloads the official binary files (or pass --data DIR); ILSVRC2012: its train/ and val/ folders, --data DIR.
`;
}

export const register: RegisterCommand = (program) => {
  program
    .command('list')
    .description('the suites, their presets and the data each preset needs')
    .action(() => {
      process.stdout.write(listSuites());
    });
};
