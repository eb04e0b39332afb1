/**
 * A convolution with its bias, residual addition and ReLU in one oneDNN
 * kernel (TensorFlow's _MklNativeFusedConv2D), for evaluation on the native
 * backend. Run as separate kernels, the BN, ReLU and addition that follow
 * each convolution cost ResNet-20's forward pass about a third of its time
 * (each writes a fresh activation-sized tensor); fused, they are applied to
 * the convolution's output while it is still in cache.
 *
 * The kernel takes list attributes (fused_ops: list(string), TArgs:
 * list(type)) that tfjs-node's stock binding cannot pass; `resnet-repro setup
 * tensorflow` builds the binding with them (setup/binding-patch.ts). Where
 * they or the kernel are missing (a stock binding, oneDNN off, another
 * backend) `fusedConvolutionAvailable()` is false and evaluation runs
 * tfjs-layers' own kernels.
 */
import * as tf from '@tensorflow/tfjs';

interface OpAttr {
  name: string;
  type: number;
  value: unknown;
}

interface NodeBackend {
  binding: { TF_ATTR_TYPE: number; TF_ATTR_STRING: number; TF_ATTR_INT: number; TF_ATTR_FLOAT: number; TF_FLOAT: number };
  executeSingleOutput(name: string, attrs: OpAttr[], inputs: tf.Tensor[]): tf.Tensor;
}

export interface FusedConvOptions {
  readonly strides: readonly [number, number];
  /** Zero padding per side, [top, bottom, left, right], or TensorFlow's 'SAME'/'VALID'. */
  readonly padding: 'SAME' | 'VALID' | readonly [number, number, number, number];
  /** Added after the bias (a residual shortcut), before the ReLU. */
  readonly side?: tf.Tensor4D;
  readonly relu: boolean;
}

/** relu?(conv(x, filter) + bias (+ side)) as one kernel. Needs `fusedConvolutionAvailable()`. */
export function fusedConv2d(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D, options: FusedConvOptions): tf.Tensor4D {
  const backend = tf.backend() as unknown as NodeBackend;
  const b = backend.binding;
  const args: tf.Tensor[] = options.side ? [bias, options.side] : [bias];
  const fusedOps = ['BiasAdd', ...(options.side ? ['Add'] : []), ...(options.relu ? ['Relu'] : [])];
  const explicit = typeof options.padding !== 'string';
  const [top, bottom, left, right] = explicit ? (options.padding as readonly number[]) : [0, 0, 0, 0];
  const attrs: OpAttr[] = [
    { name: 'T', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT },
    { name: 'strides', type: b.TF_ATTR_INT, value: [1, options.strides[0], options.strides[1], 1] },
    { name: 'padding', type: b.TF_ATTR_STRING, value: explicit ? 'EXPLICIT' : options.padding },
    { name: 'explicit_paddings', type: b.TF_ATTR_INT, value: explicit ? [0, 0, top, bottom, left, right, 0, 0] : [] },
    { name: 'data_format', type: b.TF_ATTR_STRING, value: 'NHWC' },
    { name: 'dilations', type: b.TF_ATTR_INT, value: [1, 1, 1, 1] },
    { name: 'num_args', type: b.TF_ATTR_INT, value: args.length },
    { name: 'TArgs', type: b.TF_ATTR_TYPE, value: args.map(() => b.TF_FLOAT) },
    { name: 'fused_ops', type: b.TF_ATTR_STRING, value: fusedOps },
    { name: 'epsilon', type: b.TF_ATTR_FLOAT, value: 0 },
    // oneDNN's own kernels are registered under this label (TensorFlow's graph rewrite sets it).
    { name: '_kernel', type: b.TF_ATTR_STRING, value: 'MklNameChangeOp' },
  ];
  return backend.executeSingleOutput('_MklNativeFusedConv2D', attrs, [x, filter, ...args]) as tf.Tensor4D;
}

/**
 * The key under which a backend's versions say that evaluation runs the fused
 * kernel (value 'fused'): part of the build, because the evaluation's numbers
 * then match tfjs-layers' to float32 rounding, not bit for bit, so a baseline
 * recorded without it is not replayed. Absent: tfjs-layers' kernels.
 */
export const EVALUATION_KERNELS = 'evaluation kernels';

let available = false;

/**
 * Whether evaluation may run the fused kernel: only after `probeFusedConvolution()`
 * found it, which the backend does for native TensorFlow on the CPU. (tfjs-node-gpu
 * registers as 'tensorflow' too, but this is a CPU kernel: on a GPU it would move
 * every activation to the CPU and back, so the GPU keeps tfjs-layers' kernels.)
 */
export function fusedConvolutionAvailable(): boolean {
  return available && tf.getBackend() === 'tensorflow';
}

/**
 * Tries the fused kernel once on a case with a known answer; from then on
 * `fusedConvolutionAvailable()` says whether it runs here and computes what the
 * separate kernels do. False with a stock binding (no list attributes).
 */
export function probeFusedConvolution(): boolean {
  available = tf.getBackend() === 'tensorflow' && probe();
  return available;
}

function probe(): boolean {
  try {
    return tf.tidy(() => {
      // A 3×3 input of ones, a 3×3 filter of ones, stride 2, padding 1: the four
      // corners of the padded input see 4 ones each; + bias 1, + side, ReLU.
      const x = tf.ones([1, 3, 3, 1]) as tf.Tensor4D;
      const filter = tf.ones([3, 3, 1, 2]) as tf.Tensor4D;
      const side = tf.tensor4d([-10, 0, 0, 0, 0, 0, 0, 2], [1, 2, 2, 2]);
      const y = fusedConv2d(x, filter, tf.tensor1d([1, 1]), { strides: [2, 2], padding: [1, 1, 1, 1], side, relu: true }).dataSync();
      const expected = [0, 5, 5, 5, 5, 5, 5, 7];
      return y.length === expected.length && expected.every((v, i) => y[i] === v);
    });
  } catch {
    return false; // a stock binding (list attributes) or TensorFlow without oneDNN's kernels
  }
}
