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
function nativeBackend() {
    return tf.getBackend() === 'tensorflow' ? tf.backend() : undefined;
}
/**
 * Training-mode BN over N, H, W of an NHWC tensor, differentiable in x, gamma
 * and beta; also returns the moving mean and variance after this batch,
 * m ← (1 − f)·m + f·batch with f = `averagingFactor` (tfjs-layers' 1 − momentum).
 */
export function fusedTrainingBatchNorm(x, gamma, beta, moving, epsilon, averagingFactor) {
    const backend = nativeBackend();
    if (!backend)
        throw new Error('fused batch norm needs the tensorflow backend');
    const b = backend.binding;
    const common = [
        { name: 'T', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT },
        { name: 'U', type: b.TF_ATTR_TYPE, value: b.TF_FLOAT },
        { name: 'epsilon', type: b.TF_ATTR_FLOAT, value: epsilon },
        { name: 'data_format', type: b.TF_ATTR_STRING, value: 'NHWC' },
        { name: 'is_training', type: b.TF_ATTR_BOOL, value: true },
    ];
    const forwardAttrs = [...common, { name: 'exponential_avg_factor', type: b.TF_ATTR_FLOAT, value: averagingFactor }];
    let movingMean;
    let movingVariance;
    const forward = tf.customGrad((...args) => {
        const [input, scale, offset, save] = args;
        // With a factor below 1, outputs 1 and 2 are the updated moving statistics, not the batch's.
        const [y, mean, variance, r1, r2, r3] = backend.executeMultipleOutputs('FusedBatchNormV3', forwardAttrs, [input, scale, offset, moving.mean, moving.variance], 6);
        movingMean = tf.keep(mean);
        movingVariance = tf.keep(variance);
        save([input, scale, r1, r2, r3]);
        return {
            value: y,
            gradFunc: (dy, saved) => {
                const [sx, sscale, s1, s2, s3] = saved;
                const [dx, dscale, doffset] = backend.executeMultipleOutputs('FusedBatchNormGradV3', common, [dy, sx, sscale, s1, s2, s3], 5);
                return [dx, dscale, doffset];
            },
        };
    });
    const y = forward(x, gamma, beta);
    return { y, movingMean: movingMean, movingVariance: movingVariance };
}
// tfjs-layers does not export the class itself, only its factory.
const BatchNormalization = Object.getPrototypeOf(tf.layers.batchNormalization({})).constructor;
export class FusedTrainingBatchNorm extends BatchNormalization {
    static className = 'FusedTrainingBatchNorm';
    call(inputs, kwargs) {
        const x = (Array.isArray(inputs) ? inputs[0] : inputs);
        const self = this;
        const lastAxis = self.axis === 3 || self.axis === -1 || (Array.isArray(self.axis) && self.axis.length === 1 && (self.axis[0] === 3 || self.axis[0] === -1));
        if (!kwargs.training || x.rank !== 4 || !lastAxis)
            return super.call(inputs, kwargs);
        if (!nativeBackend())
            return composedTrainingBatchNorm(x, self);
        return tf.tidy(() => {
            const moving = { mean: self.movingMean.read(), variance: self.movingVariance.read() };
            // tfjs-layers' update, v ← v − (v − batch)·(1 − momentum), done by the kernel.
            const { y, movingMean, movingVariance } = fusedTrainingBatchNorm(x, self.gamma.read(), self.beta.read(), moving, self.epsilon, 1 - self.momentum);
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
function composedTrainingBatchNorm(x, self) {
    return tf.tidy(() => {
        const { mean, variance } = tf.moments(x, [0, 1, 2]);
        const y = tf.batchNorm4d(x, mean, variance, self.beta.read(), self.gamma.read(), self.epsilon);
        const n = x.size / x.shape[3];
        const factor = 1 - self.momentum;
        const average = (moving, batch) => {
            const old = moving.read();
            moving.write(tf.sub(old, tf.mul(tf.sub(old, batch), factor)));
        };
        average(self.movingMean, mean);
        average(self.movingVariance, tf.mul(variance, n / Math.max(1, n - 1)));
        return y;
    });
}
tf.serialization.registerClass(FusedTrainingBatchNorm);
//# sourceMappingURL=fused-batch-norm.js.map