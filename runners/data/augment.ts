/**
 * The paper's CIFAR-10 augmentation, on bytes into a float batch: subtract
 * the per-pixel mean, pad 4 pixels on each side, take a random side×side crop
 * and flip it horizontally with probability ½. Padding is with zeros after
 * mean subtraction (the mean colour), as fb.resnet.torch does. Evaluation
 * takes the single original view, mean-subtracted.
 */
import type { ImageSet } from './images.js';
import type { Rng } from './rng.js';

export const CIFAR_PAD = 4;

export interface Batch {
  /** batch × side × side × 3, mean-subtracted. */
  readonly images: Float32Array;
  readonly labels: Int32Array;
  readonly size: number;
}

/** Writes image `index` of `set` into `out` at `slot`, with an optional crop offset and flip. */
function place(set: ImageSet, mean: Float32Array, index: number, out: Float32Array, slot: number, dx: number, dy: number, flip: boolean): void {
  const side = set.side;
  const pixels = side * side * 3;
  const src = index * pixels;
  const dst = slot * pixels;
  for (let y = 0; y < side; y++) {
    const sy = y + dy;
    for (let x = 0; x < side; x++) {
      const sx = (flip ? side - 1 - x : x) + dx;
      const o = dst + (y * side + x) * 3;
      if (sy < 0 || sy >= side || sx < 0 || sx >= side) {
        out[o] = 0;
        out[o + 1] = 0;
        out[o + 2] = 0;
        continue;
      }
      const p = (sy * side + sx) * 3;
      out[o] = set.images[src + p]! - mean[p]!;
      out[o + 1] = set.images[src + p + 1]! - mean[p + 1]!;
      out[o + 2] = set.images[src + p + 2]! - mean[p + 2]!;
    }
  }
}

/** A training batch of the given indices, augmented with `random`. */
export function augmentedBatch(set: ImageSet, mean: Float32Array, indices: ArrayLike<number>, random: Rng): Batch {
  const size = indices.length;
  const images = new Float32Array(size * set.side * set.side * 3);
  const labels = new Int32Array(size);
  for (let s = 0; s < size; s++) {
    const index = indices[s]!;
    // Crop offset in the padded image, as a shift of the original: −4 … +4.
    const dx = Math.floor(random() * (2 * CIFAR_PAD + 1)) - CIFAR_PAD;
    const dy = Math.floor(random() * (2 * CIFAR_PAD + 1)) - CIFAR_PAD;
    place(set, mean, index, images, s, dx, dy, random() < 0.5);
    labels[s] = set.labels[index]!;
  }
  return { images, labels, size };
}

/** An evaluation batch: images [from, from + size), the original view. */
export function plainBatch(set: ImageSet, mean: Float32Array, from: number, size: number): Batch {
  const n = Math.min(size, set.count - from);
  const images = new Float32Array(n * set.side * set.side * 3);
  const labels = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    place(set, mean, from + s, images, s, 0, 0, false);
    labels[s] = set.labels[from + s]!;
  }
  return { images, labels, size: n };
}
