import { CIFAR_PRESETS, defineSuite } from './define.js';
/** Table 6's Highway rows, and gated vs identity shortcuts at equal depth (the essay's question). */
export default defineSuite({
    kind: 'training',
    name: 'cifar10-highway',
    version: 1,
    title: 'CIFAR-10: highway networks against ResNets of matched depth and parameters',
    paper: 'Table 6 (Highway rows)',
    models: ['highway19', 'resnet20', 'resnet32', 'resnet110', 'highway20', 'highway56', 'resnet56'],
    metrics: ['testError', 'trainError'],
    claims: [
        { id: 'resnet110-beats-highway19', text: 'ResNet-110 (1.7M) has lower test error than Highway-19 (2.3M)', metric: 'testError', lower: 'resnet110', higher: 'highway19', gatedAt: ['full'] },
        { id: 'identity-vs-gated-56', text: 'identity shortcuts (ResNet-56) do at least as well as gated ones (highway-56)', metric: 'testError', lower: 'resnet56', higher: 'highway56', gatedAt: ['full'] },
    ],
    presets: {
        smoke: { ...CIFAR_PRESETS.smoke, models: ['highway20', 'resnet20'] },
        nightly: { ...CIFAR_PRESETS.nightly, models: ['highway19', 'resnet20', 'resnet32', 'highway56', 'resnet56'] },
        full: CIFAR_PRESETS.full,
    },
});
//# sourceMappingURL=cifar10-highway.js.map