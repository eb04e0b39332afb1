/** `resnet-repro merge`: the shards of one suite run, combined. */
import { join } from 'node:path';
import { writeFileAtomically } from '../files.js';
import { checkConsistency, mergeResults } from '../suite/results.js';
import { readResultsAt, suiteByName } from './shared.js';
export function mergeCommand(paths, options) {
    const sets = paths.map((p) => ({ path: p, results: readResultsAt(p) }));
    for (const { path, results } of sets)
        checkConsistency(results, suiteByName(results.suite.name), path);
    const merged = mergeResults(sets, options.mixedMachines ?? false);
    const out = join(options.out, 'results.json');
    writeFileAtomically(out, `${JSON.stringify(merged, null, 1)}\n`);
    return out;
}
export const register = (program) => {
    program
        .command('merge')
        .description('combine the results of a suite\'s shards; refuses different suites, versions, presets, settings, backends or machines')
        .argument('<results...>', 'results.json files or folders')
        .requiredOption('--out <dir>', 'folder for the merged results.json')
        .option('--mixed-machines', 'merge shards that ran on different CPUs or environments (throughput is then never gated, nothing replays)')
        .action((paths, options) => {
        process.stdout.write(`${mergeCommand(paths, options)}\n`);
    });
};
//# sourceMappingURL=merge.js.map