// Exact create idempotency over real HTTP against the emulator: a create adopts only the key that carries its
// own marker (`apikey:<operationId>`), never someone else's same-named key; a crash between POST and PUT is
// finished by a retry of the same operation; and NCP's clock plays no part.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createNcpEmulator, serve, type ApiKeyRecord, type FaultConfig, type NcpEmulator, type ServedEmulator } from '@apikey/ncp-emulator';
import { createApiGatewayClient, isCreateMarker, type ApiGatewayClient, type ApiKey, type ClientOptions } from '@apikey/core';
import { recordingSleep } from './helpers.ts';

const MINE = { accessKey: 'CREATE_TEST_AK', secretKey: 'CREATE_TEST_SECRET_0123456789' };
const OTHER = { accessKey: 'SOMEONE_ELSE_AK', secretKey: 'SOMEONE_ELSE_SECRET_012345678' };

type Stack = { emulator: NcpEmulator; served: ServedEmulator; other: ApiGatewayClient };

async function withStack(opts: { now?: () => number; clockSkewMs?: number }, fn: (s: Stack) => Promise<void>): Promise<void> {
  const emulator = createNcpEmulator({ credentials: [MINE, OTHER], seed: 11, ...opts });
  const served = await serve({ emulator });
  try {
    await fn({ emulator, served, other: createApiGatewayClient({ credentials: OTHER, endpoint: served.url }) });
  } finally {
    await served.close();
  }
}

/** A fetch that runs `afterPost` once each POST /api-keys has its answer, before the client sees it. */
function fetchWithHook(afterPost: (n: number) => Promise<void>): typeof fetch {
  let n = 0;
  return (async (input: RequestInfo | URL, init?: RequestInit) => {
    const isCreate = init?.method === 'POST' && String(input).endsWith('/api-keys');
    try {
      return await fetch(input, init);
    } finally {
      if (isCreate) await afterPost(++n);
    }
  }) as typeof fetch;
}

function myClient(served: ServedEmulator, extra: Partial<ClientOptions> = {}): ApiGatewayClient {
  return createApiGatewayClient({ credentials: MINE, endpoint: served.url, timeoutMs: 2_000, retry: { retries: 6, sleep: recordingSleep().sleep }, ...extra });
}

const snapshot = (k: ApiKeyRecord) => ({ ...k });
const posts = (e: NcpEmulator) => e.inspect.requests().filter((r) => r.method === 'POST').length;

