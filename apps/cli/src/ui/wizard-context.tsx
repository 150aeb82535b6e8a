// Owns what every wizard screen shares: the injected API client (tests pass fakes), core's validators and error
// helpers (loaded after the first frame, so they may still be on their way), and the set of in-flight requests
// that Ctrl+C aborts before the app exits 130.

import type { ApiGatewayClient } from '@apikey/core';
import type * as Core from '@apikey/core';
import { createContext, useContext, useEffect, useRef } from 'react';

export type WizardClient = Pick<ApiGatewayClient, 'createApiKey' | 'iterateApiKeys' | 'getApiKey' | 'regenerateApiKey' | 'deleteApiKey'>;

/** The parts of @apikey/core the screens call directly. */
export type CoreFns = Pick<typeof Core, 'validateApiKeyName' | 'validateApiKeyDescription' | 'countCodePoints' | 'isApiKeyError' | 'redact'>;

// The first frame is drawn before core has loaded; these mirror API_KEY_NAME_MAX / API_KEY_DESCRIPTION_MAX
// (a test keeps them equal) so the counters can show from the start. Validation itself is always core's.
export const NAME_MAX = 20;
export const DESCRIPTION_MAX = 50;
export const codePoints = (s: string): number => Array.from(s).length;

export type WizardServices = {
  client: WizardClient;
  /** Core once loaded (undefined before), and a promise for it. */
  core: CoreFns | undefined;
  coreReady: Promise<CoreFns>;
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
