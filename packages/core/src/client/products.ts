// Client methods for products and subscriptions: own products, the catalogue, a product's APIs and stages, usage
// plans, a key's products and subscription detail, subscribe/unsubscribe, and the owner's accept/reject. Each NCP
// wrapper is unwrapped here so callers see `{ items, total }` pages, and every paged list has an async iterator.
// Subscribe/unsubscribe are never retried blindly: after an ambiguous failure the key's products are read back,
// so a retry cannot subscribe twice and a committed change is not reported as failed.

import type { z } from 'zod';
import { AbortedError, ApiKeyError } from '../errors.ts';
import { apiKeyIdSchema, idSchema, pageQuerySchema, productIdSchema, type PageQuery } from '../schemas/input.ts';
import { apiKeyProductsResponseSchema, type ApiKeyProduct, type ApiKeyProductPage } from '../schemas/response.ts';
import {
  iteratePageQuerySchema,
  iterateProductApiKeysQuerySchema,
  iterateProductApisQuerySchema,
  iterateProductsQuerySchema,
  iteratePublishedProductsQuerySchema,
  iterateSubscriptionDetailQuerySchema,
  iterateUsagePlansQuerySchema,
  listProductApisQuerySchema,
  listProductsQuerySchema,
  ownerDecisionSchema,
  productApiKeyListResponseSchema,
  productApiListResponseSchema,
  productListResponseSchema,
  productResponseSchema,
  productSchema,
  publishedProductListResponseSchema,
  searchProductApiKeysQuerySchema,
  searchPublishedProductsQuerySchema,
  searchUsagePlansQuerySchema,
  stageListResponseSchema,
  stageUsagePlansQuerySchema,
  subscriptionDetailQuerySchema,
  subscriptionDetailResponseSchema,
  usagePlanListResponseSchema,
  type IteratePageQuery,
  type IterateProductApiKeysQuery,
  type IterateProductApisQuery,
  type IterateProductsQuery,
  type IteratePublishedProductsQuery,
  type IterateSubscriptionDetailQuery,
  type IterateUsagePlansQuery,
  type ListProductApisQuery,
  type ListProductsQuery,
  type OwnerDecision,
  type Product,
  type ProductApi,
  type ProductApiKey,
  type ProductApiKeyPage,
  type ProductApiPage,
  type ProductPage,
  type PublishedProduct,
  type PublishedProductPage,
  type SearchProductApiKeysQuery,
  type SearchPublishedProductsQuery,
  type SearchUsagePlansQuery,
  type StageList,
  type StageUsagePlansQuery,
  type SubscriptionDetailPage,
  type SubscriptionDetailQuery,
  type SubscriptionRelation,
  type UsagePlan,
  type UsagePlanPage,
} from '../schemas/products.ts';
import { parseJson } from '../schemas/error-envelope.ts';
import { parseBody } from './parse.ts';
import { errorFromResponse } from './response-error.ts';
import { attemptOnce, backOffOrThrow, isTransient, remainingBudget, sendIdempotent, type PreparedRequest, type RequestContext } from './retry.ts';
import type { CallOptions } from './types.ts';
import { buildQuery, pathSegment } from './url.ts';
import { validate } from './validate.ts';

