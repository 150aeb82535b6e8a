// createKeyForProducts: one resumable operation that makes a key that opens the named products. Steps, each
// reported: look every product up (nothing is created if one is missing) → find or create the key → subscribe it
// to each product it is not already linked to → optionally accept PROTECTED subscriptions of the caller's own
// products → give the key its real description.
//
// Resuming is exact. The key is made by createApiKey with the operation id, so until its last step the key's
// description is the marker `apikey:<operationId>`, which nobody else can produce; the product steps run in
// createApiKey's `onCommitted`, before the PUT that replaces the marker. Running again with the same operation id
// finds that key by name and marker (so it never makes a second key), reads the key's products (so it never
// subscribes twice) and carries on.

import { AbortedError, ApiKeyError, InputError, NotFoundError } from '../errors.ts';
import { createApiKeyInputSchema } from '../schemas/input.ts';
import type { ApiKey } from '../schemas/response.ts';
import type { Product } from '../schemas/products.ts';
import type { ApiGatewayClient } from './client.ts';
import { CREATE_MARKER_PREFIX, isCreateMarker, operationIdSchema, RESERVED_DESCRIPTION, type CreateOptions } from './create-key.ts';
import type { CallOptions } from './types.ts';
import { validate } from './validate.ts';

export type CreateKeyForProductsInput = {
  name: string;
  description?: string | undefined;
  productIds: readonly string[];
  /** Caller-chosen id of this operation (1–43 of [A-Za-z0-9_-]); the same id resumes it. */
  operationId: string;
  /** Accept REQUEST relations on PROTECTED products of the caller's own account (as their owner). */
  acceptOwnProtected?: boolean | undefined;
  /**
   * When a product step fails: `keep-marker` (default) leaves the marker description so the same operation id
   * resumes; `finalise` still sets the real description, for callers that resume with subscribe commands instead.
   */
  onIncomplete?: 'keep-marker' | 'finalise' | undefined;
};

export type ResolvedProduct = { productId: string; productName?: string; subscriptionCode?: string; ownProduct: boolean };

export type ProductOutcome = ResolvedProduct & {
  subscribe: 'subscribed' | 'already-subscribed' | 'failed';
  accept: 'accepted' | 'not-needed' | 'not-requested' | 'failed';
  /** NCP's relation status after this run (REQUEST, ACCEPTED, …), when it could be read. */
  status?: string;
  error?: ApiKeyError;
};

export type CreateKeyForProductsResult = {
  apiKey: ApiKey;
  key: 'created' | 'resumed';
  products: ProductOutcome[];
  description: 'set' | 'failed' | 'kept-marker';
  /** Every step finished: the key has its description and every product is subscribed (and accepted if asked). */
  complete: boolean;
};

/**
 * Looks each id up as an own product, then in the catalogue. Throws NotFoundError naming the first id that is
 * neither (missing, or not visible to this account); nothing is created by this.
 */
export async function resolveProducts(client: ApiGatewayClient, productIds: readonly string[], o?: CallOptions): Promise<ResolvedProduct[]> {
  const out: ResolvedProduct[] = [];
  for (const productId of new Set(productIds)) {
    let product: Product;
    let ownProduct = true;
    try {
      product = await client.getProduct(productId, o);
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
      ownProduct = false;
      try {
        product = await client.getPublishedProduct(productId, o);
      } catch (inner) {
        if (!(inner instanceof NotFoundError)) throw inner;
        throw new NotFoundError(`product '${productId}' does not exist or is not visible to this account`, {
          status: inner.status,
          ncpErrorCode: inner.ncpErrorCode,
          ncpMessage: inner.ncpMessage,
          traceId: inner.traceId,
          cause: inner,
        });
      }
    }
    const r: ResolvedProduct = { productId, ownProduct };
    if (product.productName !== undefined) r.productName = product.productName;
    if (product.subscriptionCode !== undefined) r.subscriptionCode = product.subscriptionCode;
    out.push(r);
  }
  return out;
}

/** The key this operation left with its marker, if any: exact name and exact marker, nothing else counts. */
async function findMarkedKey(client: ApiGatewayClient, name: string, marker: string, o: CallOptions): Promise<ApiKey | undefined> {
  for await (const k of client.iterateApiKeys({ apiKeyName: name }, o)) if (k.apiKeyName === name && k.apiKeyDescription === marker) return k;
  return undefined;
}

async function relationStatuses(client: ApiGatewayClient, apiKeyId: string, o: CallOptions): Promise<Map<string, string>> {
  const statuses = new Map<string, string>();
  for await (const p of client.iterateApiKeyProducts(apiKeyId, {}, o)) statuses.set(p.productId, p.status ?? '');
  return statuses;
}

