/**
 * Checkpoints: one file holding a JSON header (iteration, curves, …) and the
 * float32 values of named tensors. Written to a temporary file, flushed, then
 * renamed over the previous one, so a crash or a failed write never leaves a
 * half-written checkpoint in its place.
 */
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { InputError } from '../errors.js';

const MAGIC = 'RRCK1\n';

export interface SavedTensor {
  readonly name: string;
  readonly shape: number[];
  readonly values: Float32Array;
}

export interface Checkpoint<Header> {
  readonly header: Header;
  readonly tensors: readonly SavedTensor[];
}

export function writeCheckpoint<Header>(path: string, checkpoint: Checkpoint<Header>): void {
  let offset = 0;
  const index = checkpoint.tensors.map((t) => {
    const entry = { name: t.name, shape: t.shape, offset, length: t.values.length };
    offset += t.values.length;
    return entry;
  });
  const head = Buffer.from(JSON.stringify({ header: checkpoint.header, index }), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(head.length);
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, MAGIC);
    writeSync(fd, length);
    writeSync(fd, head);
    for (const t of checkpoint.tensors) writeSync(fd, new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength));
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(tmp, path);
}

export function readCheckpoint<Header>(path: string): Checkpoint<Header> {
  const corrupt = (why: string) => new InputError(`checkpoint ${path} is corrupt (${why}); delete it to start over, or restore it from a copy.`);
  const data = readFileSync(path);
  if (data.subarray(0, MAGIC.length).toString('utf8') !== MAGIC) throw corrupt('not a resnet-repro checkpoint');
  const headLength = data.readUInt32LE(MAGIC.length);
  const bodyStart = MAGIC.length + 4 + headLength;
  if (bodyStart > data.length) throw corrupt('truncated header');
  let parsed: { header: Header; index: { name: string; shape: number[]; offset: number; length: number }[] };
  try {
    parsed = JSON.parse(data.subarray(MAGIC.length + 4, bodyStart).toString('utf8'));
  } catch {
    throw corrupt('unreadable header');
  }
  const floats = (data.length - bodyStart) / 4;
  const total = parsed.index.reduce((n, e) => n + e.length, 0);
  if (floats !== total) throw corrupt(`expected ${total} values, found ${floats}`);
  // Copy into an aligned buffer: the body need not start at a multiple of 4.
  const body = new Float32Array(new Uint8Array(data.subarray(bodyStart)).buffer);
  return {
    header: parsed.header,
    tensors: parsed.index.map((e) => ({ name: e.name, shape: e.shape, values: body.subarray(e.offset, e.offset + e.length) })),
  };
}
