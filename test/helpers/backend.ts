/**
 * Tests run on the backend CI asks for (RESNET_REPRO_BACKEND), else on the
 * best one present, like the CLI. Gradient tests run there too: wasm
 * trains with our composed Conv2DBackpropFilter kernel (backend.test.ts).
 */
import { type BackendInfo, type BackendRequest, initBackend } from '../../runners/backend.js';

export function requestedBackend(): BackendRequest {
  return (process.env.RESNET_REPRO_BACKEND as BackendRequest | undefined) ?? 'auto';
}

export function useBackend(needs: { gradients?: boolean } = {}): Promise<BackendInfo> {
  return initBackend(requestedBackend(), needs);
}