describe('a create never adopts someone else’s key', () => {
  for (const outage of ['503 before commit', 'commit then 503'] as const) {
    it(`same-named keys of others — regenerated, renamed back, or created with the same description during the outage — are never adopted and stay untouched (${outage})`, async () => {
      await withStack({}, async ({ emulator, served, other }) => {
        const regenerated = await other.createApiKey({ apiKeyName: 'svc', apiKeyDescription: 'd' });
        const renamed = await other.createApiKey({ apiKeyName: 'svc-moved', apiKeyDescription: 'd' });
        let intruder: ApiKey | undefined;
        const fault: FaultConfig = outage === '503 before commit'
          ? { statusRates: { 503: 1 }, only: { method: 'POST' } }
          : { commitThenFail: { rate: 1, mode: '503' }, only: { method: 'POST' } };
        emulator.setFaults(fault);
        const client = myClient(served, {
          fetch: fetchWithHook(async (n) => {
            if (n !== 1) return;
            // The outage ends for everyone, and before this client looks, others change their keys.
            emulator.setFaults(undefined);
            await other.regenerateApiKey(regenerated.apiKeyId, 'PRIMARY');
            await other.updateApiKey(renamed.apiKeyId, { apiKeyName: 'svc', apiKeyDescription: 'd', isEnabled: true });
            intruder = await other.createApiKey({ apiKeyName: 'svc', apiKeyDescription: 'd' });
          }),
        });
        const before = new Map(emulator.inspect.keys().map((k) => [k.apiKeyId, snapshot(k)]));

        const mine = await client.createApiKey({ apiKeyName: 'svc', apiKeyDescription: 'd' }, { operationId: 'req_mine' });

        const othersIds = [regenerated.apiKeyId, renamed.apiKeyId, intruder!.apiKeyId];
        assert.ok(!othersIds.includes(mine.apiKeyId), 'the requester gets a key of their own');
        const after = new Map(emulator.inspect.keys().map((k) => [k.apiKeyId, snapshot(k)]));
        for (const id of othersIds) {
          const k = after.get(id)!;
          assert.equal(k.apiKeyDescription, 'd', `${id} keeps its description`);
          assert.equal(k.apiKeyName, 'svc', `${id} keeps its name`);
        }
        assert.equal(after.get(regenerated.apiKeyId)!.secondaryKey, before.get(regenerated.apiKeyId)!.secondaryKey);
        assert.equal(after.size, 4, 'three keys of others and exactly one of mine');
        assert.equal(after.get(mine.apiKeyId)!.apiKeyDescription, 'd');
        assert.equal(mine.primaryKey, after.get(mine.apiKeyId)!.primaryKey, 'the caller gets its own key values');
      });
    });
  }

  it('two creates for the same name whose first POSTs fail end with two different keys, each returned to its own caller', async () => {
    await withStack({}, async ({ emulator, served }) => {
      emulator.setFaults({ commitThenFail: { rate: 1, mode: '503' }, only: { method: 'POST' } });
      // Both first POSTs commit and fail before either caller looks for its key.
      let release!: () => void;
      const bothFailed = new Promise<void>((r) => (release = r));
      const hook = fetchWithHook(async (n) => {
        if (n === 2) {
          emulator.setFaults(undefined);
          release();
        }
        await bothFailed;
      });
      const a = myClient(served, { fetch: hook });
      const b = myClient(served, { fetch: hook });
      const [ka, kb] = await Promise.all([
        a.createApiKey({ apiKeyName: 'svc', apiKeyDescription: 'same' }, { operationId: 'req_alice' }),
        b.createApiKey({ apiKeyName: 'svc', apiKeyDescription: 'same' }, { operationId: 'req_bob' }),
      ]);
      assert.notEqual(ka.apiKeyId, kb.apiKeyId);
      const keys = emulator.inspect.keys();
      assert.equal(keys.length, 2);
      assert.deepEqual(new Set(keys.map((k) => k.apiKeyId)), new Set([ka.apiKeyId, kb.apiKeyId]));
      assert.equal(keys.find((k) => k.apiKeyId === ka.apiKeyId)!.primaryKey, ka.primaryKey);
      assert.equal(keys.find((k) => k.apiKeyId === kb.apiKeyId)!.primaryKey, kb.primaryKey);
      assert.equal(posts(emulator), 2, 'each adopted its own committed key instead of posting again');
    });
  });
});

