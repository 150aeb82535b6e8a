// Acceptance: a server that verifies signature v2 on the raw request target with node:crypto (not core's
// code) accepts everything core signs, including queries with spaces, reserved and non-ASCII characters.

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createApiGatewayClient, createSigningFetch, type AuthError } from '@apikey/core';
import { CREDS, KEY, nodeSignature, startServer, type Loopback } from './helpers.ts';

const SKEW_MS = 5 * 60_000;

describe('an independent signature v2 verifier accepts core-signed requests', () => {
  let server: Loopback;
  const seen: { target: string; ok: boolean }[] = [];

  before(async () => {
    server = await startServer((req, res) => {
      const target = req.url ?? '';
      const ts = String(req.headers['x-ncp-apigw-timestamp'] ?? '');
      const ak = String(req.headers['x-ncp-iam-access-key'] ?? '');
      const sig = String(req.headers['x-ncp-apigw-signature-v2'] ?? '');
      const expected = ak === CREDS.accessKey ? nodeSignature(req.method ?? '', target, ts, ak, CREDS.secretKey) : '';
      const ok = /^\d{13}$/.test(ts) && Math.abs(Date.now() - Number(ts)) <= SKEW_MS && sig !== '' && sig === expected;
      seen.push({ target, ok });
      if (!ok) {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { errorCode: '200', message: 'Authentication Failed', details: 'Invalid authentication information.' } }));
        return;
      }
      const path = target.split('?')[0] ?? '';
      if (req.method === 'GET' && path === '/api/v1/api-keys') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ apiKeys: [KEY], total: 1, initialCount: 0 }));
      } else if (req.method === 'DELETE') {
        res.writeHead(204).end();
      } else {
        res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(req.method === 'GET' ? KEY : { apiKey: KEY }));
      }
    });
  });
  after(async () => {
    await server.close();
  });

  it('accepts the whole lifecycle without and with queries', async () => {
    const client = createApiGatewayClient({ credentials: CREDS, endpoint: `${server.url}/api/v1` });
    await client.createApiKey({ apiKeyName: 'my key', apiKeyDescription: '설명' });
    await client.listApiKeys();
    await client.listApiKeys({ apiKeyName: 'my key', limit: 10, offset: 0 });
    await client.listApiKeys({ apiKeyName: '키 (테스트)!*\'' });
    await client.getApiKey('abcde12345');
    await client.updateApiKey('abcde12345', { apiKeyName: 'n', isEnabled: false });
    await client.regenerateApiKey('abcde12345', 'SECONDARY');
    await client.deleteApiKey('abcde12345');
    assert.ok(seen.length >= 8);
    assert.deepEqual(seen.filter((s) => !s.ok), []);
    assert.ok(seen.some((s) => s.target === '/api/v1/api-keys?apiKeyName=%ED%82%A4%20%28%ED%85%8C%EC%8A%A4%ED%8A%B8%29%21%2A%27'));
  });

  it('accepts random non-ASCII, reserved and space-laden filters', async () => {
    const client = createApiGatewayClient({ credentials: CREDS, endpoint: `${server.url}/api/v1` });
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== '' && !/\p{Cc}/u.test(s) && [...s.trim()].length <= 20),
        async (name) => {
          const page = await client.listApiKeys({ apiKeyName: name, limit: 5 });
          assert.equal(page.total, 1);
        },
      ),
      { numRuns: 40 },
    );
  });

  it('accepts the signing fetch with raw, unencoded targets as the URL parser sends them', async () => {
    const signed = createSigningFetch({ credentials: CREDS });
    for (const q of ['?apiKeyName=my key', '?apiKeyName=my+key', '?apiKeyName=키', '?a=1&b=%2B09%3A00', '']) {
      const res = await signed(`${server.url}/api/v1/api-keys${q}`);
      await res.body?.cancel();
      assert.equal(res.status, 200, `target with ${JSON.stringify(q)}`);
    }
  });

  it('can fail: a V8-style signature over the unencoded query is refused when the encoded one is sent', async () => {
    const ts = String(Date.now());
    const wrong = nodeSignature('GET', '/api/v1/api-keys?apiKeyName=my key', ts, CREDS.accessKey, CREDS.secretKey);
    const res = await fetch(`${server.url}/api/v1/api-keys?apiKeyName=my%20key`, {
      headers: { 'x-ncp-apigw-timestamp': ts, 'x-ncp-iam-access-key': CREDS.accessKey, 'x-ncp-apigw-signature-v2': wrong },
    });
    await res.body?.cancel();
    assert.equal(res.status, 401);
    const client = createApiGatewayClient({ credentials: { accessKey: CREDS.accessKey, secretKey: 'wrong' }, endpoint: `${server.url}/api/v1` });
    await assert.rejects(client.getApiKey('abcde12345'), (e: AuthError) => e.code === 'ERR_APIKEY_AUTH' && e.ncpErrorCode === '200' && /clock/.test(e.hint));
  });
});
