/**
 * Checkpoints: one file holding a JSON header (iteration, curves, …) and the
 * float32 values of named tensors, with a SHA-256 of both, so a flipped byte
 * is refused rather than trained on. Written atomically (files.ts), so a
 * crash or a failed write never leaves a half-written checkpoint in its place.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import { writeFileAtomically } from '../files.js';
/** Version 2 adds the checksum; version 1 files (no checksum) are still read. */
const MAGIC = 'RRCK2\n';
const MAGIC_V1 = 'RRCK1\n';
const DIGEST_BYTES = 32;
export function writeCheckpoint(path, checkpoint) {
    let offset = 0;
    const index = checkpoint.tensors.map((t) => {
        const entry = { name: t.name, shape: t.shape, offset, length: t.values.length };
        offset += t.values.length;
        return entry;
    });
    const head = Buffer.from(JSON.stringify({ header: checkpoint.header, index }), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32LE(head.length);
    const bodies = checkpoint.tensors.map((t) => new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength));
    const hash = createHash('sha256').update(length).update(head);
    for (const b of bodies)
        hash.update(b);
    writeFileAtomically(path, [Buffer.from(MAGIC), hash.digest(), length, head, ...bodies]);
}
export function readCheckpoint(path) {
    const corrupt = (why) => new InputError(`checkpoint ${path} is corrupt (${why}); delete it to start over, or restore it from a copy.`);
    const data = readFileSync(path);
    const magic = data.subarray(0, MAGIC.length).toString('utf8');
    if (magic !== MAGIC && magic !== MAGIC_V1)
        throw corrupt('not a resnet-repro checkpoint');
    const lengthAt = magic === MAGIC ? MAGIC.length + DIGEST_BYTES : MAGIC.length;
    if (data.length < lengthAt + 4)
        throw corrupt(`only ${data.length} bytes`);
    if (magic === MAGIC) {
        const stored = data.subarray(MAGIC.length, lengthAt);
        if (!createHash('sha256').update(data.subarray(lengthAt)).digest().equals(stored))
            throw corrupt('checksum mismatch: the file was changed or damaged after it was written');
    }
    const headLength = data.readUInt32LE(lengthAt);
    const bodyStart = lengthAt + 4 + headLength;
    if (bodyStart > data.length)
        throw corrupt('truncated header');
    let parsed;
    try {
        parsed = JSON.parse(data.subarray(lengthAt + 4, bodyStart).toString('utf8'));
    }
    catch {
        throw corrupt('unreadable header');
    }
    if (!Array.isArray(parsed?.index))
        throw corrupt('no tensor index');
    for (const e of parsed.index) {
        const size = Array.isArray(e.shape) ? e.shape.reduce((n, d) => n * d, 1) : NaN;
        if (!Number.isInteger(e.offset) || e.offset < 0 || size !== e.length)
            throw corrupt(`tensor ${String(e.name)} has shape ${JSON.stringify(e.shape)} but ${e.length} values`);
    }
    if ((data.length - bodyStart) % 4 !== 0)
        throw corrupt('truncated values');
    const floats = (data.length - bodyStart) / 4;
    const total = parsed.index.reduce((n, e) => n + e.length, 0);
    if (floats !== total)
        throw corrupt(`expected ${total} values, found ${floats}`);
    // Copy into an aligned buffer: the body need not start at a multiple of 4.
    const body = new Float32Array(new Uint8Array(data.subarray(bodyStart)).buffer);
    return {
        header: parsed.header,
        tensors: parsed.index.map((e) => ({ name: e.name, shape: e.shape, values: body.subarray(e.offset, e.offset + e.length) })),
    };
}
//# sourceMappingURL=checkpoint.js.map