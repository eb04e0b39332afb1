/**
 * Faults planted in the training code path, for calibrating the gate only
 * (`run --fault`, `calibrate`): each is what a real regression looks like, a
 * wrong constant or a dropped step, not doctored numbers. A run with a fault
 * records it, results carry it, and `baseline record` refuses them.
 */
export const FAULTS = {
    'lr-x0.3': 'base learning rate × 0.3',
    'no-augmentation': 'no crop or flip: the augmentation draws fixed at the centre view',
    'no-shortcuts': 'ResNets built without their shortcuts (as their plain twins)',
    'bn-momentum': 'BN moving statistics with momentum 0.1 instead of 0.9 (the PyTorch convention read as Keras\')',
    'weight-decay-x10': 'weight decay 1e-3 instead of 1e-4',
    'label-noise-20': '20 % of the training images carry another class\'s label',
    'classifier-init-x10': 'the fc layer\'s initial weights × 10',
    'eval-train-mode': 'evaluation with batch statistics instead of BN\'s moving averages',
};
export const FAULT_NAMES = Object.keys(FAULTS);
/** Share of training images whose label `label-noise-20` replaces. */
export const LABEL_NOISE_RATE = 0.2;
//# sourceMappingURL=faults.js.map