/** Runs the CLI from source as a user would, capturing exit code and both streams. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../runners/cli.ts', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the CLI to its end. Asynchronous on purpose: a synchronous spawn would
 * block the test worker's event loop, and with it every other test's
 * process handling (kills sent on a progress line, signals) — and it waits on
 * the process's exit, never on a clock, however slow the machine.
 */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return runProgram(process.execPath, ['--import', 'tsx', CLI, ...args], env);
}

/** Any program to its end (the installed command, node on the built CLI), capturing exit code and both streams. */
export function runProgram(file: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts the CLI and kills it with `signal` as soon as its stderr matches `pattern`; resolves with what it printed. */
export async function runCliUntil(args: string[], pattern: RegExp, signal: NodeJS.Signals): Promise<CliResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  return new Promise((resolve) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (pattern.test(stderr) && child.exitCode === null && !child.killed) child.kill(signal);
    });
    // Waits for the process itself, however slow the machine: no clock.
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}
