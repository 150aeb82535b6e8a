// createApiGatewayClient: the whole API-key lifecycle over signature v2. Validates input before anything
// is sent, builds each URL once, sends through ofetch with the signing fetch injected, retries only what
// is safe to retry (creates: create-key.ts), and normalises NCP's response quirks into one shape.

import { InputError, NotFoundError, ResponseShapeError, type InputIssue } from '../errors.ts';
import {
  apiKeyIdSchema,
  iterateApiKeysQuerySchema,
  keyTypeSchema,
  listApiKeysQuerySchema,
  updateApiKeyInputSchema,
  type CreateApiKeyInput,
  type IterateApiKeysQuery,
  type KeyType,
  type ListApiKeysQuery,
  type UpdateApiKeyInput,
} from '../schemas/input.ts';
import {
  apiKeyListResponseSchema,
  apiKeyResponseSchema,
  apiKeySchema,
  type ApiKey,
  type ApiKeyPage,
} from '../schemas/response.ts';
import { parseJson } from '../schemas/error-envelope.ts';
import { createSigningFetch } from '../signer/signing-fetch.ts';
import { normaliseEndpoint, siteEndpoint } from './site.ts';
import { buildQuery, pathSegment } from './url.ts';
import { createTransport } from './transport.ts';
import { errorFromResponse, type RawResponse } from './response-error.ts';
import {
  attemptOnce,
  resolveRetryPolicy,
  sendIdempotent,
  type PreparedRequest,
  type RequestContext,
} from './retry.ts';
import { parseBody } from './parse.ts';
import { createKeyCreator, isCreateMarker, RESERVED_DESCRIPTION, type CreateOptions } from './create-key.ts';
import type { CallOptions, ClientOptions } from './types.ts';
import { validate } from './validate.ts';
import { createProductMethods, type ProductMethods } from './products.ts';

export interface ApiGatewayClient extends ProductMethods {
  createApiKey(input: CreateApiKeyInput, o?: CreateOptions): Promise<ApiKey>;
  listApiKeys(q?: ListApiKeysQuery, o?: CallOptions): Promise<ApiKeyPage>;
  iterateApiKeys(q?: IterateApiKeysQuery, o?: CallOptions): AsyncIterable<ApiKey>;
  getApiKey(apiKeyId: string, o?: CallOptions): Promise<ApiKey>;
  updateApiKey(apiKeyId: string, input: UpdateApiKeyInput, o?: CallOptions): Promise<ApiKey>;
  setApiKeyEnabled(apiKeyId: string, isEnabled: boolean, o?: CallOptions): Promise<ApiKey>;
  regenerateApiKey(apiKeyId: string, keyType: KeyType, o?: CallOptions): Promise<ApiKey>;
  deleteApiKey(apiKeyId: string, o?: CallOptions): Promise<void>;
}

const DEFAULT_PAGE_SIZE = 100;

function validateCredentials(o: ClientOptions): void {
  const issues: InputIssue[] = [];
  const c = (o as { credentials?: unknown }).credentials as Partial<ClientOptions['credentials']> | undefined;
  if (typeof c?.accessKey !== 'string' || c.accessKey.trim() === '') issues.push({ path: 'credentials.accessKey', message: 'access key is required' });
  if (typeof c?.secretKey !== 'string' || c.secretKey === '') issues.push({ path: 'credentials.secretKey', message: 'secret key is required' });
  if (issues.length > 0) throw new InputError(issues);
}

