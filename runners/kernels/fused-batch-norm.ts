/**
 * Batch normalisation in training with TensorFlow's fused kernels on the
 * native backend. tfjs-layers composes training BN from moments, batchNorm
 * and their gradients: a dozen small kernels per layer, which dominate a
 * ResNet step on tfjs-node. TensorFlow's FusedBatchNormV3 (forward) and
 * FusedBatchNormGradV3 (gradient) do it in one kernel each, reached through
 * the tfjs-node backend's executeMultipleOutputs.
 *
 * The layer is tfjs-layers' own BatchNormalization (same weights, moving
 * statistics updated the same way); only its training path on the
 * 'tensorflow' backend changes. Elsewhere, and at inference, it is unchanged.
 * The moving statistics are updated inside the forward kernel too
 * (its exponential_avg_factor), which saves tfjs-layers' three kernels per
 * statistic per layer. TensorFlow's batch variance for the moving average is
 * Bessel-corrected (×n/(n−1), n = N·H·W), as Caffe's and PyTorch's; the
 * composed path used elsewhere does the same (tfjs-layers' alone does not).
 */
import * as tf from '@tensorflow/tfjs';

interface OpAttr {
  name: string;
  type: number;
  value: unknown;
}

interface NodeBackend {
  binding: { TF_ATTR_TYPE: number; TF_ATTR_FLOAT: number; TF_ATTR_STRING: number; TF_ATTR_BOOL: number; TF_FLOAT: number };
  executeMultipleOutputs(name: string, attrs: OpAttr[], inputs: tf.Tensor[], numOutputs: number): tf.Tensor[];
}

function nativeBackend(): NodeBackend | undefined {
  return tf.getBackend() === 'tensorflow' ? (tf.backend() as unknown as NodeBackend) : undefined;
}

/**
 * Training-mode BN over N, H, W of an NHWC tensor, differentiable in x, gamma
 * and beta; also returns the moving mean and variance after this batch,
 * m ← (1 − f)·m + f·batch with f = `averagingFactor` (tfjs-layers' 1 − momentum).
 */
export function fusedTrainingBatchNorm(
  x: tf.Tensor4D,
  gamma: tf.Tensor1D,
  beta: tf.Tensor1D,
  moving: { mean: tf.Tensor1D; variance: tf.Tensor1D },
  epsilon: number,
  averagingFactor: number,
): { y: tf.Tensor4D; movingMean: tf.Tensor1D; movingVariance: tf.Tensor1D } {
  const backend = nativeBackend();
  if (!backend) throw new Error('fused batch norm needs the tensorflow backend');
  const b = backend.binding;
  const common = [
    { name: 'T', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT },
    { name: 'U', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT },
    { name: 'epsilon', type: b.TF_ATTR_FLOAT, value: epsilon },
    { name: 'data_format', type: b.TF_ATTR_STRING, value: 'NHWC' },
    { name: 'is_training', type: b.TF_ATTR_BOOL, value: true },
  ];
  const forwardAttrs = [...common, { name: 'exponential_avg_factor', type: b.TF_ATTR_FLOAT, value: averagingFactor }];
  let movingMean: tf.Tensor1D | undefined;
  let movingVariance: tf.Tensor1D | undefined;
  const forward = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, scale, offset, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    // With a factor below 1, outputs 1 and 2 are the updated moving statistics, not the batch's.
    const [y, mean, variance, r1, r2, r3] = backend.executeMultipleOutputs('FusedBatchNormV3', forwardAttrs, [input, scale, offset, moving.mean, moving.variance], 6);
    movingMean = tf.keep(mean as tf.Tensor1D);
    movingVariance = tf.keep(variance as tf.Tensor1D);
    save([input, scale, r1!, r2!, r3!]);
    return {
      value: y!,
      gradFunc: (dy, saved) => {
        const [sx, sscale, s1, s2, s3] = saved;
        const [dx, dscale, doffset] = backend.executeMultipleOutputs('FusedBatchNormGradV3', common, [dy as tf.Tensor, sx!, sscale!, s1!, s2!, s3!], 5);
        return [dx!, dscale!, doffset!];
      },
    };
  });
  const y = forward(x, gamma, beta) as tf.Tensor4D;
  return { y, movingMean: movingMean!, movingVariance: movingVariance! };
}

/** The parts of tfjs-layers' BatchNormalization this subclass reads (not in its public typings). */
interface BatchNormInternals {
  readonly axis: number | number[];
  readonly epsilon: number;
  readonly momentum: number;
  readonly gamma: tf.LayerVariable;
  readonly beta: tf.LayerVariable;
  readonly movingMean: tf.LayerVariable;
  readonly movingVariance: tf.LayerVariable;
}

type Kwargs = { training?: boolean } & Record<string, unknown>;
type LayerClass = new (args: Record<string, unknown>) => tf.layers.Layer;

// tfjs-layers does not export the class itself, only its factory.
const BatchNormalization = Object.getPrototypeOf(tf.layers.batchNormalization({})).constructor as LayerClass;

export class FusedTrainingBatchNorm extends BatchNormalization {
  static readonly className = 'FusedTrainingBatchNorm';

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor;
    const self = this as unknown as BatchNormInternals;
    const lastAxis = self.axis === 3 || self.axis === -1 || (Array.isArray(self.axis) && self.axis.length === 1 && (self.axis[0] === 3 || self.axis[0] === -1));
    if (!kwargs.training || x.rank !== 4 || !lastAxis) return super.call(inputs, kwargs);
    if (!nativeBackend()) return composedTrainingBatchNorm(x as tf.Tensor4D, self);
    return tf.tidy(() => {
      const moving = { mean: self.movingMean.read() as tf.Tensor1D, variance: self.movingVariance.read() as tf.Tensor1D };
      // tfjs-layers' update, v ← v − (v − batch)·(1 − momentum), done by the kernel.
      const { y, movingMean, movingVariance } = fusedTrainingBatchNorm(x as tf.Tensor4D, self.gamma.read() as tf.Tensor1D, self.beta.read() as tf.Tensor1D, moving, self.epsilon, 1 - self.momentum);
      self.movingMean.write(movingMean);
      self.movingVariance.write(movingVariance);
      tf.dispose([movingMean, movingVariance]);
      return y;
    });
  }
}

/**
 * Elsewhere, tfjs-layers' composition (moments, then batchNorm) with one
 * change: the moving variance averages the Bessel-corrected batch variance
 * (×n/(n−1)), as Caffe, PyTorch and TensorFlow's fused kernel do, so every
 * backend keeps the same statistics (test/conformance.test.ts).
 */
function composedTrainingBatchNorm(x: tf.Tensor4D, self: BatchNormInternals): tf.Tensor4D {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    const y = tf.batchNorm4d(x, mean as tf.Tensor1D, variance as tf.Tensor1D, self.beta.read() as tf.Tensor1D, self.gamma.read() as tf.Tensor1D, self.epsilon);
    const n = x.size / x.shape[3];
    const factor = 1 - self.momentum;
    const average = (moving: tf.LayerVariable, batch: tf.Tensor) => {
      const old = moving.read();
      moving.write(tf.sub(old, tf.mul(tf.sub(old, batch), factor)));
    };
    average(self.movingMean, mean);
    average(self.movingVariance, tf.mul(variance, n / Math.max(1, n - 1)));
    return y;
  });
}

tf.serialization.registerClass(FusedTrainingBatchNorm as unknown as tf.serialization.SerializableConstructor<tf.layers.Layer>);
