// The API-key endpoints under /api/v1 (listed in this package's README): routing, request parsing and response shapes.

import { createProductRoutes, type Route } from './product-routes.ts';
import { ERRORS, HttpError, emptyResponse, jsonResponse } from './responses.ts';
import type { Store } from './store.ts';
import type { UsageCounters } from './usage.ts';
import type { ApiKeyRecord } from './types.ts';
import {
  checkDescription,
  checkIsEnabled,
  checkKeyType,
  checkName,
  checkNameFilter,
  checkPaging,
  checkProductId,
  requireObject,
} from './validate.ts';

export type RouteBehaviour = {
  allowEmptyName: boolean;
  includeKeysInList: boolean;
  initialCount: number;
  defaultLimit: number;
  requireJsonContentType: boolean;
  maxBodyBytes: number;
  domainCode: string;
};

export type RouteInput = {
  method: string;
  /** Path relative to /api/v1 (e.g. `/api-keys/abc`), from the parsed URL. */
  path: string;
  query: URLSearchParams;
  request: Request;
  /** UUID of the acting credential, recorded as `modifier`. */
  modifier: string;
};

export const API_PREFIX = '/api/v1';


/** DTO as NCP returns it: the record without emulator bookkeeping. */
export function toDto(r: ApiKeyRecord, withKeys = true) {
  const dto = {
    apiKeyId: r.apiKeyId,
    tenantId: r.tenantId,
    apiKeyName: r.apiKeyName,
    apiKeyDescription: r.apiKeyDescription,
    ...(withKeys ? { primaryKey: r.primaryKey, secondaryKey: r.secondaryKey } : {}),
    modifier: r.modifier,
    isEnabled: r.isEnabled,
    modTime: r.modTime,
    domainCode: r.domainCode,
  };
  return dto;
}

// Documented NCP endpoints the emulator does not implement: answered 501 rather than a misleading 404/405.
const NOT_IMPLEMENTED: { method: string; pattern: RegExp }[] = [
  { method: 'POST', pattern: /^\/api-keys\/search$/ },
  { method: '*', pattern: /^\/dashboards(\/|$)/ },
];
// Families the emulator implements in part: a path in them that no route matches is answered 501 as well.
const PARTIAL_FAMILIES = /^\/(products|published-products|usage-plans)(\/|$)/;

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // A malformed escape cannot name any key; keep it raw so the lookup answers 404.
    return segment;
  }
}

