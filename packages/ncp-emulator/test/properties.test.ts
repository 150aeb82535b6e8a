import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { call, harness, json } from './helpers.ts';

const BASE = '/api/v1/api-keys';

// Printable code points only (no Cc controls); includes Hangul and astral characters.
const nameChar = fc.oneof(
  fc.constantFrom('a', 'Z', '0', '-', '_', ' ', '.'),
  fc.integer({ min: 0xac00, max: 0xd7a3 }).map((c) => String.fromCodePoint(c)),
  fc.integer({ min: 0x1f600, max: 0x1f64f }).map((c) => String.fromCodePoint(c)),
);

describe('properties', () => {
  test('any 1–20 code point name without controls round-trips through create and get', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(nameChar, { minLength: 1, maxLength: 20 }).map((a) => a.join('')), async (name) => {
        const h = harness();
        const res = await call(h, 'POST', BASE, { body: { apiKeyName: name } });
        assert.equal(res.status, 201);
        const { apiKey } = await json(res);
        const got = await json(await call(h, 'GET', `${BASE}/${apiKey.apiKeyId}`));
        assert.equal(got.apiKeyName, name);
      }),
      { numRuns: 60, seed: 11 },
    );
  });

  test('any name of 21–40 code points is refused and creates nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(nameChar, { minLength: 21, maxLength: 40 }).map((a) => a.join('')), async (name) => {
        const h = harness();
        assert.equal((await call(h, 'POST', BASE, { body: { apiKeyName: name } })).status, 400);
        assert.equal(h.emulator.inspect.keys().length, 0);
      }),
      { numRuns: 40, seed: 12 },
    );
  });

  test('a signature over any other query string is refused', async () => {
    const value = fc.stringMatching(/^[A-Za-z0-9]{1,8}$/);
    await fc.assert(
      fc.asyncProperty(value, value, async (sent, signed) => {
        fc.pre(sent !== signed);
        const h = harness();
        const res = await call(h, 'GET', `${BASE}?apiKeyName=${sent}`, { signedTarget: `${BASE}?apiKeyName=${signed}` });
        assert.equal(res.status, 401);
        assert.equal((await call(h, 'GET', `${BASE}?apiKeyName=${sent}`)).status, 200);
      }),
      { numRuns: 60, seed: 13 },
    );
  });
});
