/**
 * `resnet-repro data cifar10`: the official binary archive, checked against
 * its published MD5, extracted into the data folder. Nothing is left half
 * written: the download goes to a temporary file, the files are extracted
 * into a temporary folder, checked, then moved into place. Offline, it fails
 * at once and says where to put the files instead.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar';
import { InputError } from '../errors.js';
import { CIFAR10, loadCifar10 } from './cifar10.js';
import { ensureDir } from '../files.js';

/** The CIFAR-10 page's binary version and the MD5 it publishes. */
export const CIFAR10_ARCHIVE = {
  url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz',
  md5: 'c32a1d4ab5d03f1284b67883e8d87530',
  bytes: 170_052_171,
  folder: 'cifar-10-batches-bin',
} as const;

const FILES = [...CIFAR10.trainFiles, ...CIFAR10.testFiles, 'batches.meta.txt'];

export interface DownloadOptions {
  readonly dir: string;
  /** Install from an archive already on disk instead of downloading. */
  readonly archive?: string;
  readonly url?: string;
  readonly md5?: string;
  /** Bytes so far and expected total (0 when unknown). */
  readonly onProgress?: (bytes: number, total: number) => void;
  readonly log?: (line: string) => void;
}

/** True when every file is present with the right size (what loadCifar10 checks). */
export function cifar10Present(dir: string): boolean {
  try {
    loadCifar10(dir, 'train', 0);
    loadCifar10(dir, 'test', 0);
    return true;
  } catch {
    return false;
  }
}

function offlineHelp(dir: string, url: string, reason: string): InputError {
  return new InputError(
    `cannot download ${url}: ${reason}. Without network access, fetch cifar-10-binary.tar.gz on another machine ` +
      `(MD5 ${CIFAR10_ARCHIVE.md5}) and run "resnet-repro data cifar10 --archive <file> --dir ${dir}", ` +
      `or put ${CIFAR10.trainFiles.join(', ')} and ${CIFAR10.testFiles.join(', ')} in ${dir}.`,
  );
}

async function download(url: string, to: string, dir: string, onProgress?: (bytes: number, total: number) => void): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    throw offlineHelp(dir, url, cause?.code ?? cause?.message ?? (error as Error).message);
  }
  if (!response.ok || !response.body) throw offlineHelp(dir, url, `HTTP ${response.status}`);
  const total = Number(response.headers.get('content-length') ?? 0);
  const md5 = createHash('md5');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      md5.update(chunk);
      bytes += chunk.length;
      onProgress?.(bytes, total);
      done(null, chunk);
    },
  });
  await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), meter, createWriteStream(to));
  return md5.digest('hex');
}

async function md5Of(file: string): Promise<string> {
  const md5 = createHash('md5');
  for await (const chunk of createReadStream(file)) md5.update(chunk as Buffer);
  return md5.digest('hex');
}

export async function downloadCifar10(options: DownloadOptions): Promise<'present' | 'installed'> {
  const { dir } = options;
  const log = options.log ?? (() => {});
  if (cifar10Present(dir)) {
    log(`CIFAR-10 is already in ${dir}`);
    return 'present';
  }
  ensureDir(dir);
  const expected = options.md5 ?? CIFAR10_ARCHIVE.md5;
  const work = mkdtempSync(join(dir, '.download-'));
  try {
    let archive = options.archive;
    let actual: string;
    if (archive) {
      if (!existsSync(archive)) throw new InputError(`archive not found: ${archive}`);
      actual = await md5Of(archive);
    } else {
      const url = options.url ?? CIFAR10_ARCHIVE.url;
      log(`downloading ${url} (${(CIFAR10_ARCHIVE.bytes / 1e6).toFixed(0)} MB)`);
      archive = join(work, 'cifar-10-binary.tar.gz');
      actual = await download(url, archive, dir, options.onProgress);
    }
    if (actual !== expected) {
      throw new InputError(`${options.archive ?? 'the downloaded archive'} has MD5 ${actual}, not the published ${expected}: corrupt or not the CIFAR-10 binary version. Nothing was installed.`);
    }
    log('MD5 matches; extracting');
    const extracted = join(work, 'extracted');
    mkdirSync(extracted);
    // Only the six data files and the class names, from the archive's one folder.
    await tar.x({ file: archive, cwd: extracted, filter: (path) => FILES.some((f) => path === `${CIFAR10_ARCHIVE.folder}/${f}`) });
    const source = join(extracted, CIFAR10_ARCHIVE.folder);
    loadCifar10(source, 'train', 0);
    loadCifar10(source, 'test', 0);
    for (const file of FILES) if (existsSync(join(source, file))) renameSync(join(source, file), join(dir, file));
    log(`installed CIFAR-10 in ${dir}`);
    return 'installed';
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
