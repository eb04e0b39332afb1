/** `resnet-repro setup tensorflow`: the native backend, built against the TensorFlow pip wheel. */
import { DEFAULT_TENSORFLOW_VERSION, defaultCacheDir, setupTensorflow } from '../setup/tensorflow.js';
export const register = (program) => {
    const setup = program.command('setup').description('install optional native pieces');
    setup
        .command('tensorflow')
        .description('build the native TensorFlow backend (tfjs-node) against the TensorFlow pip wheel, without its blocked download')
        .option('--gpu', 'tfjs-node-gpu with the full tensorflow wheel (CUDA libraries: pip install "tensorflow[and-cuda]")')
        .option('--tf-version <version>', 'TensorFlow wheel version', DEFAULT_TENSORFLOW_VERSION)
        .option('--cache <dir>', 'where wheels and staged libraries are kept', defaultCacheDir())
        .option('--force', 'rebuild even if the binding already works')
        .action((options) => {
        setupTensorflow({
            gpu: options.gpu ?? false,
            tensorflowVersion: options.tfVersion,
            cacheDir: options.cache,
            force: options.force ?? false,
            log: (line) => process.stderr.write(`setup: ${line}\n`),
        });
    });
};
//# sourceMappingURL=setup.js.map