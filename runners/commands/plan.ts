/** `resnet-repro plan`: what a preset's seeds can detect, the seeds a chosen effect needs, and each shard's wall time. */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { formatDuration, formatShift, formatValue } from '../../reports/reporter.js';
import { textTable } from '../../reports/text-table.js';
import type { PresetName } from '../records/recipe.js';
import { defaultBaselinePath, readBaseline } from '../records/baseline.js';
import { type Plan, planPreset } from '../compare/plan.js';
import { InputError, UsageError } from '../errors.js';
import { BACKEND_CHOICES } from '../records/identity.js';
import { presetOf } from '../suite/units.js';
import { FLAGS } from './flags.js';
import type { RegisterCommand } from './options.js';
import { presetOption, suiteByName } from './shared.js';

export function formatPlan(plan: Plan, baselinePath: string): string {
  const header = ['model', 'metric', 'σ', 'seeds', 'baseline seeds', 'detectable', 'tolerance', 'target', 'seeds a side for target', 'our seeds for target against this baseline'];
  const cells = plan.rows.map((r) => [
    r.model,
    r.metric,
    formatShift(r.metric, r.sigma),
    String(r.seeds),
    String(r.baselineSeeds),
    formatShift(r.metric, r.detectable),
    formatShift(r.metric, r.tolerance),
    formatShift(r.metric, r.target),
    r.seedsFor === null ? 'more than 10,000' : String(r.seedsFor),
    r.seedsAgainstBaseline === null ? 'none suffices: pool the baseline' : String(r.seedsAgainstBaseline),
  ]);
  const timing = Object.entries(plan.runSeconds).map(([model, t]) => `${model} ${formatDuration(t.seconds)} (${t.from === 'wall times' ? 'recorded wall time' : 'training images over recorded images/s, evaluations excluded'})`);
  return [
    `plan: ${plan.suite} preset ${plan.preset}, noise from ${baselinePath} (${plan.machine})`,
    `rule: ${plan.rows.length} gated row(s) on the baseline's machine, α ${formatValue('alpha', plan.rowAlpha)} each, power ${plan.power}; our seeds assumed as noisy as the baseline's`,
    textTable(header, cells),
    ...(plan.recipeDiffers ? [`warning: the baseline was recorded with another recipe (${plan.recipeDiffers}): compare refuses it, and its wall times price that recipe. Record one with the preset's settings (resnet-repro baseline record)`] : []),
    `shards: ${plan.shards}, the longest ${plan.wallSecondsPerShard === null ? 'not timed (the baseline kept neither wall times nor images/s)' : formatDuration(plan.wallSecondsPerShard)}${timing.length > 0 ? `; one run: ${timing.join(', ')}` : ''}`,
    '',
  ].join('\n');
}

export const register: RegisterCommand = (program, cli) => {
  program
    .command('plan')
    .description("power planning from a recorded baseline: each gated row's detectable effect at the preset's seeds, the seeds an effect needs, each shard's wall time")
    .argument('<suite>', 'a training suite ("resnet-repro list")')
    .addOption(presetOption())
    .addOption(FLAGS.detect("the effect on error rows to plan for, in percentage points (default: the preset's tolerance)"))
    .option('--baseline <file>', 'recorded baseline (default: baselines/recorded/<suite>/<preset>/<backend>.json, the best backend that has one)')
    .option('--json', 'print the plan as JSON (errors and effects as fractions, as in the records)')
    .action((name: string, options: { preset: PresetName; detect?: number; baseline?: string; json?: boolean }) => {
      const suite = suiteByName(name);
      if (suite.kind !== 'training') throw new UsageError(`${suite.name} counts architectures: it trains nothing, so there is no noise to plan for`);
      presetOf(suite, options.preset);
      const requested = cli.backend();
      // auto: the best backend that has a baseline (BACKEND_CHOICES lists them best first); no backend is loaded to plan.
      const candidates = options.baseline ? [options.baseline] : (requested === 'auto' ? BACKEND_CHOICES : [requested]).map((b) => defaultBaselinePath(suite.name, options.preset, b));
      const path = candidates.find((p) => existsSync(p));
      if (!path) throw new InputError(`no recorded baseline for ${suite.name}/${options.preset} (looked for ${candidates.join(', ')}): record one with "resnet-repro baseline record", or pass --baseline`);
      const baseline = readBaseline(path)!;
      if (baseline.suite.name !== suite.name || baseline.preset !== options.preset) throw new InputError(`${path} is a baseline of ${baseline.suite.name}/${baseline.preset}, not ${suite.name}/${options.preset}`);
      const plan = planPreset(suite, options.preset, baseline, options.detect);
      process.stdout.write(options.json ? `${JSON.stringify(plan, null, 1)}\n` : formatPlan(plan, relative(process.cwd(), path) || path));
    });
};
