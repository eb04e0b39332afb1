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
 *
 * Native TensorFlow keeps its own kernel, except for strided 1×1
 * convolutions (projection shortcuts, highway gates, the paper's bottleneck
 * stride): with oneDNN on, TensorFlow 2.21's Conv2DBackpropFilter aborts
 * with heap corruption on some of them (batch 8, 56×56, 4 → 8 channels,
 * stride 2, at any ISA) and returns wrong gradients on others under
 * ONEDNN_MAX_CPU_ISA=AVX2 (batch 8, 32×32 or 8×8, 4 → 8 channels: 89 % and
 * 38 % off; found by the conformance tier's highway-20 twin). For them the
 * composed form is one strided slice and one matMul.
 */
import * as tf from '@tensorflow/tfjs';

interface Conv2DAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  /** Conv2DBackpropFilter has none (always 1); kept for the general formula. */
  dilations?: [number, number] | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** The gradient of conv2d(x, filter) with respect to the filter, composed from slices and matMuls. */
export function composedFilterGradient(x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: [number, number, number, number], attrs: Conv2DAttrs): tf.Tensor4D {
  return tf.tidy(() => {
    const info = tf.backend_util.computeConv2DInfo(x.shape, filterShape, attrs.strides, attrs.dilations ?? 1, attrs.pad, attrs.dimRoundingMode, false, 'channelsLast');
    const { top, bottom, left, right } = info.padInfo;
    const padded = top || bottom || left || right ? tf.pad(x, [[0, 0], [top, bottom], [left, right], [0, 0]]) : x;
    const [n] = x.shape;
    const [fh, fw, cin, cout] = filterShape;
    const rows = n * info.outHeight * info.outWidth;
    const grad = dy.reshape([rows, cout]);
    const offsets: tf.Tensor2D[] = [];
    for (let kh = 0; kh < fh; kh++) {
      for (let kw = 0; kw < fw; kw++) {
        const y0 = kh * info.dilationHeight;
        const x0 = kw * info.dilationWidth;
        const height = (info.outHeight - 1) * info.strideHeight + 1;
        const width = (info.outWidth - 1) * info.strideWidth + 1;
        // A plain slice where it can: cpu's strided slice reads element by element.
        const patch =
          info.strideHeight === 1 && info.strideWidth === 1
            ? tf.slice(padded, [0, y0, x0, 0], [n, height, width, cin])
            : tf.stridedSlice(padded, [0, y0, x0, 0], [n, y0 + height, x0 + width, cin], [1, info.strideHeight, info.strideWidth, 1]);
        offsets.push(tf.matMul(patch.reshape([rows, cin]), grad, true, false));
      }
    }
    return tf.stack(offsets).reshape(filterShape) as tf.Tensor4D;
  });
}

/** The backends that get this kernel: wasm lacks one, cpu's is slow. */
export const COMPOSED_FILTER_BACKENDS = ['cpu', 'wasm'] as const;

let installed = false;
let nativeInstalled = false;

/**
 * On native TensorFlow, strided 1×1 convolutions' filter gradients go through
 * the composed form (see above); every other one keeps TensorFlow's kernel.
 * Call after the backend has registered its kernels. Idempotent.
 */
export function installNativeStridedPointwiseFilterKernel(backendName = 'tensorflow'): void {
  if (nativeInstalled) return;
  const original = tf.getKernel('Conv2DBackpropFilter', backendName);
  if (!original) throw new Error(`the ${backendName} backend has no Conv2DBackpropFilter kernel to wrap`);
  tf.unregisterKernel('Conv2DBackpropFilter', backendName);
  tf.registerKernel({
    ...original,
    kernelFunc: (args) => {
      const { inputs, attrs } = args;
      const a = attrs as unknown as Conv2DAttrs & { filterShape: [number, number, number, number] };
      const strides = typeof a.strides === 'number' ? [a.strides, a.strides] : a.strides;
      const pointwise = a.filterShape[0] === 1 && a.filterShape[1] === 1;
      if (!pointwise || (strides[0] === 1 && strides[1] === 1) || a.dataFormat === 'NCHW') return original.kernelFunc(args);
      const { x, dy } = inputs as { x: tf.Tensor4D; dy: tf.Tensor4D };
      return composedFilterGradient(x, dy, a.filterShape, a);
    },
  });
  nativeInstalled = true;
}

/** Registers the composed kernel for cpu (replacing tfjs's) and wasm (adding one). Idempotent. */
export function installComposedFilterKernel(): void {
  if (installed) return;
  for (const backendName of COMPOSED_FILTER_BACKENDS) {
    if (tf.getKernel('Conv2DBackpropFilter', backendName)) tf.unregisterKernel('Conv2DBackpropFilter', backendName);
    tf.registerKernel({
      kernelName: 'Conv2DBackpropFilter',
      backendName,
      kernelFunc: ({ inputs, attrs }) => {
        const { x, dy } = inputs as { x: tf.Tensor4D; dy: tf.Tensor4D };
        const a = attrs as unknown as Conv2DAttrs & { filterShape: [number, number, number, number] };
        if (a.dataFormat === 'NCHW') throw new Error('composed Conv2DBackpropFilter supports NHWC only');
        return composedFilterGradient(x, dy, a.filterShape, a);
      },
    });
  }
  installed = true;
}