export function createApiGatewayClient(opts: ClientOptions): ApiGatewayClient {
  validateCredentials(opts);
  const base = opts.endpoint !== undefined ? normaliseEndpoint(opts.endpoint) : siteEndpoint(opts.site ?? 'public');
  const now = opts.now ?? Date.now;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new InputError([{ path: 'timeoutMs', message: 'timeoutMs must be a positive number' }]);
  const onEvent = opts.onEvent;

  const signing = (f: typeof fetch | undefined) => createSigningFetch({ credentials: opts.credentials, now, ...(f === undefined ? {} : { fetch: f }) });
  const ctx: RequestContext = {
    transport: createTransport(signing(opts.fetch)),
    policy: resolveRetryPolicy(opts.retry),
    now,
    timeoutMs,
    clientSignal: opts.signal,
    emit: onEvent,
  };
  const origin = new URL(base).origin;
  const basePath = new URL(base).pathname.replace(/\/+$/, '');

  function prepare(method: string, relPath: string, query = '', body?: unknown): PreparedRequest {
    const path = basePath + relPath + query;
    const req: PreparedRequest = { method, url: origin + path, path };
    if (body !== undefined) req.body = JSON.stringify(body);
    return req;
  }

  const keyPath = (id: string): string => `/api-keys/${pathSegment(id)}`;
  // Create POSTs go through the runtime's fresh-connection fetch when one is given (see types.ts).
  const postCtx: RequestContext = opts.freshConnectionFetch === undefined ? ctx : { ...ctx, transport: createTransport(signing(opts.freshConnectionFetch)) };

  // One GET /api-keys for both a single page and each step of iteration; an empty name filter means none.
  async function fetchKeyList(apiKeyName: string | undefined, limit: number | undefined, offset: number | undefined, signal: AbortSignal | undefined) {
    const req = prepare('GET', '/api-keys', buildQuery([['apiKeyName', apiKeyName === '' ? undefined : apiKeyName], ['limit', limit], ['offset', offset]]));
    const res = await sendIdempotent(ctx, req, signal);
    return parseBody(res, apiKeyListResponseSchema, req, '{ apiKeys: [...], total }');
  }

  async function listPage(q: { apiKeyName?: string | undefined; limit?: number | undefined; offset?: number | undefined }, signal: AbortSignal | undefined): Promise<ApiKeyPage> {
    const body = await fetchKeyList(q.apiKeyName, q.limit, q.offset, signal);
    const page: ApiKeyPage = { apiKeys: body.apiKeys, total: body.total ?? (q.offset ?? 0) + body.apiKeys.length };
    if (body.initialCount !== undefined) page.initialCount = body.initialCount;
    return page;
  }

  async function* iterate(q: { apiKeyName?: string | undefined; pageSize?: number | undefined }, signal: AbortSignal | undefined): AsyncGenerator<ApiKey> {
    const pageSize = q.pageSize ?? DEFAULT_PAGE_SIZE;
    let offset = 0;
    for (;;) {
      const body = await fetchKeyList(q.apiKeyName, pageSize, offset, signal);
      for (const k of body.apiKeys) yield k;
      offset += body.apiKeys.length;
      if (body.apiKeys.length === 0) return;
      // `total` says when we are done; without it, a short page is the only end marker.
      if (body.total !== undefined ? offset >= body.total : body.apiKeys.length < pageSize) return;
    }
  }

  async function getOne(apiKeyId: string, signal: AbortSignal | undefined): Promise<ApiKey> {
    const req = prepare('GET', keyPath(apiKeyId));
    const res = await sendIdempotent(ctx, req, signal);
    // GET one is documented flat; a wrapped body is accepted too so a future NCP change is not an outage.
    const json = parseJson(res.text);
    const wrapped = typeof json === 'object' && json !== null && !('apiKeyId' in json) && 'apiKey' in json;
    return wrapped ? parseBody(res, apiKeyResponseSchema, req, '{ apiKey: {...} }', json).apiKey : parseBody(res, apiKeySchema, req, 'an API key object', json);
  }

  async function sendForKey(method: 'PUT' | 'PATCH', apiKeyId: string, body: unknown, signal: AbortSignal | undefined): Promise<ApiKey> {
    const req = prepare(method, keyPath(apiKeyId), '', body);
    const res = method === 'PUT' ? await sendIdempotent(ctx, req, signal) : await sendOnceNoRetry(req, signal);
    return parseBody(res, apiKeyResponseSchema, req, '{ apiKey: {...} }').apiKey;
  }

  // PATCH regenerate changes the key value each time it lands, so a blind retry could rotate twice.
  async function sendOnceNoRetry(req: PreparedRequest, signal: AbortSignal | undefined): Promise<RawResponse> {
    const res = await attemptOnce(ctx, req, 1, signal, ctx.policy.deadlineMs);
    if (res.status >= 200 && res.status < 300) return res;
    throw errorFromResponse(res, req.method, req.path, now());
  }

  return {
    createApiKey: createKeyCreator({
      ctx,
      postCtx,
      prepare,
      validate,
      listByName: (name, signal) => iterate({ apiKeyName: name }, signal),
      getOne,
      put: (id, body, signal) => sendForKey('PUT', id, body, signal),
      newOperationId: () => crypto.randomUUID(),
    }),

    async listApiKeys(q = {}, o) {
      return listPage(validate(listApiKeysQuerySchema, q, ''), o?.signal);
    },

    iterateApiKeys(q = {}, o) {
      // Validation happens on the first next(), so bad input rejects before any request.
      return {
        [Symbol.asyncIterator]() {
          let inner: AsyncGenerator<ApiKey> | undefined;
          return {
            next() {
              inner ??= iterate(validate(iterateApiKeysQuerySchema, q, ''), o?.signal);
              return inner.next();
            },
            return(value?: unknown) {
              return inner === undefined ? Promise.resolve({ done: true as const, value: undefined }) : inner.return(value as undefined);
            },
          };
        },
      };
    },

    async getApiKey(apiKeyId, o) {
      return getOne(validate(apiKeyIdSchema, apiKeyId, 'apiKeyId'), o?.signal);
    },

    async updateApiKey(apiKeyId, input, o) {
      const id = validate(apiKeyIdSchema, apiKeyId, 'apiKeyId');
      const body = validate(updateApiKeyInputSchema, input, '');
      if (isCreateMarker(body.apiKeyDescription)) throw new InputError([{ path: 'apiKeyDescription', message: RESERVED_DESCRIPTION }]);
      return sendForKey('PUT', id, body, o?.signal);
    },

    async setApiKeyEnabled(apiKeyId, isEnabled, o) {
      const id = validate(apiKeyIdSchema, apiKeyId, 'apiKeyId');
      if (typeof isEnabled !== 'boolean') throw new InputError([{ path: 'isEnabled', message: 'isEnabled must be true or false' }]);
      // PUT replaces name and description too, so send back what is there now.
      const current = await getOne(id, o?.signal);
      if (current.apiKeyName === undefined) {
        throw new ResponseShapeError(`GET ${basePath}${keyPath(id)} returned a key without apiKeyName; cannot update it safely`, { method: 'GET', path: basePath + keyPath(id) });
      }
      const body = { apiKeyName: current.apiKeyName, apiKeyDescription: current.apiKeyDescription ?? '', isEnabled };
      return sendForKey('PUT', id, body, o?.signal);
    },

    async regenerateApiKey(apiKeyId, keyType, o) {
      const id = validate(apiKeyIdSchema, apiKeyId, 'apiKeyId');
      const kt = validate(keyTypeSchema, keyType, 'keyType');
      return sendForKey('PATCH', id, { keyType: kt }, o?.signal);
    },

    async deleteApiKey(apiKeyId, o) {
      const id = validate(apiKeyIdSchema, apiKeyId, 'apiKeyId');
      const req = prepare('DELETE', keyPath(id));
      const info = { attempts: 0 };
      try {
        await sendIdempotent(ctx, req, o?.signal, info);
      } catch (e) {
        // A retried DELETE whose earlier attempt landed before failing sees 404: the key is gone, which is
        // what was asked. A 404 on the first attempt is still an error (wrong id).
        if (e instanceof NotFoundError && e.ncpErrorCode !== '10008' && info.attempts > 1) return;
        throw e;
      }
    },

    ...createProductMethods({ ctx, postCtx, prepare }),
  };
}
