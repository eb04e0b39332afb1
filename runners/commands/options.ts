/** Parsing of numeric command-line values: one place for the checks and their messages. */
import { UsageError } from '../errors.js';

/** A whole number ≥ `min` from a flag's text, or undefined when the flag was not given. */
export function wholeNumber(flag: string, text: string | undefined, min = Number.NEGATIVE_INFINITY): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    const bound = min === 1 ? 'positive ' : min === 0 ? 'non-negative ' : '';
    throw new UsageError(`${flag} takes a ${bound}whole number, not "${text}"`);
  }
  return value;
}

/** A finite number > 0 (e.g. a learning rate), or undefined when not given. */
export function positiveNumber(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`${flag} takes a positive number, not "${text}"`);
  return value;
}
