/** `resnet-repro arch`: architecture facts for each model, read off the built graph. */
import * as tf from '@tensorflow/tfjs';
import { type BackendInfo, describeBackend, initBackend } from '../backend.js';
import { buildModel } from '../models/build.js';
import { type ArchFacts, archFacts } from '../models/count.js';
import { PAPER_MODELS, parseModelName } from '../models/names.js';
import { paperValue } from '../paper.js';
import { textTable } from '../../reports/text-table.js';
import type { RegisterCommand } from './options.js';

export interface ArchRecord extends ArchFacts {
  readonly backend: { readonly name: string; readonly versions: Record<string, string> };
}

/** Builds each model in turn (zero-initialised: counting needs no random weights) and reads its facts. */
export function archRecords(names: readonly string[], backend: BackendInfo): ArchRecord[] {
  // Parse every name first, so a typo fails before any work or output.
  const specs = (names.length > 0 ? names : PAPER_MODELS).map(parseModelName);
  return specs.map((spec) => {
    const built = buildModel(spec, { init: 'zeros' });
    try {
      return { ...archFacts(built), backend: { name: backend.name, versions: backend.versions } };
    } finally {
      built.model.dispose();
      tf.disposeVariables();
    }
  });
}

const millions = (n: number) => `${(n / 1e6).toPrecision(3)}M`;
const giga = (n: number) => `${(n / 1e9).toPrecision(3)}×10⁹`;

/** A fixed-width table; the paper's numbers, where it prints them, in their own columns. */
export function formatArchTable(records: readonly ArchRecord[]): string {
  const header = ['model', 'dataset', 'layers', 'params', 'paper params', 'mult-adds', 'paper FLOPs', 'output'];
  const rows = records.map((r) => [
    r.name,
    r.dataset,
    String(r.layers),
    millions(r.trainableParams),
    paperValue(r.name, 'trainableParams')?.printed ?? '',
    giga(r.multiplyAdds),
    paperValue(r.name, 'multiplyAdds')?.printed ?? '',
    `[${r.outputShape.join(', ')}]`,
  ]);
  return textTable(header, rows, ['left', 'left', 'right', 'right', 'right', 'right', 'right', 'left']);
}

const MODEL_GRAMMAR = `
Model names:
  CIFAR-10   resnet<d>, plain<d>, highway<d>   d = 6n+2 (20, 32, 44, 56, 110, 1202, …)
             highway19                         Srivastava et al.'s 19-layer highway net
  ImageNet   resnet<d>, plain<d>               d = 18, 34, 50, 101, 152 (Table 1)
  Suffixes   -a | -b | -c   shortcut option (ImageNet default B, CIFAR default A)
             -v1.5          bottleneck stride on the 3×3 (default: first 1×1, as the paper)
             -skip<k>       CIFAR residual blocks wrapping k convolutions (default 2)
             -g0            ResNets: each branch's last BN starts at γ = 0 (ours, not the paper's)
             -w<width>      first-stage width (default 16 CIFAR, 64 ImageNet)
  Prefix     cifar- | imagenet-   where a depth is both (cifar-resnet50)
With no models, lists every model the paper uses.`;

export const register: RegisterCommand = (program, cli) => {
  program
    .command('arch')
    .description('layers, trainable parameters, multiply-adds and output shape of each model, counted from the built graph')
    .argument('[models...]', 'model names (default: every model of the paper)')
    .option('--json', 'print a JSON array, one object per model')
    .addHelpText('after', MODEL_GRAMMAR)
    .action(async (models: string[], options: { json?: boolean }) => {
      const backend = await initBackend(cli.backend());
      const records = archRecords(models, backend);
      process.stdout.write(options.json ? `${JSON.stringify(records, null, 2)}\n` : `${formatArchTable(records)}\n`);
      process.stderr.write(`${describeBackend(backend)}\n`);
    });
};
