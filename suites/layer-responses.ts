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
    // Visible from the first iterations: at smoke, six seeds each gave 2.02 ± 0.44 against 4.78 ± 3.18 (Welch p < 0.05).
    { id: 'resnet20-responds-less', text: 'ResNet-20 responds less than plain-20', metric: 'meanResponseStd', lower: 'resnet20', higher: 'plain20', gatedAt: ['smoke', 'full'] },
    { id: 'resnet56-responds-less', text: 'ResNet-56 responds less than plain-56', metric: 'meanResponseStd', lower: 'resnet56', higher: 'plain56', gatedAt: ['full'] },
    { id: 'deeper-resnet-responds-less', text: 'ResNet-56 responds less than ResNet-20', metric: 'meanResponseStd', lower: 'resnet56', higher: 'resnet20', gatedAt: ['full'] },
  ],
  presets: {
    // Six seeds: two cannot separate the responses (a plain-20 seed's mean response ranges 2.1 to 10.5 at 40 iterations).
    smoke: { ...CIFAR_PRESETS.smoke, seeds: 6, models: ['plain20', 'resnet20'] },
    nightly: { ...CIFAR_PRESETS.nightly, models: ['plain20', 'plain56', 'resnet20', 'resnet56'] },
    full: CIFAR_PRESETS.full,
  },
});
