// Owns the one boundary between the first frame and the real client: a WizardClient handed to the UI before
// core, credentials and the client have loaded (zod alone costs tens of ms). Every call waits for the real
// client and then forwards, so no screen ever asks whether it has loaded.

import type { WizardClient } from './wizard-context.tsx';

export function lazyClient(ready: Promise<WizardClient>): WizardClient {
  return {
    createApiKey: async (input, o) => (await ready).createApiKey(input, o),
    getApiKey: async (id, o) => (await ready).getApiKey(id, o),
    regenerateApiKey: async (id, type, o) => (await ready).regenerateApiKey(id, type, o),
    deleteApiKey: async (id, o) => (await ready).deleteApiKey(id, o),
    setApiKeyEnabled: async (id, enabled, o) => (await ready).setApiKeyEnabled(id, enabled, o),
    listApiKeyProducts: async (id, q, o) => (await ready).listApiKeyProducts(id, q, o),
    subscribeApiKey: async (id, productId, o) => (await ready).subscribeApiKey(id, productId, o),
    createKey: async (input, o) => (await ready).createKey(input, o),
    createKeyWithProducts: async (input, refs, o) => (await ready).createKeyWithProducts(input, refs, o),
    iterateApiKeys: (q, o) => ({
      async *[Symbol.asyncIterator]() {
        yield* (await ready).iterateApiKeys(q, o);
      },
    }),
    iterateProducts: (q, o) => ({
      async *[Symbol.asyncIterator]() {
        yield* (await ready).iterateProducts(q, o);
      },
    }),
    iteratePublishedProducts: (q, o) => ({
      async *[Symbol.asyncIterator]() {
        yield* (await ready).iteratePublishedProducts(q, o);
      },
    }),
  };
}
