import { gate, readResultsAt, withGateOutputs } from './shared.js';
export const register = (program) => {
    withGateOutputs(program
        .command('compare')
        .description('compare results with the recorded baseline and the paper, and gate (exit 0 pass, 1 regression, 2 incomplete, 4 inconclusive)')
        .argument('<results>', 'results.json, or the folder holding it')).action((path, options) => {
        process.exitCode = gate(readResultsAt(path), options);
    });
};
//# sourceMappingURL=compare.js.map