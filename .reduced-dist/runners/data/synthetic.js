import { rng } from './rng.js';
const SIDE = 32;
const CLASSES = 10;
/** Per class: RGB tint, stripe cycles across the image, horizontal or vertical. */
const CLASS_PATTERNS = Array.from({ length: CLASSES }, (_, c) => ({
    tint: [Math.cos((2 * Math.PI * c) / CLASSES), Math.cos((2 * Math.PI * (c + 3)) / CLASSES), Math.cos((2 * Math.PI * (c + 6)) / CLASSES)],
    cycles: 2 + (c % 3) * 2,
    vertical: c % 2 === 0,
}));
export function syntheticImages(split, count, seed = 0) {
    const images = new Uint8Array(count * SIDE * SIDE * 3);
    const labels = new Uint8Array(count);
    // Train and test draw from different streams of the same distribution.
    const random = rng(seed, 'synthetic', split);
    for (let i = 0; i < count; i++) {
        const label = Math.floor(random() * CLASSES);
        labels[i] = label;
        const { tint, cycles, vertical } = CLASS_PATTERNS[label];
        const phase = random() * 2 * Math.PI;
        for (let y = 0; y < SIDE; y++) {
            for (let x = 0; x < SIDE; x++) {
                const wave = Math.sin(phase + (2 * Math.PI * cycles * (vertical ? x : y)) / SIDE);
                for (let ch = 0; ch < 3; ch++) {
                    const noise = (random() + random() + random() - 1.5) * 40;
                    const value = 128 + 50 * tint[ch] + 45 * wave + noise;
                    images[((i * SIDE + y) * SIDE + x) * 3 + ch] = Math.max(0, Math.min(255, Math.round(value)));
                }
            }
        }
    }
    return { name: 'synthetic', side: SIDE, classes: CLASSES, count, images, labels };
}
//# sourceMappingURL=synthetic.js.map