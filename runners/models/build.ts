/**
 * One builder for every architecture spec. Like torchvision's resnet.py:
 * a stem, one `stage()` that decides in one place when a shortcut needs a
 * projection, and block functions that read like the paper's Fig. 2 and 5.
 *
 * Conventions (each from the paper unless marked as ours):
 * - BN after every convolution, before the ReLU; convolutions followed by BN
 *   have no bias.
 * - Padding as Caffe's: a strided 3×3 (or 7×7) convolution pads every side
 *   explicitly, because TF's 'same' would put the extra row/column at the
 *   bottom-right only (same counts, shifted maps).
 * - He initialisation N(0, 2/fan_in) for convolutions (not tfjs's truncated
 *   "heNormal"). Ours: fc weights U(±1/√fan_in) and bias 0, as Torch.
 * - Ours: BN momentum 0.9, epsilon 1e-5 (Torch/Caffe defaults); BN γ starts
 *   at 1 (Caffe's Scale default), 0 in the last BN of each branch of `-g0` nets.
 */
import * as tf from '@tensorflow/tfjs';
import { FusedTrainingBatchNorm } from '../kernels/fused-batch-norm.js';
import { GatedSum, ZeroPadShortcut } from './layers.js';
import { type ArchSpec, type HighwayNetSpec, type StackedNetSpec, BOTTLENECK_EXPANSION, HIGHWAY_GATE_BIAS } from './spec.js';

/** How a weighted layer counts: 'main' layers are the paper's depth. */
export type LayerRole = 'main' | 'shortcut' | 'gate';

export interface BuildOptions {
  /** Seeds every initialiser and dropout mask (one seed, derived per layer). */
  readonly seed?: number;
  /** 'zeros' skips random initialisation: for counting only. */
  readonly init?: 'random' | 'zeros';
  /** Input side length; defaults to the spec's (32 or 224). */
  readonly inputSize?: number;
  /** Classes of the fc layer; defaults to the spec's (10 or 1000), fewer for a subset of ImageNet. */
  readonly numClasses?: number;
  /** BN's moving-average momentum; 0.9 unless a calibration fault changes it. */
  readonly bnMomentum?: number;
}

export interface BuiltModel {
  readonly spec: ArchSpec;
  /** Maps a batch of images [N, H, W, 3] to logits [N, classes]. */
  readonly model: tf.LayersModel;
  /** Role of every weighted (convolution or fc) layer, by layer name. */
  readonly roles: ReadonlyMap<string, LayerRole>;
  /**
   * Fig. 7 taps: names of the BN layers that follow each main-path 3×3
   * convolution, in depth order: the response before ReLU and addition.
   */
  readonly responseTaps: readonly string[];
}

type T = tf.SymbolicTensor;
type Initializer = ReturnType<typeof tf.initializers.zeros>;

/** Builds the graph for a spec. The caller owns `model` and must dispose it. */
export function buildModel(spec: ArchSpec, options: BuildOptions = {}): BuiltModel {
  const g = new GraphBuilder(options);
  const size = options.inputSize ?? spec.inputSize;
  const input = tf.input({ shape: [size, size, 3], name: 'images' });
  const classes = options.numClasses ?? spec.numClasses;
  const logits = spec.kind === 'stacked' ? stackedNet(g, spec, input, classes) : highwayNet(g, spec, input, classes);
  const model = tf.model({ inputs: input, outputs: logits, name: spec.name });
  return { spec, model, roles: g.roles, responseTaps: g.taps };
}

/**
 * Weights that get weight decay: convolution and fc kernels. BN scale/shift
 * and biases do not (the paper does not say; this is the common choice).
 */
export function decayedWeights(built: BuiltModel): tf.LayerVariable[] {
  return built.model.trainableWeights.filter((w) => w.originalName.endsWith('/kernel'));
}

/** Layer factory that names layers, seeds them and records roles and taps. */
class GraphBuilder {
  readonly roles = new Map<string, LayerRole>();
  readonly taps: string[] = [];
  private nextSeed: number;
  private readonly zeros: boolean;
  private readonly bnMomentum: number;

