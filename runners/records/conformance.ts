/**
 * The conformance report results carry: per model and for the run as a
 * whole, each check's tensors compared, worst entry and failures. The checks
 * themselves, and their tolerances, are conformance/check.ts.
 */
import { z } from 'zod';

export const CHECK_KINDS = ['weights', 'logits-training', 'logits-evaluation', 'loss', 'gradients', 'updates', 'statistics', 'optimizer', 'pipeline-mean', 'pipeline-images', 'labels', 'initialisation'] as const;
export type CheckKind = (typeof CHECK_KINDS)[number];

/** Non-finite measurements (NaN, ∞) are stored as null: JSON has no such numbers. */
const Measured = z.number().nullable();

export const ConformanceCheck = z.object({
  kind: z.enum(CHECK_KINDS),
  /** Tensors (or images, or labels) compared. */
  tensors: z.number().int().nonnegative(),
  tolerance: z.number(),
  /** The entry closest to (or furthest beyond) its tolerance, which conditioning may raise above the kind's. */
  worst: z.object({ tensor: z.string(), value: Measured, tolerance: z.number() }).nullable(),
  failed: z.number().int().nonnegative(),
  failures: z.array(z.object({ tensor: z.string(), value: Measured, tolerance: z.number(), detail: z.string().optional() })),
});
export type ConformanceCheck = z.infer<typeof ConformanceCheck>;

export const ModelConformance = z.object({
  /** The run's model, and the twin its fixture was made for. */
  model: z.string(),
  twin: z.string(),
  /** The reference that made the twin's fixture; null when there is none (only the checks that need no fixture ran). */
  reference: z.string().nullable(),
  checks: z.array(ConformanceCheck),
});
export type ModelConformance = z.infer<typeof ModelConformance>;

export const ConformanceReport = z.object({
  models: z.array(ModelConformance),
  /** Checks of the run as a whole: the input pipeline. */
  run: z.array(ConformanceCheck),
  seconds: z.number(),
});
export type ConformanceReport = z.infer<typeof ConformanceReport>;

export const checkPassed = (c: ConformanceCheck): boolean => c.failed === 0;
export const conformancePassed = (r: ConformanceReport): boolean => [...r.run, ...r.models.flatMap((m) => m.checks)].every(checkPassed);
export const tensorsCompared = (r: ConformanceReport): number => [...r.run, ...r.models.flatMap((m) => m.checks)].reduce((n, c) => n + c.tensors, 0);
