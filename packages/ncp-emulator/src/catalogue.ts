// The product side of one emulated NCP region: products (own and other accounts'), their APIs and stages, and
// account-level usage plans associated with stages. Keys and subscriptions live in store.ts.

import { apiKeyId as newId, type Random } from './prng.ts';
import { ERRORS, HttpError } from './responses.ts';
import type { Api, ApiInput, Product, ProductInput, Stage, UsagePlan, UsagePlanInput } from './types.ts';

const ID_RE = /^[a-z0-9]{1,10}$/;
// Stage names follow NCP's create rule (0–20 of [a-zA-Z0-9_-]); API names are kept URL-path friendly the same way,
// because the data plane addresses them as path segments.
const NAME_RE = /^[A-Za-z0-9_-]{1,20}$/;

export type Catalogue = ReturnType<typeof createCatalogue>;

export function createCatalogue(opts: { random: Random; now: () => string; tenantId: string }) {
  const products = new Map<string, Product>();
  const apis = new Map<string, Api>();
  const stages = new Map<string, Stage>();
  const plans = new Map<string, UsagePlan>();
  const taken = new Set<string>();

  function claim(id: string | undefined, what: string): string {
    if (id !== undefined) {
      if (!ID_RE.test(id)) throw new TypeError(`${what} id must be 1–10 lowercase letters or digits, like NCP ids`);
      if (taken.has(id)) throw new Error(`${what} ${id} already exists`);
      taken.add(id);
      return id;
    }
    for (;;) {
      const fresh = newId(opts.random);
      if (!taken.has(fresh)) {
        taken.add(fresh);
        return fresh;
      }
    }
  }

  function checkLimit(what: string, v: number | undefined): number | undefined {
    if (v === undefined) return undefined;
    if (!Number.isSafeInteger(v) || v < 1) throw new TypeError(`${what} must be a positive integer`);
    return v;
  }

  function addPlan(input: UsagePlanInput, tenantId: string): UsagePlan {
    if (typeof input.usagePlanName !== 'string' || input.usagePlanName === '') throw new TypeError('a usage plan needs a usagePlanName');
    const plan: UsagePlan = {
      usagePlanId: claim(input.usagePlanId, 'usage plan'),
      usagePlanName: input.usagePlanName,
      usagePlanDescription: input.usagePlanDescription ?? '',
      rateRps: checkLimit('rateRps', input.rateRps),
      dayQuotaRequest: checkLimit('dayQuotaRequest', input.dayQuotaRequest),
      monthQuotaRequest: checkLimit('monthQuotaRequest', input.monthQuotaRequest),
      tenantId,
    };
    plans.set(plan.usagePlanId, plan);
    return plan;
  }

  function addApi(input: ApiInput, product: Product): Api {
    if (!NAME_RE.test(input.apiName ?? '')) throw new TypeError('apiName must be 1–20 of [A-Za-z0-9_-]');
    const api: Api = { apiId: claim(input.apiId, 'API'), apiName: input.apiName, apiDescription: input.apiDescription ?? '', productId: product.productId, stages: [] };
    for (const s of input.stages ?? []) {
      if (!NAME_RE.test(s.stageName ?? '')) throw new TypeError('stageName must be 1–20 of [A-Za-z0-9_-]');
      if (api.stages.some((x) => x.stageName === s.stageName)) throw new Error(`stage ${s.stageName} appears twice in API ${api.apiName}`);
      const stage: Stage = { stageId: claim(s.stageId, 'stage'), stageName: s.stageName, apiId: api.apiId, usagePlanIds: [] };
      for (const p of s.usagePlans ?? []) stage.usagePlanIds.push(addPlan(p, product.publisherId).usagePlanId);
      stages.set(stage.stageId, stage);
      api.stages.push(stage);
    }
    apis.set(api.apiId, api);
    return api;
  }

  function product(productId: string): Product {
    const p = products.get(productId);
    if (p === undefined) throw new HttpError(ERRORS.productNotFound, `product ${JSON.stringify(productId)} not found`);
    return p;
  }

  const isOwn = (p: Product): boolean => p.publisherId === opts.tenantId;

  return {
    addProduct(input: ProductInput): Product {
      if (typeof input.productName !== 'string' || input.productName === '') throw new TypeError('addProduct needs a non-empty productName');
      if (input.productId !== undefined && products.has(input.productId)) throw new Error(`product ${input.productId} already exists`);
      const t = opts.now();
      const publisherId = input.publisherId ?? opts.tenantId;
      const p: Product = {
        productId: claim(input.productId, 'product'),
        productName: input.productName,
        productDescription: input.productDescription ?? '',
        publisherId,
        isSelfProduct: input.isSelfProduct ?? publisherId === opts.tenantId,
        subscriptionCode: input.subscriptionCode ?? 'PUBLIC',
        isPublished: input.isPublished ?? true,
        regTime: t,
        modTime: t,
      };
      products.set(p.productId, p);
      for (const a of input.apis ?? []) addApi(a, p);
      return p;
    },
    product,
    /** A product of the caller's own account; another account's product is "not found" on owner endpoints. */
    ownProduct(productId: string): Product {
      const p = product(productId);
      if (!isOwn(p)) throw new HttpError(ERRORS.productNotFound, `product ${JSON.stringify(productId)} not found in this account`);
      return p;
    },
    /** What a consumer may subscribe to or look up in the catalogue: published products and the caller's own. */
    visibleProduct(productId: string): Product {
      const p = product(productId);
      if (!p.isPublished && !isOwn(p)) throw new HttpError(ERRORS.productNotFound, `product ${JSON.stringify(productId)} not found`);
      return p;
    },
    isOwn,
    products: (): Product[] => [...products.values()],
    apisOf: (productId: string): Api[] => [...apis.values()].filter((a) => a.productId === productId),
    api(productId: string, apiId: string): Api {
      const a = apis.get(apiId);
      if (a === undefined || a.productId !== productId) throw new HttpError(ERRORS.apiNotFound, `API ${JSON.stringify(apiId)} not found in product ${JSON.stringify(productId)}`);
      return a;
    },
    stage(stageId: string): Stage {
      const s = stages.get(stageId);
      if (s === undefined) throw new HttpError(ERRORS.stageNotFound, `stage ${JSON.stringify(stageId)} not found`);
      return s;
    },
    productOfStage(stage: Stage): Product {
      return product(apis.get(stage.apiId)?.productId ?? '');
    },
    plan: (usagePlanId: string): UsagePlan | undefined => plans.get(usagePlanId),
    plansOf: (tenantId: string): UsagePlan[] => [...plans.values()].filter((p) => p.tenantId === tenantId),
    associatedStagesCount: (usagePlanId: string): number => [...stages.values()].filter((s) => s.usagePlanIds.includes(usagePlanId)).length,
    allStages: (): Stage[] => [...stages.values()],
  };
}
