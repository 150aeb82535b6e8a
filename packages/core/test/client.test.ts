// Client behaviour with an injected fetch: validation before sending, normalisation of NCP's response
// quirks, sites, error mapping, timeouts vs aborts, retry policy and paging.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  createApiGatewayClient,
  siteEndpoint,
  type ApiKeyError,
  type ClientEvent,
  type ClientOptions,
  type InputError,
  type RateLimitError,
} from '@apikey/core';
import { CREDS, fakeClock, json, KEY, recordingSleep, scriptedFetch, type Captured } from './helpers.ts';

const ENDPOINT = 'http://127.0.0.1:9/api/v1';

function clientWith(answer: (req: Captured, n: number) => Response | Promise<Response>, extra: Partial<ClientOptions> = {}) {
  const scripted = scriptedFetch(answer);
  const sleep = recordingSleep();
  const client = createApiGatewayClient({ credentials: CREDS, endpoint: ENDPOINT, fetch: scripted.fetch, retry: { sleep: sleep.sleep, random: () => 0.5 }, ...extra });
  return { client, calls: scripted.calls, delays: sleep.delays };
}

const isInputError = (path: RegExp) => (e: InputError) => e.code === 'ERR_APIKEY_INPUT' && e.issues.some((i) => path.test(i.path));

describe('bad input never reaches the network', () => {
  const cases: [string, (c: ReturnType<typeof createApiGatewayClient>) => Promise<unknown>, RegExp][] = [
    ['create: empty name', (c) => c.createApiKey({ apiKeyName: '   ' }), /apiKeyName/],
    ['create: 21-character name', (c) => c.createApiKey({ apiKeyName: '가'.repeat(21) }), /apiKeyName/],
    ['create: control character in description', (c) => c.createApiKey({ apiKeyName: 'ok', apiKeyDescription: 'a\u0007b' }), /apiKeyDescription/],
    ['create: not an object', (c) => c.createApiKey(null as never), /.*/],
    ['list: limit 0', (c) => c.listApiKeys({ limit: 0 }), /limit/],
    ['list: negative offset', (c) => c.listApiKeys({ offset: -1 }), /offset/],
    ['list: filter too long', (c) => c.listApiKeys({ apiKeyName: 'x'.repeat(21) }), /apiKeyName/],
    ['get: path traversal id', (c) => c.getApiKey('../products'), /apiKeyId/],
    ['get: empty id', (c) => c.getApiKey(''), /apiKeyId/],
    ['update: missing isEnabled', (c) => c.updateApiKey('abcde12345', { apiKeyName: 'x' } as never), /isEnabled/],
    ['setEnabled: not a boolean', (c) => c.setApiKeyEnabled('abcde12345', 'yes' as never), /isEnabled/],
    ['regenerate: bad keyType', (c) => c.regenerateApiKey('abcde12345', 'TERTIARY' as never), /keyType/],
    ['delete: id with a slash', (c) => c.deleteApiKey('a/b'), /apiKeyId/],
    ['products: limit 1.5', (c) => c.listApiKeyProducts('abcde12345', { limit: 1.5 }), /limit/],
    ['subscribe: empty product', (c) => c.subscribeApiKey('abcde12345', ''), /productId/],
    ['iterate: pageSize 0', async (c) => {
      for await (const _ of c.iterateApiKeys({ pageSize: 0 })) void _;
    }, /pageSize/],
  ];
  for (const [title, call, path] of cases) {
    it(`${title} → InputError, fetch not called`, async () => {
      const { client, calls } = clientWith(() => json(200, {}));
      await assert.rejects(call(client), isInputError(path));
      assert.equal(calls.length, 0);
    });
  }

  it('refuses missing credentials and bad endpoints when the client is built', () => {
    assert.throws(() => createApiGatewayClient({ credentials: { accessKey: '', secretKey: 'x' } }), isInputError(/accessKey/));
    assert.throws(() => createApiGatewayClient({ credentials: CREDS, endpoint: 'ftp://x/api/v1' }), isInputError(/endpoint/));
    assert.throws(() => createApiGatewayClient({ credentials: CREDS, endpoint: 'not a url' }), isInputError(/endpoint/));
    assert.throws(() => createApiGatewayClient({ credentials: CREDS, site: 'mars' as never }), isInputError(/site/));
  });
});

