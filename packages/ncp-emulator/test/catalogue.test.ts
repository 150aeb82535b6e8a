// Products, catalogue, APIs/stages, usage plans, subscription detail, the owner's decisions and the data plane,
// against the seeded sandbox catalogue, checking NCP's documented wrappers and status codes.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { OTHER_TENANT_ID, sandboxCatalogue } from '../src/index.ts';
import { call, createKey, harness, json, type Harness } from './helpers.ts';

const V1 = '/api/v1';
const seeded = (): Harness => harness({ products: sandboxCatalogue() });

async function errorOf(res: Response): Promise<[number, string]> {
  return [res.status, (await json(res)).error.errorCode];
}

function gateway(h: Harness, path: string, key?: string): Promise<Response> {
  return h.emulator.handler(new Request(`http://emulator.test/gateway/${path}`, { headers: key === undefined ? {} : { 'x-ncp-apigw-api-key': key } }));
}

async function subscribe(h: Harness, apiKeyId: string, productId: string): Promise<Response> {
  return call(h, 'POST', `${V1}/api-keys/${apiKeyId}/subscribe`, { body: { productId } });
}

describe('own products', () => {
  test('GET /products lists only the caller\'s products in {initialCount, productPage:{total, content}} with productId = invokeId', async () => {
    const h = seeded();
    const res = await call(h, 'GET', `${V1}/products`);
    assert.equal(res.status, 200);
    const body = await json(res);
    assert.equal(body.initialCount, 0);
    assert.equal(body.productPage.total, 3);
    assert.deepEqual(body.productPage.content.map((p: any) => p.productId), ['weatherpub', 'paymentprt', 'draftinner']);
    const weather = body.productPage.content[0];
    assert.equal(weather.invokeId, 'weatherpub');
    assert.equal(weather.subscriptionCode, 'PUBLIC');
    assert.equal(weather.isPublished, true);
    assert.equal(weather.hasDeployedStage, true);
    assert.equal(weather.tenantId, h.emulator.tenantId);
  });

  test('GET /products honours productName, subscriptionCode, isPublished, hasDeployedStage and paging; bad values are 400', async () => {
    const h = seeded();
    const ids = async (q: string) => (await json(await call(h, 'GET', `${V1}/products?${q}`))).productPage.content.map((p: any) => p.productId);
    assert.deepEqual(await ids('subscriptionCode=PROTECTED'), ['paymentprt', 'draftinner']);
    assert.deepEqual(await ids('isPublished=false'), ['draftinner']);
    assert.deepEqual(await ids('hasDeployedStage=false'), ['draftinner']);
    assert.deepEqual(await ids('productName=pay'), ['paymentprt']);
    assert.deepEqual(await ids('limit=1&offset=1'), ['paymentprt']);
    assert.equal((await json(await call(h, 'GET', `${V1}/products?limit=1`))).productPage.total, 3);
    assert.deepEqual(await errorOf(await call(h, 'GET', `${V1}/products?isPublished=yes`)), [400, 'EMU-INVALID-QUERY']);
    assert.deepEqual(await errorOf(await call(h, 'GET', `${V1}/products?subscriptionCode=OPEN`)), [400, 'EMU-INVALID-QUERY']);
  });

  test('GET /products/{id} wraps the product as {product}; another account\'s or an unknown product is 404', async () => {
    const h = seeded();
    const body = await json(await call(h, 'GET', `${V1}/products/paymentprt`));
    assert.equal(body.product.productName, 'payments');
    assert.equal(body.product.subscriptionCode, 'PROTECTED');
    assert.equal('hasDeployedStage' in body.product, false);
    assert.deepEqual(await errorOf(await call(h, 'GET', `${V1}/products/mapsothers`)), [404, 'EMU-PRODUCT-NOT-FOUND']);
    assert.deepEqual(await errorOf(await call(h, 'GET', `${V1}/products/nosuchprod`)), [404, 'EMU-PRODUCT-NOT-FOUND']);
  });
});

