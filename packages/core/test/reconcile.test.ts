// Create reconciliation rules with a scripted server: which key is adopted after an ambiguous failure,
// which is never adopted, and when the client refuses to post again.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createApiGatewayClient, type ApiKey, type ApiKeyError, type ClientEvent } from '@apikey/core';
import { CREDS, json, recordingSleep, scriptedFetch, type Captured } from './helpers.ts';

const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const key = (id: string, name: string, modMs: number, description = ''): ApiKey => ({
  apiKeyId: id,
  apiKeyName: name,
  apiKeyDescription: description,
  primaryKey: `P${id}`.padEnd(40, 'p'),
  secondaryKey: `S${id}`.padEnd(40, 's'),
  modTime: iso(modMs),
});

type PostOutcome = 'commit-503' | '503' | 'commit-drop' | 'drop' | '201' | '429' | 'commit-garbage';

/** A tiny NCP: a key table, list by name (without key values), GET one, and scripted POST outcomes. */
function fakeNcp(initial: ApiKey[], posts: PostOutcome[], opts: { failListsAfter?: number } = {}) {
  const keys = [...initial];
  let postN = 0;
  let listN = 0;
  let seq = 0;
  const { fetch, calls } = scriptedFetch((req: Captured) => {
    const u = new URL(req.url);
    if (req.method === 'GET' && u.pathname.endsWith('/api-keys')) {
      listN++;
      if (opts.failListsAfter !== undefined && listN > opts.failListsAfter) return json(401, { error: { errorCode: '200', message: 'Authentication Failed' } });
      const name = u.searchParams.get('apiKeyName') ?? '';
      const found = keys.filter((k) => (k.apiKeyName ?? '').includes(name)).map(({ primaryKey: _p, secondaryKey: _s, ...rest }) => rest);
      return json(200, { apiKeys: found, total: found.length });
    }
    if (req.method === 'GET') {
      const k = keys.find((x) => u.pathname.endsWith(`/${x.apiKeyId}`));
      return k ? json(200, k) : json(404, { error: { errorCode: '300', message: 'Not Found' } });
    }
    const outcome = posts[postN++] ?? '201';
    const body = JSON.parse(req.body) as { apiKeyName: string; apiKeyDescription: string };
    const made = key(`new${String(++seq).padStart(7, '0')}`, body.apiKeyName, T0 + 1000, body.apiKeyDescription);
    if (outcome.startsWith('commit') || outcome === '201') keys.push(made);
    if (outcome === '201') return json(201, { apiKey: made });
    if (outcome === '429') return json(429, {}, { 'retry-after': '1' });
    if (outcome === 'commit-garbage') return new Response('<html>ok</html>', { status: 201 });
    if (outcome.endsWith('drop')) throw new TypeError('fetch failed', { cause: { code: 'ECONNRESET' } });
    return new Response('', { status: 503 });
  });
  return { fetch, calls, keys, posts: () => calls.filter((c) => c.method === 'POST').length };
}

function clientFor(ncp: ReturnType<typeof fakeNcp>, events: ClientEvent[] = []) {
  return createApiGatewayClient({ credentials: CREDS, endpoint: 'http://127.0.0.1:9/api/v1', fetch: ncp.fetch, now: () => T0, retry: { sleep: recordingSleep().sleep }, onEvent: (e) => events.push(e) });
}

