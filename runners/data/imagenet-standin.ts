/**
 * A generated stand-in for ILSVRC2012 in its on-disk layout, so the ImageNet
 * suites' smoke presets run the real pipeline (sharp's JPEG decode, scale
 * augmentation, crops, lighting, 10-crop evaluation) on any machine:
 *
 *   <dir>/train/<wnid>/<wnid>_<i>.JPEG   JPEGs of varied sizes and aspect ratios
 *   <dir>/val/ILSVRC2012_val_<n>.JPEG    with <dir>/val_labels.txt ("<file> <wnid>")
 *
 * Each class is a colour and a stripe frequency and orientation under random
 * phase and noise (as the CIFAR stand-in, synthetic.ts): learnable within a
 * smoke run, unchanged in kind by crops, scales and flips. Seeded, generated
 * once into a folder named by its version and size, written to a temporary
 * folder and renamed so two runs never see half of one. Runs record it as
 * "imagenet-standin": it is never presented as ImageNet.
 */
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import { rng } from './rng.js';
import { ensureDir } from '../files.js';

/** Bump when the generated images change: a cached folder of another version is not reused. */
const VERSION = 1;
export const STANDIN = { classes: 10, trainPerClass: 40, valPerClass: 10, shorterSide: [72, 160], aspect: [0.6, 1.7] } as const;

/** Made-up WordNet-style ids, sorted as ImageNet's loader sorts classes. */
const wnid = (c: number) => `n9900${String(c).padStart(4, '0')}`;

/** The folder the stand-in lives in under `root`: its version is part of the name. */
export const standInFolder = (root: string) => join(root, `v${VERSION}`);

async function image(path: string, label: number, random: () => number): Promise<void> {
  const [lo, hi] = STANDIN.shorterSide;
  const shorter = Math.round(lo + random() * (hi - lo));
  const aspect = STANDIN.aspect[0] + random() * (STANDIN.aspect[1] - STANDIN.aspect[0]);
  const [width, height] = aspect >= 1 ? [Math.round(shorter * aspect), shorter] : [shorter, Math.round(shorter / aspect)];
  const tint = [0, 1, 2].map((ch) => Math.cos((2 * Math.PI * (label + 3 * ch)) / STANDIN.classes));
  const cycles = 3 + (label % 4) * 2;
  const vertical = label % 2 === 0;
  const phase = random() * 2 * Math.PI;
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      // Stripes are counted across the shorter side, so scaling keeps them.
      const wave = Math.sin(phase + (2 * Math.PI * cycles * (vertical ? x : y)) / shorter);
      for (let ch = 0; ch < 3; ch++) {
        const noise = (random() + random() - 1) * 40;
        raw[(y * width + x) * 3 + ch] = Math.max(0, Math.min(255, Math.round(128 + 60 * tint[ch]! + 40 * wave + noise)));
      }
    }
  }
  await sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 85 }).toFile(path);
}

/** The stand-in's folder under `root`, generated first if it is not there (a few seconds). */
export async function ensureImageNetStandIn(root: string, log: (line: string) => void = () => {}): Promise<string> {
  const dir = standInFolder(root);
  if (existsSync(join(dir, 'val_labels.txt'))) return dir;
  ensureDir(dirname(dir));
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  log(`generating the ImageNet stand-in in ${dir} (${STANDIN.classes} classes, ${STANDIN.classes * STANDIN.trainPerClass} training and ${STANDIN.classes * STANDIN.valPerClass} validation JPEGs)`);
  const random = rng(VERSION, 'imagenet-standin');
  for (let c = 0; c < STANDIN.classes; c++) {
    ensureDir(join(tmp, 'train', wnid(c)));
    for (let i = 0; i < STANDIN.trainPerClass; i++) await image(join(tmp, 'train', wnid(c), `${wnid(c)}_${i}.JPEG`), c, random);
  }
  ensureDir(join(tmp, 'val'));
  const lines: string[] = [];
  for (let n = 0; n < STANDIN.classes * STANDIN.valPerClass; n++) {
    const label = n % STANDIN.classes;
    const file = `ILSVRC2012_val_${String(n + 1).padStart(8, '0')}.JPEG`;
    await image(join(tmp, 'val', file), label, random);
    lines.push(`${file} ${wnid(label)}`);
  }
  writeFileSync(join(tmp, 'val_labels.txt'), `${lines.join('\n')}\n`);
  try {
    renameSync(tmp, dir);
  } catch (error) {
    // Another run generated it meanwhile: theirs is the same, keep it.
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(join(dir, 'val_labels.txt'))) throw error;
  }
  return dir;
}
