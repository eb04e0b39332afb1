/**
 * Tests run on the backend CI asks for (RESNET_REPRO_BACKEND), else on the
 * best one present, like the CLI. Gradient tests need one that can train:
 * wasm cannot (no Conv2DBackpropFilter; backend.test.ts checks that it says
 * so), so under wasm they run on cpu.
 */
import { type BackendInfo, type BackendRequest, initBackend } from '../../runners/backend.js';

export function requestedBackend(): BackendRequest {
  return (process.env.RESNET_REPRO_BACKEND as BackendRequest | undefined) ?? 'auto';
}

export function useBackend(needs: { gradients?: boolean } = {}): Promise<BackendInfo> {
  const request = requestedBackend();
  return initBackend(needs.gradients && request === 'wasm' ? 'cpu' : request, needs);
}
