/**
 * The flags several commands take, each declared once: its name, parser and
 * range here, and the type its handler receives derived from that parser
 * (FlagValues), so a flag cannot drift between commands or from its type.
 * A command adds the ones it takes with `addFlags`, and may word the default.
 */
import { type Command, Option } from 'commander';
import { FAULT_NAMES, type FaultName } from '../records/faults.js';
import { parseShard } from '../suite/units.js';
import { list, MAX_ITERATIONS, MAX_WHOLE, percentage, whole } from './options.js';

export const MAX_SEEDS = 1000;
export const MAX_FIRST_SEED = MAX_WHOLE - MAX_SEEDS;

const PARSERS = {
  models: list,
  seeds: whole('--seeds', 1, MAX_SEEDS),
  firstSeed: whole('--first-seed', 1, MAX_FIRST_SEED),
  iterations: whole('--iterations', 1, MAX_ITERATIONS),
  evalEvery: whole('--eval-every', 1, MAX_ITERATIONS),
  shard: parseShard,
  detect: percentage('--detect', 'an effect in percentage points of error', '1 or 0.5'),
} as const;

/** What a handler receives for each shared flag (absent when not given, except `conformance`: --no-conformance sets it false). */
export type FlagValues = { [K in keyof typeof PARSERS]?: ReturnType<(typeof PARSERS)[K]> } & {
  data?: string;
  out?: string;
  fault?: FaultName;
  conformance: boolean;
};

/** Each shared flag; the argument words a default that depends on the command. */
export const FLAGS = {
  models: (defaultIs: string) => new Option('--models <list>', `comma-separated models (default: ${defaultIs})`).argParser(PARSERS.models),
  seeds: (defaultIs: string) => new Option('--seeds <n>', `seeds per model (default: ${defaultIs})`).argParser(PARSERS.seeds),
  firstSeed: () => new Option('--first-seed <n>', 'first seed (default 1): other seeds sample the same recipe, e.g. to pool into a baseline').argParser(PARSERS.firstSeed),
  iterations: (what = 'iterations per run') => new Option('--iterations <n>', what).argParser(PARSERS.iterations),
  evalEvery: (what = 'iterations between evaluations on the test set (part of the recipe a baseline must match)') => new Option('--eval-every <n>', what).argParser(PARSERS.evalEvery),
  shard: () => new Option('--shard <i/n>', 'run shard i of n (balanced by cost); merge the shards afterwards').argParser(PARSERS.shard),
  data: (holds = 'dataset folder', cache = '<dataset>') => new Option('--data <dir>', `${holds} (default: $RESNET_REPRO_DATA, else ~/.cache/resnet-repro/data/${cache})`),
  out: (what: string) => new Option('--out <dir>', what),
  fault: (what = 'calibration only: plant a fault in the code path; recorded, never a baseline') => new Option('--fault <name>', what).choices(FAULT_NAMES),
  noConformance: (why: string) => new Option('--no-conformance', `skip the conformance tier${why}`),
  detect: (what: string) => new Option('--detect <points>', what).argParser(PARSERS.detect),
} as const;

export function addFlags<C extends Command>(command: C, ...options: readonly Option[]): C {
  for (const option of options) command.addOption(option);
  return command;
}