const stoppable = (e: unknown): e is ApiKeyError => e instanceof ApiKeyError && !(e instanceof AbortedError);

/** Subscribe (skipping products already linked) and accept; failures are recorded per product, not thrown. */
async function productSteps(client: ApiGatewayClient, apiKeyId: string, products: readonly ResolvedProduct[], acceptOwn: boolean, o: CallOptions): Promise<ProductOutcome[]> {
  const before = await relationStatuses(client, apiKeyId, o);
  const outcomes: ProductOutcome[] = [];
  for (const p of products) {
    const outcome: ProductOutcome = { ...p, subscribe: 'already-subscribed', accept: 'not-needed' };
    outcomes.push(outcome);
    if (before.has(p.productId)) continue;
    try {
      await client.subscribeApiKey(apiKeyId, p.productId, o);
      outcome.subscribe = 'subscribed';
    } catch (e) {
      if (!stoppable(e)) throw e;
      outcome.subscribe = 'failed';
      outcome.error = e;
    }
  }
  let after = await relationStatuses(client, apiKeyId, o);
  for (const outcome of outcomes) {
    if (outcome.subscribe === 'failed' || after.get(outcome.productId) !== 'REQUEST') continue;
    if (!acceptOwn || !outcome.ownProduct) {
      outcome.accept = 'not-requested';
      continue;
    }
    try {
      await client.setSubscriptionStatus(outcome.productId, apiKeyId, 'ACCEPTED', o);
      outcome.accept = 'accepted';
    } catch (e) {
      if (!stoppable(e)) throw e;
      outcome.accept = 'failed';
      outcome.error = e;
    }
  }
  if (outcomes.some((x) => x.accept === 'accepted')) after = await relationStatuses(client, apiKeyId, o);
  for (const outcome of outcomes) {
    const status = after.get(outcome.productId);
    if (status !== undefined) outcome.status = status;
  }
  return outcomes;
}

/** Thrown from onCommitted to stop createApiKey before its PUT, so the key keeps the marker. */
class StepsIncomplete extends Error {}

export async function createKeyForProducts(client: ApiGatewayClient, input: CreateKeyForProductsInput, o?: CallOptions): Promise<CreateKeyForProductsResult> {
  const { apiKeyName, apiKeyDescription } = validate(createApiKeyInputSchema, { apiKeyName: input.name, apiKeyDescription: input.description ?? '' }, '');
  if (isCreateMarker(apiKeyDescription)) throw new InputError([{ path: 'apiKeyDescription', message: RESERVED_DESCRIPTION }]);
  const operationId = validate(operationIdSchema, input.operationId, 'operationId');
  if (!Array.isArray(input.productIds)) throw new InputError([{ path: 'productIds', message: 'productIds must be an array of product ids' }]);
  const signalOnly: CallOptions = o?.signal === undefined ? {} : { signal: o.signal };

  const products = await resolveProducts(client, input.productIds, signalOnly);
  const marked = await findMarkedKey(client, apiKeyName, CREATE_MARKER_PREFIX + operationId, signalOnly);

  let committed: ApiKey | undefined;
  let outcomes: ProductOutcome[] = [];
  let stepsRan = false;
  const createOptions: CreateOptions = {
    ...signalOnly,
    operationId,
    ...(marked === undefined ? {} : { resume: { apiKeyId: marked.apiKeyId } }),
    onCommitted: async (key) => {
      committed = key;
      outcomes = await productSteps(client, key.apiKeyId, products, input.acceptOwnProtected === true, signalOnly);
      stepsRan = true;
      const failed = outcomes.some((x) => x.subscribe === 'failed' || x.accept === 'failed');
      if (failed && input.onIncomplete !== 'finalise') throw new StepsIncomplete();
    },
  };

  let apiKey: ApiKey;
  let description: CreateKeyForProductsResult['description'] = 'set';
  try {
    apiKey = await client.createApiKey({ apiKeyName, apiKeyDescription }, createOptions);
  } catch (e) {
    // Before the steps ran (create failed, or reading the key's products failed) there is nothing to report:
    // the error stands, and the same operation id resumes.
    if (committed === undefined || !stepsRan || !(e instanceof StepsIncomplete || stoppable(e))) throw e;
    description = e instanceof StepsIncomplete ? 'kept-marker' : 'failed';
    // A key adopted from a listing may lack its values; the caller needs both.
    apiKey = committed.primaryKey !== undefined && committed.secondaryKey !== undefined ? committed : await client.getApiKey(committed.apiKeyId, signalOnly);
  }
  const stepsDone = outcomes.every((x) => x.subscribe !== 'failed' && x.accept !== 'failed');
  return { apiKey, key: marked === undefined ? 'created' : 'resumed', products: outcomes, description, complete: stepsDone && description === 'set' };
}