export interface ProductMethods {
  listProducts(q?: ListProductsQuery, o?: CallOptions): Promise<ProductPage>;
  iterateProducts(q?: IterateProductsQuery, o?: CallOptions): AsyncIterable<Product>;
  getProduct(productId: string, o?: CallOptions): Promise<Product>;
  getPublishedProduct(productId: string, o?: CallOptions): Promise<Product>;
  searchPublishedProducts(q?: SearchPublishedProductsQuery, o?: CallOptions): Promise<PublishedProductPage>;
  iteratePublishedProducts(q?: IteratePublishedProductsQuery, o?: CallOptions): AsyncIterable<PublishedProduct>;
  listProductApis(productId: string, q?: ListProductApisQuery, o?: CallOptions): Promise<ProductApiPage>;
  iterateProductApis(productId: string, q?: IterateProductApisQuery, o?: CallOptions): AsyncIterable<ProductApi>;
  listApiStages(productId: string, apiId: string, o?: CallOptions): Promise<StageList>;
  searchUsagePlans(q?: SearchUsagePlansQuery, o?: CallOptions): Promise<UsagePlanPage>;
  iterateUsagePlans(q?: IterateUsagePlansQuery, o?: CallOptions): AsyncIterable<UsagePlan>;
  listStageUsagePlans(stageId: string, q?: StageUsagePlansQuery, o?: CallOptions): Promise<UsagePlanPage>;
  listApiKeyProducts(apiKeyId: string, q?: PageQuery, o?: CallOptions): Promise<ApiKeyProductPage>;
  iterateApiKeyProducts(apiKeyId: string, q?: IteratePageQuery, o?: CallOptions): AsyncIterable<ApiKeyProduct>;
  getSubscriptionDetail(apiKeyId: string, q: SubscriptionDetailQuery, o?: CallOptions): Promise<SubscriptionDetailPage>;
  iterateSubscriptionDetail(apiKeyId: string, q: IterateSubscriptionDetailQuery, o?: CallOptions): AsyncIterable<SubscriptionRelation>;
  subscribeApiKey(apiKeyId: string, productId: string, o?: CallOptions): Promise<void>;
  unsubscribeApiKey(apiKeyId: string, productId: string, o?: CallOptions): Promise<void>;
  searchProductApiKeys(productId: string, q?: SearchProductApiKeysQuery, o?: CallOptions): Promise<ProductApiKeyPage>;
  iterateProductApiKeys(productId: string, q?: IterateProductApiKeysQuery, o?: CallOptions): AsyncIterable<ProductApiKey>;
  setSubscriptionStatus(productId: string, apiKeyId: string, status: OwnerDecision, o?: CallOptions): Promise<void>;
  setApiKeyStagePlan(productId: string, apiKeyId: string, stageId: string, usagePlanId: string, o?: CallOptions): Promise<void>;
}

export type RequestKit = {
  ctx: RequestContext;
  /** Context whose transport sends each request on a fresh connection (the runtime adapter's); subscribe POSTs. */
  postCtx: RequestContext;
  prepare(method: string, relPath: string, query?: string, body?: unknown): PreparedRequest;
};

const DEFAULT_PAGE_SIZE = 100;
const apiIdSchema = idSchema('apiId');
const stageIdSchema = idSchema('stageId');
const usagePlanIdSchema = idSchema('usagePlanId');

type Page<T> = { items: T[]; total: number | undefined };

/** Walks offset/limit pages: stops at `total`, on an empty page, or (only without a total) on a short page. */
async function* walk<T>(fetchPage: (limit: number, offset: number) => Promise<Page<T>>, pageSize: number): AsyncGenerator<T> {
  let offset = 0;
  for (;;) {
    const { items, total } = await fetchPage(pageSize, offset);
    for (const item of items) yield item;
    offset += items.length;
    if (items.length === 0) return;
    if (total !== undefined ? offset >= total : items.length < pageSize) return;
  }
}

/** An iterable whose input is validated on the first next(), so bad input rejects before any request. */
function lazy<T>(start: () => AsyncGenerator<T>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator]() {
      let inner: AsyncGenerator<T> | undefined;
      return {
        next() {
          inner ??= start();
          return inner.next();
        },
        return(value?: unknown) {
          return inner === undefined ? Promise.resolve({ done: true as const, value: undefined }) : inner.return(value as undefined);
        },
      };
    },
  };
}

/**
 * Every item of a paged list: the input is validated on the first next(); each page comes from `fetchPage`
 * (given the filters without `pageSize`) and `items` picks the list out of the normalised page.
 */
