/**
 * "Is this the same computation?" asked one way everywhere: two records are
 * held against each other over a list of named aspects, and what differs is
 * named. Each provenance check (resume, reuse, merge, pool, replay,
 * consistency) is a list of aspects, not code of its own.
 */

/** One thing two records can differ in: its name in messages, and how to read it from either. */
export interface Aspect<T> {
  readonly name: string;
  readonly read: (record: T) => unknown;
}

export const aspect = <T>(name: string, read: (record: T) => unknown): Aspect<T> => ({ name, read });

export interface Difference {
  readonly aspect: string;
  readonly theirs: string;
  readonly ours: string;
}

/**
 * The aspects in which `ours` differs from `theirs`. Values are compared as
 * canonical JSON (object keys sorted, array order kept). An unknown value
 * (undefined: a record written before the field was kept) never matches:
 * an identity nobody recorded cannot be claimed to be the same. Asking
 * whether two records say the same, not whether they are the same machine,
 * `unknown: 'is a value'` lets unknown match unknown.
 */
export function differences<T>(theirs: T, ours: T, aspects: readonly Aspect<T>[], options: { unknown?: 'differs' | 'is a value' } = {}): Difference[] {
  const unknownMatchesUnknown = options.unknown === 'is a value';
  return aspects.flatMap(({ name, read }) => {
    const a = read(theirs);
    const b = read(ours);
    const same = a === undefined || b === undefined ? unknownMatchesUnknown && a === b : canonical(a) === canonical(b);
    return same ? [] : [{ aspect: name, theirs: show(a), ours: show(b) }];
  });
}

/** "cores 2 there, 4 now; fault none there, no-augmentation now" */
export function describeDifferences(found: readonly Difference[], theirs = 'there', ours = 'now'): string {
  return found.map((d) => `${d.aspect} ${d.theirs} ${theirs}, ${d.ours} ${ours}`).join('; ');
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y))) : v,
  );
}

function show(value: unknown): string {
  if (value === undefined) return 'unknown';
  if (value === null) return 'none';
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.map(String).join(' ');
  if (typeof value === 'object') return canonical(value);
  return String(value);
}
