/** `resnet-repro arch`: architecture facts for each model, read off the built graph. */
import * as tf from '@tensorflow/tfjs';
import type { BackendInfo } from '../backend.js';
import { buildModel } from '../models/build.js';
import { type ArchFacts, archFacts } from '../models/count.js';
import { PAPER_MODELS, parseModelName } from '../models/names.js';
import { paperValue } from '../paper.js';

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
      return { ...archFacts(built), backend: { name: backend.choice, versions: backend.versions } };
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
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 || i === 7 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