describe('sites and endpoints', () => {
  it('maps each site to its API Gateway host', () => {
    assert.equal(siteEndpoint('public'), 'https://apigateway.apigw.ntruss.com/api/v1');
    assert.equal(siteEndpoint('gov'), 'https://apigateway.apigw.gov-ntruss.com/api/v1');
    assert.equal(siteEndpoint('fin'), 'https://apigateway.apigw.fin-ntruss.com/api/v1');
  });

  it('sends to the site host by default and to the override when given', async () => {
    for (const [opts, expected] of [
      [{}, 'https://apigateway.apigw.ntruss.com/api/v1/api-keys/abcde12345'],
      [{ site: 'gov' }, 'https://apigateway.apigw.gov-ntruss.com/api/v1/api-keys/abcde12345'],
      [{ site: 'fin' }, 'https://apigateway.apigw.fin-ntruss.com/api/v1/api-keys/abcde12345'],
      [{ site: 'gov', endpoint: 'http://127.0.0.1:7/custom/api/v1/' }, 'http://127.0.0.1:7/custom/api/v1/api-keys/abcde12345'],
    ] as const) {
      const { fetch, calls } = scriptedFetch(() => json(200, KEY));
      await createApiGatewayClient({ credentials: CREDS, fetch, ...opts }).getApiKey('abcde12345');
      assert.equal(calls[0]!.url, expected);
    }
  });
});

