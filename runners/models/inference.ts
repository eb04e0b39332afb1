/**
 * The evaluation's forward pass with batch norm folded into the convolution
 * before it, on the native backend's fused kernel (kernels/fused-conv.ts).
 *
 * At inference BN is an affine map per channel, y = s·x + (β − μ·s) with
 * s = γ/√(σ² + ε), so conv → BN is one convolution with filter W·s and
 * bias β − μ·s: exact up to float32 rounding (the conformance tier holds
 * evaluation logits to 1e-5 of PyTorch's; folding moves them by ~1e-7).
 * The pattern match walks the model's own graph, so every architecture the
 * builder makes is covered by one rule set:
 *
 *   [pad →] conv [→ BN] [→ ReLU | → Add(·, shortcut) → ReLU]  ⇒  one kernel
 *
 * and any other layer (shortcuts, pooling, the gate's sigmoid, fc) runs as
 * tfjs-layers runs it. A layer is absorbed only when the next one in the
 * pattern is its sole consumer, so no intermediate another layer reads is
 * skipped.
 */
import * as tf from '@tensorflow/tfjs';
import { fusedConv2d, fusedConvolutionAvailable, type FusedConvOptions } from '../kernels/fused-conv.js';

type Layer = tf.layers.Layer;

/** One kernel for a matched pattern, or one layer as tfjs-layers runs it. */
type Step =
  | { readonly kind: 'fused'; readonly output: string; readonly input: string; readonly side?: string; readonly weights: WeightSource; readonly relu: boolean; readonly strides: [number, number]; readonly padding: FusedConvOptions['padding'] }
  | { readonly kind: 'layer'; readonly output: string; readonly layer: Layer; readonly inputs: readonly string[] };

export interface InferencePlan {
  readonly steps: readonly Step[];
  readonly input: string;
  readonly output: string;
  /** Fused kernels: convolutions (with the BN, ReLU and additions they absorb) and option-A shortcuts. */
  readonly fusedConvolutions: number;
}

/** Ready to evaluate: folded weights for the model's current values. Dispose when the evaluation ends. */
export interface FoldedInference {
  logits(images: tf.Tensor4D): tf.Tensor2D;
  dispose(): void;
}

/** Where a fused step's filter and bias come from: a convolution (and the BN folded into it), or option A's shortcut. */
type WeightSource = { readonly conv: Layer; readonly bn?: Layer } | { readonly zeroPadShortcut: { readonly inChannels: number; readonly outChannels: number } };

interface ConvConfig {
  strides: number[];
  padding: 'same' | 'valid' | 'causal';
  dataFormat: string;
  dilationRate: number | number[];
  activation: string;
  useBias: boolean;
}

const inputsOf = (layer: Layer): string[] => {
  const nodes = (layer as unknown as { inboundNodes: { inboundLayers: Layer[] }[] }).inboundNodes;
  return nodes[0]?.inboundLayers.map((l) => l.name) ?? [];
};

const isRelu = (layer: Layer | undefined): boolean => {
  if (!layer) return false;
  const config = layer.getConfig() as { maxValue?: number | null; activation?: string };
  if (layer.getClassName() === 'ReLU') return config.maxValue === null || config.maxValue === undefined;
  return layer.getClassName() === 'Activation' && config.activation === 'relu';
};

const isLastAxisBatchNorm = (layer: Layer | undefined): boolean => {
  if (!layer || !/BatchNorm/.test(layer.getClassName())) return false;
  const axis = (layer.getConfig() as { axis: number | number[] }).axis;
  const single = Array.isArray(axis) ? (axis.length === 1 ? axis[0] : undefined) : axis;
  return single === 3 || single === -1;
};

/**
 * The steps that evaluate `model` with fused convolutions, or undefined
 * where the graph is not one this can run (a layer shared between nodes,
 * several inputs or outputs).
 */
