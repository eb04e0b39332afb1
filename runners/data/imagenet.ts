/**
 * ILSVRC2012 from its standard folder layout, decoded and resized with sharp
 * (libvips; decoding runs on libuv's threads, so the next batch is prepared
 * while a training step runs).
 *
 *   <dir>/train/<wnid>/*.JPEG          classes are the sorted wnids
 *   <dir>/val/<wnid>/*.JPEG            validation, sorted into folders, or
 *   <dir>/val/*.JPEG + a labels file   <dir>/val_labels.txt ("<file> <wnid>" per line)
 *                                      or <dir>/LOC_val_solution.csv (ImageId,PredictionString)
 *
 * Augmentation (§3.4): shorter side resized to a random length in [256, 480],
 * a random 224 crop or its mirror, AlexNet's PCA lighting, per-pixel mean
 * subtracted. Evaluation: centre crop of the image resized to shorter side
 * 256, or the 10-crop view (four corners and centre, and their mirrors). For
 * inputs other than 224 every length scales by side/224.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import sharp, { type Metadata, type Sharp } from 'sharp';
import { InputError } from '../errors.js';
import type { Batch } from './augment.js';
import { rng, type Rng } from './rng.js';
import type { EvalBatch, TrainingData } from './source.js';

const IMAGE_EXTENSIONS = /\.(jpe?g|png)$/i;

/** AlexNet's PCA lighting on RGB in [0, 1] (eigen-decomposition of ImageNet's pixel covariance, as fb.resnet.torch). */
export const PCA_LIGHTING = {
  alphaStd: 0.1,
  eigval: [0.2175, 0.0188, 0.0045],
  eigvec: [
    [-0.5675, 0.7192, 0.4009],
    [-0.5808, -0.0045, -0.814],
    [-0.5836, -0.6948, 0.4203],
  ],
} as const;

/** Training images used to estimate the per-pixel mean (a full pass over 1.28M is not worth it). */
export const MEAN_SAMPLE = 2_000;

interface Entry {
  readonly file: string;
  readonly label: number;
}

export interface ImageNetOptions {
  readonly dir: string;
  /** Crop side; 224 as the paper, smaller for smoke runs. */
  readonly side?: number;
  readonly trainLimit?: number;
  readonly testLimit?: number;
  readonly seed?: number;
  /** Recorded as the runs' dataset: 'imagenet', or 'imagenet-standin' for the generated one. */
  readonly name?: 'imagenet' | 'imagenet-standin';
}

function listImages(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => IMAGE_EXTENSIONS.test(f))
    .sort();
}

function readTrain(dir: string): { classes: string[]; entries: Entry[] } {
  const train = join(dir, 'train');
  if (!existsSync(train)) {
    throw new InputError(`ImageNet training folder not found: ${train}. Expected the ILSVRC2012 layout: train/<wnid>/*.JPEG and val/ (see "resnet-repro train --help").`);
  }
  const classes = readdirSync(train)
    .filter((d) => statSync(join(train, d)).isDirectory())
    .sort();
  if (classes.length === 0) throw new InputError(`${train} has no class folders (train/<wnid>/*.JPEG)`);
  const entries = classes.flatMap((wnid, label) => listImages(join(train, wnid)).map((f) => ({ file: join(train, wnid, f), label })));
  if (entries.length === 0) throw new InputError(`${train} has class folders but no images`);
  return { classes, entries };
}

function readValidation(dir: string, classes: string[]): Entry[] {
  const val = join(dir, 'val');
  if (!existsSync(val)) throw new InputError(`ImageNet validation folder not found: ${val}`);
  const index = new Map(classes.map((wnid, i) => [wnid, i]));
  const labelOf = (wnid: string, where: string) => {
    const label = index.get(wnid);
    if (label === undefined) throw new InputError(`${where}: class ${wnid} is not among the ${classes.length} training classes`);
    return label;
  };
  const folders = readdirSync(val).filter((d) => statSync(join(val, d)).isDirectory());
  if (folders.length > 0) {
    return folders.sort().flatMap((wnid) => listImages(join(val, wnid)).map((f) => ({ file: join(val, wnid, f), label: labelOf(wnid, join(val, wnid)) })));
  }
  const txt = join(dir, 'val_labels.txt');
  const csv = join(dir, 'LOC_val_solution.csv');
  const labels = new Map<string, string>();
  if (existsSync(txt)) {
    readFileSync(txt, 'utf8').split('\n').forEach((line, i) => {
      if (!line.trim()) return;
      const [file, wnid] = line.trim().split(/\s+/);
      if (!file || !wnid) throw new InputError(`${txt}:${i + 1}: expected "<file> <wnid>"`);
      labels.set(file, wnid);
    });
  } else if (existsSync(csv)) {
    readFileSync(csv, 'utf8').split('\n').slice(1).forEach((line, i) => {
      if (!line.trim()) return;
      const [id, prediction] = line.split(',');
      const wnid = prediction?.trim().split(/\s+/)[0];
      if (!id || !wnid) throw new InputError(`${csv}:${i + 2}: expected "ImageId,PredictionString"`);
      labels.set(`${id}.JPEG`, wnid);
    });
  } else {
    throw new InputError(`no validation labels: ${val} holds images but neither ${txt} nor ${csv} exists (or sort val/ into val/<wnid>/ folders)`);
  }
  return listImages(val).map((f) => {
    const wnid = labels.get(f);
    if (!wnid) throw new InputError(`no label for validation image ${join(val, f)} in the labels file`);
    return { file: join(val, f), label: labelOf(wnid, f) };
  });
}

