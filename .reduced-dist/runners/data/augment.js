export const CIFAR_PAD = 4;
/** Writes image `index` of `set` into `out` at `slot`, with an optional crop offset and flip. */
function place(set, mean, index, out, slot, dx, dy, flip) {
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
            out[o] = set.images[src + p] - mean[p];
            out[o + 1] = set.images[src + p + 1] - mean[p + 1];
            out[o + 2] = set.images[src + p + 2] - mean[p + 2];
        }
    }
}
/** A training batch of the given indices, augmented with `random`. */
export function augmentedBatch(set, mean, indices, random) {
    const size = indices.length;
    const images = new Float32Array(size * set.side * set.side * 3);
    const labels = new Int32Array(size);
    for (let s = 0; s < size; s++) {
        const index = indices[s];
        // Crop offset in the padded image, as a shift of the original: −4 … +4.
        const dx = Math.floor(random() * (2 * CIFAR_PAD + 1)) - CIFAR_PAD;
        const dy = Math.floor(random() * (2 * CIFAR_PAD + 1)) - CIFAR_PAD;
        place(set, mean, index, images, s, dx, dy, random() < 0.5);
        labels[s] = set.labels[index];
    }
    return { images, labels, size };
}
/** An evaluation batch: images [from, from + size), the original view. */
export function plainBatch(set, mean, from, size) {
    const n = Math.min(size, set.count - from);
    const images = new Float32Array(n * set.side * set.side * 3);
    const labels = new Int32Array(n);
    for (let s = 0; s < n; s++) {
        place(set, mean, from + s, images, s, 0, 0, false);
        labels[s] = set.labels[from + s];
    }
    return { images, labels, size: n };
}
//# sourceMappingURL=augment.js.map