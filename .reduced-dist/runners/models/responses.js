/**
 * Fig. 7: the standard deviation of each 3×3 layer's response — its output
 * after BN, before the ReLU and (in a residual block) before the addition —
 * in depth order. Read in inference mode, as the paper analyses trained nets.
 */
import * as tf from '@tensorflow/tfjs';
export function layerResponses(built, images) {
    if (built.responseTaps.length === 0) {
        throw new Error(`${built.spec.name} has no BN-tapped 3×3 layers (Fig. 7 covers plain nets and ResNets)`);
    }
    const { model } = built;
    const probe = tf.model({ inputs: model.inputs, outputs: built.responseTaps.map((name) => model.getLayer(name).output) });
    const stds = tf.tidy(() => {
        const outputs = probe.predict(images);
        return (Array.isArray(outputs) ? outputs : [outputs]).map((r) => tf.moments(r).variance.sqrt());
    });
    const values = stds.map((s) => s.dataSync()[0]);
    tf.dispose(stds);
    return built.responseTaps.map((layer, i) => ({ index: i + 1, layer, std: values[i] }));
}
//# sourceMappingURL=responses.js.map