/**
 * Architectures as data. Every network the suite builds is a value of
 * `ArchSpec`; the paper's Table 1 and its CIFAR-10 recipe are the tables below.
 * `build.ts` turns a spec into a tfjs graph; `names.ts` maps names to specs.
 */
/** Output channels of a bottleneck block relative to its inner width. */
export const BOTTLENECK_EXPANSION = 4;
/** Table 1: blocks per stage for the ImageNet depths. */
export const IMAGENET_DEPTHS = {
    18: { block: 'basic', blocks: [2, 2, 2, 2] },
    34: { block: 'basic', blocks: [3, 4, 6, 3] },
    50: { block: 'bottleneck', blocks: [3, 4, 6, 3] },
    101: { block: 'bottleneck', blocks: [3, 4, 23, 3] },
    152: { block: 'bottleneck', blocks: [3, 8, 36, 3] },
};
/** Table 1: widths of conv2_x … conv5_x; conv3_1, conv4_1, conv5_1 downsample. */
export const IMAGENET_STAGES = { widths: [64, 128, 256, 512], strides: [1, 2, 2, 2] };
/** §4.2: three stages on 32, 16, 8 maps with 16, 32, 64 filters. */
export const CIFAR_STAGES = { widths: [16, 32, 64], strides: [1, 2, 2] };
/** The gate bias Srivastava et al. start from, so layers begin close to carrying their input. */
export const HIGHWAY_GATE_BIAS = -2;
/**
 * The authors' public 19-layer CIFAR-10 highway net (global-average-pool
 * variant): 3×3 conv 32, 4 highway layers of 32, pool; conv 80, 5 highway of
 * 80, pool; conv 128, 5 highway of 128; 1×1 conv 100; 8×8 average pool; fc 10.
 */
export const HIGHWAY19 = {
    kind: 'highway',
    name: 'highway19',
    dataset: 'cifar10',
    family: 'highway',
    depth: 19,
    stages: [
        { entryWidth: 32, highwayLayers: 4 },
        { entryWidth: 80, highwayLayers: 5 },
        { entryWidth: 128, highwayLayers: 5 },
    ],
    headWidth: 100,
    dropout: 0.2,
    gateBias: HIGHWAY_GATE_BIAS,
    inputSize: 32,
    numClasses: 10,
};
/** Depths 6n+2 reached by n = 3, 5, 7, 9, 18, 200 (§4.2, Table 6). */
export const CIFAR_PAPER_DEPTHS = [20, 32, 44, 56, 110, 1202];
//# sourceMappingURL=spec.js.map