/**
 * SGD with momentum in Caffe's form, v ← μv + η(g + λw), w ← w − v, so a
 * change of learning rate affects new steps only (tfjs's MomentumOptimizer
 * scales the whole velocity by the current rate). Weight decay λ applies to
 * the weights `decayed` names: an explicit choice, not a framework default.
 */
import * as tf from '@tensorflow/tfjs';
export class Sgd {
    config;
    decayed;
    velocity = new Map();
    /** μ and λ as tensors, made once: a number operand becomes a new tensor per use. */
    constants;
    constructor(config, decayed) {
        this.config = config;
        this.decayed = decayed;
    }
    /** Applies one step; `grads` maps variable names to gradients. */
    apply(variables, grads, learningRate) {
        this.constants ??= { momentum: tf.keep(tf.scalar(this.config.momentum)), weightDecay: tf.keep(tf.scalar(this.config.weightDecay)) };
        const { momentum, weightDecay } = this.constants;
        tf.tidy(() => {
            const rate = tf.scalar(learningRate);
            for (const w of variables) {
                const g = grads[w.name];
                if (!g)
                    throw new Error(`no gradient for ${w.name}`);
                const step = this.decayed.has(w.name) ? tf.add(g, tf.mul(w, weightDecay)) : g;
                let v = this.velocity.get(w.name);
                if (!v) {
                    v = tf.variable(tf.zerosLike(w), false, `${w.name}/velocity`);
                    this.velocity.set(w.name, v);
                }
                v.assign(tf.add(tf.mul(v, momentum), tf.mul(step, rate)));
                w.assign(tf.sub(w, v));
            }
        });
    }
    dispose() {
        if (this.constants)
            tf.dispose([this.constants.momentum, this.constants.weightDecay]);
        this.constants = undefined;
        for (const v of this.velocity.values())
            v.dispose();
        this.velocity.clear();
    }
}
//# sourceMappingURL=sgd.js.map