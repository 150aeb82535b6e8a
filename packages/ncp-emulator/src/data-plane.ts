// The emulator's gateway (data plane): answers calls to a product's stage the way a key-required NCP method would,
// so a test can prove a delivered key works. URL scheme (emulator-defined; real NCP uses a per-product host):
//   <origin>/gateway/<productId>/<apiName>/<stageName>[/<any path>]   with header  x-ncp-apigw-api-key: <key value>
// Order of checks: route → key header present → key known and enabled → subscription ACCEPTED → usage plan limits.

import { AUTH_DETAILS } from './auth.ts';
import { GATEWAY_PREFIX } from './product-routes.ts';
import { ERRORS, HttpError, jsonResponse } from './responses.ts';
import type { Store } from './store.ts';
import type { UsageCounters } from './usage.ts';

export const API_KEY_HEADER = 'x-ncp-apigw-api-key';

export function isGatewayPath(pathname: string): boolean {
  return pathname.startsWith(`${GATEWAY_PREFIX}/`);
}

function segment(s: string | undefined): string {
  try {
    return decodeURIComponent(s ?? '');
  } catch {
    return s ?? '';
  }
}

export function createDataPlane(store: Store, usage: UsageCounters, now: () => number) {
  const cat = store.catalogue;
  const notFound = (what: string): HttpError => new HttpError(ERRORS.routeNotFound, `(emulator gateway: ${what})`);

  return function callStage(req: Request, url: URL): Response {
    const [productId, apiName, stageName, ...rest] = url.pathname.slice(GATEWAY_PREFIX.length + 1).split('/');
    const product = cat.products().find((p) => p.productId === segment(productId));
    if (product === undefined) throw notFound('no such product');
    const api = cat.apisOf(product.productId).find((a) => a.apiName === segment(apiName));
    const stage = api?.stages.find((s) => s.stageName === segment(stageName));
    if (api === undefined || stage === undefined) throw notFound('no such API or stage in this product');

    const value = req.headers.get(API_KEY_HEADER);
    if (value === null || value === '') throw new HttpError(ERRORS.auth, `${AUTH_DETAILS.missing} (emulator: no ${API_KEY_HEADER} header)`);
    const key = store.byKeyValue(value);
    if (key === undefined) throw new HttpError(ERRORS.auth, `${AUTH_DETAILS.invalid} (emulator: unknown API key value)`);
    if (!key.isEnabled) throw new HttpError(ERRORS.auth, `${AUTH_DETAILS.invalid} (emulator: the API key is disabled)`);
    const sub = store.subscription(key.apiKeyId, product.productId);
    if (sub === undefined || sub.status !== 'ACCEPTED') throw new HttpError(ERRORS.permissionDenied, 'A subscription to the API is required.');

    const planId = sub.stagePlans[stage.stageId] ?? stage.usagePlanIds[0];
    const plan = planId === undefined ? undefined : cat.plan(planId);
    const w = usage.current(key.apiKeyId, stage.stageId, now());
    if (plan?.rateRps !== undefined && w.secondCount >= plan.rateRps) {
      throw new HttpError(ERRORS.rateLimited, `(emulator gateway: over ${plan.rateRps} requests per second of usage plan ${plan.usagePlanId})`, { 'retry-after': '1' });
    }
    if (plan?.dayQuotaRequest !== undefined && w.dayCount >= plan.dayQuotaRequest) {
      throw new HttpError(ERRORS.quotaExceeded, `(emulator gateway: daily quota ${plan.dayQuotaRequest} of usage plan ${plan.usagePlanId} used up)`);
    }
    if (plan?.monthQuotaRequest !== undefined && w.monthCount >= plan.monthQuotaRequest) {
      throw new HttpError(ERRORS.quotaExceeded, `(emulator gateway: monthly quota ${plan.monthQuotaRequest} of usage plan ${plan.usagePlanId} used up)`);
    }
    usage.count(w);
    return jsonResponse(200, {
      gateway: 'ncp-emulator',
      productId: product.productId,
      apiId: api.apiId,
      apiName: api.apiName,
      stageId: stage.stageId,
      stageName: stage.stageName,
      apiKeyId: key.apiKeyId,
      method: req.method,
      path: `/${rest.join('/')}`,
    });
  };
}