describe('crash points are finished by a retry of the same operation', () => {
  it('a fresh create costs one POST and one PUT, and leaves the real description', async () => {
    await withStack({}, async ({ emulator, served }) => {
      const key = await myClient(served).createApiKey({ apiKeyName: 'svc', apiKeyDescription: 'billing' }, { operationId: 'op-1' });
      assert.deepEqual(emulator.inspect.requests().map((r) => r.method), ['POST', 'PUT']);
      assert.equal(key.apiKeyDescription, 'billing');
      assert.equal(key.isEnabled, true);
      assert.match(key.primaryKey ?? '', /^[A-Za-z0-9]{40}$/);
    });
  });

  it('a crash between POST and PUT, then a resume with the same operation id, finishes that key (no second key)', async () => {
    await withStack({}, async ({ emulator, served }) => {
      const client = myClient(served);
      let recorded: string | undefined;
      await assert.rejects(
        client.createApiKey({ apiKeyName: 'svc', apiKeyDescription: 'billing' }, {
          operationId: 'req_crash',
          onCommitted: (k) => {
            recorded = k.apiKeyId;
            throw new Error('process died');
          },
        }),
        /process died/,
      );
      assert.equal(emulator.inspect.keys()[0]!.apiKeyDescription, 'apikey:req_crash', 'the crash left the marker');

      // Not knowing the id (the crash came before it was recorded): resume looks for the marker.
      const seen: ApiKey[] = [];
      const k = await client.createApiKey({ apiKeyName: 'svc', apiKeyDescription: 'billing' }, { operationId: 'req_crash', resume: true, onCommitted: (x) => void seen.push(x) });
      assert.equal(k.apiKeyId, recorded);
      assert.deepEqual(seen.map((x) => x.apiKeyId), [recorded], 'the hook runs before the finishing PUT');
      const keys = emulator.inspect.keys();
      assert.equal(keys.length, 1);
      assert.equal(keys[0]!.apiKeyDescription, 'billing');
      assert.equal(k.primaryKey, keys[0]!.primaryKey);
    });
  });

  it('resuming with the recorded key id finishes it when the PUT did not land, and only reads it when it did', async () => {
    await withStack({}, async ({ emulator, served }) => {
      const client = myClient(served);
      let recorded = '';
      await assert.rejects(client.createApiKey({ apiKeyName: 'svc', apiKeyDescription: 'billing' }, {
        operationId: 'req_1',
        onCommitted: (k) => {
          recorded = k.apiKeyId;
          throw new Error('crash after recording');
        },
      }));
      const finished = await client.createApiKey({ apiKeyName: 'svc', apiKeyDescription: 'billing' }, { operationId: 'req_1', resume: { apiKeyId: recorded } });
      assert.equal(finished.apiKeyId, recorded);
      assert.equal(emulator.inspect.keys()[0]!.apiKeyDescription, 'billing');

      // Crash after the PUT: the marker is gone, but the recorded id still names the key. One GET, no POST.
      const before = emulator.inspect.requests().length;
      const again = await client.createApiKey({ apiKeyName: 'svc', apiKeyDescription: 'billing' }, { operationId: 'req_1', resume: { apiKeyId: recorded } });
      assert.equal(again.apiKeyId, recorded);
      assert.equal(again.primaryKey, finished.primaryKey);
      assert.deepEqual(emulator.inspect.requests().slice(before).map((r) => r.method), ['GET']);
      assert.equal(emulator.inspect.keys().length, 1);
    });
  });

  it('resume when nothing was created lists once and then creates the key', async () => {
    await withStack({}, async ({ emulator, served, other }) => {
      await other.createApiKey({ apiKeyName: 'svc', apiKeyDescription: 'apikey others' });
      const before = emulator.inspect.requests().length;
      const k = await myClient(served).createApiKey({ apiKeyName: 'svc' }, { operationId: 'req_2', resume: true });
      assert.deepEqual(emulator.inspect.requests().slice(before).map((r) => r.method), ['GET', 'POST', 'PUT']);
      assert.equal(emulator.inspect.keys().length, 2);
      assert.equal(k.apiKeyDescription, '');
    });
  });

  it('when the listing after an ambiguous failure fails, the original error is thrown and nothing is posted again; a resume then finishes the key', async () => {
    await withStack({}, async ({ emulator, served }) => {
      emulator.setFaults({ commitThenFail: { rate: 1, mode: '503' }, only: { method: 'POST' } });
      const client = myClient(served, { fetch: fetchWithHook(async () => emulator.setFaults({ statusRates: { 503: 1 }, only: { method: 'GET' } })) });
      await assert.rejects(client.createApiKey({ apiKeyName: 'svc' }, { operationId: 'req_3' }), (e: { code?: string; method?: string }) => e.code === 'ERR_APIKEY_SERVER' && e.method === 'POST');
      assert.equal(posts(emulator), 1);
      emulator.setFaults(undefined);
      const k = await myClient(served).createApiKey({ apiKeyName: 'svc' }, { operationId: 'req_3', resume: true });
      assert.deepEqual(emulator.inspect.keys().map((x) => [x.apiKeyId, x.apiKeyDescription]), [[k.apiKeyId, '']]);
    });
  });
});

