/** The CIFAR-10 downloader against a loopback HTTP server and a generated archive in the official layout. */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync as makeTemp, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import * as tar from 'tar';
import { CIFAR10 } from '../runners/data/cifar10.js';
import { cifar10Present, downloadCifar10 } from '../runners/data/download.js';
import { InputError } from '../runners/errors.js';

// Each test folder holds ~185 MB: remove them all afterwards.
const made: string[] = [];
const mkdtempSync = (prefix: string) => {
  const dir = makeTemp(prefix);
  made.push(dir);
  return dir;
};

let archive: string;
let md5: string;
let server: Server;
let url: string;

test.before(async () => {
  const root = mkdtempSync(join(tmpdir(), 'cifar-archive-'));
  const folder = join(root, 'cifar-10-batches-bin');
  mkdirSync(folder);
  // Label 0 everywhere; pixels with a random byte every 64, so gzip's ratio stays far below tar's zip-bomb guard.
  const file = Buffer.alloc(CIFAR10.recordBytes * CIFAR10.recordsPerFile);
  const noise = randomBytes(file.length / 64 + 1);
  for (let r = 0; r < CIFAR10.recordsPerFile; r++) {
    for (let i = 1; i < CIFAR10.recordBytes; i += 64) file[r * CIFAR10.recordBytes + i] = noise[(r * CIFAR10.recordBytes + i) >> 6]!;
  }
  for (const f of [...CIFAR10.trainFiles, ...CIFAR10.testFiles]) writeFileSync(join(folder, f), file);
  writeFileSync(join(folder, 'batches.meta.txt'), `${CIFAR10.classNames.join('\n')}\n`);
  writeFileSync(join(folder, 'readme.html'), 'not extracted');
  archive = join(root, 'cifar-10-binary.tar.gz');
  await tar.c({ gzip: true, file: archive, cwd: root }, ['cifar-10-batches-bin']);
  md5 = createHash('md5').update(readFileSync(archive)).digest('hex');
  server = createServer((request, response) => {
    if (request.url !== '/cifar-10-binary.tar.gz') return void response.writeHead(404).end();
    const body = readFileSync(archive);
    response.writeHead(200, { 'content-length': body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cifar-10-binary.tar.gz`;
});

test.after.always(() => {
  server?.close();
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

test('downloads, checks the MD5, extracts the six files (and only those) with progress, then is idempotent', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cifar-'));
  const seen: number[] = [];
  t.is(await downloadCifar10({ dir, url, md5, onProgress: (bytes) => seen.push(bytes) }), 'installed');
  t.true(cifar10Present(dir));
  t.true(existsSync(join(dir, 'batches.meta.txt')));
  t.false(existsSync(join(dir, 'readme.html')));
  t.true(seen.length > 0);
  t.deepEqual(readdirSync(dir).filter((f) => f.startsWith('.download-')), [], 'no temporary folder left');
  t.is(await downloadCifar10({ dir, url, md5 }), 'present');
});

test('installs from an archive already on disk', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cifar-'));
  t.is(await downloadCifar10({ dir, archive, md5 }), 'installed');
  t.true(cifar10Present(dir));
});

test('a checksum mismatch installs nothing and says so', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cifar-'));
  await t.throwsAsync(downloadCifar10({ dir, url, md5: '0'.repeat(32) }), { instanceOf: InputError, message: /not the published 0{32}.*Nothing was installed/ });
  t.deepEqual(readdirSync(dir), []);
});

test('the official archive\'s published MD5 is the default', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cifar-'));
  await t.throwsAsync(downloadCifar10({ dir, archive }), { message: /not the published c32a1d4ab5d03f1284b67883e8d87530/ });
});

test('offline, it fails at once and says how to install by hand', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cifar-'));
  // A port that was just free: nothing listens there.
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const start = Date.now();
  const error = await t.throwsAsync(downloadCifar10({ dir, url: `http://127.0.0.1:${port}/cifar-10-binary.tar.gz`, md5 }), { instanceOf: InputError });
  t.true(Date.now() - start < 10_000);
  t.regex(error!.message, /ECONNREFUSED/);
  t.regex(error!.message, /--archive <file>/);
  t.regex(error!.message, /data_batch_1\.bin/);
});
