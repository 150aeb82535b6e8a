// The Slack app creates keys through core's exact create with the request id as operation id: a step that
// fails after the key exists is retried into that same key, same-named requests never share a key, and a key
// someone else owns is never delivered, whatever happened to NCP in between.
import { describe, expect, it } from 'vitest';
import { createApiGatewayClient, operationIdSchema, type ApiGatewayClient } from '@apikey/core';
import { newRequestId } from '../src/store/sql-request-store.ts';
import {
  APPROVER,
  REQUESTER,
  decideViaSlack,
  submitRequest,
  useStack,
  waitFor,
  type Stack,
} from './helpers/harness.ts';

const OTHER_REQUESTER = 'U0REQ2';

let stack: Stack;
useStack({ env: { APIKEY_MAX_ATTEMPTS: '30' } }, (s) => { stack = s; });

const someoneElse = (): ApiGatewayClient =>
  createApiGatewayClient({ credentials: { accessKey: 'SANDBOX_ACCESS_KEY', secretKey: 'SANDBOX_SECRET_KEY' }, endpoint: stack.ncp.url });
const keysNamed = (name: string) => stack.ncp.emulator.inspect.keys().filter((k) => k.apiKeyName === name);
const keyDm = (user: string, name: string) => stack.standIn.dms(user).find((m) => m.text?.includes(`"${name}" was approved`));

describe('exact key creation from Slack', () => {
  it('request ids are valid operation ids, so every request has a marker of its own', () => {
    for (let i = 0; i < 200; i++) expect(operationIdSchema.safeParse(newRequestId()).success).toBe(true);
  });

  it('a create step that fails after the key id was recorded is retried into that one key, delivered to its requester', async () => {
    const { app, standIn, ncp } = stack;
    const { request, message } = await submitRequest(app, standIn, { name: 'crash-after-hook', description: 'for billing' });
    // Every PUT fails: the key is created and recorded, then the step dies before the marker is replaced.
    ncp.emulator.setFaults({ statusRates: { 503: 1 }, only: { method: 'PUT' } });
    try {
      await decideViaSlack(app, standIn, { userId: APPROVER, message, decision: 'approve' });
      const failed = await waitFor('step failed after the hook', async () => {
        const r = await app.store.getRequest(request.id);
        return r?.apiKeyId !== undefined && r.lastError !== undefined ? r : undefined;
      });
      expect(failed.state).toBe('approved');
      expect(keysNamed('crash-after-hook').map((k) => [k.apiKeyId, k.apiKeyDescription])).toEqual([[failed.apiKeyId, `apikey:${request.id}`]]);
    } finally {
      ncp.emulator.setFaults(undefined);
    }
    const dm = await waitFor('key DM after the retry', () => keyDm(REQUESTER, 'crash-after-hook'));
    const keys = keysNamed('crash-after-hook');
    expect(keys).toHaveLength(1);
    expect(keys[0]!.apiKeyDescription).toBe('for billing');
    expect(JSON.stringify(dm.blocks)).toContain(keys[0]!.primaryKey);
    const done = await app.store.getRequest(request.id);
    expect(done?.apiKeyId).toBe(keys[0]!.apiKeyId);
  });

  it('two requests for the same name, approved together while their first POSTs commit and fail, get two different keys, each delivered to its own requester', async () => {
    const { app, standIn, ncp } = stack;
    const a = await submitRequest(app, standIn, { userId: REQUESTER, name: 'twin-svc', description: 'same' });
    const b = await submitRequest(app, standIn, { userId: OTHER_REQUESTER, name: 'twin-svc', description: 'same' });
    // Slow POSTs keep both creates in flight together, so neither can tell the other's key from its own by timing.
    ncp.emulator.setFaults({ latency: { fixedMs: 1_500 }, commitThenFail: { rate: 1, mode: '503' }, only: { method: 'POST' } });
    try {
      // Back to back (one approver's modals are told apart by order); every first POST commits and fails.
      await decideViaSlack(app, standIn, { userId: APPROVER, message: a.message, decision: 'approve' });
      await decideViaSlack(app, standIn, { userId: APPROVER, message: b.message, decision: 'approve' });
      await waitFor('both delivered', async () => {
        const [ra, rb] = await Promise.all([app.store.getRequest(a.request.id), app.store.getRequest(b.request.id)]);
        return ra?.state === 'delivered' && rb?.state === 'delivered' ? true : undefined;
      }, 20_000);
    } finally {
      ncp.emulator.setFaults(undefined);
    }
    const [ra, rb] = await Promise.all([app.store.getRequest(a.request.id), app.store.getRequest(b.request.id)]);
    expect(ra?.apiKeyId).toBeDefined();
    expect(ra?.apiKeyId).not.toBe(rb?.apiKeyId);
    const keys = keysNamed('twin-svc');
    expect(keys.map((k) => k.apiKeyId).sort()).toEqual([ra!.apiKeyId, rb!.apiKeyId].sort());
    const keyOf = (id: string | undefined) => keys.find((k) => k.apiKeyId === id)!;
    expect(JSON.stringify(keyDm(REQUESTER, 'twin-svc')?.blocks)).toContain(keyOf(ra!.apiKeyId).primaryKey);
    expect(JSON.stringify(keyDm(OTHER_REQUESTER, 'twin-svc')?.blocks)).toContain(keyOf(rb!.apiKeyId).primaryKey);
    expect(JSON.stringify(keyDm(REQUESTER, 'twin-svc')?.blocks)).not.toContain(keyOf(rb!.apiKeyId).primaryKey);
  });

  it('someone else’s same-named key, regenerated or created during an NCP outage, is never delivered and stays untouched', async () => {
    const { app, standIn, ncp } = stack;
    const other = someoneElse();
    const theirs = await other.createApiKey({ apiKeyName: 'shared-name', apiKeyDescription: 'ops team' });
    const { request, message } = await submitRequest(app, standIn, { name: 'shared-name', description: 'ops team' });
    ncp.emulator.setFaults({ statusRates: { 503: 1 }, only: { method: 'POST' } });
    let intruderId = '';
    try {
      await decideViaSlack(app, standIn, { userId: APPROVER, message, decision: 'approve' });
      await waitFor('create failing', async () => ((await app.store.getRequest(request.id))?.lastError !== undefined ? true : undefined));
      // During the outage (POSTs only), the owner rotates their key and a colleague makes another of that name.
      await other.regenerateApiKey(theirs.apiKeyId, 'PRIMARY');
      ncp.emulator.setFaults(undefined);
      intruderId = (await other.createApiKey({ apiKeyName: 'shared-name', apiKeyDescription: 'ops team' })).apiKeyId;
    } finally {
      ncp.emulator.setFaults(undefined);
    }
    const dm = await waitFor('key DM', () => keyDm(REQUESTER, 'shared-name'), 20_000);
    const done = await app.store.getRequest(request.id);
    expect([theirs.apiKeyId, intruderId]).not.toContain(done?.apiKeyId);
    const keys = keysNamed('shared-name');
    expect(keys).toHaveLength(3);
    const mine = keys.find((k) => k.apiKeyId === done?.apiKeyId)!;
    expect(JSON.stringify(dm.blocks)).toContain(mine.primaryKey);
    for (const k of keys.filter((x) => x.apiKeyId !== mine.apiKeyId)) {
      expect(JSON.stringify(dm.blocks)).not.toContain(k.primaryKey);
      expect(k.apiKeyDescription).toBe('ops team');
    }
  });
});
