// Failures never lose a request: NCP down then back, DMs refused then accepted, giving up into `failed` with a
// Retry button for approvers, and a restart that resumes the outbox and finishes the key a crashed attempt made.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiGatewayClient, type ApiKey } from '@apikey/core';
import type { SlackStandIn } from '@apikey/slack-testkit';
import { openRequestStore } from '../src/store/open-store.ts';
import type { RequestStore } from '../src/store/request-store.ts';
import {
  APPROVER,
  APPROVER_CHANNEL,
  OUTSIDER,
  REQUESTER,
  decideViaSlack,
  expectNoSecretsInLogs,
  startApp,
  submitRequest,
  waitFor,
  useServers,
  type AppInstance,
  type Ncp,
} from './helpers/harness.ts';

let standIn: SlackStandIn;
let ncp: Ncp;

useServers((s) => ({ standIn, ncp } = s));

const cardOf = (ts: string) => standIn.messages(APPROVER_CHANNEL).find((m) => m.ts === ts);
const updatesOf = (ts: string) => standIn.calls('chat.update').filter((c) => c.args['ts'] === ts).map((c) => JSON.stringify(c.args['blocks']));

describe('NCP failures', () => {
  let app: AppInstance;
  beforeAll(async () => { app = await startApp({ standIn, ncp, env: { APIKEY_MAX_ATTEMPTS: '30' } }); });
  afterAll(async () => { await app?.stop(); if (app) expectNoSecretsInLogs(app, ncp); });

  it('keeps retrying while NCP answers 503, shows the failure to approvers, and delivers once NCP recovers', async () => {
    const { request, message } = await submitRequest(app, standIn, { name: 'flaky-ncp' });
    ncp.emulator.setFaults({ statusRates: { 503: 1 }, only: { method: 'POST' } });
    try {
      await decideViaSlack(app, standIn, { userId: APPROVER, message, decision: 'approve' });
      await waitFor('failure shown to approvers', () => updatesOf(message.ts).find((b) => b.includes('NCP API Gateway is failing (HTTP 503')));
      const mid = await app.store.getRequest(request.id);
      expect(mid?.state).toBe('approved');
      expect(mid?.lastError).toContain('503');
    } finally {
      ncp.emulator.setFaults(undefined);
    }
    const dm = await waitFor('key DM', () => standIn.dms(REQUESTER).find((m) => m.text?.includes('"flaky-ncp" was approved')));
    const keys = ncp.emulator.inspect.keys().filter((k) => k.apiKeyName === 'flaky-ncp');
    expect(keys).toHaveLength(1);
    expect(JSON.stringify(dm.blocks)).toContain(keys[0]!.primaryKey);
    await waitFor('card shows delivery without the old error', () => {
      const b = JSON.stringify(cardOf(message.ts)?.blocks);
      return b.includes('delivered') && !b.includes('503') ? b : undefined;
    });
  });

  it('while Slack refuses the approval message and NCP keeps failing, message updates do not pile up; the key is delivered and the card ends at "delivered"', async () => {
    const { request, message } = await submitRequest(app, standIn, { name: 'both-down' });
    standIn.fail('chat.update', 'internal_error');
    ncp.emulator.setFaults({ statusRates: { 503: 1 }, only: { method: 'POST' } });
    try {
      await decideViaSlack(app, standIn, { userId: APPROVER, message, decision: 'approve' });
      await waitFor('several failed creates', async () => ((await app.store.getRequest(request.id))?.attempts ?? 0) >= 4 || undefined, 30_000);
      // Each failed attempt wants the error on the card, but an update already waiting in the lane will show it.
      const waiting = (await app.store.listOutbox(request.id)).filter((x) => x.kind === 'update_approval_message' && x.doneAt === undefined);
      expect(waiting.length).toBeLessThanOrEqual(2);
    } finally {
      ncp.emulator.setFaults(undefined);
      standIn.clearFaults('chat.update');
    }
    await waitFor('key DM', () => standIn.dms(REQUESTER).find((m) => m.text?.includes('"both-down" was approved')), 30_000);
    await waitFor('card shows delivery', () => (JSON.stringify(cardOf(message.ts)?.blocks).includes('delivered to') ? true : undefined), 30_000);
  });

  it('retries a refused DM (messages_tab_disabled) and delivers it when Slack accepts again', async () => {
    const { request, message } = await submitRequest(app, standIn, { name: 'dm-refused' });
    await waitFor('pending DM', () => standIn.dms(REQUESTER).find((m) => m.text?.includes('"dm-refused" is waiting')));
    standIn.fail('chat.postMessage', 'messages_tab_disabled', { times: 2 });
    await decideViaSlack(app, standIn, { userId: APPROVER, message, decision: 'approve' });
    const dm = await waitFor('key DM', () => standIn.dms(REQUESTER).find((m) => m.text?.includes('"dm-refused" was approved')));
    expect(dm).toBeDefined();
    expect(updatesOf(message.ts).some((b) => b.includes('messages_tab_disabled'))).toBe(true);
    const refused = standIn.calls('chat.postMessage').filter((c) => c.response.body['error'] === 'messages_tab_disabled');
    expect(refused).toHaveLength(2);
    await waitFor('delivered state', async () => ((await app.store.getRequest(request.id))?.state === 'delivered' ? true : undefined));
    expect(standIn.dms(REQUESTER).filter((m) => m.text?.includes('"dm-refused" was approved'))).toHaveLength(1);
  });

  it('waits out a Slack rate limit (429 + Retry-After) and then delivers', async () => {
    const { request, message } = await submitRequest(app, standIn, { name: 'rate-limited' });
    await waitFor('pending DM', () => standIn.dms(REQUESTER).find((m) => m.text?.includes('"rate-limited" is waiting')));
    standIn.rateLimit('chat.postMessage', { times: 1, retryAfterSeconds: 1 });
    await decideViaSlack(app, standIn, { userId: APPROVER, message, decision: 'approve' });
    const dm = await waitFor('key DM', () => standIn.dms(REQUESTER).find((m) => m.text?.includes('"rate-limited" was approved')));
    const limited = standIn.calls('chat.postMessage').find((c) => c.response.status === 429);
    expect(limited).toBeDefined();
    const delivered = standIn.calls('chat.postMessage').find((c) => String(c.args['text']).includes('"rate-limited" was approved') && c.response.status === 200);
    // Retry-After honoured, not hammered: a lower bound, so slowness cannot make it fail, only a missing wait.
    expect(delivered!.at - limited!.at).toBeGreaterThanOrEqual(900);
    const item = (await app.store.listOutbox(request.id)).find((i) => i.kind === 'deliver_key');
    expect(item).toMatchObject({ attempts: 2, lastError: 'Slack rate-limited the app' });
    expect(dm).toBeDefined();
    await waitFor('delivered state', async () => ((await app.store.getRequest(request.id))?.state === 'delivered' ? true : undefined));
  });
});

