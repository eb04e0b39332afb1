/** A tiny ILSVRC-layout folder of generated JPEGs: 3 classes, odd sizes, both validation layouts. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';

export const FIXTURE_CLASSES = ['n01440764', 'n01443537', 'n01484850'];
const SIZES: [number, number][] = [[48, 36], [40, 64], [50, 50], [72, 44]];

async function jpeg(path: string, width: number, height: number, label: number, seed: number): Promise<void> {
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) {
    const channel = i % 3;
    const x = Math.floor(i / 3) % width;
    raw[i] = (channel === label ? 180 : 40) + ((x * 7 + seed * 13 + i) % 50);
  }
  await sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 90 }).toFile(path);
}

export async function imagenetFixture(valLayout: 'folders' | 'labels-txt' | 'kaggle-csv' = 'labels-txt'): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'imagenet-'));
  let seed = 0;
  for (const [label, wnid] of FIXTURE_CLASSES.entries()) {
    mkdirSync(join(dir, 'train', wnid), { recursive: true });
    for (const [i, [w, h]] of SIZES.entries()) await jpeg(join(dir, 'train', wnid, `${wnid}_${i}.JPEG`), w, h, label, seed++);
  }
  mkdirSync(join(dir, 'val'));
  const lines: string[] = [];
  for (const [label, wnid] of FIXTURE_CLASSES.entries()) {
    for (let i = 0; i < 2; i++) {
      const id = `ILSVRC2012_val_0000000${label * 2 + i + 1}`;
      const folder = valLayout === 'folders' ? join(dir, 'val', wnid) : join(dir, 'val');
      mkdirSync(folder, { recursive: true });
      await jpeg(join(folder, `${id}.JPEG`), 60, 45, label, seed++);
      lines.push(valLayout === 'kaggle-csv' ? `${id},${wnid} 1 2 3 4` : `${id}.JPEG ${wnid}`);
    }
  }
  if (valLayout === 'labels-txt') writeFileSync(join(dir, 'val_labels.txt'), `${lines.join('\n')}\n`);
  if (valLayout === 'kaggle-csv') writeFileSync(join(dir, 'LOC_val_solution.csv'), `ImageId,PredictionString\n${lines.join('\n')}\n`);
  return dir;
}
