// The products a requester can pick in the request modal: the account's own products and the published
// catalogue, read from NCP and kept briefly (the external select asks on every keystroke and must be answered
// within Slack's 3 seconds). Concurrent askers share one read; an NCP failure or a slow NCP gives an empty
// list and a log line, never an error in the modal. The answer's deadline does not cancel the read: a slow
// NCP still fills the cache, so the requester's next keystroke gets the list. The approval steps peek at the
// same cache (never reading NCP for it) to learn a product's subscription code.
import type { ApiGatewayClient } from '@apikey/core';
import type { AppLogger } from '../logger.ts';
import { describeFailure } from './describe-error.ts';

/** `access` is NCP's subscriptionCode (PUBLIC: usable at once; PROTECTED: the owner accepts). */
export type CatalogueProduct = { productId: string; productName: string; own: boolean; access?: string };

export type ProductCatalogue = {
  /** Every known product, from the cache when fresh; [] when NCP could not be read in time. */
  list(): Promise<CatalogueProduct[]>;
  /** One product by id (for a submitted choice); undefined when NCP does not list it; throws when NCP cannot be read. */
  find(productId: string): Promise<CatalogueProduct | undefined>;
  /** One product by id from a fresh cache only (never asks NCP); undefined when not known right now. */
  cached(productId: string): CatalogueProduct | undefined;
};

export type ProductCatalogueOptions = {
  ncp: ApiGatewayClient;
  logger: AppLogger;
  now: () => number;
  /** How long a read stays fresh (default 60 s). */
  cacheMs?: number;
  /** Answer without the list after this long (default 2 000 ms, inside Slack's 3 s for the whole answer). */
  answerMs?: number;
  /** Give up on an NCP read after this long (default 15 000 ms); it goes on after the answer was sent. */
  readTimeoutMs?: number;
};

class SlowCatalogueError extends Error {}

export function createProductCatalogue(o: ProductCatalogueOptions): ProductCatalogue {
  const cacheMs = o.cacheMs ?? 60_000;
  const answerMs = o.answerMs ?? 2_000;
  const readTimeoutMs = o.readTimeoutMs ?? 15_000;
  let cached: { at: number; products: CatalogueProduct[] } | undefined;
  let inFlight: Promise<CatalogueProduct[]> | undefined;

  const read = async (): Promise<CatalogueProduct[]> => {
    const signal = AbortSignal.timeout(readTimeoutMs);
    const byId = new Map<string, CatalogueProduct>();
    const [own, published] = await Promise.all([
      (async () => { const out = []; for await (const p of o.ncp.iterateProducts({}, { signal })) out.push(p); return out; })(),
      (async () => { const out = []; for await (const p of o.ncp.iteratePublishedProducts({}, { signal })) out.push(p); return out; })(),
    ]);
    const entry = (p: { productId: string; productName?: string | undefined; subscriptionCode?: string | undefined }, own: boolean): CatalogueProduct => ({
      productId: p.productId,
      productName: p.productName ?? p.productId,
      own,
      ...(p.subscriptionCode !== undefined ? { access: p.subscriptionCode } : {}),
    });
    // Only products a key can subscribe to: unpublished, deleted or disabled own products are left out.
    for (const p of own) if (p.isPublished !== false && p.isDeleted !== true && p.disabled !== true) byId.set(p.productId, entry(p, true));
    for (const p of published) if (!byId.has(p.productId)) byId.set(p.productId, entry(p, false));
    return [...byId.values()].sort((a, b) => a.productName.localeCompare(b.productName));
  };

  const load = (): Promise<CatalogueProduct[]> => {
    if (cached !== undefined && o.now() - cached.at < cacheMs) return Promise.resolve(cached.products);
    inFlight ??= read()
      .then((products) => { cached = { at: o.now(), products }; return products; })
      .finally(() => { inFlight = undefined; });
    return inFlight;
  };

  /** load(), or a SlowCatalogueError once the answer's deadline passed (the read itself goes on). */
  const loadInTime = (): Promise<CatalogueProduct[]> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new SlowCatalogueError(`NCP did not list the products within ${answerMs} ms`)), answerMs);
    });
    const loading = load();
    // A read that fails after the answer went out must not become an unhandled rejection.
    loading.catch(() => {});
    return Promise.race([loading, late]).finally(() => clearTimeout(timer));
  };

  return {
    async list() {
      try {
        return await loadInTime();
      } catch (err) {
        const why = err instanceof SlowCatalogueError ? `${err.message}; the next keystroke gets the list once it arrives` : describeFailure(err).message;
        o.logger.warn(`product suggestions: could not read products from NCP: ${why}`);
        return [];
      }
    },
    async find(productId) {
      return (await loadInTime()).find((p) => p.productId === productId);
    },
    cached(productId) {
      if (cached === undefined || o.now() - cached.at >= cacheMs) return undefined;
      return cached.products.find((p) => p.productId === productId);
    },
  };
}
