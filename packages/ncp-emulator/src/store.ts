// In-memory state of one emulated tenant: API keys (in creation order), products and key↔product subscriptions.

import { createCatalogue } from './catalogue.ts';
import { apiKeyId as newApiKeyId, keyValue, type Random } from './prng.ts';
import { ERRORS, HttpError } from './responses.ts';
import type { ApiKeyRecord, Product, Subscription, SubscriptionStatus } from './types.ts';

export type StoreBehaviour = {
  uniqueNames: boolean;
  maxKeys: number;
  domainCode: string;
  allowDeleteSubscribed: boolean;
  order: 'oldest-first' | 'newest-first';
};

/** NCP's modTime style: second precision, `Z` suffix (`2024-05-07T07:08:12Z`). */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export type Store = ReturnType<typeof createStore>;

export function createStore(opts: { random: Random; now: () => number; tenantId: string; behaviour: StoreBehaviour }) {
  const keys = new Map<string, ApiKeyRecord>();
  const subscriptions: Subscription[] = [];
  const { random, now, behaviour } = opts;
  const catalogue = createCatalogue({ random, now: () => formatTime(now()), tenantId: opts.tenantId });
  const product = catalogue.product;

  function freshId(taken: (id: string) => boolean): string {
    for (;;) {
      const id = newApiKeyId(random);
      if (!taken(id)) return id;
    }
  }

  function get(id: string): ApiKeyRecord {
    const record = keys.get(id);
    if (record === undefined) throw new HttpError(ERRORS.keyNotFound, `API key ${JSON.stringify(id)} not found`);
    return record;
  }

  function assertNameFree(name: string, exceptId?: string): void {
    if (!behaviour.uniqueNames) return;
    for (const k of keys.values()) {
      if (k.apiKeyName === name && k.apiKeyId !== exceptId) {
        throw new HttpError(ERRORS.duplicateName, `an API key named ${JSON.stringify(name)} already exists`);
      }
    }
  }

  return {
    create(input: { apiKeyName: string; apiKeyDescription: string; modifier: string }): ApiKeyRecord {
      if (keys.size >= behaviour.maxKeys) {
        throw new HttpError(ERRORS.keyLimit, `at most ${behaviour.maxKeys} API keys may exist`);
      }
      assertNameFree(input.apiKeyName);
      const t = now();
      const record: ApiKeyRecord = {
        apiKeyId: freshId((id) => keys.has(id)),
        tenantId: opts.tenantId,
        apiKeyName: input.apiKeyName,
        apiKeyDescription: input.apiKeyDescription,
        primaryKey: keyValue(random),
        secondaryKey: keyValue(random),
        modifier: input.modifier,
        isEnabled: true,
        modTime: formatTime(t),
        domainCode: behaviour.domainCode,
        createdAt: t,
      };
      keys.set(record.apiKeyId, record);
      return record;
    },
    get,
    list(nameFilter: string | undefined): ApiKeyRecord[] {
      const all = [...keys.values()];
      if (behaviour.order === 'newest-first') all.reverse();
      return nameFilter === undefined ? all : all.filter((k) => k.apiKeyName.includes(nameFilter));
    },
    update(id: string, input: { apiKeyName: string; apiKeyDescription: string; isEnabled: boolean; modifier: string }): ApiKeyRecord {
      const record = get(id);
      assertNameFree(input.apiKeyName, id);
      record.apiKeyName = input.apiKeyName;
      record.apiKeyDescription = input.apiKeyDescription;
      record.isEnabled = input.isEnabled;
      record.modifier = input.modifier;
      record.modTime = formatTime(now());
      return record;
    },
    regenerate(id: string, keyType: 'PRIMARY' | 'SECONDARY', modifier: string): ApiKeyRecord {
      const record = get(id);
      if (keyType === 'PRIMARY') record.primaryKey = keyValue(random);
      else record.secondaryKey = keyValue(random);
      record.modifier = modifier;
      record.modTime = formatTime(now());
      return record;
    },
    delete(id: string): void {
      get(id);
      const linked = subscriptions.some((s) => s.apiKeyId === id);
      if (linked && !behaviour.allowDeleteSubscribed) {
        throw new HttpError(ERRORS.keyInUse, `API key ${JSON.stringify(id)} is subscribed to products; unsubscribe first`);
      }
      keys.delete(id);
      for (let i = subscriptions.length - 1; i >= 0; i--) {
        if (subscriptions[i]?.apiKeyId === id) subscriptions.splice(i, 1);
      }
    },
    catalogue,
    tenantId: opts.tenantId,
    products(): Product[] {
      return catalogue.products();
    },
    linkedProducts(id: string): { product: Product; subscription: Subscription }[] {
      get(id);
      return subscriptions
        .filter((s) => s.apiKeyId === id)
        .map((s) => ({ product: product(s.productId), subscription: s }));
    },
    subscribe(id: string, productId: string): void {
      get(id);
      const p = catalogue.visibleProduct(productId);
      if (subscriptions.some((s) => s.apiKeyId === id && s.productId === productId)) return;
      const t = formatTime(now());
      // Protected products wait for the owner's decision; public ones are usable at once (stored as ACCEPTED).
      const status = p.subscriptionCode === 'PROTECTED' ? 'REQUEST' : 'ACCEPTED';
      subscriptions.push({ apiKeyId: id, productId, status, regTime: t, modTime: t, stagePlans: {} });
    },
    subscription(id: string, productId: string): Subscription | undefined {
      return subscriptions.find((s) => s.apiKeyId === id && s.productId === productId);
    },
    subscribersOf(productId: string): { key: ApiKeyRecord; subscription: Subscription }[] {
      return subscriptions.filter((s) => s.productId === productId).map((s) => ({ key: get(s.apiKeyId), subscription: s }));
    },
    /** Owner decision on a key's relation; only ACCEPTED and REJECTED are settable (DENY/BLOCKED_REQUEST only seedable). */
    setStatus(id: string, productId: string, status: SubscriptionStatus): void {
      const s = subscriptions.find((x) => x.apiKeyId === id && x.productId === productId);
      if (s === undefined) throw new HttpError(ERRORS.subscriptionNotFound, `API key ${JSON.stringify(id)} has no subscription to product ${JSON.stringify(productId)}`);
      s.status = status;
      s.modTime = formatTime(now());
    },
    byKeyValue(value: string): ApiKeyRecord | undefined {
      for (const k of keys.values()) if (k.primaryKey === value || k.secondaryKey === value) return k;
      return undefined;
    },
    unsubscribe(id: string, productId: string): void {
      get(id);
      product(productId);
      const i = subscriptions.findIndex((s) => s.apiKeyId === id && s.productId === productId);
      if (i >= 0) subscriptions.splice(i, 1);
    },
    keys(): ApiKeyRecord[] {
      return [...keys.values()];
    },
    subscriptions(): Subscription[] {
      return [...subscriptions];
    },
    subscriptionsOfKey(id: string): Subscription[] {
      return subscriptions.filter((s) => s.apiKeyId === id);
    },
    reset(): void {
      keys.clear();
      subscriptions.length = 0;
    },
  };
}