describe('normalised responses', () => {
  it('create: POSTs the name with the marker description, then one PUT sets the real description keeping name and enabled state', async () => {
    const { client, calls } = clientWith((req) =>
      req.method === 'POST'
        ? json(201, { apiKey: { ...KEY, apiKeyDescription: 'apikey:op-1', isEnabled: false } })
        : json(200, { apiKey: { ...KEY, ...(JSON.parse(req.body) as object) } }),
    );
    const key = await client.createApiKey({ apiKeyName: ' my-key ', apiKeyDescription: 'desc' }, { operationId: 'op-1' });
    assert.deepEqual(key, { ...KEY, isEnabled: false });
    assert.deepEqual(calls.map((c) => `${c.method} ${new URL(c.url).pathname}`), ['POST /api/v1/api-keys', `PUT /api/v1/api-keys/${KEY.apiKeyId}`]);
    assert.deepEqual(JSON.parse(calls[0]!.body), { apiKeyName: 'my-key', apiKeyDescription: 'apikey:op-1' });
    assert.equal(calls[0]!.headers.get('content-type'), 'application/json');
    assert.deepEqual(JSON.parse(calls[1]!.body), { apiKeyName: 'my-key', apiKeyDescription: 'desc', isEnabled: false });
  });

  it('create and subscribe POSTs go through freshConnectionFetch; the PUT stays on the pooled fetch', async () => {
    const fresh: string[] = [];
    const { fetch: pooled, calls } = scriptedFetch((req) => (req.method === 'POST' ? json(201, { apiKey: { ...KEY, apiKeyDescription: 'apikey:x' } }) : json(200, { apiKey: KEY })));
    const freshConnectionFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      fresh.push(String(init?.method));
      return pooled(input, init);
    }) as typeof fetch;
    const client = createApiGatewayClient({ credentials: CREDS, endpoint: 'http://127.0.0.1:9/api/v1', fetch: pooled, freshConnectionFetch });
    await client.createApiKey({ apiKeyName: 'my-key' }, { operationId: 'x' });
    await client.subscribeApiKey(KEY.apiKeyId, 'prod123456');
    // Subscribe is a POST too: a runtime re-send of one that landed must not happen behind the read-back's back.
    assert.deepEqual(fresh, ['POST', 'POST'], 'the create and subscribe POSTs, signed like any request');
    assert.ok(calls[0]!.headers.get('x-ncp-apigw-signature-v2'));
    assert.deepEqual(calls.map((c) => c.method), ['POST', 'PUT', 'POST']);
  });

  it('get: accepts the flat body (and a wrapped one)', async () => {
    const flat = clientWith(() => json(200, KEY));
    assert.deepEqual(await flat.client.getApiKey('abcde12345'), KEY);
    const wrapped = clientWith(() => json(200, { apiKey: KEY }));
    assert.deepEqual(await wrapped.client.getApiKey('abcde12345'), KEY);
  });

  it('delete: 204 with an empty body resolves to undefined', async () => {
    const { client, calls } = clientWith(() => new Response(null, { status: 204 }));
    assert.equal(await client.deleteApiKey('abcde12345'), undefined);
    assert.equal(calls[0]!.method, 'DELETE');
  });

  it('subscribe/unsubscribe: an empty 200 resolves, and the productId is in the body', async () => {
    const { client, calls } = clientWith(() => new Response('', { status: 200 }));
    await client.subscribeApiKey('abcde12345', 'prod123456');
    await client.unsubscribeApiKey('abcde12345', 'prod123456');
    assert.deepEqual(calls.map((c) => `${c.method} ${new URL(c.url).pathname} ${c.body}`), [
      'POST /api/v1/api-keys/abcde12345/subscribe {"productId":"prod123456"}',
      'POST /api/v1/api-keys/abcde12345/unsubscribe {"productId":"prod123456"}',
    ]);
  });

  it('products: maps apiKeyRelateProductDtos to products', async () => {
    const { client, calls } = clientWith(() => json(200, { apiKeyRelateProductDtos: [{ productId: 'p1', productName: 'P', isSelfProduct: true }], total: 1 }));
    assert.deepEqual(await client.listApiKeyProducts('abcde12345', { limit: 10, offset: 0 }), { products: [{ productId: 'p1', productName: 'P', isSelfProduct: true }], total: 1 });
    assert.equal(new URL(calls[0]!.url).search, '?limit=10&offset=0');
  });

  it('list: returns apiKeys, total and initialCount; key values may be absent', async () => {
    const { primaryKey: _p, secondaryKey: _s, ...noSecrets } = KEY;
    const { client } = clientWith(() => json(200, { initialCount: 0, total: 6, apiKeys: [noSecrets] }));
    assert.deepEqual(await client.listApiKeys({ limit: 1 }), { apiKeys: [noSecrets], total: 6, initialCount: 0 });
  });

  it('a 2xx whose body fails its schema is a ResponseShapeError, not a crash later', async () => {
    for (const body of [json(200, { apiKeys: 'nope' }), new Response('<html>', { status: 200 }), new Response('', { status: 200 })]) {
      const { client } = clientWith(() => body);
      await assert.rejects(client.listApiKeys(), (e: ApiKeyError) => e.code === 'ERR_APIKEY_RESPONSE_SHAPE' && e.status === 200);
    }
    const { client } = clientWith(() => json(200, { apiKeyName: 'no id' }));
    await assert.rejects(client.getApiKey('abcde12345'), (e: ApiKeyError) => e.code === 'ERR_APIKEY_RESPONSE_SHAPE' && /apiKeyId/.test(e.message));
  });
});

