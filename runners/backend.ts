/**
 * Backend selection. tfjs-node(-gpu) are optional dependencies whose native
 * binding may be absent (its install downloads libtensorflow, which many
 * networks block; `resnet-repro setup tensorflow` builds it from the
 * tensorflow pip wheel instead). `auto` takes the best backend that loads
 * and can do the job; every result records which one ran, with versions.
 */
import { execFileSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import { UsageError } from './errors.js';
import { BACKEND_CHOICES, type BackendRecord, chooseNativeKernels, cpuIdentity, describeCpu, describeNativeKernels, isNativeBackend, memoryAllocator, numericsEnv } from './records/identity.js';
import { installComposedFilterKernel, installNativeStridedPointwiseFilterKernel } from './kernels/conv-filter-kernel.js';
import { installNativeReluGradient } from './kernels/relu-gradient.js';
import { EVALUATION_KERNELS, probeFusedConvolution } from './kernels/fused-conv.js';
import { buildModel } from './models/build.js';
import { parseModelName } from './models/names.js';

export const BACKEND_REQUESTS = ['auto', ...BACKEND_CHOICES] as const;
export type BackendRequest = (typeof BACKEND_REQUESTS)[number];
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

/** Preference order for `auto`: BACKEND_CHOICES lists them fastest first. */
const AUTO_ORDER: readonly BackendChoice[] = BACKEND_CHOICES;

/**
 * A loaded backend: its identity in the one shape every record keeps
 * (BackendRecord, every field known here), and how it was chosen.
 */
export interface BackendInfo extends Required<BackendRecord> {
  readonly name: BackendChoice;
  /** What was asked for. */
  readonly requested: BackendRequest;
  /** tfjs's own name for it: tensorflow, wasm or cpu. */
  readonly tfjsBackend: string;
  /** Why better backends were passed over (empty when the request was explicit). */
  readonly skipped: readonly { choice: BackendChoice; reason: string }[];
}

export interface BackendNeeds {
  /** Training: checked by running a real training step of tiny models on the backend. */
  readonly gradients?: boolean;
}

const PACKAGE: Record<BackendChoice, string> = {
  'tensorflow-gpu': '@tensorflow/tfjs-node-gpu',
  tensorflow: '@tensorflow/tfjs-node',
  wasm: '@tensorflow/tfjs-backend-wasm',
  cpu: '@tensorflow/tfjs',
};

const HOW_TO_INSTALL: Record<BackendChoice, string> = {
  'tensorflow-gpu': 'run "npx resnet-repro setup tensorflow --gpu" (builds it against the tensorflow pip wheel), or "npm install @tensorflow/tfjs-node-gpu" where its download works',
  tensorflow: 'run "npx resnet-repro setup tensorflow" (builds it against the tensorflow-cpu pip wheel), or "npm install @tensorflow/tfjs-node" where its download works',
  wasm: 'run "npm install @tensorflow/tfjs-backend-wasm"',
  cpu: 'reinstall the project dependencies ("npm ci")',
};

export class BackendUnavailableError extends UsageError {}

/**
 * Whether the active backend can train our models: one gradient step of a
 * tiny CIFAR net (option-A and projection shortcuts) and a tiny ImageNet net
 * (7×7 stem, max pool). Returns why not, or undefined.
 */
function trainingProbe(): string | undefined {
  try {
    tf.tidy(() => {
      for (const [name, size] of [['resnet8-skip1-b-w1', 16], ['resnet8-skip1-w1', 16], ['resnet18-w1', 32]] as const) {
        const built = buildModel(parseModelName(name), { seed: 1, inputSize: size, numClasses: 2 });
        const variables = built.model.trainableWeights.map((w) => w.read() as tf.Variable);
        const x = tf.ones([2, size, size, 3]);
        const { grads } = tf.variableGrads(() => (built.model.apply(x, { training: true }) as tf.Tensor).square().mean() as tf.Scalar, variables);
        for (const g of Object.values(grads)) g.dataSync();
        built.model.dispose();
      }
    });
    return undefined;
  } catch (error) {
    return (error as Error).message.split('\n')[0];
  }
}

async function load(choice: BackendChoice): Promise<{ versions: Record<string, string> }> {
  switch (choice) {
    case 'tensorflow-gpu':
    case 'tensorflow': {
      // TensorFlow's C++ start-up chatter (oneDNN, CPU features) unless the user asked for it.
      process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
      chooseNativeKernels();
      // Importing registers the 'tensorflow' backend on the shared tfjs-core;
      // it throws when the package is present but its native binding is not.
      const mod = (await import(PACKAGE[choice])) as { version?: Record<string, string> };
      if (!(await tf.setBackend('tensorflow'))) throw new Error('the tensorflow backend did not initialise');
      installNativeStridedPointwiseFilterKernel(); // oneDNN's aborts or errs on some of them
      const binding = (tf.backend() as unknown as { binding?: { TF_Version?: string } }).binding;
      return {
        versions: {
          [PACKAGE[choice]]: mod.version?.['tfjs-node'] ?? 'unknown',
          tensorflow: binding?.TF_Version ?? 'unknown',
          // Part of the build: the evaluation computes the same numbers to float32 rounding, not bit for bit.
          ...(choice === 'tensorflow' && probeFusedConvolution() ? { [EVALUATION_KERNELS]: 'fused' } : {}),
        },
      };
    }
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
      return { versions: { [PACKAGE.wasm]: wasm.version_wasm } };
    }
    case 'cpu':
      if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not initialise');
      return { versions: {} };
  }
}

