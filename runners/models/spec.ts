/**
 * Architectures as data. Every network the suite builds is a value of
 * `ArchSpec`; the paper's Table 1 and its CIFAR-10 recipe are the tables below.
 * `build.ts` turns a spec into a tfjs graph; `names.ts` maps names to specs.
 */

export type Dataset = 'cifar10' | 'imagenet';

/** resnet: identity/projection shortcuts; plain: none; highway: gated shortcuts. */
export type Family = 'resnet' | 'plain' | 'highway';

/**
 * Table 3's shortcut options. A: zero-padding where dimensions grow, identity
 * elsewhere (no parameters); B: projections where dimensions grow; C: all
 * shortcuts are projections.
 */
export type ShortcutOption = 'A' | 'B' | 'C';

/** basic: k 3×3 convolutions per block; bottleneck: 1×1 reduce, 3×3, 1×1 restore. */
export type BlockKind = 'basic' | 'bottleneck';

/**
 * Where a downsampling bottleneck puts its stride: on the first 1×1 (the
 * paper's Caffe models) or on the 3×3 (the later "v1.5").
 */
export type BottleneckStride = 'first-1x1' | '3x3';

export interface StageSpec {
  /** Blocks in this stage. */
  readonly blocks: number;
  /** Width of the 3×3 convolutions (the bottleneck's inner width). */
  readonly width: number;
  /** Stride of the stage's first block. */
  readonly stride: number;
}

/** A ResNet, its plain twin, or its gated (highway) twin: one builder covers all three. */
export interface StackedNetSpec {
  readonly kind: 'stacked';
  readonly name: string;
  readonly dataset: Dataset;
  readonly family: Family;
  /** Weighted layers on the main path, as the paper counts depth. */
  readonly depth: number;
  readonly stem: 'cifar' | 'imagenet';
  readonly block: BlockKind;
  /** Convolutions a shortcut skips (2 for basic blocks, 3 for bottlenecks in the paper). */
  readonly skip: number;
  readonly stages: readonly StageSpec[];
  /** Ignored for plain nets. */
  readonly shortcut: ShortcutOption;
  readonly bottleneckStride: BottleneckStride;
  /**
   * Ours, not the paper's (the `-g0` suffix): the last BN of each residual
   * branch starts at γ = 0 (Goyal et al. 2017), so every block starts as its
   * shortcut. The paper's nets start at γ = 1, Caffe's default.
   */
  readonly zeroInitBranch?: true;
  readonly inputSize: number;
  readonly numClasses: number;
}

/**
 * Srivastava et al.'s convolutional highway network for CIFAR-10, in the
 * authors' public 19-layer configuration (see `HIGHWAY19`).
 */
export interface HighwayNetSpec {
  readonly kind: 'highway';
  readonly name: string;
  readonly dataset: 'cifar10';
  readonly family: 'highway';
  readonly depth: number;
  readonly stages: readonly { readonly entryWidth: number; readonly highwayLayers: number }[];
  readonly headWidth: number;
  readonly dropout: number;
  readonly gateBias: number;
  readonly inputSize: number;
  readonly numClasses: number;
}

export type ArchSpec = StackedNetSpec | HighwayNetSpec;

/** Output channels of a bottleneck block relative to its inner width. */
export const BOTTLENECK_EXPANSION = 4;

/** Table 1: blocks per stage for the ImageNet depths. */
export const IMAGENET_DEPTHS = {
  18: { block: 'basic', blocks: [2, 2, 2, 2] },
  34: { block: 'basic', blocks: [3, 4, 6, 3] },
  50: { block: 'bottleneck', blocks: [3, 4, 6, 3] },
  101: { block: 'bottleneck', blocks: [3, 4, 23, 3] },
  152: { block: 'bottleneck', blocks: [3, 8, 36, 3] },
} as const satisfies Record<number, { block: BlockKind; blocks: readonly number[] }>;

export type ImageNetDepth = keyof typeof IMAGENET_DEPTHS;

/** Table 1: widths of conv2_x … conv5_x; conv3_1, conv4_1, conv5_1 downsample. */
export const IMAGENET_STAGES = { widths: [64, 128, 256, 512], strides: [1, 2, 2, 2] } as const;

/** §4.2: three stages on 32, 16, 8 maps with 16, 32, 64 filters. */
export const CIFAR_STAGES = { widths: [16, 32, 64], strides: [1, 2, 2] } as const;

/** The gate bias Srivastava et al. start from, so layers begin close to carrying their input. */
export const HIGHWAY_GATE_BIAS = -2;

/**
 * The authors' public 19-layer CIFAR-10 highway net (global-average-pool
 * variant): 3×3 conv 32, 4 highway layers of 32, pool; conv 80, 5 highway of
 * 80, pool; conv 128, 5 highway of 128; 1×1 conv 100; 8×8 average pool; fc 10.
 */
export const HIGHWAY19: HighwayNetSpec = {
  kind: 'highway',
  name: 'highway19',
  dataset: 'cifar10',
  family: 'highway',
  depth: 19,
  stages: [
    { entryWidth: 32, highwayLayers: 4 },
    { entryWidth: 80, highwayLayers: 5 },
    { entryWidth: 128, highwayLayers: 5 },
  ],
  headWidth: 100,
  dropout: 0.2,
  gateBias: HIGHWAY_GATE_BIAS,
  inputSize: 32,
  numClasses: 10,
};

/** Depths 6n+2 reached by n = 3, 5, 7, 9, 18, 200 (§4.2, Table 6). */
export const CIFAR_PAPER_DEPTHS = [20, 32, 44, 56, 110, 1202] as const;