describe('NCP’s clock plays no part', () => {
  for (const [label, offset] of [['10 minutes behind', -600_000], ['10 minutes ahead', 600_000]] as const) {
    it(`NCP's clock ${label}: a committed-then-failed create is adopted, not made twice`, async () => {
      // NCP accepts our signatures within its skew allowance; its own modTime is off by `offset`.
      await withStack({ now: () => Date.now() + offset, clockSkewMs: 900_000 }, async ({ emulator, served }) => {
        emulator.setFaults({ commitThenFail: { rate: 1, mode: '503' }, only: { method: 'POST' } });
        const client = myClient(served, { fetch: fetchWithHook(async () => emulator.setFaults(undefined)) });
        const k = await client.createApiKey({ apiKeyName: 'svc', apiKeyDescription: 'x' }, { operationId: 'req_clock' });
        assert.deepEqual(emulator.inspect.keys().map((x) => [x.apiKeyId, x.apiKeyDescription]), [[k.apiKeyId, 'x']]);
        assert.equal(posts(emulator), 1);
      });
    });
  }
});

describe('operation ids and markers are checked before anything is sent', () => {
  it('refuses a bad operation id and a marker-shaped description, sending nothing', async () => {
    await withStack({}, async ({ emulator, served }) => {
      const client = myClient(served);
      for (const operationId of ['', 'a'.repeat(44), 'has space', 'slash/x', 'ünï']) {
        await assert.rejects(client.createApiKey({ apiKeyName: 'svc' }, { operationId }), (e: { code?: string; issues?: { path: string }[] }) => e.code === 'ERR_APIKEY_INPUT' && e.issues?.[0]?.path === 'operationId');
      }
      await assert.rejects(client.createApiKey({ apiKeyName: 'svc', apiKeyDescription: 'apikey:req_someone' }), /reserved/);
      await assert.rejects(client.updateApiKey('abcde12345', { apiKeyName: 'svc', apiKeyDescription: 'apikey:req_someone', isEnabled: true }), /reserved/);
      await assert.rejects(client.createApiKey({ apiKeyName: 'svc' }, { resume: { apiKeyId: '../x' } }), /resume\.apiKeyId/);
      assert.equal(emulator.inspect.requests().length, 0);
      // Text that merely starts like a marker is an ordinary description.
      const k = await client.createApiKey({ apiKeyName: 'svc', apiKeyDescription: 'apikey: billing' });
      assert.equal(k.apiKeyDescription, 'apikey: billing');
      assert.equal(isCreateMarker('apikey:' + 'a'.repeat(43)), true);
      assert.equal('apikey:'.length + 43, 50, 'the longest marker fits the 50-character description');
    });
  });

  it('without an operation id each call posts its own random marker', async () => {
    await withStack({}, async ({ emulator, served }) => {
      const markers: string[] = [];
      const recording = (async (input: RequestInfo | URL, init?: RequestInit) => {
        if (init?.method === 'POST') markers.push((JSON.parse(String(init.body)) as { apiKeyDescription: string }).apiKeyDescription);
        return fetch(input, init);
      }) as typeof fetch;
      const client = myClient(served, { fetch: recording });
      await Promise.all([client.createApiKey({ apiKeyName: 'svc' }), client.createApiKey({ apiKeyName: 'svc' })]);
      assert.equal(markers.length, 2);
      for (const m of markers) assert.match(m, /^apikey:[0-9a-f-]{36}$/);
      assert.notEqual(markers[0], markers[1]);
      assert.equal(emulator.inspect.keys().length, 2);
      assert.ok(emulator.inspect.keys().every((k) => k.apiKeyDescription === ''), 'no marker left behind');
    });
  });
});
