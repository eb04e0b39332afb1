/**
 * The composed Conv2DBackpropFilter equals the filter gradient computed an
 * independent way — as a forward convolution of the input with the output
 * gradient — on every JavaScript backend, for the shapes our models use.
 */
import * as tf from '@tensorflow/tfjs';
import test from 'ava';
import { initBackend } from '../runners/backend.js';
import { composedFilterGradient } from '../runners/kernels/conv-filter-kernel.js';

/** dW[kh,kw,ci,co] = Σ x_pad[n, oy·s+kh, ox·s+kw, ci]·dy[n,oy,ox,co]: a stride-1 convolution of xᵀ with dyᵀ dilated by s. */
function reference(xPadded: tf.Tensor4D, dy: tf.Tensor4D, kernel: [number, number], stride: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [, oh, ow] = dy.shape;
    const span = (o: number, k: number) => (o - 1) * stride + k;
    const x = tf.slice(xPadded, [0, 0, 0, 0], [-1, span(oh, kernel[0]), span(ow, kernel[1]), -1]);
    const out = tf.conv2d(x.transpose([3, 1, 2, 0]) as tf.Tensor4D, dy.transpose([1, 2, 0, 3]) as tf.Tensor4D, 1, 'valid', 'NHWC', stride);
    return out.transpose([1, 2, 0, 3]) as tf.Tensor4D;
  });
}

const cases = [
  { name: '3×3 stride 1 same', x: [2, 8, 8, 3], k: [3, 3], cout: 5, stride: 1, pad: 'same' as const, explicit: [1, 1] },
  { name: '3×3 stride 2, Caffe padding', x: [2, 10, 10, 4], k: [3, 3], cout: 6, stride: 2, pad: 'valid' as const, explicit: [1, 1] },
  { name: '1×1 stride 2 projection', x: [1, 10, 10, 2], k: [1, 1], cout: 3, stride: 2, pad: 'valid' as const, explicit: [0, 0] },
  { name: '7×7 stride 2 stem', x: [2, 16, 16, 3], k: [7, 7], cout: 4, stride: 2, pad: 'valid' as const, explicit: [3, 3] },
];

for (const backend of ['cpu', 'wasm'] as const) {
  test.serial(`${backend}: the composed filter gradient matches the reference, and tf.grad uses it`, async (t) => {
    await initBackend(backend, { gradients: true });
    for (const c of cases) {
      const [n, h, w, cin] = c.x as [number, number, number, number];
      const x = tf.randomNormal([n, h, w, cin], 0, 1, 'float32', 1) as tf.Tensor4D;
      const padded = tf.pad(x, [[0, 0], [c.explicit[0]!, c.explicit[0]!], [c.explicit[1]!, c.explicit[1]!], [0, 0]]) as tf.Tensor4D;
      const filterShape: [number, number, number, number] = [c.k[0]!, c.k[1]!, cin, c.cout];
      const filter = tf.randomNormal(filterShape, 0, 1, 'float32', 2) as tf.Tensor4D;
      // Convolve the explicitly padded input 'valid', as our models do for strided layers.
      const y = tf.conv2d(padded, filter, c.stride, 'valid');
      const dy = tf.randomNormal(y.shape, 0, 1, 'float32', 3) as tf.Tensor4D;
      const expected = reference(padded, dy, [c.k[0]!, c.k[1]!], c.stride);
      const composed = composedFilterGradient(padded, dy, filterShape, { strides: c.stride, pad: 'valid', dataFormat: 'NHWC' });
      const viaGrad = tf.grad((f) => tf.conv2d(padded, f as tf.Tensor4D, c.stride, 'valid').mul(dy).sum())(filter);
      const scale = tf.max(tf.abs(expected)).dataSync()[0]!;
      t.true(tf.max(tf.abs(tf.sub(composed, expected))).dataSync()[0]! <= 1e-5 * scale, `${c.name}: composed`);
      t.true(tf.max(tf.abs(tf.sub(viaGrad, expected))).dataSync()[0]! <= 1e-5 * scale, `${c.name}: via tf.grad`);
    }
  });
}
