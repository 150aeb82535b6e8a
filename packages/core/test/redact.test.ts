// redact/redactValue: secrets embedded anywhere in log text never survive.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { redact, redactValue } from '@apikey/core';

const alnum = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.split(''));
const secretOf = (min: number, max: number) => fc.array(alnum, { minLength: min, maxLength: max }).map((a) => a.join(''));
const base64Sig = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => btoa(String.fromCharCode(...b)));
const noise = fc.string({ maxLength: 40 });

describe('redact', () => {
  it('masks known literal secrets wherever they appear', () => {
    fc.assert(
      fc.property(secretOf(8, 64), noise, noise, noise, (secret, a, b, c) => {
        const line = `${a}${secret}${b}${secret}${c}`;
        assert.equal(redact(line, [secret]).includes(secret), false);
      }),
      { numRuns: 300 },
    );
  });

  it('masks primaryKey/secondaryKey values in JSON, key=value and header forms without being told them', () => {
    const forms = [
      (n: string, v: string) => `{"${n}":"${v}"}`,
      (n: string, v: string) => `{ "${n}" : "${v}", "x": 1 }`,
      (n: string, v: string) => `${n}=${v}&next=1`,
      (n: string, v: string) => `${n}: ${v}`,
      (n: string, v: string) => `{ ${n}: '${v}' }`,
      (n: string, v: string) => `"{\\"${n}\\":\\"${v}\\"}"`,
    ];
    fc.assert(
      fc.property(secretOf(40, 40), fc.constantFrom('primaryKey', 'secondaryKey', 'PrimaryKey'), fc.constantFrom(...forms), noise, noise, (secret, name, form, before, after) => {
        const out = redact(before + ' ' + form(name, secret) + ' ' + after);
        assert.equal(out.includes(secret), false, out);
      }),
      { numRuns: 300 },
    );
  });

  it('masks signatures and access keys in request header dumps', () => {
    fc.assert(
      fc.property(base64Sig, secretOf(20, 20), (sig, ak) => {
        const dump = `GET /api/v1/api-keys\nx-ncp-apigw-timestamp: 1700000000000\nx-ncp-iam-access-key: ${ak}\nx-ncp-apigw-signature-v2: ${sig}\n`;
        const out = redact(dump);
        assert.equal(out.includes(sig), false);
        assert.equal(out.includes(ak), false);
        assert.match(out, /x-ncp-apigw-timestamp: 1700000000000/, 'non-secret headers stay readable');
        const mapStyle = redact(`Headers { 'x-ncp-apigw-signature-v2' => '${sig}' }`);
        assert.equal(mapStyle.includes(sig), false);
      }),
    );
  });

  it('masks Slack tokens by shape and keeps their kind', () => {
    fc.assert(
      fc.property(fc.constantFrom('xoxb', 'xoxp', 'xoxa', 'xapp'), secretOf(10, 50), noise, (kind, rest, around) => {
        const token = `${kind}-1234-${rest}`;
        const out = redact(`${around} token ${token} ${around}`);
        assert.equal(out.includes(rest), false);
        assert.ok(out.includes(`${kind}-***`));
      }),
    );
  });

  it('masks secret-named env and configure entries', () => {
    const out = redact('NCLOUD_SECRET_KEY=abc123SECRET ncloud_secret_access_key = def456SECRET SLACK_SIGNING_SECRET=ghi789SECRET');
    assert.equal(/SECRET(?!_)/.test(out.replace(/NCLOUD_SECRET_KEY|ncloud_secret_access_key|SLACK_SIGNING_SECRET/g, '')), false, out);
  });

  it('leaves ordinary text and null/boolean values alone', () => {
    assert.equal(redact('created key abcde12345 named "my-key"'), 'created key abcde12345 named "my-key"');
    assert.equal(redact('{"primaryKey":null}'), '{"primaryKey":null}');
  });
});

describe('redactValue', () => {
  it('returns a deep copy with secret fields masked and the original untouched', () => {
    const input = {
      apiKey: { apiKeyId: 'abcde12345', primaryKey: 'P'.repeat(40), secondaryKey: 'S'.repeat(40) },
      headers: { 'x-ncp-apigw-signature-v2': 'sig=', 'content-type': 'application/json' },
      list: [{ secretKey: 'sk' }, 'note xoxb-1-abc'],
    };
    const out = redactValue(input) as typeof input;
    assert.equal(out.apiKey.apiKeyId, 'abcde12345');
    assert.equal(out.apiKey.primaryKey, '***');
    assert.equal(out.headers['x-ncp-apigw-signature-v2'], '***');
    assert.equal(out.headers['content-type'], 'application/json');
    assert.equal((out.list[0] as { secretKey: string }).secretKey, '***');
    assert.equal(out.list[1], 'note xoxb-***');
    assert.equal(input.apiKey.primaryKey, 'P'.repeat(40));
  });

  it('handles Headers, errors, cycles and extra secrets', () => {
    const headers = new Headers({ 'x-ncp-iam-access-key': 'AKVALUE', accept: 'application/json' });
    const err = new Error('failed with SECRETVALUE1');
    const cyclic: Record<string, unknown> = { name: 'x' };
    cyclic['self'] = cyclic;
    const out = redactValue({ headers, err, cyclic }, ['SECRETVALUE1']) as Record<string, Record<string, unknown>>;
    assert.deepEqual(out['headers'], { accept: 'application/json', 'x-ncp-iam-access-key': '***' });
    assert.equal(out['err']!['message'], 'failed with ***');
    assert.equal(out['cyclic']!['self'], out['cyclic']);
  });

  it('never leaks random secrets placed at random depths', () => {
    fc.assert(
      fc.property(secretOf(12, 40), fc.jsonValue({ maxDepth: 3 }), (secret, shape) => {
        const value = { data: shape, nested: { primaryKey: secret, note: `value ${secret}` }, arr: [secret] };
        const out = JSON.stringify(redactValue(value, [secret]));
        assert.equal(out.includes(secret), false);
      }),
      { numRuns: 200 },
    );
  });
});
