// Contract tests of the product methods against @apikey/ncp-emulator over real HTTP, with the sandbox catalogue:
// each NCP wrapper comes back as one normalised shape, every paged list iterates to the end, bad input sends
// nothing, subscribe survives commit-then-fail without a second relation, and createKeyForProducts resumes with
// the same operation id without a second key or a second subscription.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createNcpEmulator, sandboxCatalogue, serve, type ServedEmulator } from '@apikey/ncp-emulator';
import {
  createApiGatewayClient,
  createKeyForProducts,
  CREATE_MARKER_PREFIX,
  listStageUrls,
  stageInvokeUrl,
  type ApiGatewayClient,
  type ApiKeyError,
  type ClientEvent,
} from '@apikey/core';
import { createNcpConnections } from '@apikey/core/adapter';
import { recordingSleep } from './helpers.ts';

// As every front-end does: create and subscribe POSTs on connections the runtime never re-sends on by itself.
const adapter = createNcpConnections();

const CREDS = { accessKey: 'PRODUCTS_TEST_AK', secretKey: 'PRODUCTS_TEST_SECRET_0123456789' };

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

function setup(events: ClientEvent[] = []): { served: Promise<ServedEmulator>; client: (s: ServedEmulator) => ApiGatewayClient } {
  const served = serve({ emulator: createNcpEmulator({ credentials: [CREDS], seed: 7, products: sandboxCatalogue() }) });
  const client = (s: ServedEmulator) =>
    createApiGatewayClient({ credentials: CREDS, endpoint: s.url, freshConnectionFetch: adapter.freshConnectionFetch, timeoutMs: 300, retry: { retries: 6, sleep: recordingSleep().sleep }, onEvent: (e) => events.push(e) });
  return { served, client };
}

