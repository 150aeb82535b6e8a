// Owns a WizardClient that can be handed to the UI before the real one exists: every call waits for the
// real client (core + credentials load after the first frame), then forwards.

import type { WizardClient } from './wizard-context.tsx';

export function lazyClient(ready: Promise<WizardClient>): WizardClient {
  return {
    createApiKey: async (input, o) => (await ready).createApiKey(input, o),
    getApiKey: async (id, o) => (await ready).getApiKey(id, o),
    regenerateApiKey: async (id, type, o) => (await ready).regenerateApiKey(id, type, o),
    deleteApiKey: async (id, o) => (await ready).deleteApiKey(id, o),
    iterateApiKeys: (q, o) => ({
      async *[Symbol.asyncIterator]() {
        yield* (await ready).iterateApiKeys(q, o);
      },
    }),
  };
}
