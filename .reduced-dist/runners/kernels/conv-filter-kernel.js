/**
 * Conv2DBackpropFilter for the JavaScript backends.
 *
 * tfjs's cpu backend computes it element by element (about 10 s of an 11 s
 * training step of a width-4 ResNet-8, batch 32), and wasm has no such kernel
 * at all, so it cannot train. The filter gradient is a sum of matrix
 * products, one per kernel offset:
 *
 *   dW[kh, kw] = patches(x, kh, kw)ᵀ · dy     ([N·H'·W', Cin]ᵀ · [N·H'·W', Cout])
 *
 * where patches() is the strided slice of the padded input the offset sees:
 * fast, existing kernels on both backends. It is registered as the kernel
 * itself, so Conv2D and FusedConv2D (which tfjs-layers uses) both reach it.
 * A kernel may return a tensor, and ops run inside a kernel are not taped.
 * Native TensorFlow keeps its own kernel.
 */
import * as tf from '@tensorflow/tfjs';
/** The gradient of conv2d(x, filter) with respect to the filter, composed from slices and matMuls. */
export function composedFilterGradient(x, dy, filterShape, attrs) {
    return tf.tidy(() => {
        const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape, attrs.strides, attrs.dilations ?? 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
        const { top, bottom, left, right } = info.padInfo;
        const padded = top || bottom || left || right ? tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]) : x;
        const [n] = x.shape;
        const [fh, fw, cin, cout] = filterShape;
        const rows = n * info.outHeight * info.outWidth;
        const grad = dy.reshape([rows, cout]);
        const offsets = [];
        for (let kh = 0; kh < fh; kh++) {
            for (let kw = 0; kw < fw; kw++) {
                const y0 = kh * info.dilationHeight;
                const x0 = kw * info.dilationWidth;
                const height = (info.outHeight - 1) * info.strideHeight + 1;
                const width = (info.outWidth - 1) * info.strideWidth + 1;
                // A plain slice where it can: cpu's strided slice reads element by element.
                const patch = info.strideHeight === 1 && info.strideWidth === 1
                    ? tf.slice(padded, [0, y0, x0, 0], [n, height, width, cin])
                    : tf.stridedSlice(padded, [0, y0, x0, 0], [n, y0 + height, x0 + width, cin], [1, info.strideHeight, info.strideWidth, 1]);
                offsets.push(tf.matMul(patch.reshape([rows, cin]), grad, true, false));
            }
        }
        return tf.stack(offsets).reshape(filterShape);
    });
}
/** The backends that get this kernel: wasm lacks one, cpu's is slow. */
export const COMPOSED_FILTER_BACKENDS = ['cpu', 'wasm'];
let installed = false;
/** Registers the composed kernel for cpu (replacing tfjs's) and wasm (adding one). Idempotent. */
export function installComposedFilterKernel() {
    if (installed)
        return;
    for (const backendName of COMPOSED_FILTER_BACKENDS) {
        if (tf.getKernel('Conv2DBackpropFilter', backendName))
            tf.unregisterKernel('Conv2DBackpropFilter', backendName);
        tf.registerKernel({
            kernelName: 'Conv2DBackpropFilter',
            backendName,
            kernelFunc: ({ inputs, attrs }) => {
                const { x, dy } = inputs;
                const a = attrs;
                if (a.dataFormat === 'NCHW')
                    throw new Error('composed Conv2DBackpropFilter supports NHWC only');
                return composedFilterGradient(x, dy, a.filterShape, a);
            },
        });
    }
    installed = true;
}
//# sourceMappingURL=conv-filter-kernel.js.map