/** Parsing of command-line values at the edge, and the shape of a command module. */
import type { Command } from 'commander';
import type { BackendRequest } from '../backend.js';
import { UsageError } from '../errors.js';

/** Whole numbers stay within 32 bits unless a flag says less: seeds, counts and intervals all fit, and records validate. */
export const MAX_WHOLE = 2 ** 31 - 1;

/** A whole number in [min, max] from a flag's text, or undefined when the flag was not given. */
export function wholeNumber(flag: string, text: string | undefined, min = 0, max = MAX_WHOLE): number | undefined {
  if (text === undefined) return undefined;
  // Decimal digits only: Number() would also read "0x10" as 16 and "1e3" as 1000.
  const value = /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const bound = min === 1 ? 'positive ' : min === 0 ? 'non-negative ' : '';
    throw new UsageError(`${flag} takes a ${bound}whole number up to ${max.toLocaleString('en-US')}, not "${text}"`);
  }
  return value;
}

/** The largest mini-batch we accept: 4,096 ImageNet images are already ~2.5 GB of float32 input. */
export const MAX_BATCH = 4096;
/** The longest run: ten times the paper's ImageNet schedule. */
export const MAX_ITERATIONS = 6_000_000;

/** A finite number > 0 (e.g. a learning rate), or undefined when not given. */
export function positiveNumber(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`${flag} takes a positive number, not "${text}"`);
  return value;
}

/** commander's argParser for a whole number in [min, max]: handlers receive numbers, checked before any work. */
export const whole =
  (flag: string, min = 0, max = MAX_WHOLE) =>
  (text: string): number =>
    wholeNumber(flag, text, min, max)!;

/**
 * commander's argParser for an error rate or shift given in percent (or percentage points): a
 * decimal in (0, max], returned as the fraction the records hold. `example` shows the flag's use.
 */
export const percentage =
  (flag: string, what: string, example: string, max = 100) =>
  (text: string): number => {
    const value = /^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) : Number.NaN;
    if (!(value > 0 && value <= max)) throw new UsageError(`${flag} takes ${what}, e.g. ${example}, not "${text}"`);
    return value / 100;
  };

/** commander's argParser for a positive number. */
export const positive =
  (flag: string) =>
  (text: string): number =>
    positiveNumber(flag, text)!;

/** commander's argParser for a comma-separated list: "a, b," → ["a", "b"]. */
export const list = (text: string): string[] => text.split(',').map((m) => m.trim()).filter(Boolean);

/** commander's argParser for a comma-separated list of known names (faults, backends), each checked. */
export const choiceList =
  <T extends string>(flag: string, choices: readonly T[]) =>
  (text: string): T[] =>
    list(text).map((name) => {
      if (!(choices as readonly string[]).includes(name)) throw new UsageError(`unknown name "${name}" in ${flag}: one of ${choices.join(', ')}`);
      return name as T;
    });

/** What every command may read of the program: the global options. */
export interface Cli {
  /** The backend asked for (--backend, else RESNET_REPRO_BACKEND, else auto). */
  readonly backend: () => BackendRequest;
}

/** Each command module exports one: it declares the command, its options and its handler together. */
export type RegisterCommand = (program: Command, cli: Cli) => void;