describe('error mapping', () => {
  const noRetry = { retry: { retries: 0 } };
  const cases: [string, () => Response, Partial<ApiKeyError> & { code: ApiKeyError['code'] }][] = [
    ['401 nested envelope', () => json(401, { error: { errorCode: '200', message: 'Authentication Failed', details: 'Invalid authentication information.' } }, { 'x-ncp-trace-id': 'trace-1' }),
      { code: 'ERR_APIKEY_AUTH', status: 401, ncpErrorCode: '200', ncpMessage: 'Authentication Failed', ncpDetails: 'Invalid authentication information.', traceId: 'trace-1' }],
    ['403', () => json(403, { error: { errorCode: '230', message: 'Forbidden' } }), { code: 'ERR_APIKEY_AUTH', status: 403, ncpErrorCode: '230' }],
    ['404 top-level numeric errorCode', () => json(404, { errorCode: 300, message: 'Not Found Exception' }), { code: 'ERR_APIKEY_NOT_FOUND', ncpErrorCode: '300' }],
    ['429 with Retry-After', () => json(429, { error: { errorCode: '410', message: 'Throttle Limited' } }, { 'retry-after': '3' }), { code: 'ERR_APIKEY_RATE_LIMIT', ncpErrorCode: '410' }],
    ['500 empty body', () => new Response('', { status: 500 }), { code: 'ERR_APIKEY_SERVER', status: 500 }],
    ['502 HTML body', () => new Response('<html>Bad Gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }), { code: 'ERR_APIKEY_SERVER', status: 502 }],
    ['400 JSON sent as text/plain', () => new Response('{"error":{"errorCode":"100","message":"Bad Request Exception"}}', { status: 400, headers: { 'content-type': 'text/plain;charset=UTF-8' } }),
      { code: 'ERR_APIKEY_HTTP', ncpErrorCode: '100', ncpMessage: 'Bad Request Exception' }],
    ['413', () => json(413, { error: { errorCode: '430', message: 'Request Entity Too Large' } }), { code: 'ERR_APIKEY_HTTP', status: 413 }],
  ];
  for (const [title, response, expected] of cases) {
    it(`${title} → ${expected.code}`, async () => {
      const { client } = clientWith(response, noRetry);
      await assert.rejects(client.getApiKey('abcde12345'), (e: ApiKeyError) => {
        for (const [k, v] of Object.entries(expected)) assert.equal((e as unknown as Record<string, unknown>)[k], v, k);
        assert.equal(e.method, 'GET');
        assert.equal(e.path, '/api/v1/api-keys/abcde12345');
        return true;
      });
    });
  }

  it('AuthError explains keys and the ±5 min clock window', async () => {
    const { client } = clientWith(() => json(401, { error: { errorCode: '200', message: 'Authentication Failed' } }));
    await assert.rejects(client.getApiKey('abcde12345'), (e: ApiKeyError & { hint: string }) => /secret key/.test(e.hint) && /clock/.test(e.hint) && /5 minutes/.test(e.hint));
  });

  it('404 errorCode 10008 says API Gateway is not subscribed, not that the key is missing', async () => {
    const { client } = clientWith(() => json(404, { error: { errorCode: '10008', message: 'tenantId [abc] not found.' } }));
    await assert.rejects(client.getApiKey('abcde12345'), /not subscribed/);
  });

  it('RateLimitError carries Retry-After in ms', async () => {
    const { client } = clientWith(() => json(429, {}, { 'retry-after': '3' }), noRetry);
    await assert.rejects(client.getApiKey('abcde12345'), (e: RateLimitError) => e.retryAfterMs === 3000);
  });

  it('a refused connection is a NetworkError with its cause', async () => {
    const client = createApiGatewayClient({ credentials: CREDS, endpoint: 'http://127.0.0.1:9/api/v1', retry: { retries: 0 } });
    await assert.rejects(client.getApiKey('abcde12345'), (e: ApiKeyError) => e.code === 'ERR_APIKEY_NETWORK' && e.cause !== undefined);
  });
});

describe('timeouts and aborts', () => {
  const hang = (req: Captured, _n: number, signal?: AbortSignal) => new Promise<Response>((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason)));
  function hangingFetch() {
    let count = 0;
    const f = ((_input: RequestInfo | URL, init?: RequestInit) => {
      count++;
      return hang({} as Captured, count, init?.signal ?? undefined);
    }) as typeof fetch;
    return { fetch: f, count: () => count };
  }

  it('a per-attempt timeout is a TimeoutError', async () => {
    const h = hangingFetch();
    const client = createApiGatewayClient({ credentials: CREDS, endpoint: ENDPOINT, fetch: h.fetch, timeoutMs: 30, retry: { retries: 0 } });
    await assert.rejects(client.getApiKey('abcde12345'), (e: ApiKeyError) => e.code === 'ERR_APIKEY_TIMEOUT');
  });

  it("the caller's signal is an AbortedError, distinct from a timeout, and is not retried", async () => {
    const h = hangingFetch();
    const client = createApiGatewayClient({ credentials: CREDS, endpoint: ENDPOINT, fetch: h.fetch, timeoutMs: 10_000 });
    const ac = new AbortController();
    const p = client.getApiKey('abcde12345', { signal: ac.signal });
    setTimeout(() => ac.abort(), 20);
    await assert.rejects(p, (e: ApiKeyError) => e.code === 'ERR_APIKEY_ABORTED');
    assert.equal(h.count(), 1);
  });

  it('the client-wide signal aborts calls too, and an already-aborted signal sends nothing', async () => {
    const h = hangingFetch();
    const ac = new AbortController();
    const client = createApiGatewayClient({ credentials: CREDS, endpoint: ENDPOINT, fetch: h.fetch, signal: ac.signal });
    const p = client.listApiKeys();
    setTimeout(() => ac.abort(), 20);
    await assert.rejects(p, (e: ApiKeyError) => e.code === 'ERR_APIKEY_ABORTED');
    await assert.rejects(client.getApiKey('abcde12345'), (e: ApiKeyError) => e.code === 'ERR_APIKEY_ABORTED');
    assert.equal(h.count(), 1);
  });

  it('a timed-out GET is retried and the retry can succeed', async () => {
    let n = 0;
    const f = ((_i: RequestInfo | URL, init?: RequestInit) => (++n === 1 ? hang({} as Captured, n, init?.signal ?? undefined) : Promise.resolve(json(200, KEY)))) as typeof fetch;
    const sleep = recordingSleep();
    const client = createApiGatewayClient({ credentials: CREDS, endpoint: ENDPOINT, fetch: f, timeoutMs: 30, retry: { sleep: sleep.sleep } });
    assert.deepEqual(await client.getApiKey('abcde12345'), KEY);
    assert.equal(n, 2);
  });
});

describe('retry policy', () => {
  it('retries GET on 503 and network errors, then succeeds', async () => {
    const { client, calls } = clientWith((_r, n) => {
      if (n === 1) return new Response('', { status: 503 });
      if (n === 2) throw new TypeError('fetch failed');
      return json(200, KEY);
    });
    assert.deepEqual(await client.getApiKey('abcde12345'), KEY);
    assert.equal(calls.length, 3);
  });

  it('re-signs each retry with a fresh timestamp', async () => {
    const clock = fakeClock();
    const sleep = recordingSleep((ms) => clock.advance(ms + 6 * 60_000));
    const { fetch, calls } = scriptedFetch((_r, n) => (n < 3 ? new Response('', { status: 500 }) : json(200, KEY)));
    const client = createApiGatewayClient({ credentials: CREDS, endpoint: ENDPOINT, fetch, now: clock.now, retry: { sleep: sleep.sleep, deadlineMs: 3_600_000 } });
    await client.getApiKey('abcde12345');
    const stamps = calls.map((c) => c.headers.get('x-ncp-apigw-timestamp'));
    assert.equal(new Set(stamps).size, 3);
    assert.equal(new Set(calls.map((c) => c.headers.get('x-ncp-apigw-signature-v2'))).size, 3);
  });

  it('uses full-jitter exponential backoff capped at maxDelayMs', async () => {
    const sleep = recordingSleep();
    const { fetch } = scriptedFetch(() => new Response('', { status: 503 }));
    const client = createApiGatewayClient({ credentials: CREDS, endpoint: ENDPOINT, fetch, retry: { retries: 5, baseDelayMs: 100, maxDelayMs: 1000, random: () => 0.999, sleep: sleep.sleep } });
    await assert.rejects(client.getApiKey('abcde12345'), (e: ApiKeyError) => e.code === 'ERR_APIKEY_SERVER');
    assert.deepEqual(sleep.delays, [99, 199, 399, 799, 999]);
  });

  it('honours Retry-After in seconds and as an HTTP date', async () => {
    const clock = fakeClock(Date.UTC(2026, 0, 1, 0, 0, 0));
    const date = new Date(Date.UTC(2026, 0, 1, 0, 0, 9)).toUTCString();
    const { client, delays } = clientWith((_r, n) => (n === 1 ? json(429, {}, { 'retry-after': '7' }) : n === 2 ? json(429, {}, { 'retry-after': date }) : json(200, KEY)), { now: clock.now });
    await client.getApiKey('abcde12345');
    assert.deepEqual(delays, [7000, 9000]);
  });

  it('gives up with the last error when the next wait would pass the deadline', async () => {
    const clock = fakeClock();
    const sleep = recordingSleep((ms) => clock.advance(ms));
    const { fetch, calls } = scriptedFetch(() => json(429, { error: { errorCode: '420', message: 'Rate Limited' } }, { 'retry-after': '20' }));
    const client = createApiGatewayClient({ credentials: CREDS, endpoint: ENDPOINT, fetch, now: clock.now, retry: { retries: 10, deadlineMs: 45_000, sleep: sleep.sleep } });
    await assert.rejects(client.getApiKey('abcde12345'), (e: RateLimitError) => e.code === 'ERR_APIKEY_RATE_LIMIT' && e.retryAfterMs === 20_000);
    assert.equal(calls.length, 3);
    assert.deepEqual(sleep.delays, [20_000, 20_000]);
  });

  it('does not retry 4xx answers other than 429', async () => {
    const { client, calls } = clientWith(() => json(400, { error: { errorCode: '100', message: 'Bad' } }));
    await assert.rejects(client.getApiKey('abcde12345'), (e: ApiKeyError) => e.code === 'ERR_APIKEY_HTTP');
    assert.equal(calls.length, 1);
  });

  it('retries PUT and DELETE, but never PATCH regenerate', async () => {
    const put = clientWith((_r, n) => (n === 1 ? new Response('', { status: 502 }) : json(200, { apiKey: KEY })));
    await put.client.updateApiKey('abcde12345', { apiKeyName: 'x', isEnabled: true });
    assert.equal(put.calls.length, 2);
    const patch = clientWith(() => new Response('', { status: 503 }));
    await assert.rejects(patch.client.regenerateApiKey('abcde12345', 'PRIMARY'), (e: ApiKeyError) => e.code === 'ERR_APIKEY_SERVER');
    assert.equal(patch.calls.length, 1);
    assert.deepEqual(JSON.parse(patch.calls[0]!.body), { keyType: 'PRIMARY' });
  });

  it('DELETE that landed before a 5xx and then sees 404 on retry counts as deleted; a first 404 is an error', async () => {
    const retried = clientWith((_r, n) => (n === 1 ? new Response('', { status: 504 }) : json(404, { error: { errorCode: '300', message: 'Not Found' } })));
    await retried.client.deleteApiKey('abcde12345');
    assert.equal(retried.calls.length, 2);
    const first = clientWith(() => json(404, { error: { errorCode: '300', message: 'Not Found' } }));
    await assert.rejects(first.client.deleteApiKey('abcde12345'), (e: ApiKeyError) => e.code === 'ERR_APIKEY_NOT_FOUND');
  });

  it('reports request, response and retry events with path+query only', async () => {
    const events: ClientEvent[] = [];
    const { client } = clientWith((_r, n) => (n === 1 ? new Response('', { status: 500 }) : json(200, { apiKeys: [], total: 0 })), { onEvent: (e) => events.push(e) });
    await client.listApiKeys({ apiKeyName: 'a b' });
    assert.deepEqual(events.map((e) => `${e.type}:${e.attempt}:${e.status ?? ''}`), ['request:1:', 'response:1:500', 'retry:1:', 'request:2:', 'response:2:200']);
    assert.equal(events[0]!.url, '/api/v1/api-keys?apiKeyName=a%20b');
    const text = JSON.stringify(events);
    assert.equal(text.includes(CREDS.secretKey) || text.includes(CREDS.accessKey) || text.includes('127.0.0.1'), false);
  });
});

describe('read-modify-write and paging', () => {
  it('setApiKeyEnabled keeps the current name and description', async () => {
    const { client, calls } = clientWith((req) => (req.method === 'GET' ? json(200, { ...KEY, apiKeyName: '이름', apiKeyDescription: 'keep me' }) : json(200, { apiKey: { ...KEY, isEnabled: false } })));
    const key = await client.setApiKeyEnabled('abcde12345', false);
    assert.equal(key.isEnabled, false);
    assert.deepEqual(calls.map((c) => c.method), ['GET', 'PUT']);
    assert.deepEqual(JSON.parse(calls[1]!.body), { apiKeyName: '이름', apiKeyDescription: 'keep me', isEnabled: false });
  });

  it('iterateApiKeys walks every page until total', async () => {
    const all = Array.from({ length: 7 }, (_, i) => ({ apiKeyId: `k${i}`, apiKeyName: `n${i}` }));
    const { client, calls } = clientWith((req) => {
      const u = new URL(req.url);
      const limit = Number(u.searchParams.get('limit'));
      const offset = Number(u.searchParams.get('offset'));
      return json(200, { apiKeys: all.slice(offset, offset + limit), total: all.length });
    });
    const ids: string[] = [];
    for await (const k of client.iterateApiKeys({ pageSize: 3 })) ids.push(k.apiKeyId);
    assert.deepEqual(ids, all.map((k) => k.apiKeyId));
    assert.deepEqual(calls.map((c) => new URL(c.url).search), ['?limit=3&offset=0', '?limit=3&offset=3', '?limit=3&offset=6']);
  });

  it('iterateApiKeys keeps going when the server caps pages below pageSize but total says more', async () => {
    const all = Array.from({ length: 5 }, (_, i) => ({ apiKeyId: `k${i}` }));
    const { client } = clientWith((req) => {
      const offset = Number(new URL(req.url).searchParams.get('offset'));
      return json(200, { apiKeys: all.slice(offset, offset + 2), total: 5 });
    });
    const ids: string[] = [];
    for await (const k of client.iterateApiKeys({ pageSize: 10 })) ids.push(k.apiKeyId);
    assert.equal(ids.length, 5);
  });

  it('iterateApiKeys stops on a short page when total is absent, and on an empty page', async () => {
    const { client, calls } = clientWith((req) => {
      const offset = Number(new URL(req.url).searchParams.get('offset'));
      return json(200, { apiKeys: offset === 0 ? [{ apiKeyId: 'a' }, { apiKeyId: 'b' }] : [{ apiKeyId: 'c' }] });
    });
    const ids: string[] = [];
    for await (const k of client.iterateApiKeys({ pageSize: 2 })) ids.push(k.apiKeyId);
    assert.deepEqual(ids, ['a', 'b', 'c']);
    assert.equal(calls.length, 2);
    const empty = clientWith(() => json(200, { apiKeys: [], total: 99 }));
    for await (const _ of empty.client.iterateApiKeys()) assert.fail('no keys expected');
    assert.equal(empty.calls.length, 1);
  });
});

describe('no secrets in errors or events', () => {
  it('errors and events from failing calls carry neither the secret, the signature, nor key values', async () => {
    const secret = 'VERY_SECRET_0123456789abcdefghijKLMNOP';
    const primary = 'Q'.repeat(40);
    const events: ClientEvent[] = [];
    const signatures: string[] = [];
    const responses = [
      () => json(401, { error: { errorCode: '200', message: 'Authentication Failed' } }),
      () => json(200, { apiKey: { apiKeyId: 7, primaryKey: primary } }),
      () => json(200, { apiKeyId: 'abcde12345', primaryKey: 12345, secondaryKey: primary }),
      () => {
        throw new TypeError('fetch failed');
      },
    ];
    const errors: unknown[] = [];
    for (const answer of responses) {
      const { fetch } = scriptedFetch((req) => {
        signatures.push(req.headers.get('x-ncp-apigw-signature-v2') ?? '');
        return answer();
      });
      const client = createApiGatewayClient({ credentials: { accessKey: 'AK', secretKey: secret }, endpoint: ENDPOINT, fetch, retry: { retries: 0 }, onEvent: (e) => events.push(e) });
      await client.getApiKey('abcde12345').then(
        () => assert.fail('expected a failure'),
        (e: unknown) => errors.push(e),
      );
    }
    const text = [...errors.map((e) => `${String(e)} ${JSON.stringify(e)} ${(e as Error).stack}`), JSON.stringify(events)].join('\n');
    for (const s of [secret, primary, ...signatures]) assert.equal(text.includes(s), false, `leaked ${s.slice(0, 6)}…`);
    assert.equal(errors.length, 4);
  });
});
