/** Reading the project's versioned JSON files: one place for the checks and their messages. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { InputError } from './errors.js';
/** Parses `path` as `what` of schema version `version`; every failure is an InputError naming the file. */
export function readVersionedJson(path, schema, version, what) {
    let raw;
    try {
        raw = JSON.parse(readFileSync(path, 'utf8'));
    }
    catch (error) {
        throw new InputError(`cannot read ${what} ${path}: ${error.message}`);
    }
    const found = raw?.schemaVersion;
    if (found !== version)
        throw new InputError(`${path}: ${what} schema version ${String(found)}; this resnet-repro reads version ${version}`);
    const parsed = schema.safeParse(raw);
    if (!parsed.success)
        throw new InputError(`${path} is not a valid ${what}: ${z.prettifyError(parsed.error)}`);
    return parsed.data;
}
//# sourceMappingURL=json.js.map