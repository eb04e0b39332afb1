/** `resnet-repro compare`: results against the recorded baseline and the paper; the gate. */
import { type RegisterCommand } from './options.js';
import { type GateOutputOptions, gate, readResultsAt, withGateOutputs } from './shared.js';

export const register: RegisterCommand = (program) => {
  withGateOutputs(
    program
      .command('compare')
      .description('compare results with the recorded baseline and the paper, and gate (exit 0 pass, 1 regression, 2 incomplete, 4 inconclusive)')
      .argument('<results>', 'results.json, or the folder holding it'),
  ).action((path: string, options: GateOutputOptions) => {
    process.exitCode = gate(readResultsAt(path), options);
  });
};
