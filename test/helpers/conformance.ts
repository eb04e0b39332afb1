/**
 * Reads the PyTorch fixtures of scripts/conformance.py and loads their
 * weights into our models. Weights and inputs come from a counter hash both
 * sides compute (murmur3's finaliser of index xor a salt from the name), so a
 * fixture holds only the reference's outputs.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import type { BuiltModel } from '../../runners/models/build.js';

export const FIXTURES = new URL('../fixtures/conformance/', import.meta.url);

export interface FixtureWeight {
  /** Our weight's name, e.g. conv2_1.conv1/kernel. */
  readonly name: string;
  /** conv [O, I, kh, kw] and dense [O, I] are PyTorch's layouts; vectors are the same in both. */
  readonly kind: 'conv' | 'dense' | 'vector';
  readonly shape: number[];
  readonly scale: number;
  readonly offset: number;
}

export interface Fixture {
  readonly model: string;
  readonly reference: string;
  readonly side: number;
  readonly batch: number;
  readonly classes: number;
  readonly weights: FixtureWeight[];
  /** Logits (base64 float32, [batch, classes]) with moving statistics, and with batch statistics. */
  readonly inference: string;
  readonly training?: string;
  /** Three SGD steps in Caffe's form: the gradients of the first, the state after the first and the last. */
  readonly steps?: { learningRate: number; labels: number[]; loss: number; gradients?: Record<string, string>; state?: Record<string, string> }[];
}

export function readFixture(name: string): Fixture {
  return JSON.parse(readFileSync(new URL(`${name}.json`, FIXTURES), 'utf8')) as Fixture;
}

export function floats(base64: string): Float32Array {
  const bytes = Buffer.from(base64, 'base64');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

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

/** A PyTorch-layout tensor as ours: conv [O, I, kh, kw] → [kh, kw, I, O]; dense [O, I] → [I, O]. */
export function toOurLayout(kind: FixtureWeight['kind'], shape: number[], values: Float32Array): tf.Tensor {
  return tf.tidy(() => {
    const t = tf.tensor(values, shape);
    if (kind === 'conv') return tf.transpose(t, [2, 3, 1, 0]);
    if (kind === 'dense') return tf.transpose(t, [1, 0]);
    return t;
  });
}

/** Sets every weight of `built` from the fixture; fails unless the two name exactly the same weights. */
export function loadWeights(built: BuiltModel, fixture: Fixture): void {
  const ours = new Map(built.model.weights.map((w) => [w.originalName, w]));
  const theirs = new Set(fixture.weights.map((w) => w.name));
  const unmatched = [...[...ours.keys()].filter((n) => !theirs.has(n)), ...[...theirs].filter((n) => !ours.has(n))];
  if (unmatched.length > 0) throw new Error(`${fixture.model}: weights not in both models: ${unmatched.join(', ')}`);
  for (const w of fixture.weights) {
    const size = w.shape.reduce((a, b) => a * b, 1);
    const value = toOurLayout(w.kind, w.shape, hashed(`${fixture.model}:${w.name}`, size, w.scale, w.offset));
    ours.get(w.name)!.write(value);
    value.dispose();
  }
}

/** The fixture's input batch NHWC, as the reference drew it. */
export function fixtureImages(fixture: Fixture, what = 'input'): tf.Tensor4D {
  const { batch, side } = fixture;
  return tf.tensor4d(hashed(`${fixture.model}:${what}`, batch * side * side * 3, 1.5), [batch, side, side, 3]);
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

/** One of our tensors (a weight or its gradient) in PyTorch's layout, as a flat array. */
export function inTheirLayout(fixture: Fixture, weight: string, value: tf.Tensor): Float32Array {
  const kind = fixture.weights.find((w) => w.name === weight)?.kind;
  const t = tf.tidy(() => (kind === 'conv' ? tf.transpose(value, [3, 2, 0, 1]) : kind === 'dense' ? tf.transpose(value, [1, 0]) : value.clone()));
  const data = t.dataSync() as Float32Array;
  t.dispose();
  return data;
}

/** Our weights and BN statistics in PyTorch's layout, by name. */
export function stateOf(built: BuiltModel, fixture: Fixture): Map<string, Float32Array> {
  return new Map(built.model.weights.map((w) => [w.originalName, inTheirLayout(fixture, w.originalName, w.read())]));
}

export const minus = (a: Float32Array, b: Float32Array) => a.map((v, i) => v - b[i]!);

/** The CIFAR pipeline fixture: bytes from the hash, the mean, and three augmented views. */
export interface PipelineFixture {
  readonly count: number;
  readonly side: number;
  readonly seed: number;
  readonly iteration: number;
  readonly indices: number[];
  readonly mean: string;
  readonly crops: { dx: number; dy: number; flip: boolean; image: string }[];
}

export function readPipelineFixture(): PipelineFixture {
  return JSON.parse(readFileSync(new URL('cifar-pipeline.json', FIXTURES), 'utf8')) as PipelineFixture;
}

/** The fixture's image bytes, as numpy makes them from the same hash. */
export function pipelineBytes(fixture: PipelineFixture): Uint8Array {
  return Uint8Array.from(uniform('pipeline:bytes', fixture.count * fixture.side * fixture.side * 3), (u) => Math.min(255, Math.max(0, Math.trunc((u + 1) * 128))));
}