  constructor(options: BuildOptions) {
    this.nextSeed = (options.seed ?? 0) * 7919 + 1;
    this.zeros = options.init === 'zeros';
    this.bnMomentum = options.bnMomentum ?? 0.9;
  }

  private seed(): number {
    return this.nextSeed++;
  }

  private kernelInit(fanIn: number, dist: 'he' | 'torch-fc' | 'glorot'): Initializer {
    if (this.zeros) return tf.initializers.zeros();
    const seed = this.seed();
    if (dist === 'he') return tf.initializers.randomNormal({ mean: 0, stddev: Math.sqrt(2 / fanIn), seed });
    if (dist === 'glorot') return tf.initializers.glorotUniform({ seed });
    const bound = 1 / Math.sqrt(fanIn);
    return tf.initializers.randomUniform({ minval: -bound, maxval: bound, seed });
  }

  /** A convolution with Caffe-style padding; `bias` only where no BN follows. */
  conv(
    x: T,
    a: { name: string; filters: number; kernel: number; stride?: number; role: LayerRole; bias?: boolean; activation?: 'relu' | 'sigmoid'; init?: 'he' | 'glorot'; biasInit?: number },
  ): T {
    const stride = a.stride ?? 1;
    const inChannels = x.shape[3]!;
    let input = x;
    let padding: 'same' | 'valid' = 'same';
    if (a.kernel > 1 && stride > 1) {
      const pad = (a.kernel - 1) / 2;
      input = tf.layers.zeroPadding2d({ padding: pad, name: `${a.name}.pad` }).apply(x) as T;
      padding = 'valid';
    } else if (a.kernel === 1) {
      padding = 'valid';
    }
    const layer = tf.layers.conv2d({
      name: a.name,
      filters: a.filters,
      kernelSize: a.kernel,
      strides: stride,
      padding,
      useBias: a.bias ?? false,
      activation: a.activation ?? 'linear',
      kernelInitializer: this.kernelInit(a.kernel * a.kernel * inChannels, a.init ?? 'he'),
      biasInitializer: a.biasInit === undefined ? 'zeros' : tf.initializers.constant({ value: a.biasInit }),
    });
    this.roles.set(a.name, a.role);
    return layer.apply(input) as T;
  }

  /** tfjs-layers' BN; in training on native TensorFlow it runs TF's fused kernels (kernels/fused-batch-norm.ts). */
  bn(x: T, name: string, gamma: 0 | 1 = 1): T {
    return new FusedTrainingBatchNorm({ name, axis: 3, momentum: this.bnMomentum, epsilon: 1e-5, gammaInitializer: gamma === 0 ? 'zeros' : 'ones' }).apply(x) as T;
  }

  /** conv → BN, the unit every stacked net is made of; optionally a Fig. 7 tap. */
  convBn(x: T, a: { name: string; filters: number; kernel: number; stride?: number; role: LayerRole; tap?: boolean; gamma?: 0 | 1 }): T {
    const y = this.bn(this.conv(x, a), `${a.name}.bn`, a.gamma);
    if (a.tap) this.taps.push(`${a.name}.bn`);
    return y;
  }

  relu(x: T, name: string): T {
    return tf.layers.reLU({ name }).apply(x) as T;
  }

  add(xs: T[], name: string): T {
    return tf.layers.add({ name }).apply(xs) as T;
  }

  maxPool(x: T, a: { name: string; size: number; stride: number; pad?: number }): T {
    let input = x;
    if (a.pad) {
      // Only used after a ReLU, where zero padding equals −∞ padding.
      input = tf.layers.zeroPadding2d({ padding: a.pad, name: `${a.name}.pad` }).apply(x) as T;
    }
    return tf.layers.maxPooling2d({ name: a.name, poolSize: a.size, strides: a.stride, padding: 'valid' }).apply(input) as T;
  }

  dropout(x: T, rate: number, name: string): T {
    return tf.layers.dropout({ name, rate, seed: this.seed() }).apply(x) as T;
  }

