// Input rules (code points, control characters, trimming) and response/error-envelope schemas.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  API_KEY_DESCRIPTION_MAX,
  API_KEY_NAME_MAX,
  apiKeyDescriptionSchema,
  apiKeyNameSchema,
  apiKeySchema,
  countCodePoints,
  createApiKeyInputSchema,
  ncpErrorEnvelopeSchema,
  parseNcpErrorBody,
  updateApiKeyInputSchema,
  validateApiKeyDescription,
  validateApiKeyName,
} from '@apikey/core';

const isControl = (cp: number): boolean => cp <= 0x1f || (cp >= 0x7f && cp <= 0x9f);
const controlChar = fc.oneof(fc.integer({ min: 0, max: 0x1f }), fc.constant(0x7f), fc.integer({ min: 0x80, max: 0x9f })).map((cp) => String.fromCodePoint(cp));
// Printable, non-whitespace code points from every plane, including astral ones (emoji, CJK ext).
const printable = fc
  .oneof(fc.integer({ min: 0x21, max: 0x7e }), fc.integer({ min: 0xac00, max: 0xd7a3 }), fc.integer({ min: 0x1f300, max: 0x1faff }), fc.integer({ min: 0x20000, max: 0x2a6df }))
  .map((cp) => String.fromCodePoint(cp));
const word = (min: number, max: number) => fc.array(printable, { minLength: min, maxLength: max }).map((a) => a.join(''));

describe('countCodePoints', () => {
  it('counts code points, not UTF-16 units', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        assert.equal(countCodePoints(s), [...s].length);
      }),
    );
    assert.equal(countCodePoints('키'), 1);
    assert.equal(countCodePoints('🔑'), 1);
    assert.equal('🔑'.length, 2);
  });
});

describe('apiKeyName', () => {
  it('accepts 1–20 code points even when that is more UTF-16 units (Hangul, emoji)', () => {
    fc.assert(
      fc.property(word(1, API_KEY_NAME_MAX), (name) => {
        assert.equal(validateApiKeyName(name), undefined);
        assert.equal(apiKeyNameSchema.parse(name), name);
      }),
    );
    const emoji = '🔑'.repeat(20);
    assert.equal(emoji.length, 40);
    assert.equal(validateApiKeyName(emoji), undefined);
  });

  it('rejects more than 20 code points with a message that states the limit', () => {
    fc.assert(
      fc.property(word(API_KEY_NAME_MAX + 1, 40), (name) => {
        assert.match(validateApiKeyName(name) ?? '', /at most 20 characters/);
        assert.equal(apiKeyNameSchema.safeParse(name).success, false);
      }),
    );
  });

  it('rejects any control character (C0, DEL, C1) inside the name', () => {
    fc.assert(
      fc.property(word(1, 9), controlChar, word(1, 9), (a, c, b) => {
        assert.match(validateApiKeyName(a + c + b) ?? '', /control characters \(found U\+00[0-9A-F]{2}/);
        assert.equal(apiKeyNameSchema.safeParse(a + c + b).success, false);
      }),
    );
  });

  it('trims surrounding whitespace, keeps interior spaces, and treats whitespace-only as empty', () => {
    assert.equal(apiKeyNameSchema.parse('  my key \t'), 'my key');
    assert.match(validateApiKeyName('   ') ?? '', /required/);
    assert.match(validateApiKeyName('') ?? '', /required/);
    assert.equal(validateApiKeyName(` ${'a'.repeat(20)} `), undefined);
  });

  it('rejects unpaired surrogates, which cannot be sent as UTF-8', () => {
    assert.match(validateApiKeyName('a\ud800b') ?? '', /unpaired surrogate/);
  });

  it('agrees with a reference rule for arbitrary strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme-composite', maxLength: 30 }), (raw) => {
        const t = raw.trim();
        const cps = [...t].map((c) => c.codePointAt(0) ?? 0);
        const valid = cps.length >= 1 && cps.length <= 20 && !cps.some(isControl);
        assert.equal(validateApiKeyName(raw) === undefined, valid, JSON.stringify(raw));
      }),
      { numRuns: 300 },
    );
  });
});

describe('apiKeyDescription', () => {
  it('allows empty, defaults to empty, and limits to 50 code points', () => {
    assert.equal(apiKeyDescriptionSchema.parse(undefined), '');
    assert.equal(validateApiKeyDescription(''), undefined);
    assert.equal(validateApiKeyDescription('설'.repeat(API_KEY_DESCRIPTION_MAX)), undefined);
    assert.match(validateApiKeyDescription('설'.repeat(51)) ?? '', /at most 50 characters \(got 51\)/);
    assert.match(validateApiKeyDescription('line1\nline2') ?? '', /control/);
    assert.match(validateApiKeyDescription('x\u0085y') ?? '', /U\+0085/);
  });
});

describe('input objects', () => {
  it('refuses unknown fields such as the docs-bug spelling apiName', () => {
    const r = createApiKeyInputSchema.safeParse({ apiName: 'x' });
    assert.equal(r.success, false);
  });
  it('requires isEnabled on update', () => {
    assert.equal(updateApiKeyInputSchema.safeParse({ apiKeyName: 'x' }).success, false);
    assert.deepEqual(updateApiKeyInputSchema.parse({ apiKeyName: ' x ', isEnabled: false }), { apiKeyName: 'x', apiKeyDescription: '', isEnabled: false });
  });
});

describe('apiKeySchema', () => {
  it('requires only apiKeyId, treats null as absent and drops unknown fields', () => {
    assert.deepEqual(apiKeySchema.parse({ apiKeyId: 'a', apiKeyDescription: null, extra: 1 }), { apiKeyId: 'a' });
    assert.equal(apiKeySchema.safeParse({ apiKeyName: 'x' }).success, false);
    assert.equal(apiKeySchema.safeParse({ apiKeyId: 'a', isEnabled: 'yes' }).success, false);
  });
  it('accepts both documented modTime styles', () => {
    assert.equal(apiKeySchema.parse({ apiKeyId: 'a', modTime: '2000-01-23T04:56:07.000+00:00' }).modTime, '2000-01-23T04:56:07.000+00:00');
    assert.equal(apiKeySchema.parse({ apiKeyId: 'a', modTime: '2024-05-07T07:08:12Z' }).modTime, '2024-05-07T07:08:12Z');
  });
});

describe('NCP error envelope', () => {
  it('reads the nested form', () => {
    assert.deepEqual(parseNcpErrorBody('{"error":{"errorCode":"200","message":"Authentication Failed","details":"Invalid authentication information."}}'), {
      errorCode: '200',
      message: 'Authentication Failed',
      details: 'Invalid authentication information.',
    });
  });
  it('reads the top-level form with a numeric errorCode as a string', () => {
    assert.deepEqual(parseNcpErrorBody('{"errorCode": 9014, "message": "Tenant not created"}'), { errorCode: '9014', message: 'Tenant not created' });
    assert.equal(ncpErrorEnvelopeSchema.parse({ error: { errorCode: 210 } }).errorCode, '210');
  });
  it('keeps requestId when present', () => {
    assert.equal(parseNcpErrorBody('{"error":{"errorCode":"900","message":"x","requestId":"r-1"}}')?.requestId, 'r-1');
  });
  it('answers undefined for empty, non-JSON and envelope-less bodies', () => {
    for (const body of ['', '   ', '<html>502 Bad Gateway</html>', 'Service Unavailable', '{"message":"no code"}', '[1,2]', '{broken']) {
      assert.equal(parseNcpErrorBody(body), undefined, body);
    }
  });
});
