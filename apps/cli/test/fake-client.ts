// An in-memory WizardClient for component tests: records calls and the AbortSignals it was given.

import type { ApiKey, ApiKeyProduct } from '@apikey/core';
import type { WizardClient } from '../src/ui/wizard-context.tsx';

export type FakeClient = WizardClient & {
  calls: { method: string; args: unknown[]; signal?: AbortSignal }[];
  keys: ApiKey[];
  /** When set, createApiKey never settles (until its signal aborts), to test Ctrl+C during the spinner. */
  hangCreate: boolean;
  failCreate?: Error;
  /** Products each key is linked to, by apiKeyId. */
  products: Map<string, ApiKeyProduct[]>;
  /** Product ids subscribeApiKey accepts; the status a new subscription gets. */
  catalogue: Map<string, { productName: string; status: string }>;
};

let n = 0;
const value = (p: string) => `${p}${String(++n).padStart(4, '0')}${'x'.repeat(40)}`.slice(0, 40);

export function fakeClient(initial: Partial<ApiKey>[] = []): FakeClient {
  const keys: ApiKey[] = initial.map((k, i) => ({ apiKeyId: `key${String(i).padStart(7, '0')}`, apiKeyName: `k${i}`, apiKeyDescription: '', isEnabled: true, ...k }));
  const fake: FakeClient = {
    calls: [],
    keys,
    hangCreate: false,
    products: new Map(),
    catalogue: new Map(),
    async createApiKey(input, o) {
      fake.calls.push({ method: 'createApiKey', args: [input], ...(o?.signal ? { signal: o.signal } : {}) });
      if (fake.hangCreate) {
        await new Promise((_r, reject) => o?.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
      }
      if (fake.failCreate) throw fake.failCreate;
      const key: ApiKey = {
        apiKeyId: `new${String(++n).padStart(7, '0')}`, apiKeyName: input.apiKeyName.trim(), apiKeyDescription: (input.apiKeyDescription ?? '').trim(),
        isEnabled: true, primaryKey: value('PRIMARY'), secondaryKey: value('SECONDARY'),
      };
      keys.push(key);
      return key;
    },
    iterateApiKeys(q, o) {
      fake.calls.push({ method: 'iterateApiKeys', args: [q ?? {}], ...(o?.signal ? { signal: o.signal } : {}) });
      // Like NCP's apiKeyName query: a substring match.
      const name = q?.apiKeyName;
      return (async function* () { yield* keys.filter((k) => name === undefined || (k.apiKeyName ?? '').includes(name)); })();
    },
    async setApiKeyEnabled(id, isEnabled) {
      fake.calls.push({ method: 'setApiKeyEnabled', args: [id, isEnabled] });
      const i = keys.findIndex((x) => x.apiKeyId === id);
      const next = { ...(keys[i] as ApiKey), isEnabled };
      keys.splice(i, 1, next);
      return next;
    },
    async listApiKeyProducts(id, q) {
      fake.calls.push({ method: 'listApiKeyProducts', args: [id, q] });
      const all = fake.products.get(id) ?? [];
      const offset = q?.offset ?? 0;
      return { products: all.slice(offset, offset + (q?.limit ?? 10)), total: all.length };
    },
    async subscribeApiKey(id, productId) {
      fake.calls.push({ method: 'subscribeApiKey', args: [id, productId] });
      const p = fake.catalogue.get(productId);
      if (!p) throw new Error(`product ${productId} not found`);
      fake.products.set(id, [...(fake.products.get(id) ?? []), { productId, productName: p.productName, status: p.status }]);
    },
    async getApiKey(id) {
      fake.calls.push({ method: 'getApiKey', args: [id] });
      const k = keys.find((x) => x.apiKeyId === id);
      if (!k) throw new Error(`no key ${id}`);
      return k;
    },
    async regenerateApiKey(id, type) {
      fake.calls.push({ method: 'regenerateApiKey', args: [id, type] });
      const k = keys.find((x) => x.apiKeyId === id) as ApiKey;
      const next = { ...k, ...(type === 'PRIMARY' ? { primaryKey: value('NEWPRIMARY') } : { secondaryKey: value('NEWSECONDARY') }) };
      keys.splice(keys.indexOf(k), 1, next);
      return next;
    },
    async deleteApiKey(id) {
      fake.calls.push({ method: 'deleteApiKey', args: [id] });
      keys.splice(keys.findIndex((x) => x.apiKeyId === id), 1);
    },
  };
  return fake;
}