  head(x: T, classes: number): T {
    const pooled = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(x) as T;
    return this.fc(pooled, classes);
  }

  fc(x: T, classes: number): T {
    const fanIn = x.shape[x.shape.length - 1]!;
    this.roles.set('fc', 'main');
    return tf.layers
      .dense({ name: 'fc', units: classes, kernelInitializer: this.kernelInit(fanIn, 'torch-fc'), biasInitializer: 'zeros' })
      .apply(x) as T;
  }

  zeroPadShortcut(x: T, stride: number, outChannels: number, name: string): T {
    return new ZeroPadShortcut({ name, stride, outChannels }).apply(x) as T;
  }

  gatedSum(h: T, x: T, gate: T, name: string): T {
    return new GatedSum({ name }).apply([h, x, gate]) as T;
  }
}

// ── ResNets, plain nets and gated ResNets ─────────────────────────────────

function stackedNet(g: GraphBuilder, spec: StackedNetSpec, input: T, classes: number): T {
  let x = stem(g, spec, input);
  spec.stages.forEach((stage, i) => {
    // Stages are numbered after the stem, conv2_x onwards, as in Table 1.
    x = stageOf(g, spec, x, i + 2, stage.blocks, stage.width, stage.stride);
  });
  return g.head(x, classes);
}

function stem(g: GraphBuilder, spec: StackedNetSpec, x: T): T {
  if (spec.stem === 'cifar') {
    return g.relu(g.convBn(x, { name: 'conv1', filters: spec.stages[0]!.width, kernel: 3, role: 'main', tap: true }), 'conv1.relu');
  }
  // Table 1: 7×7, 64, stride 2; then 3×3 max pool, stride 2.
  const y = g.relu(g.convBn(x, { name: 'conv1', filters: spec.stages[0]!.width, kernel: 7, stride: 2, role: 'main' }), 'conv1.relu');
  return g.maxPool(y, { name: 'pool1', size: 3, stride: 2, pad: 1 });
}

/** One stage (Table 1's conv{n}_x): the one place that decides shortcuts. */
function stageOf(g: GraphBuilder, spec: StackedNetSpec, x: T, stageNo: number, blocks: number, width: number, stride: number): T {
  const outChannels = spec.block === 'bottleneck' ? width * BOTTLENECK_EXPANSION : width;
  for (let b = 1; b <= blocks; b++) {
    const name = `conv${stageNo}_${b}`;
    const s = b === 1 ? stride : 1;
    const residual = spec.block === 'bottleneck' ? bottleneckBranch(g, spec, x, name, width, s) : basicBranch(g, spec, x, name, width, s);
    if (spec.family === 'plain') {
      x = g.relu(residual, `${name}.relu`);
      continue;
    }
    const shortcut = shortcutOf(g, spec, x, name, outChannels, s);
    const merged =
      spec.family === 'highway'
        ? g.gatedSum(residual, shortcut, gateOf(g, x, name, outChannels, s), `${name}.gated`)
        : g.add([residual, shortcut], `${name}.add`);
    x = g.relu(merged, `${name}.relu`);
  }
  return x;
}

/** Identity, option-A zero padding, or a 1×1 projection with BN (options B, C). */
function shortcutOf(g: GraphBuilder, spec: StackedNetSpec, x: T, name: string, outChannels: number, stride: number): T {
  const grows = stride !== 1 || x.shape[3] !== outChannels;
  const project = spec.shortcut === 'C' || (spec.shortcut === 'B' && grows);
  if (project) {
    return g.convBn(x, { name: `${name}.proj`, filters: outChannels, kernel: 1, stride, role: 'shortcut' });
  }
  return grows ? g.zeroPadShortcut(x, stride, outChannels, `${name}.padshortcut`) : x;
}

/**
 * Ours, for gated ResNets (the essay's "gated vs identity shortcuts"): the
 * transform gate T = σ(1×1 conv of the block input + b), b starting at −2 as
 * Srivastava et al.; y = ReLU(T·F(x) + (1 − T)·shortcut(x)).
 */
