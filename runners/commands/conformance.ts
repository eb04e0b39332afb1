/**
 * `resnet-repro conformance`: the conformance tier on its own, for any models
 * (default: every model a suite trains), without training. It prints, per
 * kind of check, the largest difference against its tolerance: what the
 * tolerances were set from (README, "The conformance tier").
 */
import { Option } from 'commander';
import { SUITES } from '../../suites/index.js';
import { formatMeasured } from '../../reports/reporter.js';
import { type BackendRequest, describeBackend, initBackend } from '../backend.js';
import { CHECK_KINDS, type ConformanceCheck, conformancePassed, tensorsCompared } from '../records/conformance.js';
import { CHECKS, checkConformance } from '../conformance/check.js';
import { twinOf } from '../conformance/fixtures.js';
import { parseModelName } from '../models/names.js';
import { FAULT_NAMES, type FaultName } from '../records/faults.js';
import type { RegisterCommand } from './options.js';

export interface ConformanceOptions {
  fault?: FaultName;
  json?: boolean;
}

/** Every model a suite trains, as its twin (duplicates once). */
function suiteModels(): string[] {
  const models = SUITES.flatMap((s) => (s.kind === 'training' ? [...s.models, ...Object.values(s.presets).flatMap((p) => p?.models ?? [])] : []));
  return [...new Set(models.map(twinOf))];
}

export async function conformanceCommand(models: string[], options: ConformanceOptions, backendRequest: BackendRequest): Promise<number> {
  const names = (models.length > 0 ? models : suiteModels()).map((m) => parseModelName(m).name);
  const backend = await initBackend(backendRequest, { gradients: true });
  process.stderr.write(`${describeBackend(backend)}\n`);
  // The shape a model's data has: ImageNet twins at the smoke preset's 64 px.
  const groups = [
    { side: 32, iterations: 40, models: names.filter((m) => parseModelName(m).dataset === 'cifar10') },
    { side: 64, iterations: 20, models: names.filter((m) => parseModelName(m).dataset === 'imagenet') },
  ].filter((g) => g.models.length > 0);
  const reports = [];
  for (const g of groups) reports.push(await checkConformance(g.models.map((model) => ({ model, seed: 1 })), { iterations: g.iterations, side: g.side, classes: 10, fault: options.fault ?? null }));
  const checks = reports.flatMap((r) => [...r.run.map((c) => ({ model: 'the run', c })), ...r.models.flatMap((m) => m.checks.map((c) => ({ model: m.model, c })))]);
  if (options.json) {
    process.stdout.write(`${JSON.stringify({ backend: { choice: backend.name, cpu: backend.cpuModel, features: backend.cpuFeatures, env: backend.env }, fault: options.fault ?? null, reports }, null, 1)}\n`);
  } else {
    const ratio = (c: ConformanceCheck) => (c.worst?.value === null ? Infinity : (c.worst?.value ?? 0) / (c.worst?.tolerance || 1));
    const lines = [`${'check'.padEnd(18)} ${'tensors'.padStart(8)}  ${'largest'.padEnd(9)} ${'tolerance'.padEnd(9)}  where`];
    for (const kind of CHECK_KINDS) {
      const of = checks.filter(({ c }) => c.kind === kind);
      if (of.length === 0) continue;
      const worst = of.reduce((w, x) => (ratio(x.c) > ratio(w.c) ? x : w));
      const failed = of.reduce((n, { c }) => n + c.failed, 0);
      const n = of.reduce((t, { c }) => t + c.tensors, 0);
      lines.push(`${kind.padEnd(18)} ${String(n).padStart(8)}  ${formatMeasured(worst.c.worst?.value ?? 0).padEnd(9)} ${formatMeasured(worst.c.worst?.tolerance ?? CHECKS[kind].tolerance).padEnd(9)}  ${worst.model}: ${worst.c.worst?.tensor ?? ''}${failed > 0 ? `  (${failed} out of tolerance)` : ''}`);
    }
    const failures = checks.filter(({ c }) => c.failed > 0).map(({ model, c }) => `  ${model} ${c.kind}: ${c.failures[0]?.tensor} ${formatMeasured(c.failures[0]?.value ?? null)} > ${formatMeasured(c.failures[0]?.tolerance ?? 0)}${c.failures[0]?.detail ? ` — ${c.failures[0].detail}` : ''}`);
    const passed = reports.every(conformancePassed);
    const total = reports.reduce((t, r) => t + tensorsCompared(r), 0);
    const seconds = reports.reduce((t, r) => t + r.seconds, 0);
    process.stdout.write(`${lines.join('\n')}\n${failures.join('\n')}${failures.length ? '\n' : ''}conformance: ${passed ? 'PASS' : 'FAIL'}, ${total} tensors of ${names.length} models in ${seconds.toFixed(1)} s${options.fault ? ` (fault ${options.fault} planted)` : ''}\n`);
  }
  return reports.every(conformancePassed) ? 0 : 1;
}

export const register: RegisterCommand = (program, cli) => {
  program
    .command('conformance')
    .description('check models against the PyTorch reference fixtures without training (logits, loss, gradients, updates, optimiser, pipeline, initialisation); exit 1 when any check is out of tolerance')
    .argument('[models...]', 'models (default: every model a suite trains, as its width-4 twin)')
    .addOption(new Option('--fault <name>', 'plant a calibration fault in the checked code path').choices(FAULT_NAMES))
    .option('--json', 'print every check as JSON')
    .action(async (models: string[], options: ConformanceOptions) => {
      process.exitCode = await conformanceCommand(models, options, cli.backend());
    });
};
