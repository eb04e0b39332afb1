/**
 * ReLU's gradient as TensorFlow's single ReluGrad kernel on the native
 * backend, instead of tfjs's dy·step(x) (two kernels and a temporary per
 * ReLU). The original gradient is kept for every other backend.
 */
import * as tf from '@tensorflow/tfjs';
let installed = false;
export function installNativeReluGradient() {
    if (installed)
        return;
    const original = tf.getGradient('Relu');
    if (!original)
        throw new Error('tfjs has no Relu gradient to extend');
    tf.registerGradient({
        kernelName: 'Relu',
        inputsToSave: original.inputsToSave ?? ['x'],
        gradFunc: (dy, saved, attrs) => {
            const [x] = saved;
            if (tf.getBackend() !== 'tensorflow' || x.dtype !== 'float32')
                return original.gradFunc(dy, saved, attrs);
            const backend = tf.backend();
            const type = [{ name: 'T', type: backend.binding.TF_ATTR_TYPE, value: backend.binding.TF_FLOAT }];
            // ReluGrad(gradients, features): dy where features > 0; x's sign is the output's.
            return { x: () => backend.executeSingleOutput('ReluGrad', type, [dy, x]) };
        },
    });
    installed = true;
}
//# sourceMappingURL=relu-gradient.js.map