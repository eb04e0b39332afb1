/**
 * What a measurement depends on besides the code: the backend and its
 * versions, the CPU (model, cores, the vector extensions that decide which
 * kernels oneDNN and XNNPACK pick) and the environment variables that change
 * kernel choice or threading. Measured here: on native TensorFlow a training
 * run is bit-identical when all of these match, and changing one of them
 * (oneDNN limited to AVX, one intra-op thread) moves a 40-iteration run's test
 * error as much as another seed does (87.1 % → 70.3 % and 77.3 %).
 */
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import { z } from 'zod';
import { type Aspect, aspect, differences } from './differences.js';

/** The concrete backends a run can record (names that also become file names: no other value is accepted), fastest first: `auto` tries them in this order. */
export const BACKEND_CHOICES = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;

/** Native TensorFlow: the backends whose kernels depend on the CPU and on NUMERICS_ENV. */
export const isNativeBackend = (name: (typeof BACKEND_CHOICES)[number]): boolean => name === 'tensorflow' || name === 'tensorflow-gpu';

/** CPU flags (Linux /proc/cpuinfo names) that decide which vectorised kernels run. */
const VECTOR_FEATURES = [
  'sse4_2', 'avx', 'avx2', 'fma', 'f16c',
  'avx512f', 'avx512dq', 'avx512bw', 'avx512vl', 'avx512_vnni', 'avx512_bf16', 'avx512_fp16',
  'avx_vnni', 'amx_tile', 'amx_bf16', 'amx_int8',
  'asimd', 'asimddp', 'sve', 'sve2',
] as const;

/** Environment variables that change TensorFlow's kernels or threading, and so its numerics. */
export const NUMERICS_ENV = ['TF_ENABLE_ONEDNN_OPTS', 'ONEDNN_MAX_CPU_ISA', 'DNNL_MAX_CPU_ISA', 'TF_NUM_INTRAOP_THREADS', 'TF_NUM_INTEROP_THREADS', 'OMP_NUM_THREADS', 'TF_DETERMINISTIC_OPS'] as const;

export interface CpuIdentity {
  readonly model: string;
  readonly cores: number;
  /** The vector extensions present, in a fixed order. */
  readonly features: readonly string[];
}

export function cpuIdentity(): CpuIdentity {
  const cpus = os.cpus();
  let flags = new Set<string>();
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const line = info.split('\n').find((l) => /^(flags|Features)\s*:/.test(l));
    flags = new Set(line?.split(':')[1]?.trim().split(/\s+/) ?? []);
  } catch {
    // Not Linux: the model and core count still identify the machine.
  }
  return { model: cpus[0]?.model.trim() || 'unknown', cores: cpus.length, features: VECTOR_FEATURES.filter((f) => flags.has(f)) };
}

/**
 * TensorFlow's own default turns its oneDNN kernels on only where the CPU has
 * AVX-512 VNNI/BF16 or AMX; everywhere else on x86 they are off. Measured on a
 * 2-core AVX2-only AMD EPYC (TensorFlow 2.21, ResNet-20, batch 128): the
 * training step runs 206 img/s without them and 377 img/s with them (PyTorch
 * 2.13: 378), and seeds still replay bit for bit. So on x86-64 with AVX2 we
 * turn them on unless the user chose; other CPUs (arm64, pre-AVX2) keep
 * TensorFlow's default, which nobody here has measured against. Must run
 * before the TensorFlow library loads: it reads the variable once.
 */
export function chooseNativeKernels(env: NodeJS.ProcessEnv = process.env, cpu: CpuIdentity = cpuIdentity(), arch: string = process.arch): void {
  if (env.TF_ENABLE_ONEDNN_OPTS !== undefined) return;
  if (arch === 'x64' && cpu.features.includes('avx2')) env.TF_ENABLE_ONEDNN_OPTS = '1';
}

/** "oneDNN on", "oneDNN off", or TensorFlow's default: the native kernels a run had, from its recorded environment. */
export function describeNativeKernels(env: Readonly<Record<string, string>>): string {
  const v = env.TF_ENABLE_ONEDNN_OPTS;
  if (v === undefined) return "oneDNN: TensorFlow's default for this CPU";
  return `oneDNN ${/^(1|true)$/i.test(v) ? 'on' : 'off'}`;
}

/** The numerics-relevant variables that are set, by name. */
export function numericsEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return Object.fromEntries(NUMERICS_ENV.filter((k) => env[k] !== undefined).map((k) => [k, env[k]!]));
}

/**
 * The memory allocator the process runs on: `tcmalloc` or `jemalloc` when
 * preloaded (the resnet-repro command preloads tcmalloc where it is installed),
 * else `system` (glibc's). It changes speed, not numbers: a ResNet-20 run's
 * curves are bit-identical under all three (measured), so it is part of the
 * timing identity only. Read from the libraries mapped into this process.
 */
export function memoryAllocator(maps: () => string = () => readFileSync('/proc/self/maps', 'utf8')): string {
  let mapped: string;
  try {
    mapped = maps();
  } catch {
    return 'system'; // not Linux: nothing here preloads one
  }
  if (/libtcmalloc/.test(mapped)) return 'tcmalloc';
  if (/libjemalloc/.test(mapped)) return 'jemalloc';
  return 'system';
}