describe('catalogue', () => {
  test('POST /published-products/search needs a body and lists published products of every account', async () => {
    const h = seeded();
    assert.deepEqual(await errorOf(await call(h, 'POST', `${V1}/published-products/search`)), [400, 'EMU-BAD-JSON']);
    const body = await json(await call(h, 'POST', `${V1}/published-products/search`, { body: {} }));
    assert.deepEqual(body.productPage.content.map((p: any) => p.productId), ['weatherpub', 'paymentprt', 'mapsothers']);
    const maps = body.productPage.content[2];
    assert.deepEqual(Object.keys(maps).sort(), ['domainCode', 'productDescription', 'productId', 'productName', 'subscribed', 'subscriptionCode', 'tenantId']);
    assert.equal(maps.tenantId, OTHER_TENANT_ID);
    assert.equal(maps.subscribed, false);
  });

  test('productType, publisherId, productName and subscribed filter the catalogue', async () => {
    const h = seeded();
    const ids = async (b: unknown) => (await json(await call(h, 'POST', `${V1}/published-products/search`, { body: b }))).productPage.content.map((p: any) => p.productId);
    assert.deepEqual(await ids({ productType: ['OTHERS'] }), ['mapsothers']);
    assert.deepEqual(await ids({ productType: ['MY'] }), ['weatherpub', 'paymentprt']);
    assert.deepEqual(await ids({ productType: ['NCP'] }), []);
    assert.deepEqual(await ids({ publisherId: OTHER_TENANT_ID }), ['mapsothers']);
    assert.deepEqual(await ids({ productName: 'we' }), ['weatherpub']);
    assert.deepEqual(await ids({ subscribed: true }), []);
    const key = await createKey(h, 'consumer');
    await subscribe(h, key.apiKeyId, 'mapsothers');
    assert.deepEqual(await ids({ subscribed: true }), ['mapsothers']);
    assert.deepEqual(await errorOf(await call(h, 'POST', `${V1}/published-products/search`, { body: { productType: 'MY' } })), [400, 'EMU-INVALID-FIELD']);
  });

  test('GET /published-products/{id} wraps a published product; an unpublished one of another account is 404', async () => {
    const h = seeded();
    h.emulator.addProduct({ productId: 'hiddenothr', productName: 'hidden', publisherId: OTHER_TENANT_ID, isPublished: false });
    assert.equal((await json(await call(h, 'GET', `${V1}/published-products/mapsothers`))).product.productName, 'maps');
    assert.deepEqual(await errorOf(await call(h, 'GET', `${V1}/published-products/hiddenothr`)), [404, 'EMU-PRODUCT-NOT-FOUND']);
    const key = await createKey(h, 'consumer');
    assert.deepEqual(await errorOf(await subscribe(h, key.apiKeyId, 'hiddenothr')), [404, 'EMU-PRODUCT-NOT-FOUND']);
  });
});

