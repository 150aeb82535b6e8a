import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { describe, test } from 'node:test';
import { createNcpEmulator, serve, type NcpEmulatorOptions, type ServedEmulator } from '../src/index.ts';
import { AK, SK, signedHeaders } from './helpers.ts';

const BASE = '/api/v1/api-keys';

async function withServer(opts: NcpEmulatorOptions, fn: (s: ServedEmulator, logs: string[]) => Promise<void>): Promise<void> {
  const logs: string[] = [];
  const s = await serve({ emulator: createNcpEmulator({ credentials: [{ accessKey: AK, secretKey: SK }], seed: 3, log: (l) => logs.push(l), ...opts }) });
  try {
    await fn(s, logs);
  } finally {
    await s.close();
  }
}

function signedFetch(s: ServedEmulator, method: string, target: string, init: { body?: unknown; signal?: AbortSignal } = {}): Promise<Response> {
  const headers: Record<string, string> = signedHeaders(method, target, Date.now());
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  return fetch(`http://127.0.0.1:${s.port}${target}`, {
    method,
    headers,
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    ...(init.signal !== undefined ? { signal: init.signal } : {}),
  });
}

/** Sends a request target byte-for-byte (fetch would normalise it), signed over `signedTarget`. */
function rawGet(s: ServedEmulator, target: string, signedTarget: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: s.port, method: 'GET', path: target, headers: signedHeaders('GET', target, Date.now(), { signedTarget }) }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serve() over real HTTP on 127.0.0.1', () => {
  test('listens on an ephemeral loopback port and runs the key lifecycle', async () => {
    await withServer({}, async (s) => {
      assert.equal(s.url, `http://127.0.0.1:${s.port}/api/v1`);
      assert.ok(s.port > 0);
      const created = await signedFetch(s, 'POST', BASE, { body: { apiKeyName: 'served' } });
      assert.equal(created.status, 201);
      assert.match(created.headers.get('x-ncp-trace-id') ?? '', /^[0-9a-f]{32}$/);
      const { apiKey } = await created.json();
      const got = await signedFetch(s, 'GET', `${BASE}/${apiKey.apiKeyId}`);
      assert.equal((await got.json()).apiKeyName, 'served');
      const del = await signedFetch(s, 'DELETE', `${BASE}/${apiKey.apiKeyId}`);
      assert.equal(del.status, 204);
      assert.equal(await del.text(), '');
      const unsigned = await fetch(`${s.url}/api-keys`);
      assert.equal(unsigned.status, 401);
      assert.equal((await unsigned.json()).error.errorCode, '200');
    });
  });

  test('verifies the raw request target, not a normalised one', async () => {
    await withServer({}, async (s) => {
      // The URL parser would turn {abc} into %7Babc%7D; the signature must cover what was actually sent.
      const raw = await rawGet(s, `${BASE}/{abc}`, `${BASE}/{abc}`);
      assert.equal(raw.status, 404, raw.body);
      assert.equal(JSON.parse(raw.body).error.errorCode, 'EMU-KEY-NOT-FOUND');
      const normalised = await rawGet(s, `${BASE}/{abc}`, `${BASE}/%7Babc%7D`);
      assert.equal(normalised.status, 401);
      const query = await rawGet(s, `${BASE}?apiKeyName=it's`, `${BASE}?apiKeyName=it's`);
      assert.equal(query.status, 200, query.body);
      assert.deepEqual(s.emulator.inspect.requests().map((r) => r.target), [`${BASE}/{abc}`, `${BASE}/{abc}`, `${BASE}?apiKeyName=it's`]);
    });
  });

  test('an injected drop destroys the connection without a response', async () => {
    await withServer({ faults: { dropRate: 1 } }, async (s) => {
      await assert.rejects(signedFetch(s, 'GET', BASE), TypeError);
      assert.deepEqual(s.emulator.inspect.requests().map((r) => [r.status, r.fault]), [[null, 'drop']]);
    });
  });

  test('an injected 429 reaches the client with Retry-After', async () => {
    await withServer({ faults: { statusRates: { 429: 1 }, retryAfterSeconds: 2 } }, async (s) => {
      const res = await signedFetch(s, 'GET', BASE);
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('retry-after'), '2');
      assert.equal((await res.json()).error.errorCode, '410');
    });
  });

  test('commit-then-fail timeout: the key is created, the client times out, the hang ends with the connection', async () => {
    await withServer({ faults: { commitThenFail: { rate: 1, mode: 'timeout' }, only: { method: 'POST' } } }, async (s) => {
      const controller = new AbortController();
      const pending = signedFetch(s, 'POST', BASE, { body: { apiKeyName: 'ghost' }, signal: controller.signal });
      while (s.emulator.inspect.keys().length === 0) await new Promise((r) => setTimeout(r, 2));
      controller.abort();
      await assert.rejects(pending, (e: unknown) => e instanceof Error && e.name === 'AbortError');
      while (s.emulator.inspect.requests()[0]?.fault !== 'commitThenFail:timeout') await new Promise((r) => setTimeout(r, 2));
      const list = await (await signedFetch(s, 'GET', `${BASE}?apiKeyName=ghost`)).json();
      assert.equal(list.total, 1);
    });
  });

  test('commit-then-fail drop: the key exists although the connection was reset', async () => {
    await withServer({ faults: { commitThenFail: { rate: 1, mode: 'drop' } } }, async (s) => {
      await assert.rejects(signedFetch(s, 'POST', BASE, { body: { apiKeyName: 'ghost' } }), TypeError);
      assert.equal(s.emulator.inspect.keys().length, 1);
    });
  });

  test('close() resolves while a request is still hanging', async () => {
    const s = await serve({ emulator: createNcpEmulator({ credentials: [{ accessKey: AK, secretKey: SK }], faults: { commitThenFail: { rate: 1, mode: 'timeout' } } }) });
    const pending = signedFetch(s, 'POST', BASE, { body: { apiKeyName: 'ghost' } });
    while (s.emulator.inspect.keys().length === 0) await new Promise((r) => setTimeout(r, 2));
    const rejected = assert.rejects(pending, TypeError);
    await s.close();
    await rejected;
  });

  test('log lines over HTTP carry no secrets', async () => {
    await withServer({}, async (s, logs) => {
      const { apiKey } = await (await signedFetch(s, 'POST', BASE, { body: { apiKeyName: 'logged' } })).json();
      await signedFetch(s, 'GET', `${BASE}/${apiKey.apiKeyId}`);
      assert.equal(logs.length, 2);
      const all = logs.join('\n');
      for (const secret of [AK, SK, apiKey.primaryKey, apiKey.secondaryKey]) assert.ok(!all.includes(secret));
    });
  });

  test('two servers get different ports and separate state', async () => {
    await withServer({}, async (a) => {
      await withServer({}, async (b) => {
        assert.notEqual(a.port, b.port);
        await signedFetch(a, 'POST', BASE, { body: { apiKeyName: 'only-a' } });
        assert.equal((await (await signedFetch(b, 'GET', BASE)).json()).total, 0);
      });
    });
  });
});

describe('serve() request limits', () => {
  test('a body over 1 MiB is refused with 413 / 430 before it is buffered whole', async () => {
    await withServer({}, async (s) => {
      const res = await signedFetch(s, 'POST', BASE, { body: { apiKeyName: 'x', pad: 'y'.repeat(1_100_000) } });
      assert.equal(res.status, 413);
      assert.equal((await res.json()).error.errorCode, '430');
      assert.equal(s.emulator.inspect.keys().length, 0);
    });
  });
});

describe('serve() request targets', () => {
  test('a target starting with // stays a path (404), it is not taken as a host', async () => {
    await withServer({}, async (s) => {
      const res = await rawGet(s, '//127.0.0.1/api/v1/api-keys', '//127.0.0.1/api/v1/api-keys');
      assert.equal(res.status, 404);
      assert.equal(JSON.parse(res.body).error.errorCode, '300');
    });
  });
});
