// Product, catalogue, API/stage, usage-plan and subscription endpoints under /api/v1, with NCP's wrappers kept as
// NCP documents them: `{product}`, `productPage.content`, `{apis,total}`, `{host,stages}`, `apiKeyPage.content`,
// `apiKeyRelations.content`, and 204 empty bodies for the owner's PATCH/PUT.

import { emptyResponse, ERRORS, HttpError, jsonResponse } from './responses.ts';
import type { Store } from './store.ts';
import type { Api, Product, Stage, SubscriptionStatus, UsagePlan } from './types.ts';
import type { UsageCounters } from './usage.ts';
import { countCodePoints } from './validate.ts';

export type Handler = (input: { method: string; path: string; query: URLSearchParams; request: Request; modifier: string }, id: string, id2: string, id3: string) => Promise<Response>;
export type Route = { pattern: RegExp; methods: Record<string, Handler> };

type Deps = {
  store: Store;
  usage: UsageCounters;
  now: () => number;
  domainCode: string;
  initialCount: number;
  defaultLimit: number;
  readJson(request: Request): Promise<Record<string, unknown>>;
  readOptionalJson(request: Request): Promise<Record<string, unknown>>;
  page<T>(items: readonly T[], paging: { limit: number; offset: number }): { slice: T[]; total: number };
  paging(query: URLSearchParams): { limit: number; offset: number };
};

/** Path prefix of the data plane; a stage's `host` is `<origin>/gateway/<productId>` (emulator-defined). */
export const GATEWAY_PREFIX = '/gateway';

export function gatewayHost(request: Request, productId: string): string {
  return `${new URL(request.url).origin}${GATEWAY_PREFIX}/${productId}`;
}

const query400 = (message: string): HttpError => new HttpError(ERRORS.invalidQuery, message);
const field400 = (message: string): HttpError => new HttpError(ERRORS.invalidField, message);

function boolParam(q: URLSearchParams, name: string): boolean | undefined {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  if (raw !== 'true' && raw !== 'false') throw query400(`${name} must be true or false, got ${JSON.stringify(raw)}`);
  return raw === 'true';
}

function textParam(q: URLSearchParams, name: string, max: number): string | undefined {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  if (countCodePoints(raw) > max) throw query400(`${name} must be 0–${max} characters`);
  return raw;
}

function textField(body: Record<string, unknown>, name: string, max: number): string | undefined {
  const v = body[name];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string' || countCodePoints(v) > max) throw field400(`${name} must be a string of 0–${max} characters`);
  return v;
}

function intField(body: Record<string, unknown>, name: string, min: number): number | undefined {
  const v = body[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) throw field400(`${name} must be an integer ≥ ${min}`);
  return v;
}

const STATUSES: readonly SubscriptionStatus[] = ['REQUEST', 'DENY', 'ACCEPTED', 'REJECTED', 'BLOCKED_REQUEST'];

