/**
 * Faults planted in the training code path, for calibrating the gate only
 * (`run --fault`, `calibrate`): each is what a real regression looks like, a
 * wrong constant or a dropped step, not doctored numbers. A run with a fault
 * records it, results carry it, and `baseline record` refuses them.
 *
 * Each fault is one entry of typed effects; the training code asks for the
 * effects (plan.ts), never compares fault names.
 */

/** What the training code path does; a clean run has NO_FAULT's values. */
export interface FaultEffects {
  /** Multiplies the recipe's base learning rate. */
  readonly learningRateScale: number;
  /** Random crops and flips (§4.2); false fixes every draw at the centre view. */
  readonly augment: boolean;
  /** ResNets keep their shortcuts; false builds them as their plain twins. */
  readonly shortcuts: boolean;
  /** BN's moving-average momentum in Keras' convention; undefined keeps the builder's (0.9). */
  readonly bnMomentum: number | undefined;
  /** Multiplies the recipe's weight decay. */
  readonly weightDecayScale: number;
  /** Share of training images that carry another class's label. */
  readonly labelNoise: number;
  /** Multiplies the fc layer's initial weights. */
  readonly classifierInitScale: number;
  /** Evaluation with batch statistics instead of BN's moving averages. */
  readonly evalBatchStatistics: boolean;
}

export const NO_FAULT: FaultEffects = {
  learningRateScale: 1,
  augment: true,
  shortcuts: true,
  bnMomentum: undefined,
  weightDecayScale: 1,
  labelNoise: 0,
  classifierInitScale: 1,
  evalBatchStatistics: false,
};

interface Fault {
  readonly text: string;
  readonly effects: Partial<FaultEffects>;
}

export const FAULTS = {
  'lr-x0.3': { text: 'base learning rate × 0.3', effects: { learningRateScale: 0.3 } },
  'no-augmentation': { text: 'no crop or flip: the augmentation draws fixed at the centre view', effects: { augment: false } },
  'no-shortcuts': { text: 'ResNets built without their shortcuts (as their plain twins)', effects: { shortcuts: false } },
  'bn-momentum': { text: "BN moving statistics with momentum 0.1 instead of 0.9 (the PyTorch convention read as Keras')", effects: { bnMomentum: 0.1 } },
  'weight-decay-x10': { text: 'weight decay 1e-3 instead of 1e-4', effects: { weightDecayScale: 10 } },
  // The subtle one: decay applied twice (in the loss and again in the optimiser) moves each update by 1e-5 of a weight.
  'weight-decay-x2': { text: 'weight decay applied twice: 2e-4 instead of 1e-4', effects: { weightDecayScale: 2 } },
  'label-noise-20': { text: "20 % of the training images carry another class's label", effects: { labelNoise: 0.2 } },
  'classifier-init-x10': { text: "the fc layer's initial weights × 10", effects: { classifierInitScale: 10 } },
  'eval-train-mode': { text: "evaluation with batch statistics instead of BN's moving averages", effects: { evalBatchStatistics: true } },
} as const satisfies Record<string, Fault>;

export type FaultName = keyof typeof FAULTS;
export const FAULT_NAMES = Object.keys(FAULTS) as [FaultName, ...FaultName[]];

/** The effects a run trains with: a clean run's, or a planted fault's. */
export function faultEffects(fault: FaultName | null | undefined): FaultEffects {
  return fault ? { ...NO_FAULT, ...FAULTS[fault].effects } : NO_FAULT;
}
