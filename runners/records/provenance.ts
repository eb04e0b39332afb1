/**
 * What makes a run the computation it claims to be, read alike from a run
 * record and from what a suite run asks for, so that every check of a run
 * against its context is a list of aspects (differences.ts) over one shape.
 */
import { type Aspect, aspect } from './differences.js';
import type { FaultName } from './faults.js';
import type { BackendRecord } from './identity.js';
import { identityOfRun, type RunRecord } from './run-record.js';

export interface RunProvenance {
  readonly model: string;
  readonly seed: number;
  readonly iterations: number;
  readonly batchSize: number;
  readonly logEvery: number;
  readonly evalEvery: number;
  /** The dataset, with its image counts where the asker knows them. */
  readonly dataset: { readonly name: string; readonly trainImages?: number; readonly testImages?: number; readonly digest?: string | null };
  readonly fault: FaultName | null;
  readonly identity: BackendRecord;
}

export function provenanceOfRun(record: RunRecord): RunProvenance {
  const { model, seed, config, dataset } = record;
  return {
    model,
    seed,
    iterations: config.iterations,
    batchSize: config.batchSize,
    logEvery: config.logEvery,
    evalEvery: config.evalEvery,
    dataset: { name: dataset.name, trainImages: dataset.trainImages, testImages: dataset.testImages, digest: dataset.digest },
    fault: record.fault ?? null,
    identity: identityOfRun(record),
  };
}

export const MODEL_AND_SEED: readonly Aspect<RunProvenance>[] = [aspect('model', (p) => p.model), aspect('seed', (p) => p.seed)];

export const ITERATIONS: Aspect<RunProvenance> = aspect('iterations', (p) => p.iterations);
export const BATCH_SIZE: Aspect<RunProvenance> = aspect('batch size', (p) => p.batchSize);

/** The recipe as one run keeps it: what its numbers are a sample of. */
export const RUN_RECIPE: readonly Aspect<RunProvenance>[] = [
  ITERATIONS,
  BATCH_SIZE,
  aspect('log interval', (p) => p.logEvery),
  aspect('eval interval', (p) => p.evalEvery),
];

export const DATASET_NAME: Aspect<RunProvenance> = aspect('dataset', (p) => p.dataset.name);
export const DATASET: Aspect<RunProvenance> = aspect('dataset', (p) => `${p.dataset.name} (${p.dataset.trainImages ?? '?'}/${p.dataset.testImages ?? '?'} images)`);
/** Which copy of the data (run records' dataset.digest): none for generated sets; unknown in records from before it was kept. */
export const DATA_COPY: Aspect<RunProvenance> = aspect('data copy', (p) => p.dataset.digest);
export const FAULT: Aspect<RunProvenance> = aspect('fault', (p) => p.fault);

/** Identity aspects (identity.ts) read through a run's provenance. */
export const ofIdentity = (aspects: readonly Aspect<BackendRecord>[]): Aspect<RunProvenance>[] => aspects.map((a) => aspect(a.name, (p: RunProvenance) => a.read(p.identity)));
