// Signature v2: published/computed vectors, the fetch wrapper's headers and timestamp discipline, and
// property tests that what is signed is exactly what goes on the wire.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import vectors from './fixtures/signature-v2-vectors.json' with { type: 'json' };
import { buildStringToSign, createApiGatewayClient, createSigningFetch, signV2 } from '@apikey/core';
import { CREDS, fakeClock, json, KEY, nodeSignature, scriptedFetch } from './helpers.ts';

describe('signature v2 vectors', () => {
  it('covers every vector in the fixture file', () => {
    assert.equal(vectors.length, 13);
  });
  for (const v of vectors) {
    it(`${v.id}: string-to-sign and signature match`, async () => {
      assert.equal(buildStringToSign(v.method, v.pathWithQuery, v.timestamp, v.accessKey), v.stringToSign);
      assert.equal(await signV2(v), v.signature);
    });
  }

  it('gives +, %20 and a raw space three different signatures (V6/V7/V8)', async () => {
    const sigs = new Set(vectors.filter((v) => /^V[678]-/.test(v.id)).map((v) => v.signature));
    assert.equal(sigs.size, 3);
    const base = { method: 'GET', timestamp: '1700000000000', accessKey: 'AK_TEST', secretKey: 'SK_TEST' };
    assert.notEqual(await signV2({ ...base, pathWithQuery: '/api/v1/api-keys?apiKeyName=my%20key' }), await signV2({ ...base, pathWithQuery: '/api/v1/api-keys?apiKeyName=my+key' }));
  });

  it('upper-cases the method in the string-to-sign', () => {
    assert.equal(buildStringToSign('get', '/a', '1', 'k'), 'GET /a\n1\nk');
  });

  it('reuses the signing key across secrets and signs each secret correctly (cache never mixes keys)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ minLength: 1, maxLength: 40 }), { minLength: 1, maxLength: 40 }), async (secrets) => {
        for (const secretKey of [...secrets, ...secrets]) {
          const sig = await signV2({ method: 'GET', pathWithQuery: '/p', timestamp: '1', accessKey: 'a', secretKey });
          assert.equal(sig, nodeSignature('GET', '/p', '1', 'a', secretKey));
        }
      }),
      { numRuns: 20 },
    );
  });
});