describe('APIs, stages and usage plans', () => {
  test('GET /products/{pid}/apis is {apis, total} with per-API stages; GET …/stages is {host, stages} with host at the data plane', async () => {
    const h = seeded();
    const apis = await json(await call(h, 'GET', `${V1}/products/paymentprt/apis`));
    assert.equal(apis.total, 1);
    assert.equal(apis.apis[0].apiName, 'charges');
    assert.deepEqual(apis.apis[0].stages, [{ stageId: 'paymentsv1', stageName: 'v1', apiId: 'paymentapi', isPublished: true }]);
    const stages = await json(await call(h, 'GET', `${V1}/products/paymentprt/apis/paymentapi/stages`));
    assert.equal(stages.host, 'http://emulator.test/gateway/paymentprt');
    assert.deepEqual(stages.stages.map((s: any) => s.stageName), ['v1']);
    assert.deepEqual(await errorOf(await call(h, 'GET', `${V1}/products/paymentprt/apis/weatherapi/stages`)), [404, 'EMU-API-NOT-FOUND']);
    assert.deepEqual(await errorOf(await call(h, 'GET', `${V1}/products/mapsothers/apis`)), [404, 'EMU-PRODUCT-NOT-FOUND']);
  });

  test('GET /usage-plans requires stageId; associated defaults to true and false lists the others', async () => {
    const h = seeded();
    assert.deepEqual(await errorOf(await call(h, 'GET', `${V1}/usage-plans`)), [400, 'EMU-INVALID-QUERY']);
    const on = await json(await call(h, 'GET', `${V1}/usage-plans?stageId=paymentsv1`));
    assert.deepEqual(on.usagePlans.map((u: any) => u.usagePlanId), ['paystandrd', 'paypremium']);
    assert.equal(on.total, 2);
    assert.equal('rateRps' in on.usagePlans[0], false, 'this shape carries no limits');
    const off = await json(await call(h, 'GET', `${V1}/usage-plans?stageId=paymentsv1&associated=false`));
    assert.deepEqual(off.usagePlans.map((u: any) => u.usagePlanId), ['weatherbas']);
    assert.deepEqual(await errorOf(await call(h, 'GET', `${V1}/usage-plans?stageId=mapsprod01`)), [404, 'EMU-STAGE-NOT-FOUND']);
  });

  test('POST /usage-plans/search lists the account\'s plans with their limits, never another account\'s', async () => {
    const h = seeded();
    const body = await json(await call(h, 'POST', `${V1}/usage-plans/search`, { body: { limit: 100 } }));
    assert.equal(body.total, 3);
    assert.deepEqual(body.usagePlans.map((u: any) => u.usagePlanId), ['weatherbas', 'paystandrd', 'paypremium']);
    assert.equal(body.usagePlans[0].rateRps, 5);
    assert.equal(body.usagePlans[0].associatedStagesCount, 1);
    const named = await json(await call(h, 'POST', `${V1}/usage-plans/search`, { body: { usagePlanName: 'premium' } }));
    assert.deepEqual(named.usagePlans.map((u: any) => u.usagePlanName), ['payments-premium']);
  });
});

