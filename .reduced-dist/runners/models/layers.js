/**
 * The two operations tfjs-layers lacks: the option-A shortcut and the
 * highway gate's weighted sum. Both are parameter-free.
 */
import * as tf from '@tensorflow/tfjs';
/**
 * Option A (§3.3): identity where shapes match; where they grow, take every
 * `stride`-th pixel from the top-left and fill the added channels with zeros.
 */
export class ZeroPadShortcut extends tf.layers.Layer {
    static className = 'ZeroPadShortcut';
    stride;
    outChannels;
    constructor(args) {
        super({ name: args.name, trainable: false });
        this.stride = args.stride;
        this.outChannels = args.outChannels;
    }
    computeOutputShape(inputShape) {
        const [n, h, w] = inputShape;
        const down = (size) => (size === null ? null : Math.ceil(size / this.stride));
        return [n ?? null, down(h ?? null), down(w ?? null), this.outChannels];
    }
    call(inputs) {
        return tf.tidy(() => {
            let x = (Array.isArray(inputs) ? inputs[0] : inputs);
            // tfjs has no StridedSlice gradient; a 1×1 average pool with this stride
            // selects exactly the top-left pixel of each window and has one.
            if (this.stride > 1)
                x = tf.avgPool(x, 1, this.stride, 'valid');
            const added = this.outChannels - x.shape[3];
            return added > 0 ? tf.pad(x, [[0, 0], [0, 0], [0, 0], [0, added]]) : x;
        });
    }
    getConfig() {
        return { ...super.getConfig(), stride: this.stride, outChannels: this.outChannels };
    }
}
/** Highway combination y = T·H + (1 − T)·x for inputs [H, x, T], T already in (0, 1). */
export class GatedSum extends tf.layers.Layer {
    static className = 'GatedSum';
    computeOutputShape(inputShape) {
        return inputShape[0];
    }
    call(inputs) {
        return tf.tidy(() => {
            const [h, x, t] = inputs;
            return tf.add(tf.mul(t, h), tf.mul(tf.sub(1, t), x));
        });
    }
}
tf.serialization.registerClass(ZeroPadShortcut);
tf.serialization.registerClass(GatedSum);
//# sourceMappingURL=layers.js.map