import { CIFAR_PRESETS, defineSuite } from './define.js';
/** The essay's open question: shortcuts skipping 1, 2, 3 or 4 layers at equal depth (110 = 3·k·n + 2 for k = 1…4). */
export default defineSuite({
    kind: 'training',
    name: 'skip-length',
    version: 1,
    title: 'CIFAR-10: residual blocks skipping 1–4 layers at equal depth',
    paper: 'beyond the paper (§3.2 allows any number of layers)',
    models: ['resnet110-skip1', 'resnet110', 'resnet110-skip3', 'resnet110-skip4'],
    metrics: ['testError', 'trainError'],
    claims: [],
    presets: {
        smoke: { ...CIFAR_PRESETS.smoke, models: ['resnet38-skip1', 'resnet38', 'resnet38-skip3', 'resnet38-skip4'] },
        // Depth 38 = 3·k·n + 2 for k = 1…4, at a nightly budget.
        nightly: { ...CIFAR_PRESETS.nightly, models: ['resnet38-skip1', 'resnet38', 'resnet38-skip3', 'resnet38-skip4'] },
        full: CIFAR_PRESETS.full,
    },
});
//# sourceMappingURL=skip-length.js.map