/**
 * Model names ⇄ architecture specs. The grammar is the public interface
 * others script against:
 *
 *   [cifar-|imagenet-]<resnet|plain|highway><depth>[-a|-b|-c][-v1.5][-skip<k>][-g0][-w<width>]
 *
 * ImageNet depths are Table 1's (18, 34, 50, 101, 152); CIFAR-10 depths are
 * 6n+2 (3kn+2 with skip length k). 50 and 152 are both, and mean ImageNet
 * unless prefixed `cifar-`. `highway19` is the authors' 19-layer highway net;
 * `highway<6n+2>` is the ResNet with gated instead of identity shortcuts.
 */
import { UsageError } from '../errors.js';
import {
  type ArchSpec,
  type Dataset,
  type Family,
  type ShortcutOption,
  type StackedNetSpec,
  type StageSpec,
  CIFAR_PAPER_DEPTHS,
  CIFAR_STAGES,
  HIGHWAY19,
  IMAGENET_DEPTHS,
  IMAGENET_STAGES,
  type ImageNetDepth,
} from './spec.js';

const DEFAULT_SHORTCUT: Record<Dataset, ShortcutOption> = { imagenet: 'B', cifar10: 'A' };
const DEFAULT_WIDTH: Record<Dataset, number> = {
  imagenet: IMAGENET_STAGES.widths[0],
  cifar10: CIFAR_STAGES.widths[0],
};
const INPUT: Record<Dataset, { size: number; classes: number }> = {
  imagenet: { size: 224, classes: 1000 },
  cifar10: { size: 32, classes: 10 },
};

/** Bounds that keep a name from asking for a graph no machine could build (the paper's deepest net has 1,202 layers, its widest first stage 64 channels). */
const MAX_DEPTH = 10_000;
const MAX_WIDTH = 1024;
const MAX_SKIP = 16;

const NAME_PATTERN = /^(?:(cifar|imagenet)-)?(resnet|plain|highway)(\d+)((?:-[a-z0-9.]+)*)$/;

interface Modifiers {
  shortcut?: ShortcutOption;
  v15?: boolean;
  skip?: number;
  zeroGamma?: boolean;
  width?: number;
}

function isImageNetDepth(depth: number): depth is ImageNetDepth {
  return Object.hasOwn(IMAGENET_DEPTHS, depth);
}

function fail(name: string, why: string): never {
  throw new UsageError(`unknown model "${name}": ${why}. Run "resnet-repro arch --help" for the name grammar.`);
}

function parseModifiers(name: string, text: string): Modifiers {
  const mods: Modifiers = {};
  for (const part of text.split('-').filter(Boolean)) {
    let m: RegExpMatchArray | null;
    if (/^[abc]$/.test(part)) {
      if (mods.shortcut) fail(name, 'more than one shortcut option');
      mods.shortcut = part.toUpperCase() as ShortcutOption;
    } else if (part === 'v1.5') {
      mods.v15 = true;
    } else if ((m = part.match(/^skip(\d+)$/))) {
      mods.skip = Number(m[1]);
      if (mods.skip < 1) fail(name, 'a shortcut must skip at least one layer (-skip1 or more)');
      if (mods.skip > MAX_SKIP) fail(name, `a shortcut skips at most ${MAX_SKIP} layers here`);
    } else if (part === 'g0') {
      mods.zeroGamma = true;
    } else if ((m = part.match(/^w(\d+)$/))) {
      mods.width = Number(m[1]);
      if (mods.width < 1) fail(name, 'width must be at least 1');
      if (mods.width > MAX_WIDTH) fail(name, `width must be at most ${MAX_WIDTH} (the paper's widest first stage is 64)`);
    } else {
      fail(name, `unknown suffix "-${part}" (expected -a, -b, -c, -v1.5, -skip<k>, -g0 or -w<width>)`);
    }
  }
  return mods;
}

/** Parses a model name; throws a UsageError that says what to type instead. */
export function parseModelName(name: string): ArchSpec {
  const match = name.trim().toLowerCase().match(NAME_PATTERN);
  if (!match) {
    fail(name, 'expected e.g. resnet20, plain56, resnet34-a, resnet50-v1.5, highway19');
  }
  const [, prefix, family, depthText, suffixText] = match as unknown as [string, string | undefined, Family, string, string];
  const depth = Number(depthText);
  if (!(depth <= MAX_DEPTH)) fail(name, `depth must be at most ${MAX_DEPTH.toLocaleString('en-US')} (the paper's deepest net has 1,202 layers)`);
  const mods = parseModifiers(name, suffixText);

  if (family === 'highway' && depth === HIGHWAY19.depth && !prefix) {
    if (Object.keys(mods).length > 0) fail(name, 'highway19 is a fixed published configuration and takes no suffixes');
    return HIGHWAY19;
  }

  if (mods.zeroGamma && family !== 'resnet') fail(name, '-g0 starts residual branches at γ = 0: ResNets only');

  const dataset: Dataset =
    prefix === 'cifar' ? 'cifar10' : prefix === 'imagenet' ? 'imagenet' : isImageNetDepth(depth) && family !== 'highway' ? 'imagenet' : 'cifar10';
  return dataset === 'imagenet' ? imagenetSpec(name, family, depth, mods) : cifarSpec(name, family, depth, mods);
}

/** Stages as a table lays them out, widths scaled so that the first is `width` (the -w suffix). */
function stagesOf(blocks: readonly number[], table: { readonly widths: readonly number[]; readonly strides: readonly number[] }, width: number): StageSpec[] {
  return blocks.map((n, i) => ({ blocks: n, width: (width * table.widths[i]!) / table.widths[0]!, stride: table.strides[i]! }));
}

