/**
 * The initial weights a run starts from, checked against the paper's
 * initialisation as a statistician would: per tensor, its mean and variance
 * against the distribution it should be drawn from, and constants exactly.
 * The expectations are written here from the sources, not read from the
 * builder, so a builder that drifts fails:
 * - convolutions: N(0, 2/fan_in) (He et al. 2015, the paper's [13]);
 * - the classifier: U(±1/√fan_in) with zero bias (Torch's, as fb.resnet.torch;
 *   the paper is silent);
 * - BN: γ 1 (Caffe's Scale default; 0 in the last BN of a `-g0` branch), β 0,
 *   moving mean 0 and variance 1;
 * - gated shortcuts and Srivastava et al.'s highway net: the transform gate's
 *   bias −2 (their "negative, e.g. −1, −3"); highway19's convolutions Xavier
 *   uniform, U(±√(6/(fan_in + fan_out))), with zero bias.
 */
import type * as tf from '@tensorflow/tfjs';
import type { ArchSpec } from '../models/spec.js';

/** A drawn tensor passes while its mean and variance are within this many standard errors. */
export const INIT_Z_BOUND = 6;

const GATE_BIAS = -2;

type Expectation =
  | { readonly kind: 'normal'; readonly std: number }
  | { readonly kind: 'uniform'; readonly bound: number }
  | { readonly kind: 'constant'; readonly value: number };

/** What the paper's initialisation draws for one weight of `spec`, from its name and our shape. */
export function expectedInit(spec: ArchSpec, name: string, shape: readonly number[]): Expectation {
  const suffix = name.slice(name.lastIndexOf('/') + 1);
  const layer = name.slice(0, name.lastIndexOf('/'));
  if (layer === 'fc') return suffix === 'kernel' ? { kind: 'uniform', bound: 1 / Math.sqrt(shape[0]!) } : { kind: 'constant', value: 0 };
  if (suffix === 'kernel') {
    const [kh, kw, cin, cout] = shape as [number, number, number, number];
    if (spec.kind === 'highway') return { kind: 'uniform', bound: Math.sqrt(6 / (kh * kw * cin + kh * kw * cout)) };
    return { kind: 'normal', std: Math.sqrt(2 / (kh * kw * cin)) };
  }
  if (suffix === 'bias') return { kind: 'constant', value: layer.endsWith('.gate') || layer.endsWith('.t') ? GATE_BIAS : 0 };
  if (suffix === 'gamma') return { kind: 'constant', value: startsAtZero(spec, layer) ? 0 : 1 };
  if (suffix === 'moving_variance') return { kind: 'constant', value: 1 };
  return { kind: 'constant', value: 0 }; // beta, moving_mean
}

/** `-g0`: the BN after a residual branch's last convolution (conv{skip}, conv3 of a bottleneck). */
function startsAtZero(spec: ArchSpec, bnLayer: string): boolean {
  if (spec.kind !== 'stacked' || !spec.zeroInitBranch || spec.family !== 'resnet') return false;
  const last = spec.block === 'bottleneck' ? 3 : spec.skip;
  return new RegExp(`^conv\\d+_\\d+\\.conv${last}\\.bn$`).test(bnLayer);
}

export interface InitFinding {
  readonly tensor: string;
  /** |z| of the worse of mean and variance for drawn tensors; for constants, the largest |value − constant|. */
  readonly value: number;
  readonly pass: boolean;
  readonly expected: string;
}

/**
 * Mean and variance z-scores of a drawn tensor: the sample mean against
 * σ/√n, the sample variance against its standard error √((κ − 1)/n)·σ²
 * (kurtosis κ 3 for a normal, 9/5 for a uniform).
 */
function drawnZ(values: Float32Array, expected: Extract<Expectation, { kind: 'normal' | 'uniform' }>): number {
  const n = values.length;
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const variance = squares / Math.max(1, n - 1);
  const sigma2 = expected.kind === 'normal' ? expected.std ** 2 : expected.bound ** 2 / 3;
  const kurtosis = expected.kind === 'normal' ? 3 : 9 / 5;
  const zMean = Math.abs(mean) / Math.sqrt(sigma2 / n);
  const zVariance = Math.abs(variance / sigma2 - 1) / Math.sqrt((kurtosis - 1) / n);
  // A uniform draw never leaves its bound: a wider one is wrong however its moments look.
  if (expected.kind === 'uniform' && values.some((v) => Math.abs(v) > expected.bound)) return Number.POSITIVE_INFINITY;
  return Math.max(zMean, zVariance);
}

const describe = (e: Expectation): string =>
  e.kind === 'normal' ? `N(0, ${e.std.toPrecision(3)}²)` : e.kind === 'uniform' ? `U(±${e.bound.toPrecision(3)})` : `= ${e.value}`;

/** Every weight and BN statistic of a freshly built model against its expectation. */
export function checkInitialisation(spec: ArchSpec, weights: readonly tf.LayerVariable[]): InitFinding[] {
  return weights.map((w) => {
    const expected = expectedInit(spec, w.originalName, w.shape as number[]);
    const values = w.read().dataSync() as Float32Array;
    if (expected.kind === 'constant') {
      let worst = 0;
      for (const v of values) worst = Math.max(worst, Math.abs(v - expected.value));
      if (Number.isNaN(worst) || values.some(Number.isNaN)) worst = Number.POSITIVE_INFINITY;
      return { tensor: w.originalName, value: worst, pass: worst === 0, expected: describe(expected) };
    }
    const z = drawnZ(values, expected);
    return { tensor: w.originalName, value: z, pass: z <= INIT_Z_BOUND, expected: describe(expected) };
  });
}
