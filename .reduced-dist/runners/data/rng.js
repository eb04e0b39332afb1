/**
 * Seeded randomness for data order and augmentation. Each stream is derived
 * from (seed, purpose, index), never carried as state, so a resumed run
 * draws exactly what an uninterrupted one would have.
 */
import seedrandom from 'seedrandom';
export function rng(seed, ...path) {
    return seedrandom.alea([seed, ...path].join('/'));
}
/** Fisher–Yates permutation of 0..n-1. */
export function permutation(n, random) {
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++)
        order[i] = i;
    for (let i = n - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    return order;
}
//# sourceMappingURL=rng.js.map