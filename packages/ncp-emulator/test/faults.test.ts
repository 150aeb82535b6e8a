import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isConnectionDropped, type FaultConfig } from '../src/index.ts';
import { call, createKey, harness, json } from './helpers.ts';

const BASE = '/api/v1/api-keys';

function outcome(p: Promise<Response>): Promise<number | 'drop'> {
  return p.then(
    (r) => r.status,
    (e: unknown) => (isConnectionDropped(e) ? 'drop' : Promise.reject(e)),
  );
}

async function sequence(seed: number, faults: FaultConfig, n = 60): Promise<(number | 'drop')[]> {
  const h = harness({ seed, faults });
  const out: (number | 'drop')[] = [];
  for (let i = 0; i < n; i++) out.push(await outcome(call(h, 'GET', BASE)));
  return out;
}

async function until(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((r) => setTimeout(r, 1));
}

describe('fault injection', () => {
  const mixed: FaultConfig = { statusRates: { 429: 0.2, 500: 0.1, 503: 0.1 }, dropRate: 0.1 };

  test('the same seed gives the same sequence of outcomes; another seed a different one', async () => {
    const a = await sequence(1, mixed);
    const b = await sequence(1, mixed);
    const c = await sequence(2, mixed);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    for (const kind of [200, 429, 500, 503, 'drop'] as const) assert.ok(a.includes(kind), `expected some ${kind} in ${a.join(',')}`);
  });

  test('faults draw from their own stream: configuring them does not change generated keys', async () => {
    const plain = await createKey(harness({ seed: 5 }), 'same');
    const faulty = await createKey(harness({ seed: 5, faults: { latency: { jitterMs: 3 }, statusRates: { 429: 0 } } }), 'same');
    assert.equal(faulty.apiKeyId, plain.apiKeyId);
    assert.equal(faulty.primaryKey, plain.primaryKey);
  });

  test('an injected 429 carries Retry-After and NCP code 410', async () => {
    const h = harness({ faults: { statusRates: { 429: 1 }, retryAfterSeconds: 7 } });
    const res = await call(h, 'POST', BASE, { body: { apiKeyName: 'throttled' } });
    assert.equal(res.status, 429);
    assert.equal(res.headers.get('retry-after'), '7');
    assert.equal((await json(res)).error.errorCode, '410');
    assert.equal(h.emulator.inspect.keys().length, 0, 'a 429 is answered before anything is created');
    assert.equal(h.emulator.inspect.requests()[0]?.fault, 'status:429');
  });

  test('injected 5xx use NCP codes; 502 has a non-JSON body', async () => {
    for (const [status, code] of [[500, '900'], [503, '500'], [504, '510']] as const) {
      const res = await call(harness({ faults: { statusRates: { [status]: 1 } } }), 'GET', BASE);
      assert.equal(res.status, status);
      assert.equal((await json(res)).error.errorCode, code);
    }
    const res = await call(harness({ faults: { statusRates: { 502: 1 } } }), 'GET', BASE);
    assert.equal(res.status, 502);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    const text = await res.text();
    assert.throws(() => JSON.parse(text));
  });

  test('a dropped request rejects like a network failure and is recorded without a status', async () => {
    const h = harness({ faults: { dropRate: 1 } });
    await assert.rejects(call(h, 'GET', BASE), (e: unknown) => e instanceof TypeError && isConnectionDropped(e));
    assert.deepEqual(h.emulator.inspect.requests().map((r) => [r.status, r.fault]), [[null, 'drop']]);
    assert.match(h.logs[0] ?? '', /^GET \/api\/v1\/api-keys dropped \d+ms fault=drop$/);
  });

  test('commit-then-fail 500 creates the key but the client sees a 500', async () => {
    const h = harness({ faults: { commitThenFail: { rate: 1, mode: '500' } } });
    const res = await call(h, 'POST', BASE, { body: { apiKeyName: 'ghost' } });
    assert.equal(res.status, 500);
    assert.deepEqual(h.emulator.inspect.keys().map((k) => k.apiKeyName), ['ghost']);
    h.emulator.setFaults(undefined);
    const list = await json(await call(h, 'GET', `${BASE}?apiKeyName=ghost`));
    assert.equal(list.total, 1);
    assert.equal(h.emulator.inspect.requests()[0]?.fault, 'commitThenFail:500');
  });

  test('commit-then-fail drop creates the key and drops the connection', async () => {
    const h = harness({ faults: { commitThenFail: { rate: 1, mode: 'drop' } } });
    await assert.rejects(call(h, 'POST', BASE, { body: { apiKeyName: 'ghost' } }), isConnectionDropped);
    assert.equal(h.emulator.inspect.keys().length, 1);
  });

  test('commit-then-fail timeout hangs after creating the key until the client aborts', async () => {
    const h = harness({ faults: { commitThenFail: { rate: 1, mode: 'timeout' } } });
    const controller = new AbortController();
    const pending = call(h, 'POST', BASE, { body: { apiKeyName: 'ghost' }, signal: controller.signal });
    await until(() => h.emulator.inspect.keys().length === 1);
    assert.equal(h.emulator.inspect.requests()[0]?.status, null, 'no response while hanging');
    controller.abort();
    await assert.rejects(pending, isConnectionDropped);
    assert.equal(h.emulator.inspect.requests()[0]?.fault, 'commitThenFail:timeout');
  });

  test('commit-then-fail timeout gives up by itself after hangMs', async () => {
    const h = harness({ faults: { commitThenFail: { rate: 1, mode: 'timeout', hangMs: 5 } } });
    await assert.rejects(call(h, 'POST', BASE, { body: { apiKeyName: 'ghost' } }), isConnectionDropped);
    assert.equal(h.emulator.inspect.keys().length, 1);
  });

  test('commit-then-fail applies only to successful mutations', async () => {
    const h = harness({ faults: { commitThenFail: { rate: 1, mode: '500' } } });
    assert.equal((await call(h, 'GET', BASE)).status, 200);
    assert.equal((await call(h, 'POST', BASE, { body: { apiKeyName: '' } })).status, 400);
    assert.ok(h.emulator.inspect.requests().every((r) => r.fault === null));
  });

  test('the only filter limits faults to matching method and path', async () => {
    const h = harness({ faults: { statusRates: { 503: 1 }, only: { method: 'POST', path: '/api-keys' } } });
    assert.equal((await call(h, 'GET', BASE)).status, 200);
    assert.equal((await call(h, 'POST', BASE, { body: { apiKeyName: 'x' } })).status, 503);
    const re = harness({ faults: { statusRates: { 503: 1 }, only: { path: /^\/api-keys\/[^/]+$/ } } });
    const key = await createKey(re, 'x');
    assert.equal((await call(re, 'GET', `${BASE}/${key.apiKeyId}`)).status, 503);
  });

  test('latency is applied and recorded without changing the answer', async () => {
    const h = harness({ faults: { latency: { fixedMs: 2, jitterMs: 2 } } });
    assert.equal((await call(h, 'GET', BASE)).status, 200);
    assert.equal(h.emulator.inspect.requests()[0]?.fault, 'latency');
  });

  test('setFaults switches faults on and off at run time', async () => {
    const h = harness();
    h.emulator.setFaults({ statusRates: { 504: 1 } });
    assert.equal((await call(h, 'GET', BASE)).status, 504);
    h.emulator.setFaults(undefined);
    assert.equal((await call(h, 'GET', BASE)).status, 200);
  });

  test('rateLimit: a full bucket of `burst` passes, the next gets 429 + Retry-After and creates nothing; tokens refill at perSecond', async () => {
    const h = harness();
    h.emulator.setFaults({ rateLimit: { perSecond: 10 } });
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await call(h, 'POST', BASE, { body: { apiKeyName: `rl-${i}` } })).status);
    assert.deepEqual(statuses, [...Array(10).fill(201), 429]);
    assert.equal(h.emulator.inspect.keys().length, 10);
    const limited = await call(h, 'GET', BASE);
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '1');
    assert.equal(((await json(limited)) as { error: { errorCode: string } }).error.errorCode, '410');
    assert.match(h.emulator.inspect.requests().at(-1)?.fault ?? '', /rateLimit/);
    h.clock.advance(100); // one token
    assert.equal((await call(h, 'GET', BASE)).status, 200);
    assert.equal((await call(h, 'GET', BASE)).status, 429);
    h.clock.advance(10_000); // refills to the burst, never beyond
    let ok = 0;
    for (let i = 0; i < 15; i++) if ((await call(h, 'GET', BASE)).status === 200) ok++;
    assert.equal(ok, 10);
  });

  test('rateLimit: Retry-After counts whole seconds to the next token; only matching requests are limited', async () => {
    const h = harness();
    h.emulator.setFaults({ rateLimit: { perSecond: 0.25, burst: 1 }, only: { method: 'POST' } });
    assert.equal((await call(h, 'POST', BASE, { body: { apiKeyName: 'a' } })).status, 201);
    const r = await call(h, 'POST', BASE, { body: { apiKeyName: 'b' } });
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('retry-after'), '4');
    assert.equal((await call(h, 'GET', BASE)).status, 200);
    assert.throws(() => h.emulator.setFaults({ rateLimit: { perSecond: 0 } }), /rateLimit\.perSecond/);
    assert.throws(() => h.emulator.setFaults({ rateLimit: { perSecond: 1, burst: 0.5 } }), /rateLimit\.burst/);
  });

  test('nonsensical fault configurations are refused with a message naming the field', () => {
    const h = harness();
    assert.throws(() => h.emulator.setFaults({ statusRates: { 429: 0.6, 500: 0.6 } }), /sum to at most 1/);
    assert.throws(() => h.emulator.setFaults({ dropRate: 2 }), /faults\.dropRate/);
    assert.throws(() => h.emulator.setFaults({ statusRates: { 418: 0.1 } as never }), /supports 429/);
    assert.throws(() => h.emulator.setFaults({ latency: { fixedMs: -1 } }), /latency\.fixedMs/);
    assert.throws(() => h.emulator.setFaults({ commitThenFail: { rate: 1, mode: 'explode' as never } }), /commitThenFail\.mode/);
    assert.throws(() => harness({ faults: { retryAfterSeconds: 1.5 } }), /retryAfterSeconds/);
  });
});