export function planInference(model: tf.LayersModel): InferencePlan | undefined {
  const layers = model.layers;
  if (model.inputLayers.length !== 1 || model.outputLayers.length !== 1) return undefined;
  if (layers.some((l) => (l as unknown as { inboundNodes: unknown[] }).inboundNodes.length !== 1)) return undefined;
  const byName = new Map(layers.map((l) => [l.name, l]));
  const consumers = new Map<string, string[]>(layers.map((l) => [l.name, []]));
  for (const l of layers) for (const i of inputsOf(l)) consumers.get(i)!.push(l.name);
  const outputName = model.outputLayers[0]!.name;
  /** The layer that alone reads `name`'s output, if exactly one does and `name` is not the model's output. */
  const soleConsumer = (name: string): Layer | undefined => {
    const c = consumers.get(name)!;
    return c.length === 1 && name !== outputName ? byName.get(c[0]!) : undefined;
  };

  const groups = new Map<string, Extract<Step, { kind: 'fused' }>>(); // by output layer
  const absorbed = new Set<string>();
  for (const conv of layers) {
    if (conv.getClassName() !== 'Conv2D') continue;
    const config = conv.getConfig() as unknown as ConvConfig;
    const dilation = Array.isArray(config.dilationRate) ? config.dilationRate : [config.dilationRate, config.dilationRate];
    if (config.dataFormat !== 'channelsLast' || dilation.some((d) => d !== 1) || config.padding === 'causal') continue;
    if (config.activation !== 'linear' && config.activation !== 'relu') continue; // the gate's sigmoid
    const members: string[] = [];
    let input = inputsOf(conv)[0]!;
    let padding: FusedConvOptions['padding'] = config.padding === 'same' ? 'SAME' : 'VALID';
    const padLayer = byName.get(input);
    if (config.padding === 'valid' && padLayer?.getClassName() === 'ZeroPadding2D' && soleConsumer(input) === conv) {
      const pad = (padLayer.getConfig() as { padding: [[number, number], [number, number]]; dataFormat: string });
      if (pad.dataFormat === 'channelsLast') {
        members.push(input);
        padding = [pad.padding[0][0], pad.padding[0][1], pad.padding[1][0], pad.padding[1][1]];
        input = inputsOf(padLayer)[0]!;
      }
    }
    let last: Layer = conv;
    let bn: Layer | undefined;
    let relu = config.activation === 'relu';
    let side: string | undefined;
    if (!relu) {
      const next = soleConsumer(conv.name);
      if (isLastAxisBatchNorm(next)) {
        bn = next!;
        last = bn;
      }
      const after = soleConsumer(last.name);
      if (isRelu(after)) {
        relu = true;
        last = after!;
      } else if (after?.getClassName() === 'Add' && !absorbed.has(after.name) && inputsOf(after).length === 2 && isRelu(soleConsumer(after.name))) {
        side = inputsOf(after).find((n) => n !== last.name);
        if (side !== undefined) {
          members.push(after.name);
          last = soleConsumer(after.name)!;
          relu = true;
        }
      }
    }
    if (!bn && !relu && !config.useBias) continue; // a bare convolution: nothing to fuse
    if (bn) members.push(bn.name);
    if (last !== conv && last !== bn) members.push(last.name);
    const strides = config.strides as [number, number];
    for (const m of members) absorbed.add(m);
    absorbed.add(conv.name);
    groups.set(last.name, { kind: 'fused', output: last.name, input, ...(side !== undefined ? { side } : {}), weights: { conv, ...(bn ? { bn } : {}) }, relu, strides, padding });
  }
  // Option A's shortcut (every stride-th pixel, channels zero-filled) is a 1×1 convolution with a
  // one-hot filter: one kernel instead of a pool and a pad, and exact (x·1 plus zeros is x).
  for (const layer of layers) {
    if (layer.getClassName() !== 'ZeroPadShortcut') continue;
    const { stride, outChannels } = layer.getConfig() as { stride: number; outChannels: number };
    const inChannels = (layer.input as tf.SymbolicTensor).shape[3];
    if (typeof inChannels !== 'number' || inChannels > outChannels) continue;
    groups.set(layer.name, { kind: 'fused', output: layer.name, input: inputsOf(layer)[0]!, weights: { zeroPadShortcut: { inChannels, outChannels } }, relu: false, strides: [stride, stride], padding: 'VALID' });
  }

  const steps: Step[] = [];
  const inputName = model.inputLayers[0]!.name;
  for (const layer of layers) {
    if (layer.name === inputName) continue;
    const group = groups.get(layer.name);
    if (group) steps.push(group);
    else if (!absorbed.has(layer.name)) steps.push({ kind: 'layer', output: layer.name, layer, inputs: inputsOf(layer) });
  }
  return { steps, input: inputName, output: outputName, fusedConvolutions: groups.size };
}

