import { CIFAR_PRESETS, defineSuite } from './define.js';
/** Fig. 7: std of each 3×3 layer's response after BN, plain vs ResNet. */
export default defineSuite({
    kind: 'training',
    name: 'layer-responses',
    version: 1,
    title: 'CIFAR-10: layer responses of plain nets and ResNets',
    paper: 'Fig. 7',
    models: ['plain20', 'plain56', 'resnet20', 'resnet56', 'resnet110'],
    metrics: ['testError', 'meanResponseStd'],
    layerResponses: true,
    claims: [
        { id: 'resnet20-responds-less', text: 'ResNet-20 responds less than plain-20', metric: 'meanResponseStd', lower: 'resnet20', higher: 'plain20', gatedAt: ['full'] },
        { id: 'resnet56-responds-less', text: 'ResNet-56 responds less than plain-56', metric: 'meanResponseStd', lower: 'resnet56', higher: 'plain56', gatedAt: ['full'] },
        { id: 'deeper-resnet-responds-less', text: 'ResNet-56 responds less than ResNet-20', metric: 'meanResponseStd', lower: 'resnet56', higher: 'resnet20', gatedAt: ['full'] },
    ],
    presets: {
        smoke: { ...CIFAR_PRESETS.smoke, models: ['plain20', 'resnet20'] },
        nightly: { ...CIFAR_PRESETS.nightly, models: ['plain20', 'plain56', 'resnet20', 'resnet56'] },
        full: CIFAR_PRESETS.full,
    },
});
//# sourceMappingURL=layer-responses.js.map