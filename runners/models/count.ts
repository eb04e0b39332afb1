/**
 * Architecture facts read off a built graph, never from a table of expected
 * values. Conventions are the paper's: depth counts weighted layers on the
 * main path; parameters are trainable ones (BN's moving statistics are
 * state); multiply-adds are those of convolutions and the fc layer, for one
 * image (BN, ReLU, additions and pooling are not counted).
 */
import type * as tf from '@tensorflow/tfjs';
import type { BuiltModel } from './build.js';

export interface ArchFacts {
  readonly name: string;
  readonly dataset: string;
  /** Weighted layers on the main path (shortcut projections and gates excluded). */
  readonly layers: number;
  readonly trainableParams: number;
  /** BN moving mean and variance. */
  readonly nonTrainableParams: number;
  /** Per image, convolutions and fc (Table 1's "FLOPs"). */
  readonly multiplyAdds: number;
  /** Per image, e.g. [32, 32, 3]. */
  readonly inputShape: number[];
  /** Per image, e.g. [10]. */
  readonly outputShape: number[];
}

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Multiply-adds of one weighted layer for one image. */
function layerMultiplyAdds(layer: tf.layers.Layer): number {
  const kernel = layer.weights.find((w) => w.shape.length >= 2);
  if (!kernel) throw new Error(`weighted layer ${layer.name} has no kernel`);
  const out = layer.outputShape as (number | null)[];
  // Conv kernels are [kh, kw, in, out] and each output position costs their size;
  // a dense kernel is [in, out] and its output has no spatial positions.
  const positions = out.length === 4 ? out[1]! * out[2]! : 1;
  return positions * size(kernel.shape as number[]);
}

export function archFacts(built: BuiltModel): ArchFacts {
  const { model, roles, spec } = built;
  let layers = 0;
  let multiplyAdds = 0;
  for (const [name, role] of roles) {
    if (role === 'main') layers++;
    multiplyAdds += layerMultiplyAdds(model.getLayer(name));
  }
  const count = (weights: tf.LayerVariable[]) => weights.reduce((n, w) => n + size(w.shape as number[]), 0);
  const perImage = (shape: tf.Shape) => shape.slice(1) as number[];
  return {
    name: spec.name,
    dataset: spec.dataset,
    layers,
    trainableParams: count(model.trainableWeights),
    nonTrainableParams: count(model.nonTrainableWeights),
    multiplyAdds,
    inputShape: perImage(model.inputs[0]!.shape),
    outputShape: perImage(model.outputs[0]!.shape),
  };
}
