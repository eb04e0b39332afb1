/** An in-memory labelled image set: what every dataset loader returns. */
export interface ImageSet {
  /** Dataset name as recorded in runs ("cifar10", "synthetic", …): never passed off as another. */
  readonly name: string;
  /** Images are side×side×3. */
  readonly side: number;
  readonly classes: number;
  readonly count: number;
  /** count × side × side × 3 bytes, HWC (NHWC for the batch). */
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
}

/** Per-pixel mean over a set (side×side×3 floats), subtracted from every image as the paper does. */
export function perPixelMean(set: ImageSet): Float32Array {
  const pixels = set.side * set.side * 3;
  const sum = new Float64Array(pixels);
  for (let i = 0; i < set.count; i++) {
    const offset = i * pixels;
    for (let p = 0; p < pixels; p++) sum[p]! += set.images[offset + p]!;
  }
  const mean = new Float32Array(pixels);
  for (let p = 0; p < pixels; p++) mean[p] = sum[p]! / Math.max(1, set.count);
  return mean;
}
