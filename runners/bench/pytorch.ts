/**
 * The PyTorch reference as a long-lived process (scripts/bench_pytorch.py
 * --serve): the bench asks it for timed blocks between its own, so both
 * frameworks are measured on the same machine in alternating turns. Each
 * side is idle while the other runs (blocked on a pipe).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { UsageError } from '../errors.js';
import { PACKAGE_ROOT } from '../paths.js';
import type { ReferenceRunner, StepProfile } from './bench.js';

const MISSING_TORCH = 'torch is not installed (pip install torch --index-url https://download.pytorch.org/whl/cpu, or apt-get install python3-torch)';

export async function startPytorch(batchSize: number): Promise<ReferenceRunner> {
  const child = spawn('python3', [join(PACKAGE_ROOT, 'scripts', 'bench_pytorch.py'), '--serve', '--batch', String(batchSize)], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const failure = (why?: string) => {
    const cause = why ?? (/No module named 'torch'/.test(stderr) ? MISSING_TORCH : stderr.trim().split('\n').at(-1) || 'it exited without answering');
    return new UsageError(`the PyTorch reference failed: ${cause}`);
  };
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (e) => reject(new UsageError(`--pytorch needs python3: ${e.message}`)));
  });
  const next = async (): Promise<Record<string, unknown>> => {
    const line = await lines.next();
    if (line.done) {
      await new Promise((resolve) => (child.exitCode === null ? child.once('close', resolve) : resolve(undefined)));
      throw failure();
    }
    return JSON.parse(line.value) as Record<string, unknown>;
  };
  const hello = await next();
  return {
    backend: String(hello.backend),
    async time(model, task, samples, warmup) {
      child.stdin.write(`${JSON.stringify({ model, task, samples, warmup })}\n`);
      const reply = await next();
      if (typeof reply.error === 'string') throw failure(reply.error);
      return reply.times as number[];
    },
    async profile(model, pass) {
      child.stdin.write(`${JSON.stringify({ model, task: 'profile', pass })}\n`);
      const reply = await next();
      if (typeof reply.error === 'string') throw failure(reply.error);
      const { wallMs, kernels } = reply as { wallMs: number; kernels: StepProfile['kernels'] };
      return { model, backend: String(hello.backend), pass, wallMs, kernels };
    },
    close() {
      child.stdin.end();
    },
  };
}