/** A fused step's filter and bias: conv → BN as one convolution, from the weights' current values. */
function foldedWeights(source: WeightSource): { filter: tf.Tensor4D; bias: tf.Tensor1D } {
  return tf.tidy(() => {
    if ('zeroPadShortcut' in source) {
      const { inChannels, outChannels } = source.zeroPadShortcut;
      return { filter: tf.eye(inChannels, outChannels).reshape([1, 1, inChannels, outChannels]) as tf.Tensor4D, bias: tf.zeros([outChannels]) as tf.Tensor1D };
    }
    const [kernel, convBias] = source.conv.getWeights() as [tf.Tensor4D, tf.Tensor1D | undefined];
    const channels = kernel.shape[3];
    const bias0 = convBias ?? tf.zeros([channels]);
    if (!source.bn) return { filter: kernel.clone(), bias: bias0.clone() as tf.Tensor1D };
    const bnConfig = source.bn.getConfig() as { epsilon: number; center: boolean; scale: boolean };
    const named = new Map(source.bn.weights.map((w) => [w.originalName.split('/').pop()!, w.read()]));
    const gamma = bnConfig.scale ? named.get('gamma')! : tf.ones([channels]);
    const beta = bnConfig.center ? named.get('beta')! : tf.zeros([channels]);
    const scale = tf.mul(gamma, tf.rsqrt(tf.add(named.get('moving_variance')!, bnConfig.epsilon)));
    return {
      filter: tf.mul(kernel, scale) as tf.Tensor4D,
      bias: tf.add(beta, tf.mul(tf.sub(bias0, named.get('moving_mean')!), scale)) as tf.Tensor1D,
    };
  });
}

/**
 * Fused inference for the model's current weights, or undefined where the
 * fused kernel is unavailable or the graph is not one planInference runs.
 */
export function foldedInference(model: tf.LayersModel): FoldedInference | undefined {
  if (!fusedConvolutionAvailable()) return undefined;
  const plan = planInference(model);
  if (!plan) return undefined;
  const weights = new Map(plan.steps.flatMap((s) => (s.kind === 'fused' ? [[s.output, foldedWeights(s.weights)] as const] : [])));
  // Each intermediate is freed after its last reader: the allocator reuses warm memory.
  const lastReader = new Map<string, number>();
  plan.steps.forEach((s, i) => {
    for (const name of s.kind === 'fused' ? [s.input, ...(s.side !== undefined ? [s.side] : [])] : s.inputs) lastReader.set(name, i);
  });
  const freeAfter = plan.steps.map(() => [] as string[]);
  for (const [name, i] of lastReader) if (name !== plan.input) freeAfter[i]!.push(name);
  return {
    logits: (images) =>
      tf.tidy(() => {
        const values = new Map<string, tf.Tensor>([[plan.input, images]]);
        plan.steps.forEach((s, i) => {
          let y: tf.Tensor;
          if (s.kind === 'fused') {
            const { filter, bias } = weights.get(s.output)!;
            const side = s.side !== undefined ? (values.get(s.side) as tf.Tensor4D) : undefined;
            y = fusedConv2d(values.get(s.input) as tf.Tensor4D, filter, bias, { strides: s.strides, padding: s.padding, relu: s.relu, ...(side ? { side } : {}) });
          } else {
            const inputs = s.inputs.map((n) => values.get(n)!);
            y = s.layer.apply(inputs.length === 1 ? inputs[0]! : inputs, { training: false }) as tf.Tensor;
          }
          values.set(s.output, y);
          for (const name of freeAfter[i]!) {
            const value = values.get(name)!;
            values.delete(name);
            // A layer may pass its input through (dropout at inference): free it only when nothing else holds it.
            if (![...values.values()].includes(value)) value.dispose();
          }
        });
        return values.get(plan.output) as tf.Tensor2D;
      }),
    dispose: () => {
      for (const { filter, bias } of weights.values()) tf.dispose([filter, bias]);
    },
  };
}