describe('createSigningFetch', () => {
  it('sets the three headers with one timestamp that is also the signed one', async () => {
    const clock = fakeClock(1_700_000_000_000);
    const { fetch, calls } = scriptedFetch(() => new Response('ok'));
    const signed = createSigningFetch({ credentials: CREDS, fetch, now: clock.now });
    await signed('http://127.0.0.1:1/api/v1/api-keys?apiKeyName=test&limit=10&offset=0');
    const c = calls[0]!;
    assert.equal(clock.reads(), 1, 'the clock is read once per attempt');
    assert.equal(c.headers.get('x-ncp-apigw-timestamp'), '1700000000000');
    assert.equal(c.headers.get('x-ncp-iam-access-key'), 'AK_TEST');
    assert.equal(c.headers.get('x-ncp-apigw-signature-v2'), 'UiDXqGxfCknJPDyvuN9gPxWNIlA0F8HHexrKC7Dq6LU=');
  });

  it('signs Request and URL inputs by their final method and target, keeping caller headers', async () => {
    const clock = fakeClock(1_700_000_000_000);
    const { fetch, calls } = scriptedFetch(() => new Response(null, { status: 204 }));
    const signed = createSigningFetch({ credentials: CREDS, fetch, now: clock.now });
    await signed(new Request('http://127.0.0.1:1/api/v1/api-keys/abcde12345', { method: 'DELETE', headers: { 'x-custom': '1' } }));
    await signed(new URL('http://127.0.0.1:1/api/v1/api-keys/abcde12345'), { method: 'patch', body: '{"keyType":"PRIMARY"}' });
    assert.equal(calls[0]!.method, 'DELETE');
    assert.equal(calls[0]!.headers.get('x-custom'), '1');
    assert.equal(calls[0]!.headers.get('x-ncp-apigw-signature-v2'), 'BZ1qivx6gdVu8iDd55KG5JYXn12HwK4WA5QvfrbR5Fo=');
    assert.equal(calls[1]!.method, 'PATCH');
    assert.equal(calls[1]!.headers.get('x-ncp-apigw-signature-v2'), 'BkolGo2m9luGOxOh1ljjGrX1TwuiSIxuRDzVAJILd00=');
  });

  it('gives each call its own timestamp and signature', async () => {
    const clock = fakeClock(1_700_000_000_000);
    const { fetch, calls } = scriptedFetch(() => new Response('ok'));
    const signed = createSigningFetch({ credentials: CREDS, fetch, now: clock.now });
    await signed('http://127.0.0.1:1/api/v1/api-keys');
    clock.advance(6 * 60_000);
    await signed('http://127.0.0.1:1/api/v1/api-keys');
    assert.equal(calls[1]!.headers.get('x-ncp-apigw-timestamp'), String(1_700_000_000_000 + 6 * 60_000));
    assert.notEqual(calls[0]!.headers.get('x-ncp-apigw-signature-v2'), calls[1]!.headers.get('x-ncp-apigw-signature-v2'));
  });

  it('signs what the URL parser will send for raw targets (unencoded, encoded, non-ASCII)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.constantFrom('', 'x%20y', '%ED%82%A4', 'a+b'), async (raw, encoded) => {
        const { fetch, calls } = scriptedFetch(() => new Response('ok'));
        const signed = createSigningFetch({ credentials: CREDS, fetch, now: () => 1_700_000_000_000 });
        const input = `http://127.0.0.1:1/api/v1/api-keys?q=${encodeURIComponent(raw)}&r=${encoded}&s=${raw.replace(/[#&%]/g, '')}`;
        await signed(input);
        const sent = new URL(calls[0]!.url);
        const target = sent.pathname + sent.search;
        assert.equal(calls[0]!.headers.get('x-ncp-apigw-signature-v2'), nodeSignature('GET', target, '1700000000000', CREDS.accessKey, CREDS.secretKey));
      }),
      { numRuns: 60 },
    );
  });
});

describe('client query composition', () => {
  it('builds the list query once with RFC 3986 encoding and signs exactly that target', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).filter((s) => s.trim() !== '' && !/[\p{Cc}]/u.test(s) && [...s.trim()].length <= 20),
        fc.integer({ min: 1, max: 1000 }),
        fc.integer({ min: 0, max: 100_000 }),
        async (name, limit, offset) => {
          const { fetch, calls } = scriptedFetch(() => json(200, { apiKeys: [], total: 0 }));
          const client = createApiGatewayClient({ credentials: CREDS, endpoint: 'http://127.0.0.1:1/api/v1', fetch, now: () => 1_700_000_000_000 });
          await client.listApiKeys({ apiKeyName: name, limit, offset });
          const sent = new URL(calls[0]!.url);
          const target = sent.pathname + sent.search;
          // Fixed key order, and the value round-trips to the trimmed name.
          assert.match(target, /^\/api\/v1\/api-keys\?apiKeyName=[^&]*&limit=\d+&offset=\d+$/);
          assert.equal(sent.searchParams.get('apiKeyName'), name.trim());
          assert.equal(target.includes(' ') || target.includes('+') || /[^\x21-\x7e]/.test(target), false, 'only encoded ASCII goes on the wire');
          assert.equal(calls[0]!.headers.get('x-ncp-apigw-signature-v2'), nodeSignature('GET', target, '1700000000000', CREDS.accessKey, CREDS.secretKey));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('omits the ? when there is no query and never adds a trailing or double slash', async () => {
    const { fetch, calls } = scriptedFetch(() => json(200, { apiKeys: [KEY], total: 1 }));
    const client = createApiGatewayClient({ credentials: CREDS, endpoint: 'http://127.0.0.1:1/api/v1/', fetch });
    await client.listApiKeys();
    assert.equal(new URL(calls[0]!.url).pathname + new URL(calls[0]!.url).search, '/api/v1/api-keys');
  });
});