export function createRouter(store: Store, behaviour: RouteBehaviour, usage: UsageCounters, now: () => number) {
  async function readJson(request: Request): Promise<Record<string, unknown>> {
    const type = request.headers.get('content-type');
    const text = await request.text();
    if (new TextEncoder().encode(text).length > behaviour.maxBodyBytes) {
      throw new HttpError(ERRORS.tooLarge, `request body exceeds ${behaviour.maxBodyBytes} bytes`);
    }
    if (text.trim() === '') throw new HttpError(ERRORS.badJson, 'a JSON request body is required');
    if (behaviour.requireJsonContentType && !(type ?? '').toLowerCase().startsWith('application/json')) {
      throw new HttpError(ERRORS.contentType, 'Content-Type must be application/json');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new HttpError(ERRORS.badJson, 'request body is not valid JSON');
    }
    return requireObject(parsed);
  }

  /** For bodies NCP documents as all-optional: no body reads as `{}`. */
  async function readOptionalJson(request: Request): Promise<Record<string, unknown>> {
    if (request.body === null) return {};
    const clone = request.clone();
    if ((await clone.text()).trim() === '') return {};
    return readJson(request);
  }

  const paging = (query: URLSearchParams) => checkPaging(query, behaviour.defaultLimit);
  function slicePage<T>(items: readonly T[], p: { limit: number; offset: number }): { slice: T[]; total: number } {
    return { slice: items.slice(p.offset, p.offset + p.limit), total: items.length };
  }
  const page = <T>(items: readonly T[], query: URLSearchParams) => slicePage(items, paging(query));

  const routes: Route[] = [
    {
      pattern: /^\/api-keys$/,
      methods: {
        GET: async ({ query }) => {
          const nameFilter = checkNameFilter(query);
          const { slice, total } = page(store.list(nameFilter), query);
          return jsonResponse(200, {
            apiKeys: slice.map((k) => toDto(k, behaviour.includeKeysInList)),
            total,
            initialCount: behaviour.initialCount,
          });
        },
        POST: async ({ request, modifier }) => {
          const body = await readJson(request);
          const apiKeyName = checkName(body, behaviour.allowEmptyName);
          const apiKeyDescription = checkDescription(body);
          const record = store.create({ apiKeyName, apiKeyDescription, modifier });
          return jsonResponse(201, { apiKey: toDto(record) });
        },
      },
    },
    {
      pattern: /^\/api-keys\/([^/]+)$/,
      methods: {
        GET: async (_input, id) => jsonResponse(200, toDto(store.get(id))),
        PUT: async ({ request, modifier }, id) => {
          store.get(id);
          const body = await readJson(request);
          const apiKeyName = checkName(body, behaviour.allowEmptyName);
          const apiKeyDescription = checkDescription(body);
          const isEnabled = checkIsEnabled(body);
          return jsonResponse(200, { apiKey: toDto(store.update(id, { apiKeyName, apiKeyDescription, isEnabled, modifier })) });
        },
        PATCH: async ({ request, modifier }, id) => {
          store.get(id);
          const keyType = checkKeyType(await readJson(request));
          return jsonResponse(200, { apiKey: toDto(store.regenerate(id, keyType, modifier)) });
        },
        DELETE: async (_input, id) => {
          store.delete(id);
          return emptyResponse(204);
        },
      },
    },
    {
      pattern: /^\/api-keys\/([^/]+)\/products$/,
      methods: {
        GET: async ({ query }, id) => {
          const linked = store.linkedProducts(id);
          const { slice, total } = page(linked, query);
          return jsonResponse(200, {
            apiKeyRelateProductDtos: slice.map(({ product, subscription }) => ({
              productId: product.productId,
              productName: product.productName,
              productDescription: product.productDescription,
              publisherId: product.publisherId,
              isSelfProduct: product.isSelfProduct,
              status: subscription.status,
              regTime: subscription.regTime,
              modTime: subscription.modTime,
            })),
            total,
          });
        },
      },
    },
    {
      pattern: /^\/api-keys\/([^/]+)\/subscribe$/,
      methods: {
        POST: async ({ request }, id) => {
          store.get(id);
          store.subscribe(id, checkProductId(await readJson(request)));
          return emptyResponse(200);
        },
      },
    },
    {
      pattern: /^\/api-keys\/([^/]+)\/unsubscribe$/,
      methods: {
        POST: async ({ request }, id) => {
          store.get(id);
          store.unsubscribe(id, checkProductId(await readJson(request)));
          return emptyResponse(200);
        },
      },
    },
    ...createProductRoutes({
      store,
      usage,
      now,
      domainCode: behaviour.domainCode,
      initialCount: behaviour.initialCount,
      defaultLimit: behaviour.defaultLimit,
      readJson,
      readOptionalJson,
      page: slicePage,
      paging,
    }),
  ];

  return async function route(input: RouteInput): Promise<Response> {
    for (const ni of NOT_IMPLEMENTED) {
      if ((ni.method === '*' || ni.method === input.method) && ni.pattern.test(input.path)) {
        throw new HttpError(ERRORS.notImplemented, `${input.method} ${API_PREFIX}${input.path} is an NCP endpoint the emulator does not implement`);
      }
    }
    for (const r of routes) {
      const m = r.pattern.exec(input.path);
      if (m === null) continue;
      const handler = r.methods[input.method];
      if (handler === undefined) {
        const allow = Object.keys(r.methods).join(', ');
        throw new HttpError(ERRORS.methodNotAllowed, `${input.method} is not supported here; allowed: ${allow}`, { allow });
      }
      return handler(input, decodeSegment(m[1] ?? ''), decodeSegment(m[2] ?? ''), decodeSegment(m[3] ?? ''));
    }
    if (PARTIAL_FAMILIES.test(input.path)) {
      throw new HttpError(ERRORS.notImplemented, `${input.method} ${API_PREFIX}${input.path} is an NCP endpoint the emulator does not implement`);
    }
    throw new HttpError(ERRORS.routeNotFound, `no route for ${input.method} ${API_PREFIX}${input.path}`);
  };
}
