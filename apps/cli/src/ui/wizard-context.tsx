// Owns what every wizard screen shares: the injected API client (tests pass fakes; the real one loads behind
// lazyClient after the first frame, so screens simply await its calls), and the set of in-flight requests that
// Ctrl+C aborts before the app exits 130.

import type { ApiGatewayClient, ApiKey } from '@apikey/core';
import type { ProductKeyReport } from '../commands/products.ts';
import { createContext, useContext, useEffect, useRef } from 'react';

/** The client calls the wizard makes. */
export type WizardClient = Pick<ApiGatewayClient,
  | 'createApiKey' | 'iterateApiKeys' | 'getApiKey' | 'regenerateApiKey' | 'deleteApiKey' | 'setApiKeyEnabled'
  | 'listApiKeyProducts' | 'subscribeApiKey' | 'iterateProducts' | 'iteratePublishedProducts'> & {
  /** A key without products: what `apikey create` runs (exact, and finished rather than repeated after a crash). */
  createKey(input: { apiKeyName: string; apiKeyDescription: string }, o: { signal: AbortSignal }): Promise<ApiKey>;
  /** A key that opens the given products (ids or exact names): what `apikey create --product` runs, so both agree. */
  createKeyWithProducts(
    input: { apiKeyName: string; apiKeyDescription: string }, productRefs: readonly string[], o: { signal: AbortSignal },
  ): Promise<ProductKeyReport>;
};

export type WizardServices = {
  client: WizardClient;
  /** Registers a controller that Ctrl+C aborts; call the returned release() when the request settles. */
  track(controller: AbortController): () => void;
  /** Writes raw bytes to the terminal (OSC 52), bypassing Ink's frame. */
  writeRaw(data: string): void;
};

export const WizardContext = createContext<WizardServices | null>(null);

export function useWizard(): WizardServices {
  const s = useContext(WizardContext);
  if (!s) throw new Error('useWizard must be used inside <WizardContext.Provider>');
  return s;
}

/** Runs `op` with an AbortSignal that Ctrl+C and unmounting both abort. */
export function useAbortableRun(): <T>(op: (signal: AbortSignal) => Promise<T>) => Promise<T> {
  const { track } = useWizard();
  const live = useRef(new Set<AbortController>());
  useEffect(() => () => {
    for (const c of live.current) c.abort();
  }, []);
  return async (op) => {
    const controller = new AbortController();
    live.current.add(controller);
    const release = track(controller);
    try {
      return await op(controller.signal);
    } finally {
      release();
      live.current.delete(controller);
    }
  };
}
