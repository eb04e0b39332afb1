/** A metric over seeds, as results are summarised and baselines store it. */
import { mean, sampleStandardDeviation } from 'simple-statistics';

export interface Summary {
  readonly mean: number;
  /** Sample standard deviation over seeds; 0 when n = 1. */
  readonly std: number;
  readonly n: number;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('no values to summarize');
  return { mean: mean([...values]), std: values.length > 1 ? sampleStandardDeviation([...values]) : 0, n: values.length };
}