function describeFailure(choice: BackendChoice, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/Cannot find (package|module)/.test(message) && message.includes(PACKAGE[choice])) return `${PACKAGE[choice]} is not installed`;
  if (/tfjs_binding|native addon|\.so/.test(message)) return `${PACKAGE[choice]} is installed but its native binding is missing or broken`;
  return message.split('\n')[0] ?? message;
}

/**
 * Activates a backend and says which one ran. An explicit request that cannot
 * be met is a BackendUnavailableError naming what to install; `auto` falls
 * through the preference order and records why.
 */
export async function initBackend(request: BackendRequest, needs: BackendNeeds = {}): Promise<BackendInfo> {
  tf.enableProdMode(); // also silences the cpu backend's banner: we print our own
  installComposedFilterKernel(); // fast filter gradients on cpu, and any at all on wasm
  installNativeReluGradient(); // one ReluGrad kernel on native TensorFlow
  const candidates = request === 'auto' ? AUTO_ORDER : [request];
  const skipped: { choice: BackendChoice; reason: string }[] = [];
  for (const choice of candidates) {
    let versions: Record<string, string>;
    try {
      ({ versions } = await load(choice));
    } catch (error) {
      const reason = describeFailure(choice, error);
      if (request !== 'auto') throw new BackendUnavailableError(`backend "${choice}" is not available: ${reason}. To get it, ${HOW_TO_INSTALL[choice]}.`);
      skipped.push({ choice, reason });
      continue;
    }
    const tfjsBackend = tf.getBackend();
    const cannotTrain = needs.gradients ? trainingProbe() : undefined;
    if (cannotTrain) {
      const reason = `cannot train: ${cannotTrain}`;
      if (request !== 'auto') throw new BackendUnavailableError(`backend "${choice}" ${reason}. Use --backend tensorflow (see "resnet-repro setup tensorflow") or --backend cpu.`);
      skipped.push({ choice, reason });
      continue;
    }
    const cpu = cpuIdentity();
    return {
      requested: request,
      name: choice,
      tfjsBackend,
      device: choice === 'tensorflow-gpu' ? 'gpu' : 'cpu',
      versions: { '@tensorflow/tfjs': tf.version_core, ...versions },
      cpuModel: cpu.model,
      cpuCores: cpu.cores,
      cpuFeatures: [...cpu.features],
      gpuModel: choice === 'tensorflow-gpu' ? gpuName() : null,
      // Only TensorFlow reads these (wasm and cpu are exact whatever they say).
      env: isNativeBackend(choice) ? numericsEnv() : {},
      allocator: memoryAllocator(),
      skipped,
    };
  }
  throw new BackendUnavailableError(`no backend could be loaded: ${skipped.map((s) => `${s.choice}: ${s.reason}`).join('; ')}`);
}

function gpuName(): string {
  try {
    return execFileSync('nvidia-smi', ['--query-gpu=name', '--format=csv,noheader'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').join(', ') || 'unknown GPU';
  } catch {
    return 'unknown GPU (nvidia-smi unavailable)';
  }
}

/** One line for logs, e.g. "backend: wasm (@tensorflow/tfjs 4.22.0, …)". */
export function describeBackend(info: BackendInfo): string {
  const versions = Object.entries(info.versions).map(([k, v]) => `${k} ${v}`).join(', ');
  const kernels = isNativeBackend(info.name) ? `, ${describeNativeKernels(info.env)}` : '';
  const allocator = info.allocator === 'system' ? '' : `, ${info.allocator}`;
  return `backend: ${info.name} (${versions}${kernels}${allocator}) on ${info.gpuModel ?? describeCpu(info)}`;
}

/** The backend as results, run records and baselines record it. */
export function backendRecord(info: BackendInfo): BackendRecord {
  const { name, device, versions, cpuModel, gpuModel, cpuCores, cpuFeatures, env, allocator } = info;
  return { name, device, versions, cpuModel, gpuModel, cpuCores, cpuFeatures: [...cpuFeatures], env, allocator };
}

/** Advice to print when `auto` had to settle for a slow backend. */
export function speedAdvice(info: BackendInfo): string | undefined {
  if (isNativeBackend(info.name)) return undefined;
  return `note: running on the ${info.name} backend, far slower than native TensorFlow for training. For native speed run "npx resnet-repro setup tensorflow".`;
}