describe('product methods against the emulator', () => {
  let served: ServedEmulator;
  let client: ApiGatewayClient;
  const events: ClientEvent[] = [];
  before(async () => {
    const s = setup(events);
    served = await s.served;
    client = s.client(served);
  });
  after(async () => {
    await served.close();
  });

  it('listProducts unwraps productPage.content; iterateProducts walks every page; filters reach NCP', async () => {
    const page = await client.listProducts({ limit: 2 });
    assert.deepEqual(page.products.map((p) => p.productId), ['weatherpub', 'paymentprt']);
    assert.equal(page.total, 3);
    assert.equal(page.initialCount, 0);
    assert.equal(page.products[0]?.invokeId, 'weatherpub');
    assert.deepEqual((await collect(client.iterateProducts({ pageSize: 1 }))).map((p) => p.productId), ['weatherpub', 'paymentprt', 'draftinner']);
    assert.deepEqual((await client.listProducts({ subscriptionCode: 'PROTECTED', isPublished: true })).products.map((p) => p.productId), ['paymentprt']);
    assert.deepEqual((await client.listProducts({ hasDeployedStage: false })).products.map((p) => p.productId), ['draftinner']);
  });

  it('getProduct unwraps {product}; another account\'s product is NotFound there but readable as a published product', async () => {
    assert.equal((await client.getProduct('paymentprt')).subscriptionCode, 'PROTECTED');
    await assert.rejects(client.getProduct('mapsothers'), (e: ApiKeyError) => e.code === 'ERR_APIKEY_NOT_FOUND');
    assert.equal((await client.getPublishedProduct('mapsothers')).productName, 'maps');
  });

  it('the catalogue search sends a body and iterates; productType narrows it', async () => {
    const all = await collect(client.iteratePublishedProducts({ pageSize: 1 }));
    assert.deepEqual(all.map((p) => p.productId), ['weatherpub', 'paymentprt', 'mapsothers']);
    const others = await client.searchPublishedProducts({ productType: ['OTHERS'] });
    assert.deepEqual(others, { products: [all[2]], total: 1 });
    assert.equal(all[2]?.subscribed, false);
  });

  it('APIs come from {apis,total}, stages from {host,stages}; the host leads to the data plane', async () => {
    const apis = await client.listProductApis('weatherpub');
    assert.equal(apis.total, 1);
    assert.equal(apis.apis[0]?.apiName, 'forecast');
    assert.deepEqual(apis.apis[0]?.stages?.map((s) => s.stageName), ['v1']);
    assert.equal((await collect(client.iterateProductApis('weatherpub', { pageSize: 1 }))).length, 1);
    const stages = await client.listApiStages('weatherpub', 'weatherapi');
    assert.equal(stages.host, `${new URL(served.url).origin}/gateway/weatherpub`);
    assert.deepEqual(stages.stages.map((s) => s.stageId), ['weatherv1s']);
    const url = stageInvokeUrl(stages.host!, 'forecast', 'v1');
    assert.equal(url, `${stages.host}/forecast/v1/`);
    assert.equal(stageInvokeUrl('abcdefghij.apigw.ntruss.com', 'my api', 'v1'), 'https://abcdefghij.apigw.ntruss.com/my%20api/v1/');
    assert.equal((await fetch(url)).status, 401, 'no key header, no entry');
  });

  it('listStageUrls gives every stage URL of an own product; another account\'s product is not listable (404); an API without stages adds none', async () => {
    assert.deepEqual(await listStageUrls(client, 'weatherpub'), [`${new URL(served.url).origin}/gateway/weatherpub/forecast/v1/`]);
    assert.deepEqual(await listStageUrls(client, 'draftinner'), []);
    await assert.rejects(listStageUrls(client, 'mapsothers'), (e: ApiKeyError) => e.code === 'ERR_APIKEY_NOT_FOUND');
  });

  it('usage plans: the account search iterates with limits; per-stage plans need a stage and honour associated', async () => {
    const plans = await collect(client.iterateUsagePlans({ pageSize: 2 }));
    assert.deepEqual(plans.map((p) => p.usagePlanId), ['weatherbas', 'paystandrd', 'paypremium']);
    assert.equal(plans[0]?.rateRps, 5);
    assert.equal((await client.searchUsagePlans({ usagePlanName: 'premium' })).total, 1);
    const stagePlans = await client.listStageUsagePlans('paymentsv1');
    assert.deepEqual(stagePlans.usagePlans.map((p) => p.usagePlanId), ['paystandrd', 'paypremium']);
    assert.deepEqual((await client.listStageUsagePlans('paymentsv1', { associated: false })).usagePlans.map((p) => p.usagePlanId), ['weatherbas']);
    const before = served.emulator.inspect.requests().length;
    await assert.rejects(client.listStageUsagePlans('../x'), (e: ApiKeyError) => e.code === 'ERR_APIKEY_INPUT');
    await assert.rejects(client.searchUsagePlans({ limit: 0 }), (e: ApiKeyError) => e.code === 'ERR_APIKEY_INPUT');
    assert.equal(served.emulator.inspect.requests().length, before, 'bad input sends nothing');
  });

  it('subscribe, a key\'s products, subscription detail, owner search, accept (204 → void) and re-plan', async () => {
    const key = await client.createApiKey({ apiKeyName: 'lifecycle' });
    await client.subscribeApiKey(key.apiKeyId, 'paymentprt');
    await client.subscribeApiKey(key.apiKeyId, 'weatherpub');
    const linked = await collect(client.iterateApiKeyProducts(key.apiKeyId, { pageSize: 1 }));
    assert.deepEqual(linked.map((p) => [p.productId, p.status]), [['paymentprt', 'REQUEST'], ['weatherpub', 'ACCEPTED']]);

    const requests = await client.searchProductApiKeys('paymentprt', { statusSet: ['REQUEST'] });
    assert.deepEqual(requests.apiKeys.map((k) => k.apiKeyId), [key.apiKeyId]);
    assert.equal((await collect(client.iterateProductApiKeys('paymentprt', { apiKeyValue: key.primaryKey!, pageSize: 1 }))).length, 1);
    await assert.rejects(client.setSubscriptionStatus('paymentprt', key.apiKeyId, 'DENY' as 'ACCEPTED'), (e: ApiKeyError) => e.code === 'ERR_APIKEY_INPUT');
    assert.equal(await client.setSubscriptionStatus('paymentprt', key.apiKeyId, 'ACCEPTED'), undefined);
    assert.equal((await client.listApiKeyProducts(key.apiKeyId)).products.find((p) => p.productId === 'paymentprt')?.status, 'ACCEPTED');

    const detail = await client.getSubscriptionDetail(key.apiKeyId, { productId: 'paymentprt' });
    assert.deepEqual(detail.relations.map((r) => [r.apiId, r.stageId, r.usagePlanId]), [['paymentapi', 'paymentsv1', 'paystandrd']]);
    await client.setApiKeyStagePlan('paymentprt', key.apiKeyId, 'paymentsv1', 'paypremium');
    const rows = await collect(client.iterateSubscriptionDetail(key.apiKeyId, { productId: 'paymentprt' }));
    assert.equal(rows[0]?.usagePlanId, 'paypremium');
    await assert.rejects(client.setApiKeyStagePlan('paymentprt', key.apiKeyId, 'paymentsv1', 'weatherbas'), (e: ApiKeyError) => e.code === 'ERR_APIKEY_HTTP' && e.status === 400);

    await client.unsubscribeApiKey(key.apiKeyId, 'weatherpub');
    assert.deepEqual((await client.listApiKeyProducts(key.apiKeyId)).products.map((p) => p.productId), ['paymentprt']);
  });

  it('a subscribe whose answer is lost after it committed is read back, not re-sent; the relation exists once', async () => {
    const key = await client.createApiKey({ apiKeyName: 'lost-answer' });
    for (const mode of ['503', 'drop', '502'] as const) {
      served.emulator.setFaults({ commitThenFail: { rate: 1, mode }, only: { path: /\/subscribe$/ } });
      const product = mode === '503' ? 'weatherpub' : mode === 'drop' ? 'paymentprt' : 'mapsothers';
      await client.subscribeApiKey(key.apiKeyId, product);
    }
    served.emulator.setFaults(undefined);
    const rel = served.emulator.inspect.subscriptions().filter((s) => s.apiKeyId === key.apiKeyId);
    assert.deepEqual(rel.map((s) => s.productId).sort(), ['mapsothers', 'paymentprt', 'weatherpub']);
    // The 5xx answers were read back instead of re-sent. (A drop may instead be re-sent by the runtime's own fetch —
    // Deno does so on a reused connection — which the emulator, like a repeated subscribe, takes as a no-op.)
    assert.ok(events.filter((e) => e.type === 'reconcile' && e.reason === 'landed').length >= 2);
  });
});