describe('subscription life cycle', () => {
  test('PROTECTED: REQUEST until the owner PATCHes; PATCH answers 204 empty; only ACCEPTED/REJECTED are accepted', async () => {
    const h = seeded();
    const key = await createKey(h, 'consumer');
    assert.equal((await subscribe(h, key.apiKeyId, 'paymentprt')).status, 200);
    const search = async (b: unknown) => (await json(await call(h, 'POST', `${V1}/products/paymentprt/api-keys/search`, { body: b }))).apiKeyPage;
    const page = await search({ statusSet: ['REQUEST'] });
    assert.equal(page.total, 1);
    assert.equal(page.content[0].apiKeyId, key.apiKeyId);
    assert.equal(page.content[0].primaryKey, key.primaryKey);
    assert.equal(page.content[0].status, 'REQUEST');
    assert.equal((await search({ apiKeyValue: key.secondaryKey })).total, 1);
    assert.equal((await search({ statusSet: ['ACCEPTED'] })).total, 0);

    for (const status of ['DENY', 'BLOCKED_REQUEST', 'REQUEST', 'accepted', 1]) {
      assert.deepEqual(await errorOf(await call(h, 'PATCH', `${V1}/products/paymentprt/api-keys/${key.apiKeyId}`, { body: { status } })), [400, 'EMU-INVALID-FIELD'], String(status));
    }
    const res = await call(h, 'PATCH', `${V1}/products/paymentprt/api-keys/${key.apiKeyId}`, { body: { status: 'ACCEPTED' } });
    assert.equal(res.status, 204);
    assert.equal(await res.text(), '');
    const products = await json(await call(h, 'GET', `${V1}/api-keys/${key.apiKeyId}/products`));
    assert.equal(products.apiKeyRelateProductDtos[0].status, 'ACCEPTED');
  });

  test('the owner side refuses another account\'s product and a key that never subscribed', async () => {
    const h = seeded();
    const key = await createKey(h, 'consumer');
    await subscribe(h, key.apiKeyId, 'mapsothers');
    assert.deepEqual(await errorOf(await call(h, 'PATCH', `${V1}/products/mapsothers/api-keys/${key.apiKeyId}`, { body: { status: 'ACCEPTED' } })), [404, 'EMU-PRODUCT-NOT-FOUND']);
    assert.deepEqual(await errorOf(await call(h, 'POST', `${V1}/products/mapsothers/api-keys/search`, { body: {} })), [404, 'EMU-PRODUCT-NOT-FOUND']);
    assert.deepEqual(await errorOf(await call(h, 'PATCH', `${V1}/products/paymentprt/api-keys/${key.apiKeyId}`, { body: { status: 'ACCEPTED' } })), [404, 'EMU-SUBSCRIPTION-NOT-FOUND']);
    assert.equal((await call(h, 'POST', `${V1}/products/paymentprt/api-keys/search`)).status, 200, 'an absent body is an empty search');
  });

  test('subscription-detail needs productId and has one row per (API, stage) with its usage plan; the owner re-plans with PUT → 204', async () => {
    const h = seeded();
    const key = await createKey(h, 'consumer');
    assert.deepEqual(await errorOf(await call(h, 'GET', `${V1}/api-keys/${key.apiKeyId}/subscription-detail`)), [400, 'EMU-INVALID-QUERY']);
    await subscribe(h, key.apiKeyId, 'paymentprt');
    const detail = async () => (await json(await call(h, 'GET', `${V1}/api-keys/${key.apiKeyId}/subscription-detail?productId=paymentprt`))).apiKeyRelations;
    const before = await detail();
    assert.equal(before.total, 1);
    assert.deepEqual(
      { apiId: before.content[0].apiId, stageId: before.content[0].stageId, usagePlanId: before.content[0].usagePlanId, apiKeyName: before.content[0].apiKeyName },
      { apiId: 'paymentapi', stageId: 'paymentsv1', usagePlanId: 'paystandrd', apiKeyName: 'consumer' },
    );
    const target = `${V1}/products/paymentprt/api-keys/${key.apiKeyId}/stages/paymentsv1`;
    assert.deepEqual(await errorOf(await call(h, 'PUT', target, { body: { usagePlanId: 'weatherbas' } })), [400, 'EMU-PLAN-NOT-ASSOCIATED']);
    const res = await call(h, 'PUT', target, { body: { usagePlanId: 'paypremium' } });
    assert.equal(res.status, 204);
    assert.equal(await res.text(), '');
    assert.equal((await detail()).content[0].usagePlanId, 'paypremium');
  });

  test('fault injection applies to subscribe: commit-then-fail stores the relation and answers 503', async () => {
    const h = seeded();
    const key = await createKey(h, 'consumer');
    h.emulator.setFaults({ commitThenFail: { rate: 1, mode: '503' }, only: { path: /\/subscribe$/ } });
    assert.equal((await subscribe(h, key.apiKeyId, 'weatherpub')).status, 503);
    assert.deepEqual(h.emulator.inspect.subscriptions().map((s) => s.productId), ['weatherpub']);
  });
});

