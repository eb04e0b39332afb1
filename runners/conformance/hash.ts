/**
 * What both sides of a conformance check compute from names alone, so a
 * fixture holds only the reference's outputs: values from a counter hash
 * (murmur3's finaliser of index xor a salt from the name, as
 * scripts/conformance.py), PyTorch's tensor layouts, and tensor sketches.
 */
import * as tf from '@tensorflow/tfjs';

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a of the name's UTF-8 bytes. */
function saltOf(name: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(name, 'utf8')) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

/** `size` values u in [−1, 1) from the hash, in float64 as numpy has them. */
export function uniform(name: string, size: number): Float64Array {
  const salt = fmix32(saltOf(name));
  const out = new Float64Array(size);
  for (let i = 0; i < size; i++) out[i] = (fmix32((i ^ salt) >>> 0) / 4294967296) * 2 - 1;
  return out;
}

/** offset + scale·u, rounded once to float32: what numpy computes. */
export function hashed(name: string, size: number, scale: number, offset = 0): Float32Array {
  return Float32Array.from(uniform(name, size), (u) => offset + scale * u);
}

/** PyTorch's layouts: conv [O, I, kh, kw] and dense [O, I]; vectors are the same on both sides. */
export type Layout = 'conv' | 'dense' | 'vector';

/** (scale, offset) of a hashed weight, from its name and PyTorch shape: kernels He-scaled by fan-in. */
const FILL: Record<string, readonly [number, number]> = { bias: [0.1, 0], gamma: [0.3, 1], beta: [0.2, 0], moving_mean: [0.2, 0], moving_variance: [0.4, 1] };

export function fillOf(name: string, shape: readonly number[], overrides: Readonly<Record<string, readonly [number, number]>> = {}): { scale: number; offset: number } {
  const suffix = name.slice(name.lastIndexOf('/') + 1);
  if (suffix === 'kernel') return { scale: Math.sqrt(6 / shape.slice(1).reduce((a, b) => a * b, 1)), offset: 0 };
  const fill = overrides[suffix] ?? FILL[suffix];
  if (!fill) throw new Error(`no fill rule for weight ${name}`);
  return { scale: fill[0], offset: fill[1] };
}

/** A PyTorch-layout tensor as ours: conv [O, I, kh, kw] → [kh, kw, I, O]; dense [O, I] → [I, O]. */
export function toOurLayout(layout: Layout, shape: readonly number[], values: Float32Array): tf.Tensor {
  return tf.tidy(() => {
    const t = tf.tensor(values, [...shape]);
    if (layout === 'conv') return tf.transpose(t, [2, 3, 1, 0]);
    if (layout === 'dense') return tf.transpose(t, [1, 0]);
    return t;
  });
}

/** One of our tensors (a weight, its gradient or change) in PyTorch's layout, as a flat array. */
export function inTheirLayout(layout: Layout, value: tf.Tensor): Float32Array {
  const t = tf.tidy(() => (layout === 'conv' ? tf.transpose(value, [3, 2, 0, 1]) : layout === 'dense' ? tf.transpose(value, [1, 0]) : value.clone()));
  const data = t.dataSync() as Float32Array;
  t.dispose();
  return data;
}

/** Directions a sketch projects on (scripts/conformance.py SKETCH_DIRECTIONS). */
export const SKETCH_DIRECTIONS = 2;
/** E[u²] of the hashed directions' uniform values is 1/3: projections of a difference δ scale as ‖δ‖/√3. */
const DIRECTION_RMS = Math.sqrt(1 / 3);

const directions = new Map<number, Float64Array[]>();

function directionsOf(size: number): Float64Array[] {
  let found = directions.get(size);
  if (!found) {
    found = Array.from({ length: SKETCH_DIRECTIONS }, (_, k) => uniform(`sketch:${k}`, size));
    directions.set(size, found);
  }
  return found;
}

/** [L2 norm, projections on hashed directions], in float64: a tensor's fingerprint. */
export function sketch(values: ArrayLike<number>): number[] {
  const dirs = directionsOf(values.length);
  let norm = 0;
  const projections = dirs.map(() => 0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    norm += v * v;
    for (let k = 0; k < dirs.length; k++) projections[k]! += v * dirs[k]![i]!;
  }
  return [Math.sqrt(norm), ...projections];
}

/**
 * How far our tensor is from theirs, from the two sketches, relative to their
 * norm: the norms' difference, and each projection's difference scaled to
 * estimate ‖ours − theirs‖. An L2 relative error, up to a random factor of order 1.
 */
export function sketchError(ours: readonly number[], theirs: ArrayLike<number>): number {
  const scale = theirs[0]!;
  let diff = Math.abs(ours[0]! - scale);
  for (let k = 1; k < ours.length; k++) diff = Math.max(diff, Math.abs(ours[k]! - theirs[k]!) / DIRECTION_RMS);
  return scale === 0 ? diff : diff / scale;
}

/** max |ours − theirs| / max |theirs|: the error relative to the tensor's scale. */
export function relativeError(ours: ArrayLike<number>, theirs: ArrayLike<number>): number {
  if (ours.length !== theirs.length) return Number.POSITIVE_INFINITY;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < theirs.length; i++) {
    diff = Math.max(diff, Math.abs(ours[i]! - theirs[i]!));
    scale = Math.max(scale, Math.abs(theirs[i]!));
  }
  return scale === 0 ? diff : diff / scale;
}

export function floats(base64: string): Float32Array {
  const bytes = Buffer.from(base64, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}