/** A backend as results and baselines record it. Fields added after schema version 1 are optional (older files lack them). */
export const BackendRecord = z.object({
  name: z.enum(BACKEND_CHOICES),
  device: z.enum(['cpu', 'gpu']),
  versions: z.record(z.string(), z.string()),
  cpuModel: z.string(),
  gpuModel: z.string().nullable().default(null),
  cpuCores: z.number().int().positive().optional(),
  cpuFeatures: z.array(z.string()).optional(),
  env: z.record(z.string(), z.string()).optional(),
  /** memoryAllocator(); absent in records written before it was kept, when nothing preloaded one. */
  allocator: z.string().optional(),
});
export type BackendRecord = z.infer<typeof BackendRecord>;

/** "AMD EPYC, 2 cores, avx avx2 fma": what throughput may be compared across. */
export function describeCpu(b: { readonly cpuModel: string; readonly cpuCores?: number | undefined; readonly cpuFeatures?: readonly string[] | undefined }): string {
  const cores = b.cpuCores === undefined ? 'cores unknown' : `${b.cpuCores} cores`;
  const features = b.cpuFeatures === undefined ? 'extensions unknown' : b.cpuFeatures.join(' ') || 'no vector extensions';
  return `${b.cpuModel}, ${cores}, ${features}`;
}

/** "AMD EPYC, 2 cores, AVX2": a CPU identity in a few words (the full extension list is in the results). */
export function shortCpu(b: Pick<BackendRecord, 'cpuModel' | 'cpuCores' | 'cpuFeatures'>): string {
  const f = b.cpuFeatures ?? [];
  const widest = f.includes('avx512f') ? 'AVX-512' : f.includes('avx2') ? 'AVX2' : f.includes('avx') ? 'AVX' : f.includes('asimd') ? 'NEON' : 'no AVX';
  return `${b.cpuModel}, ${b.cpuCores ?? '?'} cores, ${widest}`;
}

/** The CPU a measurement ran on: what a resumed run's machine segments keep. */
export type CpuFields = Pick<BackendRecord, 'cpuModel' | 'cpuCores' | 'cpuFeatures' | 'env'>;

/** The build: the same backend at the same versions. */
export const BUILD: readonly Aspect<BackendRecord>[] = [aspect('backend', (b) => b.name), aspect('versions', (b) => b.versions)];

/** The CPU identity: model, cores and the vector extensions that decide which kernels run. */
export const CPU_MODEL: Aspect<CpuFields> = aspect('CPU', (b) => b.cpuModel);
export const CPU: readonly Aspect<CpuFields>[] = [CPU_MODEL, aspect('cores', (b) => b.cpuCores), aspect('CPU extensions', (b) => b.cpuFeatures)];

/** The variables that change native kernels or threading (NUMERICS_ENV). */
export const NUMERICS_ENVIRONMENT: Aspect<CpuFields> = aspect('numerics environment', (b) => b.env);

/** CPU or GPU, and which GPU. */
export const ACCELERATOR: readonly Aspect<BackendRecord>[] = [aspect('device', (b) => b.device), aspect('GPU', (b) => b.gpuModel)];

/** The hardware: CPU or GPU, and the CPU's identity. */
export const DEVICE: readonly Aspect<BackendRecord>[] = [...ACCELERATOR, ...CPU];

/**
 * What throughput may be compared across: the same device run the same way.
 * A numerics variable (ONEDNN_MAX_CPU_ISA=AVX2, one intra-op thread) picks
 * other kernels or fewer cores on the same CPU, so it is another machine for
 * timing as it is for numerics. The build stays out: a slower release is
 * what the throughput gate is there to catch. The memory allocator too
 * (tcmalloc against glibc's: ResNet-20's forward pass 10–25 % faster, the
 * same numbers); records from before it was kept ran on the system's.
 */
export const TIMING: readonly Aspect<BackendRecord>[] = [...DEVICE, NUMERICS_ENVIRONMENT, aspect('memory allocator', (b) => b.allocator ?? 'system')];

/** What decides the numbers a native run computes: the build, the device and the numerics environment (not the allocator). */
const NATIVE_NUMERICS: readonly Aspect<BackendRecord>[] = [...BUILD, ...DEVICE, NUMERICS_ENVIRONMENT];

/** Everything a measurement depends on besides the code: build, device, numerics environment and allocator. */
export const WHOLE_IDENTITY: readonly Aspect<BackendRecord>[] = [...BUILD, ...TIMING];

/**
 * What decides the numbers a seed gives: the build, and for native
 * TensorFlow the device and its numerics environment too. wasm and cpu are
 * IEEE-exact JavaScript/WebAssembly whatever the CPU.
 */
export function numericsAspects(name: BackendRecord['name']): readonly Aspect<BackendRecord>[] {
  return isNativeBackend(name) ? NATIVE_NUMERICS : BUILD;
}

/** The same device run the same way, so throughput compares (TIMING). Unknown never matches. */
export function sameTiming(a: BackendRecord, b: BackendRecord): boolean {
  return differences(a, b, TIMING).length === 0;
}

/** Same numerics: the same computation, so the same seed gives the same run bit for bit. */
export function sameNumerics(a: BackendRecord, b: BackendRecord): boolean {
  return differences(a, b, numericsAspects(a.name)).length === 0;
}