function everyPage<Q extends { pageSize?: number | undefined }, P extends { total: number }, T>(
  input: () => Q,
  fetchPage: (filters: Omit<Q, 'pageSize'>, limit: number, offset: number) => Promise<P>,
  items: (page: P) => T[],
): AsyncIterable<T> {
  return lazy(() => {
    const { pageSize, ...filters } = input();
    return walk(async (limit, offset) => {
      const page = await fetchPage(filters, limit, offset);
      return { items: items(page), total: page.total };
    }, pageSize ?? DEFAULT_PAGE_SIZE);
  });
}

const bool = (b: boolean | undefined): string | undefined => (b === undefined ? undefined : String(b));

/** Drops undefined members so a POST body carries only what the caller set. */
function compact(o: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

export function createProductMethods({ ctx, postCtx, prepare }: RequestKit): ProductMethods {
  async function get<S extends z.ZodType>(relPath: string, query: string, schema: S, what: string, signal: AbortSignal | undefined): Promise<z.output<S>> {
    const req = prepare('GET', relPath, query);
    return parseBody(await sendIdempotent(ctx, req, signal), schema, req, what);
  }
  // The search POSTs only read, so they are retried like GETs.
  async function search<S extends z.ZodType>(relPath: string, body: unknown, schema: S, what: string, signal: AbortSignal | undefined): Promise<z.output<S>> {
    const req = prepare('POST', relPath, '', body);
    return parseBody(await sendIdempotent(ctx, req, signal), schema, req, what);
  }
  const productPath = (pid: string): string => `/products/${pathSegment(pid)}`;
  const keyPath = (kid: string): string => `/api-keys/${pathSegment(kid)}`;
  const id = (schema: z.ZodType<string>, v: unknown, path: string): string => validate(schema, v, path);

  // ---- own products ----
  async function productPage(q: Omit<z.output<typeof listProductsQuerySchema>, never>, signal: AbortSignal | undefined): Promise<ProductPage> {
    const query = buildQuery([
      ['productName', q.productName === '' ? undefined : q.productName],
      ['isPublished', bool(q.isPublished)],
      ['subscriptionCode', q.subscriptionCode],
      ['hasDeployedStage', bool(q.hasDeployedStage)],
      ['limit', q.limit],
      ['offset', q.offset],
    ]);
    const body = await get('/products', query, productListResponseSchema, '{ productPage: { content: [...], total } }', signal);
    const products = body.productPage.content ?? [];
    const page: ProductPage = { products, total: body.productPage.total ?? (q.offset ?? 0) + products.length };
    if (body.initialCount !== undefined) page.initialCount = body.initialCount;
    return page;
  }

  // GET one product is documented wrapped ({product}); a flat body is accepted too so an NCP change is not an outage.
  async function oneProduct(relPath: string, signal: AbortSignal | undefined): Promise<Product> {
    const req = prepare('GET', relPath);
    const res = await sendIdempotent(ctx, req, signal);
    const json = parseJson(res.text);
    const flat = typeof json === 'object' && json !== null && 'productId' in json;
    return flat ? parseBody(res, productSchema, req, 'a product', json) : parseBody(res, productResponseSchema, req, '{ product: {...} }', json).product;
  }

  // ---- catalogue ----
  async function publishedPage(q: z.output<typeof searchPublishedProductsQuerySchema>, signal: AbortSignal | undefined): Promise<PublishedProductPage> {
    const body = await search('/published-products/search', compact({ ...q }), publishedProductListResponseSchema, '{ productPage: { content: [...], total } }', signal);
    const products = body.productPage.content ?? [];
    return { products, total: body.productPage.total ?? (q.offset ?? 0) + products.length };
  }

  // ---- APIs ----
  async function apiPage(pid: string, q: z.output<typeof listProductApisQuerySchema>, signal: AbortSignal | undefined): Promise<ProductApiPage> {
    const query = buildQuery([['apiName', q.apiName === '' ? undefined : q.apiName], ['hasStage', bool(q.hasStage)], ['limit', q.limit], ['offset', q.offset]]);
    const body = await get(`${productPath(pid)}/apis`, query, productApiListResponseSchema, '{ apis: [...], total }', signal);
    const apis = body.apis ?? [];
    return { apis, total: body.total ?? (q.offset ?? 0) + apis.length };
  }

  // ---- usage plans ----
  async function planPage(q: z.output<typeof searchUsagePlansQuerySchema>, signal: AbortSignal | undefined): Promise<UsagePlanPage> {
    const body = await search('/usage-plans/search', compact({ ...q }), usagePlanListResponseSchema, '{ usagePlans: [...], total }', signal);
    const usagePlans = body.usagePlans ?? [];
    return { usagePlans, total: body.total ?? (q.offset ?? 0) + usagePlans.length };
  }

  // ---- a key's products and detail ----
  async function keyProductPage(kid: string, q: { limit?: number | undefined; offset?: number | undefined }, signal: AbortSignal | undefined): Promise<ApiKeyProductPage> {
    const body = await get(`${keyPath(kid)}/products`, buildQuery([['limit', q.limit], ['offset', q.offset]]), apiKeyProductsResponseSchema, '{ apiKeyRelateProductDtos: [...], total }', signal);
    const products = body.apiKeyRelateProductDtos ?? [];
    return { products, total: body.total ?? (q.offset ?? 0) + products.length };
  }
  async function isLinked(kid: string, pid: string, signal: AbortSignal | undefined): Promise<boolean> {
    const all = everyPage(() => ({}), (_f, limit, offset) => keyProductPage(kid, { limit, offset }, signal), (p) => p.products);
    for await (const p of all) if (p.productId === pid) return true;
    return false;
  }

  async function detailPage(kid: string, q: z.output<typeof subscriptionDetailQuerySchema>, signal: AbortSignal | undefined): Promise<SubscriptionDetailPage> {
    const query = buildQuery([['productId', q.productId], ['apiId', q.apiId], ['stageId', q.stageId], ['limit', q.limit], ['offset', q.offset]]);
    const body = await get(`${keyPath(kid)}/subscription-detail`, query, subscriptionDetailResponseSchema, '{ apiKeyRelations: { content: [...], total } }', signal);
    const relations = body.apiKeyRelations.content ?? [];
    return { relations, total: body.apiKeyRelations.total ?? (q.offset ?? 0) + relations.length };
  }

  /**
   * Subscribe/unsubscribe: NCP does not say what a second subscribe does, so a transient failure is followed by
   * reading the key's products: if the change is already there it landed, otherwise it is sent again.
   */
  async function changeSubscription(action: 'subscribe' | 'unsubscribe', kid: string, pid: string, signal: AbortSignal | undefined): Promise<void> {
    const req = prepare('POST', `${keyPath(kid)}/${action}`, '', { productId: pid });
    const startedAt = ctx.now();
    for (let attempt = 1; ; attempt++) {
      let error: ApiKeyError;
      try {
        // Like create's POST: on a connection of its own, which the runtime never re-sends on by itself.
        const res = await attemptOnce(postCtx, req, attempt, signal, remainingBudget(ctx, startedAt));
        if (res.status >= 200 && res.status < 300) return;
        error = errorFromResponse(res, req.method, req.path, ctx.now());
      } catch (e) {
        if (!(e instanceof ApiKeyError) || e instanceof AbortedError) throw e;
        error = e;
      }
      if (!isTransient(error)) throw error;
      let landed: boolean;
      try {
        landed = (await isLinked(kid, pid, signal)) === (action === 'subscribe');
      } catch (e) {
        // Without the read-back we cannot tell; report the original failure rather than guess.
        if (e instanceof AbortedError) throw e;
        throw error;
      }
      ctx.emit?.({ type: 'reconcile', method: 'POST', url: req.path, attempt, reason: landed ? 'landed' : 'not landed' });
      if (landed) return;
      await backOffOrThrow(ctx, req, attempt, error, startedAt, signal);
    }
  }

  async function ownerKeyPage(pid: string, q: z.output<typeof searchProductApiKeysQuerySchema>, signal: AbortSignal | undefined): Promise<ProductApiKeyPage> {
    const body = await search(`${productPath(pid)}/api-keys/search`, compact({ ...q }), productApiKeyListResponseSchema, '{ apiKeyPage: { content: [...], total } }', signal);
    const apiKeys = body.apiKeyPage.content ?? [];
    return { apiKeys, total: body.apiKeyPage.total ?? (q.offset ?? 0) + apiKeys.length };
  }

  return {
    listProducts: async (q = {}, o) => productPage(validate(listProductsQuerySchema, q, ''), o?.signal),
    iterateProducts: (q = {}, o) => everyPage(() => validate(iterateProductsQuerySchema, q, ''), (f, limit, offset) => productPage({ ...f, limit, offset }, o?.signal), (p) => p.products),
    getProduct: async (pid, o) => oneProduct(productPath(id(productIdSchema, pid, 'productId')), o?.signal),
    getPublishedProduct: async (pid, o) => oneProduct(`/published-products/${pathSegment(id(productIdSchema, pid, 'productId'))}`, o?.signal),

    searchPublishedProducts: async (q = {}, o) => publishedPage(validate(searchPublishedProductsQuerySchema, q, ''), o?.signal),
    iteratePublishedProducts: (q = {}, o) => everyPage(() => validate(iteratePublishedProductsQuerySchema, q, ''), (f, limit, offset) => publishedPage({ ...f, limit, offset }, o?.signal), (p) => p.products),

    listProductApis: async (pid, q = {}, o) => apiPage(id(productIdSchema, pid, 'productId'), validate(listProductApisQuerySchema, q, ''), o?.signal),
    iterateProductApis: (pid, q = {}, o) =>
      everyPage(() => ({ ...validate(iterateProductApisQuerySchema, q, ''), pid: id(productIdSchema, pid, 'productId') }), ({ pid: p, ...f }, limit, offset) => apiPage(p, { ...f, limit, offset }, o?.signal), (p) => p.apis),
    async listApiStages(pid, aid, o) {
      const p = id(productIdSchema, pid, 'productId');
      const a = id(apiIdSchema, aid, 'apiId');
      const body = await get(`${productPath(p)}/apis/${pathSegment(a)}/stages`, '', stageListResponseSchema, '{ host, stages: [...] }', o?.signal);
      const list: StageList = { stages: body.stages ?? [] };
      if (body.host !== undefined && body.host !== '') list.host = body.host;
      return list;
    },

    searchUsagePlans: async (q = {}, o) => planPage(validate(searchUsagePlansQuerySchema, q, ''), o?.signal),
    iterateUsagePlans: (q = {}, o) => everyPage(() => validate(iterateUsagePlansQuerySchema, q, ''), (f, limit, offset) => planPage({ ...f, limit, offset }, o?.signal), (p) => p.usagePlans),
    async listStageUsagePlans(stageId, q = {}, o) {
      const sid = id(stageIdSchema, stageId, 'stageId');
      const { associated } = validate(stageUsagePlansQuerySchema, q, '');
      const body = await get('/usage-plans', buildQuery([['stageId', sid], ['associated', bool(associated)]]), usagePlanListResponseSchema, '{ usagePlans: [...], total }', o?.signal);
      const usagePlans = body.usagePlans ?? [];
      return { usagePlans, total: body.total ?? usagePlans.length };
    },

    listApiKeyProducts: async (kid, q = {}, o) => keyProductPage(id(apiKeyIdSchema, kid, 'apiKeyId'), validate(pageQuerySchema, q, ''), o?.signal),
    iterateApiKeyProducts: (kid, q = {}, o) =>
      everyPage(() => ({ ...validate(iteratePageQuerySchema, q, ''), kid: id(apiKeyIdSchema, kid, 'apiKeyId') }), ({ kid: k }, limit, offset) => keyProductPage(k, { limit, offset }, o?.signal), (p) => p.products),
    getSubscriptionDetail: async (kid, q, o) => detailPage(id(apiKeyIdSchema, kid, 'apiKeyId'), validate(subscriptionDetailQuerySchema, q, ''), o?.signal),
    iterateSubscriptionDetail: (kid, q, o) =>
      everyPage(() => ({ ...validate(iterateSubscriptionDetailQuerySchema, q, ''), kid: id(apiKeyIdSchema, kid, 'apiKeyId') }), ({ kid: k, ...f }, limit, offset) => detailPage(k, { ...f, limit, offset }, o?.signal), (p) => p.relations),
    subscribeApiKey: async (kid, pid, o) => changeSubscription('subscribe', id(apiKeyIdSchema, kid, 'apiKeyId'), id(productIdSchema, pid, 'productId'), o?.signal),
    unsubscribeApiKey: async (kid, pid, o) => changeSubscription('unsubscribe', id(apiKeyIdSchema, kid, 'apiKeyId'), id(productIdSchema, pid, 'productId'), o?.signal),

    searchProductApiKeys: async (pid, q = {}, o) => ownerKeyPage(id(productIdSchema, pid, 'productId'), validate(searchProductApiKeysQuerySchema, q, ''), o?.signal),
    iterateProductApiKeys: (pid, q = {}, o) =>
      everyPage(() => ({ ...validate(iterateProductApiKeysQuerySchema, q, ''), pid: id(productIdSchema, pid, 'productId') }), ({ pid: p, ...f }, limit, offset) => ownerKeyPage(p, { ...f, limit, offset }, o?.signal), (p) => p.apiKeys),
    async setSubscriptionStatus(pid, kid, status, o) {
      const p = id(productIdSchema, pid, 'productId');
      const k = id(apiKeyIdSchema, kid, 'apiKeyId');
      const s = validate(ownerDecisionSchema, status, 'status');
      // Setting a fixed status twice leaves the same state, so this PATCH (unlike regenerate) is safe to retry.
      await sendIdempotent(ctx, prepare('PATCH', `${productPath(p)}/api-keys/${pathSegment(k)}`, '', { status: s }), o?.signal);
    },
    async setApiKeyStagePlan(pid, kid, stageId, usagePlanId, o) {
      const p = id(productIdSchema, pid, 'productId');
      const k = id(apiKeyIdSchema, kid, 'apiKeyId');
      const sid = id(stageIdSchema, stageId, 'stageId');
      const plan = id(usagePlanIdSchema, usagePlanId, 'usagePlanId');
      await sendIdempotent(ctx, prepare('PUT', `${productPath(p)}/api-keys/${pathSegment(k)}/stages/${pathSegment(sid)}`, '', { usagePlanId: plan }), o?.signal);
    },
  };
}

/**
 * Where a stage is called: NCP's `host` (with https:// added when it has no scheme), then the API and stage
 * names as path segments.
 */
export function stageInvokeUrl(host: string, apiName: string, stageName: string): string {
  const base = /^[a-z][a-z0-9+.-]*:\/\//i.test(host) ? host : `https://${host}`;
  return `${base.replace(/\/+$/, '')}/${pathSegment(apiName)}/${pathSegment(stageName)}/`;
}

/**
 * The invoke URLs of every stage of one of the caller's own products (only the owner can list a product's APIs
 * and stages; callers decide what another account's product gives). One request for the APIs, then one per API
 * that has stages, in parallel.
 */
export async function listStageUrls(client: Pick<ProductMethods, 'iterateProductApis' | 'listApiStages'>, productId: string, o?: CallOptions): Promise<string[]> {
  const apis: ProductApi[] = [];
  for await (const api of client.iterateProductApis(productId, {}, o)) if ((api.stages ?? []).length > 0) apis.push(api);
  const perApi = await Promise.all(apis.map(async (api) => {
    const { host, stages } = await client.listApiStages(productId, api.apiId, o);
    return host === undefined ? [] : stages.map((s) => stageInvokeUrl(host, api.apiName ?? api.apiId, s.stageName ?? s.stageId));
  }));
  return perApi.flat();
}