function gateOf(g: GraphBuilder, x: T, name: string, outChannels: number, stride: number): T {
  return g.conv(x, { name: `${name}.gate`, filters: outChannels, kernel: 1, stride, role: 'gate', bias: true, activation: 'sigmoid', biasInit: HIGHWAY_GATE_BIAS });
}

/** k 3×3 convolutions (k = spec.skip); the last one's BN output is not activated. */
function basicBranch(g: GraphBuilder, spec: StackedNetSpec, x: T, name: string, width: number, stride: number): T {
  let y = x;
  for (let i = 1; i <= spec.skip; i++) {
    const last = i === spec.skip;
    y = g.convBn(y, { name: `${name}.conv${i}`, filters: width, kernel: 3, stride: i === 1 ? stride : 1, role: 'main', tap: true, gamma: last ? branchGamma(spec) : 1 });
    if (!last) y = g.relu(y, `${name}.relu${i}`);
  }
  return y;
}

/** 1×1 reduce, 3×3, 1×1 restore; the stride sits on the first 1×1 (paper) or the 3×3 (v1.5). */
function bottleneckBranch(g: GraphBuilder, spec: StackedNetSpec, x: T, name: string, width: number, stride: number): T {
  const onFirst = spec.bottleneckStride === 'first-1x1';
  let y = g.relu(g.convBn(x, { name: `${name}.conv1`, filters: width, kernel: 1, stride: onFirst ? stride : 1, role: 'main' }), `${name}.relu1`);
  y = g.relu(g.convBn(y, { name: `${name}.conv2`, filters: width, kernel: 3, stride: onFirst ? 1 : stride, role: 'main', tap: true }), `${name}.relu2`);
  return g.convBn(y, { name: `${name}.conv3`, filters: width * BOTTLENECK_EXPANSION, kernel: 1, role: 'main', gamma: branchGamma(spec) });
}

/** The initial γ of a residual branch's last BN: 1 (the paper's), 0 for `-g0` nets. */
function branchGamma(spec: StackedNetSpec): 0 | 1 {
  return spec.zeroInitBranch && spec.family === 'resnet' ? 0 : 1;
}

// ── Srivastava et al.'s highway net (authors' public configuration) ──────

/**
 * As published: no BN; convolutions with bias and Xavier initialisation;
 * H and T are both 3×3 convolutions of the layer input, T's bias starts at
 * spec.gateBias; input and stage dropout.
 */
function highwayNet(g: GraphBuilder, spec: HighwayNetSpec, input: T, classes: number): T {
  let x = g.dropout(input, spec.dropout, 'input.dropout');
  spec.stages.forEach((stage, i) => {
    const s = i + 1;
    if (i > 0) {
      x = g.maxPool(x, { name: `pool${i}`, size: 2, stride: 2 });
      x = g.dropout(x, spec.dropout, `pool${i}.dropout`);
    }
    x = g.conv(x, { name: `conv${s}`, filters: stage.entryWidth, kernel: 3, role: 'main', bias: true, activation: 'relu', init: 'glorot' });
    for (let l = 1; l <= stage.highwayLayers; l++) {
      const name = `highway${s}_${l}`;
      const h = g.conv(x, { name: `${name}.h`, filters: stage.entryWidth, kernel: 3, role: 'main', bias: true, activation: 'relu', init: 'glorot' });
      const t = g.conv(x, { name: `${name}.t`, filters: stage.entryWidth, kernel: 3, role: 'gate', bias: true, activation: 'sigmoid', init: 'glorot', biasInit: spec.gateBias });
      x = g.gatedSum(h, x, t, `${name}.gated`);
    }
  });
  x = g.conv(x, { name: 'conv_head', filters: spec.headWidth, kernel: 1, role: 'main', bias: true, activation: 'relu', init: 'glorot' });
  x = tf.layers.globalAveragePooling2d({ name: 'pool' }).apply(x) as T;
  x = g.dropout(x, spec.dropout, 'pool.dropout');
  return g.fc(x, classes);
}
