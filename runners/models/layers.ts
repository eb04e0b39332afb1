/**
 * The two operations tfjs-layers lacks: the option-A shortcut and the
 * highway gate's weighted sum. Both are parameter-free.
 */
import * as tf from '@tensorflow/tfjs';

type Shape = tf.Shape;

/**
 * Option A (§3.3): identity where shapes match; where they grow, take every
 * `stride`-th pixel from the top-left and fill the added channels with zeros.
 */
export class ZeroPadShortcut extends tf.layers.Layer {
  static readonly className = 'ZeroPadShortcut';
  private readonly stride: number;
  private readonly outChannels: number;

  constructor(args: { stride: number; outChannels: number; name: string }) {
    super({ name: args.name, trainable: false });
    this.stride = args.stride;
    this.outChannels = args.outChannels;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const [n, h, w] = inputShape as Shape;
    const down = (size: number | null) => (size === null ? null : Math.ceil(size / this.stride));
    return [n ?? null, down(h ?? null), down(w ?? null), this.outChannels];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      let x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      // tfjs has no StridedSlice gradient; a 1×1 average pool with this stride
      // selects exactly the top-left pixel of each window and has one.
      if (this.stride > 1) x = tf.avgPool(x, 1, this.stride, 'valid');
      const added = this.outChannels - x.shape[3];
      return added > 0 ? tf.pad(x, [[0, 0], [0, 0], [0, 0], [0, added]]) : x;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), stride: this.stride, outChannels: this.outChannels };
  }
}

/** Highway combination y = T·H + (1 − T)·x for inputs [H, x, T], T already in (0, 1). */
export class GatedSum extends tf.layers.Layer {
  static readonly className = 'GatedSum';

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    return (inputShape as Shape[])[0]!;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [h, x, t] = inputs as tf.Tensor[];
      return tf.add(tf.mul(t!, h!), tf.mul(tf.sub(1, t!), x!));
    });
  }
}

tf.serialization.registerClass(ZeroPadShortcut);
tf.serialization.registerClass(GatedSum);