describe('giving up and retrying', () => {
  let app: AppInstance;
  beforeAll(async () => { app = await startApp({ standIn, ncp, env: { APIKEY_MAX_ATTEMPTS: '2' } }); });
  afterAll(async () => { await app?.stop(); if (app) expectNoSecretsInLogs(app, ncp); });

  it('moves to failed after the last attempt, offers approvers a Retry button, and Retry delivers', async () => {
    const { request, message } = await submitRequest(app, standIn, { name: 'give-up' });
    ncp.emulator.setFaults({ statusRates: { 503: 1 }, only: { method: 'POST' } });
    try {
      await decideViaSlack(app, standIn, { userId: APPROVER, message, decision: 'approve' });
      await waitFor('failed', async () => ((await app.store.getRequest(request.id))?.state === 'failed' ? true : undefined));
      const card = await waitFor('retry button', () => {
        const b = JSON.stringify(cardOf(message.ts)?.blocks);
        return b.includes('"action_id":"retry"') ? b : undefined;
      });
      expect(card).toContain('failed after 2 attempts');
      expect(card).toContain(`"value":"${request.id}"`);
    } finally {
      ncp.emulator.setFaults(undefined);
    }

    await app.driver.blockAction({ userId: OUTSIDER, actionId: 'retry', message });
    const refusal = await waitFor('refusal', () => standIn.ephemerals(OUTSIDER).find((e) => e.text?.includes('Only API key approvers')));
    expect(refusal).toBeDefined();
    expect((await app.store.getRequest(request.id))?.state).toBe('failed');

    await app.driver.blockAction({ userId: APPROVER, actionId: 'retry', message });
    await waitFor('key DM', () => standIn.dms(REQUESTER).find((m) => m.text?.includes('"give-up" was approved')));
    expect(ncp.emulator.inspect.keys().filter((k) => k.apiKeyName === 'give-up')).toHaveLength(1);
    // 'delivered' is recorded just after the DM is posted: wait for it rather than racing the worker.
    const audit = await waitFor('delivered audit event', async () => {
      const types = (await app.store.listAudit(request.id)).map((e) => e.type);
      return types.includes('delivered') ? types : undefined;
    });
    expect(audit).toEqual(expect.arrayContaining(['creation_failed', 'retried', 'key_created', 'delivered']));
  });
});