describe('create reconciliation', () => {
  it('adopts the key a 503 committed, with its key values, and posts once', async () => {
    const ncp = fakeNcp([], ['commit-503']);
    const events: ClientEvent[] = [];
    const k = await clientFor(ncp, events).createApiKey({ apiKeyName: 'svc', apiKeyDescription: 'd' });
    assert.equal(ncp.posts(), 1);
    assert.equal(ncp.keys.length, 1);
    assert.equal(k.apiKeyId, ncp.keys[0]!.apiKeyId);
    assert.equal(k.primaryKey, ncp.keys[0]!.primaryKey, 're-read with GET one because list items lack key values');
    assert.deepEqual(events.filter((e) => e.type === 'reconcile').map((e) => e.reason), ['adopted']);
  });

  it('adopts after a dropped connection that committed', async () => {
    const ncp = fakeNcp([], ['commit-drop']);
    const k = await clientFor(ncp).createApiKey({ apiKeyName: 'svc' });
    assert.equal(ncp.posts(), 1);
    assert.equal(k.apiKeyId, ncp.keys[0]!.apiKeyId);
  });

  it('posts again when the failure created nothing, and ends with one key', async () => {
    const ncp = fakeNcp([], ['503', 'drop', '201']);
    const k = await clientFor(ncp).createApiKey({ apiKeyName: 'svc' });
    assert.equal(ncp.posts(), 3);
    assert.deepEqual(ncp.keys.map((x) => x.apiKeyId), [k.apiKeyId]);
  });

  it('never adopts a same-named key that existed before the call, even a recent one', async () => {
    const ncp = fakeNcp([key('old0000001', 'svc', T0 - 1000)], ['503', '201']);
    const k = await clientFor(ncp).createApiKey({ apiKeyName: 'svc' });
    assert.notEqual(k.apiKeyId, 'old0000001');
    assert.equal(ncp.posts(), 2);
  });

  it('ignores keys whose name only contains ours (NCP filters by substring)', async () => {
    const ncp = fakeNcp([], ['503', '201']);
    ncp.keys.push(key('lateother1', 'svc-other', T0 + 500));
    const k = await clientFor(ncp).createApiKey({ apiKeyName: 'svc' });
    assert.equal(k.apiKeyName, 'svc');
  });

  it('does not adopt a new same-named key whose modTime is far outside the call window', async () => {
    const ncp = fakeNcp([], ['503', '201']);
    // Appears after the snapshot, but stamped an hour earlier: not made by this call.
    const original = ncp.fetch;
    let injected = false;
    const wrapped = (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (!injected && init?.method === 'POST') {
        injected = true;
        ncp.keys.push(key('stale00001', 'svc', T0 - 3_600_000));
      }
      return original(input, init);
    }) as typeof fetch;
    const k = await createApiGatewayClient({ credentials: CREDS, endpoint: 'http://127.0.0.1:9/api/v1', fetch: wrapped, now: () => T0, retry: { sleep: recordingSleep().sleep } }).createApiKey({ apiKeyName: 'svc' });
    assert.notEqual(k.apiKeyId, 'stale00001');
  });

  it('prefers the candidate whose description matches', async () => {
    const ncp = fakeNcp([], ['commit-503']);
    const original = ncp.fetch;
    const wrapped = (async (input: RequestInfo | URL, init?: RequestInit) => {
      if (init?.method === 'POST') ncp.keys.push(key('concurrent', 'svc', T0 + 2000, 'someone else'));
      return original(input, init);
    }) as typeof fetch;
    const k = await createApiGatewayClient({ credentials: CREDS, endpoint: 'http://127.0.0.1:9/api/v1', fetch: wrapped, now: () => T0, retry: { sleep: recordingSleep().sleep } }).createApiKey({ apiKeyName: 'svc', apiKeyDescription: 'mine' });
    assert.notEqual(k.apiKeyId, 'concurrent');
    assert.equal(k.apiKeyDescription, 'mine');
  });

  it('a 429 is retried without a reconciliation listing', async () => {
    const ncp = fakeNcp([], ['429', '201']);
    const events: ClientEvent[] = [];
    await clientFor(ncp, events).createApiKey({ apiKeyName: 'svc' });
    assert.equal(ncp.posts(), 2);
    assert.equal(events.filter((e) => e.type === 'reconcile').length, 0);
    assert.equal(ncp.calls.filter((c) => c.method === 'GET').length, 1, 'only the snapshot listing');
  });

  it('when the reconciliation listing fails, throws the original error and does not post again', async () => {
    const ncp = fakeNcp([], ['503', '201'], { failListsAfter: 1 });
    await assert.rejects(clientFor(ncp).createApiKey({ apiKeyName: 'svc' }), (e: ApiKeyError) => e.code === 'ERR_APIKEY_SERVER' && e.status === 503);
    assert.equal(ncp.posts(), 1);
  });

  it('an unreadable 201 is resolved by finding the key it created', async () => {
    const ncp = fakeNcp([], ['commit-garbage']);
    const k = await clientFor(ncp).createApiKey({ apiKeyName: 'svc' });
    assert.equal(k.apiKeyId, ncp.keys[0]!.apiKeyId);
    assert.equal(ncp.posts(), 1);
  });

  it('gives up after the configured retries with the last error, never exceeding one key', async () => {
    const ncp = fakeNcp([], ['503', '503', '503']);
    const c = createApiGatewayClient({ credentials: CREDS, endpoint: 'http://127.0.0.1:9/api/v1', fetch: ncp.fetch, now: () => T0, retry: { retries: 2, sleep: recordingSleep().sleep } });
    await assert.rejects(c.createApiKey({ apiKeyName: 'svc' }), (e: ApiKeyError) => e.code === 'ERR_APIKEY_SERVER');
    assert.equal(ncp.posts(), 3);
    assert.equal(ncp.keys.length, 0);
  });
});
