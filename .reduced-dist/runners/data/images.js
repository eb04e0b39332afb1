/** Per-pixel mean over a set (side×side×3 floats), subtracted from every image as the paper does. */
export function perPixelMean(set) {
    const pixels = set.side * set.side * 3;
    const sum = new Float64Array(pixels);
    for (let i = 0; i < set.count; i++) {
        const offset = i * pixels;
        for (let p = 0; p < pixels; p++)
            sum[p] += set.images[offset + p];
    }
    const mean = new Float32Array(pixels);
    for (let p = 0; p < pixels; p++)
        mean[p] = sum[p] / Math.max(1, set.count);
    return mean;
}
//# sourceMappingURL=images.js.map