/**
 * The paper's numbers from baselines/paper.json: reviewed data that results
 * are compared against, never output as ours.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { BASELINES_DIR } from './paths.js';
const PaperEntry = z.object({
    table: z.string(),
    row: z.string(),
    /** Our model name for the row, or null where no model can be built (e.g. VGG). */
    model: z.string().nullable(),
    metric: z.string(),
    value: z.number(),
    printed: z.string(),
    unit: z.string(),
    /** Step of the printed precision: a measurement "matches" within resolution / 2. */
    resolution: z.number().positive().optional(),
    std: z.number().optional(),
    n: z.number().int().optional(),
    statistic: z.string().optional(),
    note: z.string().optional(),
});
const PaperFile = z.object({ source: z.string(), entries: z.array(PaperEntry) });
let cached;
export function paperEntries() {
    cached ??= PaperFile.parse(JSON.parse(readFileSync(join(BASELINES_DIR, 'paper.json'), 'utf8'))).entries;
    return cached;
}
/** The paper's number for a model and metric, if it prints one. */
export function paperValue(model, metric) {
    return paperEntries().find((e) => e.model === model && e.metric === metric);
}
//# sourceMappingURL=paper.js.map