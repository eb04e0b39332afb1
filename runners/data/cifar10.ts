/**
 * CIFAR-10 in the official binary layout: data_batch_1..5.bin and
 * test_batch.bin, each 10,000 records of one label byte then 1,024 red,
 * 1,024 green and 1,024 blue bytes (32×32, row-major). Images come out as
 * HWC bytes, the layout tfjs's NHWC convolutions take.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import type { ImageSet } from './images.js';

export const CIFAR10 = {
  side: 32,
  classes: 10,
  recordBytes: 1 + 32 * 32 * 3,
  recordsPerFile: 10_000,
  trainFiles: ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'],
  testFiles: ['test_batch.bin'],
  classNames: ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'],
  /** The paper chose its schedule on a 45k/5k split; validation is the last 5,000 training records. */
  validationSize: 5_000,
} as const;

export type CifarSplit = 'train' | 'test' | 'train45k' | 'val5k';

function missing(dir: string, file: string): InputError {
  return new InputError(
    `CIFAR-10 file not found: ${join(dir, file)}. Put the official binary files (${[...CIFAR10.trainFiles, ...CIFAR10.testFiles].join(', ')}) in that folder ` +
      `(pass it with --data or RESNET_REPRO_DATA), or download them with "resnet-repro data cifar10 --dir ${dir}".`,
  );
}

/** Reads up to `limit` records of one file into `out` from record `at`; checks size and labels. */
function readFile(dir: string, file: string, out: ImageSet, at: number, limit: number): number {
  const path = join(dir, file);
  if (!existsSync(path)) throw missing(dir, file);
  const fd = openSync(path, 'r');
  try {
    const expected = CIFAR10.recordBytes * CIFAR10.recordsPerFile;
    const { size } = fstatSync(fd);
    if (size !== expected) {
      const why = size < expected ? 'truncated' : 'too long';
      throw new InputError(`${path} is ${why}: ${size.toLocaleString('en')} bytes, expected ${expected.toLocaleString('en')} (10,000 records of 3,073). Download it again.`);
    }
    const count = Math.min(limit, CIFAR10.recordsPerFile);
    const buffer = Buffer.alloc(count * CIFAR10.recordBytes);
    readSync(fd, buffer, 0, buffer.length, 0);
    const plane = CIFAR10.side * CIFAR10.side;
    for (let r = 0; r < count; r++) {
      const base = r * CIFAR10.recordBytes;
      const label = buffer[base]!;
      if (label >= CIFAR10.classes) {
        throw new InputError(`${path}: record ${r} has label ${label}, not 0–9. Is this CIFAR-100 or another format? CIFAR-10's binary records start with one label byte.`);
      }
      out.labels[at + r] = label;
      const image = (at + r) * plane * 3;
      for (let p = 0; p < plane; p++) {
        out.images[image + p * 3] = buffer[base + 1 + p]!;
        out.images[image + p * 3 + 1] = buffer[base + 1 + plane + p]!;
        out.images[image + p * 3 + 2] = buffer[base + 1 + 2 * plane + p]!;
      }
    }
    return count;
  } finally {
    closeSync(fd);
  }
}

/** Loads a split; `limit` reads only the first records (fast tests), still checking every file's size. */
export function loadCifar10(dir: string, split: CifarSplit, limit = Number.POSITIVE_INFINITY): ImageSet {
  const files = split === 'test' ? CIFAR10.testFiles : CIFAR10.trainFiles;
  const all = files.length * CIFAR10.recordsPerFile;
  const [from, to] = split === 'train45k' ? [0, all - CIFAR10.validationSize] : split === 'val5k' ? [all - CIFAR10.validationSize, all] : [0, all];
  for (const file of files) if (!existsSync(join(dir, file))) throw missing(dir, file);
  // Read whole files up to what the split needs, then keep the split's window.
  const needed = Math.min(to, from + limit);
  const full: ImageSet = {
    name: 'cifar10',
    side: CIFAR10.side,
    classes: CIFAR10.classes,
    count: needed,
    images: new Uint8Array(needed * CIFAR10.side * CIFAR10.side * 3),
    labels: new Uint8Array(needed),
  };
  let at = 0;
  for (const file of files) {
    if (at >= needed) {
      readFile(dir, file, full, at, 0); // size and presence still checked
      continue;
    }
    at += readFile(dir, file, full, at, needed - at);
  }
  const pixels = CIFAR10.side * CIFAR10.side * 3;
  return {
    ...full,
    name: split === 'test' || split === 'train' ? 'cifar10' : `cifar10-${split}`,
    count: needed - from,
    images: full.images.subarray(from * pixels, needed * pixels),
    labels: full.labels.subarray(from, needed),
  };
}

/**
 * Which copy of CIFAR-10 a folder holds: "sha256:" and the SHA-256 of its six files concatenated in
 * the order above (`cat data_batch_{1..5}.bin test_batch.bin | sha256sum`). Copies differ (the
 * official archive; re-encoded ones, such as a JPEG-derived copy), and so do the errors trained on
 * them: a baseline gates only runs that read the same bytes.
 */
export function cifar10Digest(dir: string): string {
  const hash = createHash('sha256');
  for (const file of [...CIFAR10.trainFiles, ...CIFAR10.testFiles]) {
    if (!existsSync(join(dir, file))) throw missing(dir, file);
    hash.update(readFileSync(join(dir, file)));
  }
  return `sha256:${hash.digest('hex')}`;
}