/** Resizes so the shorter side is `shorter`, and says the new size. */
async function resized(file: string, shorter: number): Promise<{ image: Sharp; width: number; height: number }> {
  let meta: Metadata;
  try {
    meta = await sharp(file).metadata();
  } catch (error) {
    throw new InputError(`cannot decode ${file}: ${(error as Error).message}`);
  }
  const w = meta.autoOrient?.width ?? meta.width;
  const h = meta.autoOrient?.height ?? meta.height;
  const scale = shorter / Math.min(w, h);
  const width = Math.max(shorter, Math.round(w * scale));
  const height = Math.max(shorter, Math.round(h * scale));
  return { image: sharp(file).autoOrient().resize(width, height, { fit: 'fill' }), width, height };
}

async function crop(image: Sharp, left: number, top: number, side: number, mirror: boolean): Promise<Buffer> {
  let pipeline = image.extract({ left, top, width: side, height: side });
  if (mirror) pipeline = pipeline.flop();
  return pipeline.toColourspace('srgb').removeAlpha().raw().toBuffer();
}

/** A side×side crop of an RGB raster `width` pixels wide, optionally mirrored. */
export function cropRaw(raw: Uint8Array, width: number, left: number, top: number, side: number, mirror: boolean): Uint8Array {
  const out = new Uint8Array(side * side * 3);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const sx = left + (mirror ? side - 1 - x : x);
      const src = ((top + y) * width + sx) * 3;
      const dst = (y * side + x) * 3;
      out[dst] = raw[src]!;
      out[dst + 1] = raw[src + 1]!;
      out[dst + 2] = raw[src + 2]!;
    }
  }
  return out;
}

export class ImageNetData implements TrainingData {
  readonly name: string;
  readonly family = 'imagenet';
  readonly testSplit = 'val';
  /** Not hashed: a folder of 1.28 M files would take minutes to read at every start. */
  readonly digest = null;
  readonly side: number;
  readonly classes: number;
  readonly trainCount: number;
  readonly testCount: number;
  readonly classNames: readonly string[];
  private readonly train: Entry[];
  private readonly val: Entry[];
  private readonly shorterRange: [number, number];
  private readonly evalShorter: number;
  private mean: Float32Array | undefined;

  constructor(readonly options: ImageNetOptions & { readonly dir: string }) {
    this.name = options.name ?? 'imagenet';
    const { classes, entries } = readTrain(options.dir);
    this.classNames = classes;
    this.classes = classes.length;
    this.train = entries.slice(0, options.trainLimit);
    this.val = readValidation(options.dir, classes).slice(0, options.testLimit);
    if (this.val.length === 0) throw new InputError(`${join(options.dir, 'val')} has no images`);
    this.side = options.side ?? 224;
    const scale = (n: number) => Math.round((n * this.side) / 224);
    this.shorterRange = [scale(256), scale(480)];
    this.evalShorter = scale(256);
    this.trainCount = this.train.length;
    this.testCount = this.val.length;
  }

  get dir(): string {
    return this.options.dir;
  }