describe('data plane', () => {
  test('no header and unknown keys get NCP\'s 401 "Authentication Failed"; an unsubscribed key gets 401 errorCode 210', async () => {
    const h = seeded();
    const missing = await gateway(h, 'weatherpub/forecast/v1/today');
    assert.equal(missing.status, 401);
    const m = await json(missing);
    assert.equal(m.error.errorCode, '200');
    assert.match(m.error.details, /^Authentication information are missing\./);
    assert.deepEqual(await errorOf(await gateway(h, 'weatherpub/forecast/v1/today', 'x'.repeat(40))), [401, '200']);
    const key = await createKey(h, 'consumer');
    const denied = await gateway(h, 'weatherpub/forecast/v1/today', key.primaryKey);
    assert.equal(denied.status, 401);
    assert.deepEqual(await json(denied), { error: { errorCode: '210', message: 'Permission Denied', details: 'A subscription to the API is required.' } });
  });

  test('PUBLIC: a subscribed key opens the stage at once with its primary or secondary key; a disabled key does not', async () => {
    const h = seeded();
    const key = await createKey(h, 'consumer');
    await subscribe(h, key.apiKeyId, 'weatherpub');
    for (const value of [key.primaryKey, key.secondaryKey]) {
      const res = await gateway(h, 'weatherpub/forecast/v1/today', value);
      assert.equal(res.status, 200);
      const body = await json(res);
      assert.deepEqual([body.apiKeyId, body.stageName, body.path], [key.apiKeyId, 'v1', '/today']);
    }
    await call(h, 'PUT', `${V1}/api-keys/${key.apiKeyId}`, { body: { apiKeyName: 'consumer', isEnabled: false } });
    assert.deepEqual(await errorOf(await gateway(h, 'weatherpub/forecast/v1/today', key.primaryKey)), [401, '200']);
    assert.deepEqual(await errorOf(await gateway(h, 'weatherpub/forecast/v2/today', key.primaryKey)), [404, '300']);
  });

  test('PROTECTED: 401/210 while REQUEST, 200 once ACCEPTED, 401/210 again once REJECTED', async () => {
    const h = seeded();
    const key = await createKey(h, 'consumer');
    await subscribe(h, key.apiKeyId, 'paymentprt');
    assert.deepEqual(await errorOf(await gateway(h, 'paymentprt/charges/v1', key.primaryKey)), [401, '210']);
    await call(h, 'PATCH', `${V1}/products/paymentprt/api-keys/${key.apiKeyId}`, { body: { status: 'ACCEPTED' } });
    assert.equal((await gateway(h, 'paymentprt/charges/v1', key.primaryKey)).status, 200);
    await call(h, 'PATCH', `${V1}/products/paymentprt/api-keys/${key.apiKeyId}`, { body: { status: 'REJECTED' } });
    assert.deepEqual(await errorOf(await gateway(h, 'paymentprt/charges/v1', key.primaryKey)), [401, '210']);
  });

  test('past the usage plan\'s rateRps in one second the gateway answers 429 errorCode 420; the next second is fine', async () => {
    const h = seeded();
    const key = await createKey(h, 'consumer');
    await subscribe(h, key.apiKeyId, 'weatherpub');
    for (let i = 0; i < 5; i++) assert.equal((await gateway(h, 'weatherpub/forecast/v1', key.primaryKey)).status, 200);
    const limited = await gateway(h, 'weatherpub/forecast/v1', key.primaryKey);
    assert.equal(limited.status, 429);
    assert.equal((await json(limited)).error.errorCode, '420');
    h.clock.advance(1000);
    assert.equal((await gateway(h, 'weatherpub/forecast/v1', key.primaryKey)).status, 200);
    const detail = await json(await call(h, 'GET', `${V1}/api-keys/${key.apiKeyId}/subscription-detail?productId=weatherpub`));
    assert.equal(detail.apiKeyRelations.content[0].dayCallCount, 6, 'refused calls are not counted');
  });

  test('a key value never reaches the emulator log', async () => {
    const h = seeded();
    const key = await createKey(h, 'consumer');
    await subscribe(h, key.apiKeyId, 'weatherpub');
    await gateway(h, 'weatherpub/forecast/v1', key.primaryKey);
    assert.ok(h.logs.some((l) => l.includes('/gateway/weatherpub')));
    assert.equal(h.logs.join('\n').includes(key.primaryKey), false);
  });
});