function imagenetSpec(name: string, family: Family, depth: number, mods: Modifiers): StackedNetSpec {
  if (!isImageNetDepth(depth)) {
    fail(name, `ImageNet depths are Table 1's: ${Object.keys(IMAGENET_DEPTHS).join(', ')}`);
  }
  if (family === 'highway') fail(name, 'highway nets are CIFAR-10 models (highway19, or highway<6n+2>)');
  if (mods.skip !== undefined) fail(name, '-skip<k> applies to CIFAR-10 nets; ImageNet depths follow Table 1');
  if (family === 'plain' && mods.shortcut) fail(name, 'plain nets have no shortcuts, so no -a/-b/-c');
  const row = IMAGENET_DEPTHS[depth];
  if (mods.v15 && row.block !== 'bottleneck') fail(name, '-v1.5 moves a bottleneck stride; 18 and 34 have basic blocks');
  const width = mods.width ?? DEFAULT_WIDTH.imagenet;
  const spec: Omit<StackedNetSpec, 'name'> = {
    kind: 'stacked',
    dataset: 'imagenet',
    family,
    depth,
    stem: 'imagenet',
    block: row.block,
    skip: row.block === 'basic' ? 2 : 3,
    stages: stagesOf(row.blocks, IMAGENET_STAGES, width),
    shortcut: mods.shortcut ?? DEFAULT_SHORTCUT.imagenet,
    bottleneckStride: mods.v15 ? '3x3' : 'first-1x1',
    ...(mods.zeroGamma ? { zeroInitBranch: true as const } : {}),
    inputSize: INPUT.imagenet.size,
    numClasses: INPUT.imagenet.classes,
  };
  return { ...spec, name: formatModelName(spec) };
}

function cifarSpec(name: string, family: Family, depth: number, mods: Modifiers): StackedNetSpec {
  if (mods.v15) fail(name, '-v1.5 applies to ImageNet bottleneck nets (50, 101, 152)');
  if (family === 'plain' && mods.shortcut) fail(name, 'plain nets have no shortcuts, so no -a/-b/-c');
  if (family === 'plain' && mods.skip !== undefined) fail(name, 'plain nets have no shortcuts, so no -skip<k>');
  const skip = mods.skip ?? 2;
  const perStage = CIFAR_STAGES.widths.length * skip;
  const n = (depth - 2) / perStage;
  if (!Number.isInteger(n) || n < 1) {
    const valid = [1, 2, 3].map((k) => perStage * k + 2);
    const form = skip === 2 ? '6n+2' : `${perStage}n+2 (skip ${skip})`;
    const examples = skip === 2 ? CIFAR_PAPER_DEPTHS.join(', ') : `${valid.join(', ')}, …`;
    fail(name, `CIFAR-10 depth must be ${form} with n ≥ 1, e.g. ${examples}`);
  }
  const width = mods.width ?? DEFAULT_WIDTH.cifar10;
  const spec: Omit<StackedNetSpec, 'name'> = {
    kind: 'stacked',
    dataset: 'cifar10',
    family,
    depth,
    stem: 'cifar',
    block: 'basic',
    skip,
    stages: stagesOf([n, n, n], CIFAR_STAGES, width),
    shortcut: mods.shortcut ?? DEFAULT_SHORTCUT.cifar10,
    bottleneckStride: 'first-1x1',
    ...(mods.zeroGamma ? { zeroInitBranch: true as const } : {}),
    inputSize: INPUT.cifar10.size,
    numClasses: INPUT.cifar10.classes,
  };
  return { ...spec, name: formatModelName(spec) };
}

/** The canonical name of a spec: defaults are left out, so `resnet34-b` is `resnet34`. */
export function formatModelName(spec: Omit<StackedNetSpec, 'name'>): string {
  const ambiguous = spec.dataset === 'cifar10' && isImageNetDepth(spec.depth) && spec.family !== 'highway';
  const parts = [`${ambiguous ? 'cifar-' : ''}${spec.family}${spec.depth}`];
  if (spec.family !== 'plain' && spec.shortcut !== DEFAULT_SHORTCUT[spec.dataset]) parts.push(spec.shortcut.toLowerCase());
  if (spec.bottleneckStride === '3x3') parts.push('v1.5');
  if (spec.dataset === 'cifar10' && spec.skip !== 2) parts.push(`skip${spec.skip}`);
  if (spec.zeroInitBranch) parts.push('g0');
  const width = spec.stages[0]?.width;
  if (width !== DEFAULT_WIDTH[spec.dataset]) parts.push(`w${width}`);
  return parts.join('-');
}

/** Every model the paper's tables and figures use, plus the named variants. */
export const PAPER_MODELS: readonly string[] = [
  ...[18, 34, 50, 101, 152].flatMap((d) => [`plain${d}`, `resnet${d}-a`, `resnet${d}`, `resnet${d}-c`]),
  ...[50, 101, 152].map((d) => `resnet${d}-v1.5`),
  ...CIFAR_PAPER_DEPTHS.flatMap((d) => (d === 1202 ? [`resnet${d}`] : [`plain${d}`, `resnet${d}`])),
  'highway19',
  ...CIFAR_PAPER_DEPTHS.filter((d) => d <= 110).map((d) => `highway${d}`),
  ...[1, 3, 4].map((k) => `resnet110-skip${k}`),
];