  /** Per-pixel mean of centre crops of up to MEAN_SAMPLE training images (seeded sample), computed once. */
  async pixelMean(): Promise<Float32Array> {
    if (this.mean) return this.mean;
    const random = rng(this.options.seed ?? 0, 'imagenet-mean');
    const sample = this.train.length <= MEAN_SAMPLE ? this.train : Array.from({ length: MEAN_SAMPLE }, () => this.train[Math.floor(random() * this.train.length)]!);
    const pixels = this.side * this.side * 3;
    const sum = new Float64Array(pixels);
    for (let i = 0; i < sample.length; i += 64) {
      const crops = await Promise.all(sample.slice(i, i + 64).map((e) => this.centreCrop(e.file)));
      for (const c of crops) for (let p = 0; p < pixels; p++) sum[p]! += c[p]!;
    }
    this.mean = Float32Array.from(sum, (s) => s / sample.length);
    return this.mean;
  }

  private async centreCrop(file: string): Promise<Buffer> {
    const { image, width, height } = await resized(file, this.evalShorter);
    return crop(image, Math.floor((width - this.side) / 2), Math.floor((height - this.side) / 2), this.side, false);
  }

  /** One augmented training image: random scale, crop, mirror, PCA lighting; mean subtracted into `out`. */
  private async augmented(entry: Entry, random: Rng, mean: Float32Array, out: Float32Array, slot: number): Promise<void> {
    const [lo, hi] = this.shorterRange;
    const shorter = lo + Math.floor(random() * (hi - lo + 1));
    const left01 = random();
    const top01 = random();
    const mirror = random() < 0.5;
    // Box–Muller for the three lighting coefficients.
    const alpha = [0, 1, 2].map(() => PCA_LIGHTING.alphaStd * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));
    const shift = [0, 1, 2].map((c) => 255 * PCA_LIGHTING.eigvec[c]!.reduce((s, v, j) => s + v * alpha[j]! * PCA_LIGHTING.eigval[j]!, 0));
    const { image, width, height } = await resized(entry.file, shorter);
    const pixels = await crop(image, Math.floor(left01 * (width - this.side + 1)), Math.floor(top01 * (height - this.side + 1)), this.side, mirror);
    const base = slot * pixels.length;
    for (let p = 0; p < pixels.length; p++) out[base + p] = pixels[p]! + shift[p % 3]! - mean[p]!;
  }

  async trainBatch(indices: Uint32Array, random: Rng): Promise<Batch> {
    const mean = await this.pixelMean();
    const size = indices.length;
    const images = new Float32Array(size * this.side * this.side * 3);
    const labels = new Int32Array(size);
    // Draw every image's randomness up front, in order, so decoding order cannot change it.
    const streams = Array.from(indices, () => rng(Math.floor(random() * 2 ** 32)));
    await Promise.all(
      Array.from(indices, (index, slot) => {
        const entry = this.train[index]!;
        labels[slot] = entry.label;
        return this.augmented(entry, streams[slot]!, mean, images, slot);
      }),
    );
    return { images, labels, size };
  }

  /** The views of one validation image: centre, or 4 corners + centre and their mirrors (decoded once). */
  private async views(file: string, view: 'single' | 'ten-crop'): Promise<Uint8Array[]> {
    if (view === 'single') return [await this.centreCrop(file)];
    const { image, width, height } = await resized(file, this.evalShorter);
    const raw = await image.toColourspace('srgb').removeAlpha().raw().toBuffer();
    const s = this.side;
    const corners: [number, number][] = [[0, 0], [width - s, 0], [0, height - s], [width - s, height - s], [Math.floor((width - s) / 2), Math.floor((height - s) / 2)]];
    return [false, true].flatMap((mirror) => corners.map(([left, top]) => cropRaw(raw, width, left, top, s, mirror)));
  }

  async *testBatches(batchSize: number, view: 'single' | 'ten-crop'): AsyncIterable<EvalBatch> {
    const mean = await this.pixelMean();
    const perImage = view === 'single' ? 1 : 10;
    const imagesPerBatch = Math.max(1, Math.floor(batchSize / perImage));
    for (let from = 0; from < this.val.length; from += imagesPerBatch) {
      const entries = this.val.slice(from, from + imagesPerBatch);
      const viewSets = await Promise.all(entries.map((e) => this.views(e.file, view)));
      const size = entries.length * perImage;
      const pixels = this.side * this.side * 3;
      const images = new Float32Array(size * pixels);
      const labels = new Int32Array(size);
      viewSets.forEach((set, i) =>
        set.forEach((buffer, v) => {
          const slot = i * perImage + v;
          labels[slot] = entries[i]!.label;
          for (let p = 0; p < pixels; p++) images[slot * pixels + p] = buffer[p]! - mean[p]!;
        }),
      );
      yield { images, labels, size, views: perImage };
    }
  }
}