describe('createKeyForProducts', () => {
  let served: ServedEmulator;
  let client: ApiGatewayClient;
  before(async () => {
    const s = setup();
    served = await s.served;
    client = s.client(served);
  });
  after(async () => {
    await served.close();
  });

  it('creates, subscribes, accepts own PROTECTED and sets the real description; the data plane answers 200', async () => {
    const r = await createKeyForProducts(client, { name: 'svc', description: 'billing service', productIds: ['weatherpub', 'paymentprt'], operationId: 'op-happy', acceptOwnProtected: true });
    assert.equal(r.complete, true);
    assert.equal(r.key, 'created');
    assert.equal(r.apiKey.apiKeyDescription, 'billing service');
    assert.match(r.apiKey.primaryKey ?? '', /^[A-Za-z0-9]{40}$/);
    assert.deepEqual(r.products.map((p) => [p.productId, p.subscribe, p.accept, p.status, p.ownProduct]), [
      ['weatherpub', 'subscribed', 'not-needed', 'ACCEPTED', true],
      ['paymentprt', 'subscribed', 'accepted', 'ACCEPTED', true],
    ]);
    const origin = new URL(served.url).origin;
    const res = await fetch(`${origin}/gateway/paymentprt/charges/v1/`, { headers: { 'x-ncp-apigw-api-key': r.apiKey.secondaryKey! } });
    assert.equal(res.status, 200);
  });

  it('without acceptOwnProtected a PROTECTED product stays REQUEST and is reported as waiting', async () => {
    const r = await createKeyForProducts(client, { name: 'waits', productIds: ['paymentprt', 'mapsothers'], operationId: 'op-waits' });
    assert.equal(r.complete, true);
    assert.deepEqual(r.products.map((p) => [p.productId, p.accept, p.status, p.ownProduct]), [
      ['paymentprt', 'not-requested', 'REQUEST', true],
      ['mapsothers', 'not-needed', 'ACCEPTED', false],
    ]);
  });

  it('an unknown or invisible product is refused before any key is made', async () => {
    served.emulator.addProduct({ productId: 'hiddenprod', productName: 'hidden', publisherId: 'ffffffffffffffffffffffffffffffff', isPublished: false });
    const keysBefore = served.emulator.inspect.keys().length;
    for (const missing of ['nosuchprod', 'hiddenprod']) {
      await assert.rejects(
        createKeyForProducts(client, { name: 'nope', productIds: ['weatherpub', missing], operationId: `op-${missing}` }),
        (e: ApiKeyError) => e.code === 'ERR_APIKEY_NOT_FOUND' && e.message.includes(`'${missing}'`),
      );
    }
    assert.equal(served.emulator.inspect.keys().length, keysBefore);
    await assert.rejects(createKeyForProducts(client, { name: 'x', productIds: [], operationId: 'bad id!' }), (e: ApiKeyError) => e.code === 'ERR_APIKEY_INPUT');
  });

  it('after subscribe fails, the same operation id resumes: same key, no second subscription, real description at the end', async () => {
    served.emulator.setFaults({ statusRates: { 503: 1 }, only: { path: /\/subscribe$/ } });
    const first = await createKeyForProducts(client, { name: 'resumable', description: 'real one', productIds: ['weatherpub', 'paymentprt'], operationId: 'op-resume', acceptOwnProtected: true });
    served.emulator.setFaults(undefined);
    assert.equal(first.complete, false);
    assert.deepEqual(first.products.map((p) => p.subscribe), ['failed', 'failed']);
    assert.equal(first.products[0]?.error?.code, 'ERR_APIKEY_SERVER');
    assert.equal(first.description, 'kept-marker');
    const stored = served.emulator.inspect.keys().find((k) => k.apiKeyId === first.apiKey.apiKeyId);
    assert.equal(stored?.apiKeyDescription, `${CREATE_MARKER_PREFIX}op-resume`);

    // Subscribe one product by hand in between, as a user following printed instructions might.
    await client.subscribeApiKey(first.apiKey.apiKeyId, 'weatherpub');
    const second = await createKeyForProducts(client, { name: 'resumable', description: 'real one', productIds: ['weatherpub', 'paymentprt'], operationId: 'op-resume', acceptOwnProtected: true });
    assert.equal(second.key, 'resumed');
    assert.equal(second.apiKey.apiKeyId, first.apiKey.apiKeyId);
    assert.equal(second.apiKey.primaryKey, first.apiKey.primaryKey);
    assert.equal(second.complete, true);
    assert.deepEqual(second.products.map((p) => [p.subscribe, p.status]), [['already-subscribed', 'ACCEPTED'], ['subscribed', 'ACCEPTED']]);
    assert.equal(served.emulator.inspect.keys().filter((k) => k.apiKeyName === 'resumable').length, 1);
    assert.equal(served.emulator.inspect.subscriptions().filter((s) => s.apiKeyId === first.apiKey.apiKeyId).length, 2);
    assert.equal(served.emulator.inspect.keys().find((k) => k.apiKeyId === first.apiKey.apiKeyId)?.apiKeyDescription, 'real one');
  });

  it('under injected faults on every call (5xx, drops, commit-then-fail) resuming each operation ends with one key and one relation per product', async () => {
    const modes = ['503', 'drop', '500'] as const;
    const ops = 12;
    for (let i = 0; i < ops; i++) {
      served.emulator.setFaults({ statusRates: { 500: 0.05, 503: 0.05 }, dropRate: 0.05, commitThenFail: { rate: 0.2, mode: modes[i % 3]! }, only: { method: ['POST', 'PUT', 'PATCH'] } });
      let done = false;
      for (let attempt = 0; attempt < 8 && !done; attempt++) {
        try {
          const r = await createKeyForProducts(client, { name: `fault-${i}`, productIds: ['weatherpub', 'paymentprt', 'mapsothers'], operationId: `op-fault-${i}`, acceptOwnProtected: true });
          done = r.complete;
        } catch (e) {
          if ((e as ApiKeyError).code === undefined) throw e;
        }
      }
      served.emulator.setFaults(undefined);
      assert.ok(done, `operation ${i} completed within 8 runs`);
    }
    const keys = served.emulator.inspect.keys().filter((k) => k.apiKeyName.startsWith('fault-'));
    assert.equal(keys.length, ops, 'one key per operation');
    assert.equal(new Set(keys.map((k) => k.apiKeyName)).size, ops);
    for (const k of keys) {
      const rel = served.emulator.inspect.subscriptions().filter((s) => s.apiKeyId === k.apiKeyId);
      assert.deepEqual(rel.map((s) => `${s.productId}:${s.status}`).sort(), ['mapsothers:ACCEPTED', 'paymentprt:ACCEPTED', 'weatherpub:ACCEPTED']);
      assert.equal(k.apiKeyDescription, '', 'the marker is gone once the operation completed');
    }
    const faulted = served.emulator.inspect.requests().filter((r) => r.fault !== null && r.fault !== 'latency').length;
    assert.ok(faulted >= 10, `faults were exercised (${faulted})`);
  });
});
