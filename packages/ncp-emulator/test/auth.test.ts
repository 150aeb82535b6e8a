import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { computeSignature, createNcpEmulator } from '../src/index.ts';
import { AK, T0, call, createClock, harness, json, signedHeaders } from './helpers.ts';

const LIST = '/api/v1/api-keys';

async function expect401(res: Response): Promise<string> {
  assert.equal(res.status, 401);
  const body = await json(res);
  assert.equal(body.error.errorCode, '200');
  assert.equal(body.error.message, 'Authentication Failed');
  assert.equal(typeof body.error.details, 'string');
  return body.error.details as string;
}

describe('signature v2 verification', () => {
  // The published vectors (also in packages/core/test/fixtures/signature-v2-vectors.json), each computed by
  // three independent implementations (Node crypto, Python hmac, OpenSSL) that agree.
  const vectors = [
    { method: 'POST', target: '/api/v1/api-keys', signature: '0JB0e5tQ+L0IPd3Lstcfh602I79ZRQqQv2IcLyd0MeM=' },
    { method: 'GET', target: '/api/v1/api-keys?apiKeyName=test&limit=10&offset=0', signature: 'UiDXqGxfCknJPDyvuN9gPxWNIlA0F8HHexrKC7Dq6LU=' },
    { method: 'GET', target: '/api/v1/api-keys/abcde12345', signature: 'vd3G9KcTsOGPa0nONjZWWacLIvKkeTNeNPcOuJcXHzA=' },
    { method: 'GET', target: '/api/v1/api-keys?apiKeyName=my%20key', signature: 'ptJUL0V8Ctytt0nQkVuM8e8ZHgI+UzRodLmEUoCU3G0=' },
    { method: 'GET', target: '/api/v1/api-keys?apiKeyName=%ED%82%A4', signature: 'YeYSc0DQ73Wysp/zO1FTbhunNpYUOwfK/FR5huKgA/E=' },
  ];

  test('the emulator signer reproduces the published vectors', () => {
    for (const v of vectors) {
      assert.equal(computeSignature('SK_TEST', v.method, v.target, '1700000000000', 'AK_TEST'), v.signature, v.target);
    }
  });

  test('requests carrying the vector signatures are accepted', async () => {
    const h = harness();
    for (const v of vectors) {
      const res = await h.emulator.handler(new Request(`http://emulator.test${v.target}`, {
        method: v.method,
        headers: {
          'x-ncp-apigw-timestamp': '1700000000000',
          'x-ncp-iam-access-key': 'AK_TEST',
          'x-ncp-apigw-signature-v2': v.signature,
          'content-type': 'application/json',
        },
        ...(v.method === 'POST' ? { body: '{"apiKeyName":"vector"}' } : {}),
      }));
      assert.notEqual(res.status, 401, `${v.method} ${v.target}`);
    }
  });

  test('a correctly signed request succeeds', async () => {
    const res = await call(harness(), 'GET', LIST);
    assert.equal(res.status, 200);
  });

  test('a wrong signature is refused with NCP\'s 401 envelope', async () => {
    const details = await expect401(await call(harness(), 'GET', LIST, { secretKey: 'WRONG_SECRET' }));
    assert.match(details, /signature mismatch/);
  });

  test('an unknown access key is refused with its own details text', async () => {
    const details = await expect401(await call(harness(), 'GET', LIST, { accessKey: 'NOT_A_KEY' }));
    assert.match(details, /unknown access key/);
    assert.doesNotMatch(details, /NOT_A_KEY/);
  });

  for (const [omit, header] of [
    ['timestamp', 'x-ncp-apigw-timestamp'],
    ['accessKey', 'x-ncp-iam-access-key'],
    ['signature', 'x-ncp-apigw-signature-v2'],
  ] as const) {
    test(`a request missing ${header} is refused and the header is named`, async () => {
      const details = await expect401(await call(harness(), 'GET', LIST, { omit: [omit] }));
      assert.match(details, /^Authentication information are missing\./);
      assert.ok(details.includes(header), details);
    });
  }

  test('a timestamp 6 minutes in the past is refused', async () => {
    const h = harness();
    const details = await expect401(await call(h, 'GET', LIST, { timestamp: String(T0 - 6 * 60_000) }));
    assert.match(details, /outside the allowed window/);
  });

  test('a timestamp 6 minutes in the future is refused', async () => {
    const h = harness();
    const details = await expect401(await call(h, 'GET', LIST, { timestamp: String(T0 + 6 * 60_000) }));
    assert.match(details, /outside the allowed window/);
  });

  test('timestamps 4 min 59 s in the past and in the future are accepted', async () => {
    const h = harness();
    const skew = 4 * 60_000 + 59_000;
    assert.equal((await call(h, 'GET', LIST, { timestamp: String(T0 - skew) })).status, 200);
    assert.equal((await call(h, 'GET', LIST, { timestamp: String(T0 + skew) })).status, 200);
  });

  test('the window follows the injected clock and clockSkewMs', async () => {
    const clock = createClock();
    const emulator = createNcpEmulator({ credentials: [{ accessKey: AK, secretKey: 'SK_TEST' }], now: clock.now, clockSkewMs: 1000 });
    const h = { emulator, clock, logs: [] };
    const headers = signedHeaders('GET', LIST, T0);
    clock.advance(1000);
    assert.equal((await emulator.handler(new Request(`http://e${LIST}`, { headers }))).status, 200);
    clock.advance(1);
    await expect401(await emulator.handler(new Request(`http://e${LIST}`, { headers })));
    assert.equal((await call(h, 'GET', LIST)).status, 200);
  });

  test('a timestamp in seconds instead of milliseconds is refused', async () => {
    const details = await expect401(await call(harness(), 'GET', LIST, { timestamp: String(Math.floor(T0 / 1000)) }));
    assert.match(details, /13 digits/);
  });

  test('only the v1 signature header is refused by default, and accepted with acceptV1Header', async () => {
    const details = await expect401(await call(harness(), 'GET', LIST, { signatureHeader: 'x-ncp-apigw-signature-v1' }));
    assert.match(details, /x-ncp-apigw-signature-v1 is not accepted/);
    const lenient = harness({ behaviour: { acceptV1Header: true } });
    assert.equal((await call(lenient, 'GET', LIST, { signatureHeader: 'x-ncp-apigw-signature-v1' })).status, 200);
  });

  test('V8 style (raw space signed, encoded query sent) is refused', async () => {
    const h = harness();
    // The Request URL encodes the space as %20; the signature covers the raw space.
    const details = await expect401(await call(h, 'GET', '/api/v1/api-keys?apiKeyName=my key', { signedTarget: '/api/v1/api-keys?apiKeyName=my key' }));
    assert.match(details, /signature mismatch/);
    assert.equal((await call(h, 'GET', '/api/v1/api-keys?apiKeyName=my%20key')).status, 200);
  });

  test('+ and %20 are different signed targets', async () => {
    const h = harness();
    await expect401(await call(h, 'GET', '/api/v1/api-keys?apiKeyName=my+key', { signedTarget: '/api/v1/api-keys?apiKeyName=my%20key' }));
  });

  test('a trailing slash or missing /api/v1 in the signed path is refused', async () => {
    const h = harness();
    await expect401(await call(h, 'GET', LIST, { signedTarget: `${LIST}/` }));
    await expect401(await call(h, 'GET', LIST, { signedTarget: '/api-keys' }));
  });

  test('the method is part of the signature', async () => {
    const h = harness();
    const headers = signedHeaders('GET', '/api/v1/api-keys/abcde12345', T0);
    await expect401(await h.emulator.handler(new Request('http://e/api/v1/api-keys/abcde12345', { method: 'DELETE', headers })));
  });

  test('several credential pairs are accepted and each acts as its own modifier', async () => {
    const h = harness({ credentials: [{ accessKey: 'AK_ONE', secretKey: 'SK_ONE' }, { accessKey: 'AK_TWO', secretKey: 'SK_TWO' }] });
    const one = await call(h, 'POST', LIST, { accessKey: 'AK_ONE', secretKey: 'SK_ONE', body: { apiKeyName: 'one' } });
    const two = await call(h, 'POST', LIST, { accessKey: 'AK_TWO', secretKey: 'SK_TWO', body: { apiKeyName: 'two' } });
    assert.equal(one.status, 201);
    assert.equal(two.status, 201);
    assert.notEqual((await json(one)).apiKey.modifier, (await json(two)).apiKey.modifier);
    await expect401(await call(h, 'GET', LIST, { accessKey: 'AK_ONE', secretKey: 'SK_TWO' }));
  });

  test('authentication is decided before routing: unknown routes still need a valid signature', async () => {
    const h = harness();
    await expect401(await call(h, 'GET', '/api/v1/nowhere', { secretKey: 'WRONG' }));
    assert.equal((await call(h, 'GET', '/api/v1/nowhere')).status, 404);
  });

  test('injected faults never replace a 401', async () => {
    const h = harness({ faults: { statusRates: { 429: 0.5, 503: 0.5 } } });
    for (let i = 0; i < 10; i++) await expect401(await call(h, 'GET', LIST, { secretKey: 'WRONG' }));
    assert.ok(h.emulator.inspect.requests().every((r) => r.status === 401 && r.fault === null));
  });

  test('401 responses carry x-ncp-trace-id', async () => {
    const res = await call(harness(), 'GET', LIST, { omit: ['signature'] });
    assert.match(res.headers.get('x-ncp-trace-id') ?? '', /^[0-9a-f]{32}$/);
  });

  test('bad credential configuration is rejected at construction', () => {
    assert.throws(() => createNcpEmulator({ credentials: [] }), /at least one/);
    assert.throws(() => createNcpEmulator({ credentials: [{ accessKey: '', secretKey: 'x' }] }), /non-empty/);
    assert.throws(
      () => createNcpEmulator({ credentials: [{ accessKey: 'a', secretKey: 'x' }, { accessKey: 'a', secretKey: 'y' }] }),
      /repeats/,
    );
  });
});

describe('Date header', () => {
  test('every answer, accepted or refused, is dated by the emulator clock, so a skewed clock is visible to clients', async () => {
    const h = harness();
    h.clock.set(T0 + 7 * 60_000);
    const ok = await call(h, 'GET', LIST, { timestamp: String(T0 + 7 * 60_000) });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers.get('date'), new Date(T0 + 7 * 60_000).toUTCString());
    const refused = await call(h, 'GET', LIST, { timestamp: String(T0) });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('date'), new Date(T0 + 7 * 60_000).toUTCString());
  });
});