export function createProductRoutes(d: Deps): Route[] {
  const { store } = d;
  const cat = store.catalogue;

  const productDto = (p: Product) => ({
    productId: p.productId,
    invokeId: p.productId,
    productName: p.productName,
    productDescription: p.productDescription,
    subscriptionCode: p.subscriptionCode,
    isPublished: p.isPublished,
    tenantId: p.publisherId,
    modTime: p.modTime,
    domainCode: d.domainCode,
    isDeleted: false,
    disabled: false,
  });
  const hasStage = (p: Product): boolean => cat.apisOf(p.productId).some((a) => a.stages.length > 0);
  const stageRef = (s: Stage) => ({ stageId: s.stageId, stageName: s.stageName, apiId: s.apiId, isPublished: true });
  const apiDto = (a: Api, p: Product, withStage: boolean) => ({
    apiId: a.apiId,
    apiName: a.apiName,
    apiDescription: a.apiDescription,
    productId: a.productId,
    tenantId: p.publisherId,
    modTime: p.modTime,
    domainCode: d.domainCode,
    isDeleted: false,
    disabled: false,
    ...(withStage ? { stages: a.stages.map(stageRef) } : {}),
  });
  const planDto = (u: UsagePlan) => ({
    usagePlanId: u.usagePlanId,
    usagePlanName: u.usagePlanName,
    usagePlanDescription: u.usagePlanDescription,
    ...(u.rateRps !== undefined ? { rateRps: u.rateRps } : {}),
    ...(u.dayQuotaRequest !== undefined ? { dayQuotaRequest: u.dayQuotaRequest } : {}),
    ...(u.monthQuotaRequest !== undefined ? { monthQuotaRequest: u.monthQuotaRequest } : {}),
    associatedStagesCount: cat.associatedStagesCount(u.usagePlanId),
    tenantId: u.tenantId,
    domainCode: d.domainCode,
    disabled: false,
  });
  const productPage = <T>(items: readonly T[], paging: { limit: number; offset: number }) => {
    const { slice, total } = d.page(items, paging);
    return { initialCount: d.initialCount, productPage: { total, content: slice } };
  };

  return [
    {
      pattern: /^\/products$/,
      methods: {
        GET: async ({ query }) => {
          const name = textParam(query, 'productName', 100);
          const isPublished = boolParam(query, 'isPublished');
          const deployed = boolParam(query, 'hasDeployedStage');
          const code = query.get('subscriptionCode');
          if (code !== null && code !== '' && code !== 'PUBLIC' && code !== 'PROTECTED') throw query400('subscriptionCode must be PUBLIC or PROTECTED');
          const notWithPlan = textParam(query, 'hasStageNotAssociatedWithUsagePlanId', 10);
          const items = cat.products().filter((p) =>
            cat.isOwn(p) &&
            (name === undefined || p.productName.includes(name)) &&
            (isPublished === undefined || p.isPublished === isPublished) &&
            (code === null || code === '' || p.subscriptionCode === code) &&
            (deployed === undefined || hasStage(p) === deployed) &&
            (notWithPlan === undefined || cat.apisOf(p.productId).some((a) => a.stages.some((s) => !s.usagePlanIds.includes(notWithPlan)))));
          return jsonResponse(200, productPage(items.map((p) => ({ ...productDto(p), hasDeployedStage: hasStage(p) })), d.paging(query)));
        },
      },
    },
    {
      pattern: /^\/products\/([^/]+)$/,
      methods: { GET: async (_i, pid) => jsonResponse(200, { product: productDto(cat.ownProduct(pid)) }) },
    },
    {
      pattern: /^\/published-products\/search$/,
      methods: {
        POST: async ({ request }) => {
          const body = await d.readJson(request);
          const types = body.productType;
          if (types !== undefined && types !== null && (!Array.isArray(types) || types.some((t) => t !== 'MY' && t !== 'NCP' && t !== 'OTHERS'))) {
            throw field400('productType must be an array of MY, NCP, OTHERS');
          }
          const subscribed = body.subscribed;
          if (subscribed !== undefined && subscribed !== null && typeof subscribed !== 'boolean') throw field400('subscribed must be a boolean');
          // Spec says 0–10 characters, yet tenant ids are 32 hex: accept a whole tenant id.
          const publisherId = textField(body, 'publisherId', 32);
          const name = textField(body, 'productName', 100);
          const limit = intField(body, 'limit', 1) ?? d.defaultLimit;
          const offset = intField(body, 'offset', 0) ?? 0;
          // The emulator has no NAVER Cloud-operated products: NCP alone matches nothing.
          const typeOf = (p: Product): string => (cat.isOwn(p) ? 'MY' : 'OTHERS');
          const isSubscribed = (p: Product): boolean => store.subscriptions().some((s) => s.productId === p.productId);
          const items = cat.products().filter((p) =>
            p.isPublished &&
            (!Array.isArray(types) || types.length === 0 || types.includes(typeOf(p))) &&
            (typeof subscribed !== 'boolean' || isSubscribed(p) === subscribed) &&
            (publisherId === undefined || p.publisherId === publisherId) &&
            (name === undefined || p.productName.includes(name)));
          const content = items.map((p) => ({
            productId: p.productId,
            productName: p.productName,
            productDescription: p.productDescription,
            subscriptionCode: p.subscriptionCode,
            subscribed: isSubscribed(p),
            tenantId: p.publisherId,
            domainCode: d.domainCode,
          }));
          return jsonResponse(200, productPage(content, { limit, offset }));
        },
      },
    },
    {
      pattern: /^\/published-products\/([^/]+)$/,
      methods: { GET: async (_i, pid) => jsonResponse(200, { product: productDto(cat.visibleProduct(pid)) }) },
    },
    {
      pattern: /^\/products\/([^/]+)\/apis$/,
      methods: {
        GET: async ({ query }, pid) => {
          const p = cat.ownProduct(pid);
          const apiName = textParam(query, 'apiName', 20);
          const withStage = boolParam(query, 'withStage') ?? true;
          const stageFilter = boolParam(query, 'hasStage');
          const apis = cat.apisOf(pid).filter((a) =>
            (apiName === undefined || a.apiName.includes(apiName)) && (stageFilter === undefined || a.stages.length > 0 === stageFilter));
          const { slice, total } = d.page(apis, d.paging(query));
          return jsonResponse(200, { apis: slice.map((a) => apiDto(a, p, withStage)), total });
        },
      },
    },
    {
      pattern: /^\/products\/([^/]+)\/apis\/([^/]+)\/stages$/,
      methods: {
        GET: async ({ request }, pid, aid) => {
          cat.ownProduct(pid);
          const api = cat.api(pid, aid);
          return jsonResponse(200, {
            host: gatewayHost(request, pid),
            stages: api.stages.map((s) => ({ stageId: s.stageId, stageName: s.stageName, isCanary: false, defaultDeploymentNo: 1, resourceDtos: [] })),
          });
        },
      },
    },
    {
      pattern: /^\/usage-plans$/,
      methods: {
        GET: async ({ query }) => {
          const stageId = query.get('stageId');
          if (stageId === null || stageId === '') throw query400('stageId is required');
          const associated = boolParam(query, 'associated') ?? true;
          const stage = cat.stage(stageId);
          if (!cat.isOwn(cat.productOfStage(stage))) throw new HttpError(ERRORS.stageNotFound, `stage ${JSON.stringify(stageId)} not found in this account`);
          const plans = cat.plansOf(store.tenantId).filter((u) => stage.usagePlanIds.includes(u.usagePlanId) === associated);
          return jsonResponse(200, {
            total: plans.length,
            usagePlans: plans.map((u) => ({ usagePlanId: u.usagePlanId, usagePlanName: u.usagePlanName, associatedStagesCount: cat.associatedStagesCount(u.usagePlanId), disabled: false, domainCode: d.domainCode })),
          });
        },
      },
    },
    {
      pattern: /^\/usage-plans\/search$/,
      methods: {
        POST: async ({ request }) => {
          const body = await d.readOptionalJson(request);
          const name = textField(body, 'usagePlanName', 45);
          const limit = intField(body, 'limit', 1) ?? d.defaultLimit;
          const offset = intField(body, 'offset', 0) ?? 0;
          const plans = cat.plansOf(store.tenantId).filter((u) => name === undefined || u.usagePlanName.includes(name));
          const { slice, total } = d.page(plans, { limit, offset });
          return jsonResponse(200, { initialCount: d.initialCount, total, usagePlans: slice.map(planDto) });
        },
      },
    },
    {
      pattern: /^\/api-keys\/([^/]+)\/subscription-detail$/,
      methods: {
        GET: async ({ query }, kid) => {
          const key = store.get(kid);
          const pid = query.get('productId');
          if (pid === null || pid === '') throw query400('productId is required');
          const p = cat.visibleProduct(pid);
          const apiId = query.get('apiId');
          const stageId = query.get('stageId');
          const sub = store.subscription(kid, pid);
          const rows = sub === undefined ? [] : cat.apisOf(p.productId).flatMap((a) => a.stages.map((s) => ({ a, s })))
            .filter(({ a, s }) => (apiId === null || apiId === '' || a.apiId === apiId) && (stageId === null || stageId === '' || s.stageId === stageId))
            .map(({ a, s }) => {
              const planId = sub.stagePlans[s.stageId] ?? s.usagePlanIds[0];
              const plan = planId === undefined ? undefined : cat.plan(planId);
              const w = d.usage.current(kid, s.stageId, d.now());
              return {
                apiId: a.apiId,
                apiName: a.apiName,
                apiKeyId: kid,
                apiKeyName: key.apiKeyName,
                stageId: s.stageId,
                stageName: s.stageName,
                ...(plan !== undefined ? { usagePlanId: plan.usagePlanId, usagePlanName: plan.usagePlanName } : {}),
                dayCallCount: w.dayCount,
                monthCallCount: w.monthCount,
                domainCode: d.domainCode,
                regTime: sub.regTime,
                modTime: sub.modTime,
              };
            });
          const { slice, total } = d.page(rows, d.paging(query));
          return jsonResponse(200, { apiKeyRelations: { content: slice, total } });
        },
      },
    },
    {
      pattern: /^\/products\/([^/]+)\/api-keys\/search$/,
      methods: {
        POST: async ({ request }, pid) => {
          cat.ownProduct(pid);
          const body = await d.readOptionalJson(request);
          const keyValue = textField(body, 'apiKeyValue', 100);
          const keyId = textField(body, 'apiKeyId', 10);
          const set = body.statusSet;
          if (set !== undefined && set !== null && (!Array.isArray(set) || set.some((x) => !STATUSES.includes(x as SubscriptionStatus)))) {
            throw field400(`statusSet must be an array of ${STATUSES.join(', ')}`);
          }
          const limit = intField(body, 'limit', 1) ?? d.defaultLimit;
          const offset = intField(body, 'offset', 0) ?? 0;
          const rows = store.subscribersOf(pid).filter(({ key, subscription }) =>
            (keyValue === undefined || key.primaryKey === keyValue || key.secondaryKey === keyValue) &&
            (keyId === undefined || key.apiKeyId === keyId) &&
            (!Array.isArray(set) || set.length === 0 || set.includes(subscription.status)));
          const { slice, total } = d.page(rows, { limit, offset });
          return jsonResponse(200, {
            apiKeyPage: {
              content: slice.map(({ key, subscription }) => ({
                apiKeyId: key.apiKeyId,
                apiKeyName: key.apiKeyName,
                primaryKey: key.primaryKey,
                secondaryKey: key.secondaryKey,
                status: subscription.status,
                domainCode: d.domainCode,
                regTime: subscription.regTime,
                modTime: subscription.modTime,
              })),
              total,
            },
          });
        },
      },
    },
    {
      pattern: /^\/products\/([^/]+)\/api-keys\/([^/]+)$/,
      methods: {
        PATCH: async ({ request }, pid, kid) => {
          cat.ownProduct(pid);
          store.get(kid);
          const body = await d.readJson(request);
          if (body.status !== 'ACCEPTED' && body.status !== 'REJECTED') throw field400('status must be ACCEPTED or REJECTED');
          store.setStatus(kid, pid, body.status);
          return emptyResponse(204);
        },
      },
    },
    {
      pattern: /^\/products\/([^/]+)\/api-keys\/([^/]+)\/stages\/([^/]+)$/,
      methods: {
        PUT: async ({ request }, pid, kid, sid) => {
          cat.ownProduct(pid);
          store.get(kid);
          const stage = cat.stage(sid);
          if (cat.productOfStage(stage).productId !== pid) throw new HttpError(ERRORS.stageNotFound, `stage ${JSON.stringify(sid)} is not in product ${JSON.stringify(pid)}`);
          const body = await d.readJson(request);
          const planId = textField(body, 'usagePlanId', 10);
          if (planId === undefined) throw field400('usagePlanId is required');
          if (!stage.usagePlanIds.includes(planId)) throw new HttpError(ERRORS.planNotAssociated, `usage plan ${JSON.stringify(planId)} is not associated with stage ${JSON.stringify(sid)}`);
          const sub = store.subscription(kid, pid);
          if (sub === undefined) throw new HttpError(ERRORS.subscriptionNotFound, `API key ${JSON.stringify(kid)} has no subscription to product ${JSON.stringify(pid)}`);
          sub.stagePlans[sid] = planId;
          return emptyResponse(204);
        },
      },
    },
  ];
}
