// An in-memory WizardClient for component tests: records calls and the AbortSignals it was given.

import type { ApiKey, ApiKeyProduct } from '@apikey/core';
import type { ProductKeyReport } from '../src/commands/products.ts';
import type { WizardClient } from '../src/ui/wizard-context.tsx';

/** A product the fake lists: own ones come from iterateProducts, the rest from the catalogue only. */
export type FakeProduct = { productName: string; status: string; subscriptionCode?: string; own?: boolean; urls?: string[] };

export type FakeClient = WizardClient & {
  calls: { method: string; args: unknown[]; signal?: AbortSignal }[];
  keys: ApiKey[];
  /** When set, createApiKey never settles (until its signal aborts), to test Ctrl+C during the spinner. */
  hangCreate: boolean;
  failCreate?: Error;
  /** Products each key is linked to, by apiKeyId. */
  products: Map<string, ApiKeyProduct[]>;
  /** Product ids subscribeApiKey accepts; the status a new subscription gets. */
  catalogue: Map<string, FakeProduct>;
  /** When set, listing products fails with it. */
  failProducts?: Error;
  /** When set, product listings never settle (until their signal aborts). */
  hangProducts: boolean;
  /** When set, subscribeApiKey fails with it (so createKeyWithProducts makes the key, its subscribe fails). */
  failSubscribe?: Error;
};

let n = 0;
const value = (p: string) => `${p}${String(++n).padStart(4, '0')}${'x'.repeat(40)}`.slice(0, 40);

export function fakeClient(initial: Partial<ApiKey>[] = []): FakeClient {
  const keys: ApiKey[] = initial.map((k, i) => ({ apiKeyId: `key${String(i).padStart(7, '0')}`, apiKeyName: `k${i}`, apiKeyDescription: '', isEnabled: true, ...k }));
  const fake: FakeClient = {
    calls: [],
    keys,
    hangCreate: false,
    hangProducts: false,
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
      if (fake.failSubscribe) throw fake.failSubscribe;
      fake.products.set(id, [...(fake.products.get(id) ?? []), { productId, productName: p.productName, status: p.status }]);
    },
    iterateProducts(q, o) {
      fake.calls.push({ method: 'iterateProducts', args: [q ?? {}], ...(o?.signal ? { signal: o.signal } : {}) });
      return listing(o?.signal, (p) => p.own === true);
    },
    iteratePublishedProducts(q, o) {
      fake.calls.push({ method: 'iteratePublishedProducts', args: [q ?? {}], ...(o?.signal ? { signal: o.signal } : {}) });
      return listing(o?.signal, () => true);
    },
    createKey(input, o) {
      return fake.createApiKey(input, o);
    },
    async createKeyWithProducts(input, refs, o) {
      fake.calls.push({ method: 'createKeyWithProducts', args: [input, refs], signal: o.signal });
      for (const r of refs) if (!fake.catalogue.has(r)) throw new Error(`product '${r}' does not exist or is not visible to this account`);
      const key = await fake.createApiKey(input);
      const report: ProductKeyReport = { apiKey: key, subscriptions: [], urls: [], foreignProducts: false, rerun: [], failures: [] };
      for (const r of refs) {
        const p = fake.catalogue.get(r) as FakeProduct;
        try {
          await fake.subscribeApiKey(key.apiKeyId, r);
        } catch (e) {
          report.subscriptions.push({ productId: r, productName: p.productName, status: 'FAILED' });
          report.failures.push({ productId: r, error: e as Error });
          report.rerun.push(`apikey subscribe ${key.apiKeyId} --product ${r}`);
          continue;
        }
        report.subscriptions.push({ productId: r, productName: p.productName, status: p.status });
        report.urls.push(...(p.urls ?? []));
        if (p.own !== true) report.foreignProducts = true;
      }
      return report;
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
  function listing(signal: AbortSignal | undefined, keep: (p: FakeProduct) => boolean) {
    return (async function* () {
      if (fake.hangProducts) await new Promise((_r, reject) => signal?.addEventListener('abort', () => reject(new Error('aborted'))));
      if (fake.failProducts) throw fake.failProducts;
      for (const [productId, p] of fake.catalogue) {
        if (keep(p)) yield { productId, productName: p.productName, ...(p.subscriptionCode ? { subscriptionCode: p.subscriptionCode } : {}) };
      }
    })();
  }
  return fake;
}
