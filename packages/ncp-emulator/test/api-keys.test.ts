import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { call, createKey, harness, json } from './helpers.ts';

const BASE = '/api/v1/api-keys';

async function expectError(res: Response, status: number, errorCode: string, detailsPattern?: RegExp): Promise<void> {
  assert.equal(res.status, status);
  const body = await json(res);
  assert.equal(body.error.errorCode, errorCode, JSON.stringify(body));
  assert.equal(typeof body.error.message, 'string');
  if (detailsPattern) assert.match(body.error.details, detailsPattern);
}

describe('create (POST /api-keys)', () => {
  test('answers 201 with {apiKey} holding NCP-shaped values', async () => {
    const h = harness();
    const res = await call(h, 'POST', BASE, { body: { apiKeyName: 'apiKey-1', apiKeyDescription: 'for billing' } });
    assert.equal(res.status, 201);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    const { apiKey } = await json(res);
    assert.match(apiKey.apiKeyId, /^[a-z0-9]{10}$/);
    assert.match(apiKey.tenantId, /^[0-9a-f]{32}$/);
    assert.match(apiKey.primaryKey, /^[A-Za-z0-9]{40}$/);
    assert.match(apiKey.secondaryKey, /^[A-Za-z0-9]{40}$/);
    assert.notEqual(apiKey.primaryKey, apiKey.secondaryKey);
    assert.match(apiKey.modifier, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(apiKey.modTime, '2023-11-14T22:13:20Z');
    assert.equal(apiKey.isEnabled, true);
    assert.equal(apiKey.apiKeyName, 'apiKey-1');
    assert.equal(apiKey.apiKeyDescription, 'for billing');
    assert.equal(apiKey.domainCode, 'PUB');
    assert.equal('createdAt' in apiKey, false);
  });

  test('the description defaults to an empty string', async () => {
    const key = await createKey(harness(), 'no-desc');
    assert.equal(key.apiKeyDescription, '');
  });

  test('names are counted in code points: 20 Hangul or emoji are accepted, 21 refused', async () => {
    const h = harness();
    assert.equal((await createKey(h, '키'.repeat(20))).apiKeyName, '키'.repeat(20));
    assert.equal((await createKey(h, '😀'.repeat(20))).apiKeyName, '😀'.repeat(20));
    await expectError(await call(h, 'POST', BASE, { body: { apiKeyName: 'a'.repeat(21) } }), 400, 'EMU-INVALID-FIELD', /apiKeyName must be 1–20/);
  });

  test('an empty or missing name is refused unless allowEmptyName', async () => {
    const h = harness();
    await expectError(await call(h, 'POST', BASE, { body: { apiKeyName: '' } }), 400, 'EMU-INVALID-FIELD', /apiKeyName/);
    await expectError(await call(h, 'POST', BASE, { body: { apiKeyDescription: 'x' } }), 400, 'EMU-INVALID-FIELD', /apiKeyName is required/);
    await expectError(await call(h, 'POST', BASE, { body: { apiName: 'docs-typo' } }), 400, 'EMU-INVALID-FIELD', /apiKeyName is required/);
    const lenient = harness({ behaviour: { allowEmptyName: true } });
    assert.equal((await createKey(lenient, '')).apiKeyName, '');
  });

  test('a description over 50 code points, control characters and wrong types are refused', async () => {
    const h = harness();
    await expectError(await call(h, 'POST', BASE, { body: { apiKeyName: 'n', apiKeyDescription: 'd'.repeat(51) } }), 400, 'EMU-INVALID-FIELD', /apiKeyDescription must be 0–50/);
    assert.equal((await createKey(h, 'n', 'd'.repeat(50))).apiKeyDescription.length, 50);
    await expectError(await call(h, 'POST', BASE, { body: { apiKeyName: 'tab\there' } }), 400, 'EMU-INVALID-FIELD', /control characters/);
    await expectError(await call(h, 'POST', BASE, { body: { apiKeyName: 'n', apiKeyDescription: 'line\nbreak' } }), 400, 'EMU-INVALID-FIELD', /control/);
    await expectError(await call(h, 'POST', BASE, { body: { apiKeyName: 'del\u007f' } }), 400, 'EMU-INVALID-FIELD');
    await expectError(await call(h, 'POST', BASE, { body: { apiKeyName: 42 } }), 400, 'EMU-INVALID-FIELD', /string/);
    assert.equal(h.emulator.inspect.keys().length, 1, 'only the valid request created a key');
  });

  test('bad JSON, a missing body, a non-object body and a non-JSON content type are 400', async () => {
    const h = harness();
    await expectError(await call(h, 'POST', BASE, { rawBody: '{"apiKeyName":' }), 400, 'EMU-BAD-JSON', /not valid JSON/);
    await expectError(await call(h, 'POST', BASE), 400, 'EMU-BAD-JSON', /required/);
    await expectError(await call(h, 'POST', BASE, { body: ['apiKeyName'] }), 400, 'EMU-BAD-JSON', /object/);
    await expectError(await call(h, 'POST', BASE, { body: { apiKeyName: 'n' }, contentType: 'text/plain' }), 400, 'EMU-CONTENT-TYPE');
    await expectError(await call(h, 'POST', BASE, { body: { apiKeyName: 'n' }, contentType: null }), 400, 'EMU-CONTENT-TYPE');
    const lenient = harness({ behaviour: { requireJsonContentType: false } });
    assert.equal((await call(lenient, 'POST', BASE, { body: { apiKeyName: 'n' }, contentType: null })).status, 201);
    assert.equal(h.emulator.inspect.keys().length, 0);
  });

  test('a body over maxBodyBytes is 413 with NCP code 430', async () => {
    const h = harness({ behaviour: { maxBodyBytes: 100 } });
    await expectError(await call(h, 'POST', BASE, { body: { apiKeyName: 'n', pad: 'x'.repeat(200) } }), 413, '430');
  });

  test('duplicate names are allowed by default and refused with uniqueNames', async () => {
    const h = harness();
    await createKey(h, 'same');
    await createKey(h, 'same');
    assert.equal(h.emulator.inspect.keys().length, 2);
    const strict = harness({ behaviour: { uniqueNames: true } });
    await createKey(strict, 'same');
    await expectError(await call(strict, 'POST', BASE, { body: { apiKeyName: 'same' } }), 409, 'EMU-DUPLICATE-NAME');
  });

  test('maxKeys caps the number of keys', async () => {
    const h = harness({ behaviour: { maxKeys: 1 } });
    await createKey(h, 'first');
    await expectError(await call(h, 'POST', BASE, { body: { apiKeyName: 'second' } }), 400, 'EMU-KEY-LIMIT');
  });

  test('the same seed generates the same ids and key values; another seed does not', async () => {
    const a = await createKey(harness({ seed: 7 }), 'x');
    const b = await createKey(harness({ seed: 7 }), 'x');
    const c = await createKey(harness({ seed: 8 }), 'x');
    assert.deepEqual(a, b);
    assert.notEqual(a.apiKeyId, c.apiKeyId);
    assert.notEqual(a.primaryKey, c.primaryKey);
  });
});

describe('get one (GET /api-keys/{id})', () => {
  test('returns the key flat, with key values', async () => {
    const h = harness();
    const created = await createKey(h, 'flat');
    const res = await call(h, 'GET', `${BASE}/${created.apiKeyId}`);
    assert.equal(res.status, 200);
    assert.deepEqual(await json(res), created);
  });

  test('an unknown id is 404 with an emulator-defined code (not 10008)', async () => {
    await expectError(await call(harness(), 'GET', `${BASE}/abcde12345`), 404, 'EMU-KEY-NOT-FOUND', /abcde12345/);
  });
});

describe('list (GET /api-keys)', () => {
  async function seeded(n: number, opts = {}) {
    const h = harness(opts);
    for (let i = 0; i < n; i++) await createKey(h, i % 2 === 0 ? `alpha-${i}` : `beta-${i}`);
    return h;
  }

  test('returns {apiKeys,total,initialCount} in creation order without key values', async () => {
    const h = await seeded(3);
    const body = await json(await call(h, 'GET', BASE));
    assert.deepEqual(body.apiKeys.map((k: any) => k.apiKeyName), ['alpha-0', 'beta-1', 'alpha-2']);
    assert.equal(body.total, 3);
    assert.equal(body.initialCount, 0);
    for (const k of body.apiKeys) {
      assert.equal('primaryKey' in k, false);
      assert.equal('secondaryKey' in k, false);
      assert.match(k.apiKeyId, /^[a-z0-9]{10}$/);
    }
  });

  test('includeKeysInList adds key values; initialCount and domainCode are configurable', async () => {
    const h = await seeded(1, { behaviour: { includeKeysInList: true, initialCount: 5, domainCode: 'GOV' } });
    const body = await json(await call(h, 'GET', BASE));
    assert.match(body.apiKeys[0].primaryKey, /^[A-Za-z0-9]{40}$/);
    assert.equal(body.initialCount, 5);
    assert.equal(body.apiKeys[0].domainCode, 'GOV');
  });

  test('limit and offset page the results and total counts every match', async () => {
    const h = await seeded(5);
    const body = await json(await call(h, 'GET', `${BASE}?limit=2&offset=1`));
    assert.deepEqual(body.apiKeys.map((k: any) => k.apiKeyName), ['beta-1', 'alpha-2']);
    assert.equal(body.total, 5);
    const past = await json(await call(h, 'GET', `${BASE}?limit=2&offset=10`));
    assert.deepEqual(past.apiKeys, []);
    assert.equal(past.total, 5);
  });

  test('order newest-first lists the latest key first; a bad order is refused', async () => {
    const h = await seeded(3, { behaviour: { order: 'newest-first' } });
    const body = await json(await call(h, 'GET', `${BASE}?limit=2`));
    assert.deepEqual(body.apiKeys.map((k: any) => k.apiKeyName), ['alpha-2', 'beta-1']);
    assert.throws(() => harness({ behaviour: { order: 'random' as never } }), /behaviour\.order/);
  });

  test('the default page size is 10 (defaultLimit changes it)', async () => {
    const h = await seeded(12);
    assert.equal((await json(await call(h, 'GET', BASE))).apiKeys.length, 10);
    const small = await seeded(3, { behaviour: { defaultLimit: 2 } });
    assert.equal((await json(await call(small, 'GET', BASE))).apiKeys.length, 2);
  });

  test('apiKeyName filters by case-sensitive substring, total counts matches', async () => {
    const h = await seeded(5);
    const body = await json(await call(h, 'GET', `${BASE}?apiKeyName=alpha&limit=1`));
    assert.deepEqual(body.apiKeys.map((k: any) => k.apiKeyName), ['alpha-0']);
    assert.equal(body.total, 3);
    assert.equal((await json(await call(h, 'GET', `${BASE}?apiKeyName=ALPHA`))).total, 0);
    assert.equal((await json(await call(h, 'GET', `${BASE}?apiKeyName=`))).total, 5);
  });

  test('a percent-encoded Hangul filter matches', async () => {
    const h = harness();
    await createKey(h, '결제-키');
    await createKey(h, 'other');
    const body = await json(await call(h, 'GET', `${BASE}?apiKeyName=${encodeURIComponent('키')}`));
    assert.deepEqual(body.apiKeys.map((k: any) => k.apiKeyName), ['결제-키']);
  });

  for (const bad of ['limit=0', 'limit=-1', 'limit=1.5', 'limit=abc', 'limit=', 'offset=-1', 'offset=1e3', 'limit=99999999999999999999']) {
    test(`${bad} is refused with 400`, async () => {
      await expectError(await call(harness(), 'GET', `${BASE}?${bad}`), 400, 'EMU-INVALID-QUERY', /must be an integer/);
    });
  }

  test('a filter over 20 characters is refused', async () => {
    await expectError(await call(harness(), 'GET', `${BASE}?apiKeyName=${'a'.repeat(21)}`), 400, 'EMU-INVALID-QUERY');
  });
});

describe('update (PUT /api-keys/{id})', () => {
  test('replaces name, description and enabled state and returns {apiKey}', async () => {
    const h = harness();
    const key = await createKey(h, 'before', 'old');
    h.clock.advance(60_000);
    const res = await call(h, 'PUT', `${BASE}/${key.apiKeyId}`, { body: { apiKeyName: 'after', isEnabled: false } });
    assert.equal(res.status, 200);
    const { apiKey } = await json(res);
    assert.equal(apiKey.apiKeyName, 'after');
    assert.equal(apiKey.apiKeyDescription, '', 'PUT replaces the description too');
    assert.equal(apiKey.isEnabled, false);
    assert.equal(apiKey.primaryKey, key.primaryKey);
    assert.equal(apiKey.modTime, '2023-11-14T22:14:20Z');
    assert.equal((await json(await call(h, 'GET', `${BASE}/${key.apiKeyId}`))).isEnabled, false);
  });

  test('apiKeyName and isEnabled are required', async () => {
    const h = harness();
    const key = await createKey(h, 'keep');
    await expectError(await call(h, 'PUT', `${BASE}/${key.apiKeyId}`, { body: { isEnabled: true } }), 400, 'EMU-INVALID-FIELD', /apiKeyName is required/);
    await expectError(await call(h, 'PUT', `${BASE}/${key.apiKeyId}`, { body: { apiKeyName: 'x' } }), 400, 'EMU-INVALID-FIELD', /isEnabled is required/);
    await expectError(await call(h, 'PUT', `${BASE}/${key.apiKeyId}`, { body: { apiKeyName: 'x', isEnabled: 'true' } }), 400, 'EMU-INVALID-FIELD', /boolean/);
    assert.equal(h.emulator.inspect.keys()[0]?.apiKeyName, 'keep');
  });

  test('an unknown id is 404', async () => {
    await expectError(await call(harness(), 'PUT', `${BASE}/zzzzzzzzzz`, { body: { apiKeyName: 'x', isEnabled: true } }), 404, 'EMU-KEY-NOT-FOUND');
  });
});

describe('regenerate (PATCH /api-keys/{id})', () => {
  test('PRIMARY replaces only the primary key and leaves isEnabled unchanged', async () => {
    const h = harness();
    const key = await createKey(h, 'rotate');
    await call(h, 'PUT', `${BASE}/${key.apiKeyId}`, { body: { apiKeyName: 'rotate', isEnabled: false } });
    const res = await call(h, 'PATCH', `${BASE}/${key.apiKeyId}`, { body: { keyType: 'PRIMARY' } });
    assert.equal(res.status, 200);
    const { apiKey } = await json(res);
    assert.notEqual(apiKey.primaryKey, key.primaryKey);
    assert.match(apiKey.primaryKey, /^[A-Za-z0-9]{40}$/);
    assert.equal(apiKey.secondaryKey, key.secondaryKey);
    assert.equal(apiKey.isEnabled, false);
  });

  test('SECONDARY replaces only the secondary key', async () => {
    const h = harness();
    const key = await createKey(h, 'rotate');
    const { apiKey } = await json(await call(h, 'PATCH', `${BASE}/${key.apiKeyId}`, { body: { keyType: 'SECONDARY' } }));
    assert.equal(apiKey.primaryKey, key.primaryKey);
    assert.notEqual(apiKey.secondaryKey, key.secondaryKey);
    assert.equal(apiKey.isEnabled, true);
  });

  test('a missing or unknown keyType is 400 and changes nothing', async () => {
    const h = harness();
    const key = await createKey(h, 'rotate');
    await expectError(await call(h, 'PATCH', `${BASE}/${key.apiKeyId}`, { body: {} }), 400, 'EMU-INVALID-FIELD', /keyType is required/);
    await expectError(await call(h, 'PATCH', `${BASE}/${key.apiKeyId}`, { body: { keyType: 'primary' } }), 400, 'EMU-INVALID-FIELD', /PRIMARY or SECONDARY/);
    assert.equal(h.emulator.inspect.keys()[0]?.primaryKey, key.primaryKey);
  });

  test('an unknown id is 404', async () => {
    await expectError(await call(harness(), 'PATCH', `${BASE}/zzzzzzzzzz`, { body: { keyType: 'PRIMARY' } }), 404, 'EMU-KEY-NOT-FOUND');
  });
});

describe('delete (DELETE /api-keys/{id})', () => {
  test('answers 204 with an empty body, then the key is gone', async () => {
    const h = harness();
    const key = await createKey(h, 'bye');
    const res = await call(h, 'DELETE', `${BASE}/${key.apiKeyId}`);
    assert.equal(res.status, 204);
    assert.equal(await res.text(), '');
    await expectError(await call(h, 'GET', `${BASE}/${key.apiKeyId}`), 404, 'EMU-KEY-NOT-FOUND');
    await expectError(await call(h, 'DELETE', `${BASE}/${key.apiKeyId}`), 404, 'EMU-KEY-NOT-FOUND');
    assert.equal(h.emulator.inspect.keys().length, 0);
  });
});

describe('routing', () => {
  test('unknown routes are 404 with NCP code 300, including trailing and double slashes', async () => {
    const h = harness();
    await expectError(await call(h, 'GET', '/api/v1/nothing'), 404, '300');
    await expectError(await call(h, 'GET', `${BASE}/`), 404, '300');
    await expectError(await call(h, 'GET', '/api/v1//api-keys'), 404, '300');
    await expectError(await call(h, 'GET', '/api-keys'), 404, '300');
  });

  test('a wrong method on a known path is 405 with an Allow header', async () => {
    const h = harness();
    const res = await call(h, 'DELETE', BASE);
    assert.equal(res.headers.get('allow'), 'GET, POST');
    await expectError(res, 405, 'EMU-METHOD-NOT-ALLOWED');
    await expectError(await call(h, 'POST', `${BASE}/abcde12345`, { body: {} }), 405, 'EMU-METHOD-NOT-ALLOWED');
  });

  test('documented NCP endpoints the emulator lacks answer 501', async () => {
    const h = harness();
    await expectError(await call(h, 'POST', `${BASE}/search`, { body: { productId: 'p' } }), 501, 'EMU-NOT-IMPLEMENTED');
    await expectError(await call(h, 'GET', '/api/v1/dashboards/api-keys'), 501, 'EMU-NOT-IMPLEMENTED');
  });

  test('every response carries a distinct x-ncp-trace-id', async () => {
    const h = harness();
    const ids = new Set<string>();
    for (const res of [await call(h, 'GET', BASE), await call(h, 'GET', '/api/v1/x'), await call(h, 'POST', BASE, { body: { apiKeyName: 'a' } })]) {
      const id = res.headers.get('x-ncp-trace-id');
      assert.match(id ?? '', /^[0-9a-f]{32}$/);
      ids.add(id ?? '');
    }
    assert.equal(ids.size, 3);
  });
});

describe('inspection and logs', () => {
  test('requests() records method, raw target, status and timestamp header but no credentials', async () => {
    const h = harness();
    const key = await createKey(h, 'seen');
    await call(h, 'GET', `${BASE}?apiKeyName=seen`, { secretKey: 'WRONG' });
    const seen = h.emulator.inspect.requests();
    assert.deepEqual(seen.map((r) => [r.method, r.target, r.status, r.timestamp]), [
      ['POST', BASE, 201, '1700000000000'],
      ['GET', `${BASE}?apiKeyName=seen`, 401, '1700000000000'],
    ]);
    const dump = JSON.stringify(seen);
    assert.doesNotMatch(dump, /AK_TEST|SK_TEST|signature/i);
    assert.ok(!dump.includes(key.primaryKey));
  });

  test('reset() clears keys and requests', async () => {
    const h = harness();
    await createKey(h, 'gone');
    h.emulator.inspect.reset();
    assert.equal(h.emulator.inspect.keys().length, 0);
    assert.equal(h.emulator.inspect.requests().length, 0);
  });

  test('log lines state method, path, status and duration and never keys, signatures or access keys', async () => {
    const h = harness();
    const key = await createKey(h, 'logged');
    const regenerated = await json(await call(h, 'PATCH', `${BASE}/${key.apiKeyId}`, { body: { keyType: 'PRIMARY' } }));
    await call(h, 'GET', BASE, { secretKey: 'WRONG' });
    assert.equal(h.logs.length, 3);
    assert.match(h.logs[0] ?? '', /^POST \/api\/v1\/api-keys 201 \d+ms$/);
    assert.match(h.logs[2] ?? '', /^GET \/api\/v1\/api-keys 401 \d+ms$/);
    const all = h.logs.join('\n');
    for (const secret of ['AK_TEST', 'SK_TEST', key.primaryKey, key.secondaryKey, regenerated.apiKey.primaryKey]) {
      assert.ok(!all.includes(secret), `log leaks ${secret.slice(0, 4)}…`);
    }
  });
});