describe('restart', () => {
  let store: RequestStore;
  beforeAll(async () => { store = await openRequestStore({ dataDir: 'memory://' }); });
  afterAll(async () => { await store?.close(); });

  it('resumes queued work after a restart and finishes the key a crashed attempt created (no second key)', async () => {
    const first = await startApp({ standIn, ncp, store, workerId: 'replica-1' });
    const { request, message } = await submitRequest(first, standIn, { name: 'crash-key' });
    await first.stop();

    // Simulate a crash mid-creation: approved, createStartedAt recorded, the key made on NCP with this request's
    // marker (the process died between POST and PUT, before the id was saved), the create_key item still queued.
    const startedAt = Date.now();
    await store.transition(request.id, 'pending', 'approved', { decidedBy: APPROVER, decidedAt: startedAt, createStartedAt: startedAt }, { at: startedAt, actor: APPROVER, type: 'approved' },
      [{ kind: 'create_key', payload: {}, notBefore: startedAt }, { kind: 'update_approval_message', payload: {}, notBefore: startedAt }]);
    const direct = createApiGatewayClient({ credentials: { accessKey: 'SANDBOX_ACCESS_KEY', secretKey: 'SANDBOX_SECRET_KEY' }, endpoint: ncp.url });
    let made!: ApiKey;
    await expect(direct.createApiKey({ apiKeyName: 'crash-key' }, { operationId: request.id, onCommitted: (k) => { made = k; throw new Error('crash'); } })).rejects.toThrow('crash');

    const second = await startApp({ standIn, ncp, store, workerId: 'replica-2' });
    try {
      const dm = await waitFor('key DM after restart', () => standIn.dms(REQUESTER).find((m) => m.text?.includes('"crash-key" was approved')));
      expect(ncp.emulator.inspect.keys().filter((k) => k.apiKeyName === 'crash-key').map((k) => [k.apiKeyId, k.apiKeyDescription])).toEqual([[made.apiKeyId, 'for billing']]);
      expect(JSON.stringify(dm.blocks)).toContain(made.primaryKey);
      expect((await store.getRequest(request.id))?.apiKeyId).toBe(made.apiKeyId);
      await waitFor('card updated', () => (JSON.stringify(cardOf(message.ts)?.blocks).includes(made.apiKeyId) ? true : undefined));
      expectNoSecretsInLogs(first, ncp);
      expectNoSecretsInLogs(second, ncp);
    } finally {
      await second.stop();
    }
  });
  it('does not adopt a same-named key that another request already owns', async () => {
    const now = Date.now();
    const base = { teamId: standIn.teamId, apiKeyName: 'twin-name', apiKeyDescription: '', justification: 'twins', createdAt: now, expiresAt: now + 3_600_000 };
    const a = await store.createRequest({ ...base, requesterId: REQUESTER }, REQUESTER);
    const b = await store.createRequest({ ...base, requesterId: 'U0TWIN' }, 'U0TWIN');
    await store.transition(a.id, 'pending', 'approved', { decidedBy: APPROVER, decidedAt: now, createStartedAt: now }, undefined,
      [{ kind: 'create_key', payload: {}, notBefore: now }]);
    const direct = createApiGatewayClient({ credentials: { accessKey: 'SANDBOX_ACCESS_KEY', secretKey: 'SANDBOX_SECRET_KEY' }, endpoint: ncp.url });
    const bKey = await direct.createApiKey({ apiKeyName: 'twin-name' });
    await store.transition(b.id, 'pending', 'approved', { decidedBy: APPROVER, decidedAt: now });
    await store.transition(b.id, 'approved', 'created', { apiKeyId: bKey.apiKeyId });

    const replica = await startApp({ standIn, ncp, store, workerId: 'replica-3' });
    try {
      const done = await waitFor('a delivered', async () => {
        const r = await store.getRequest(a.id);
        return r?.state === 'delivered' ? r : undefined;
      });
      expect(done.apiKeyId).toBeDefined();
      expect(done.apiKeyId).not.toBe(bKey.apiKeyId);
      expect(ncp.emulator.inspect.keys().filter((k) => k.apiKeyName === 'twin-name')).toHaveLength(2);
    } finally {
      await replica.stop();
    }
  });
});
