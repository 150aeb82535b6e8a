// The outbox worker runs steps of different requests independently: one request's key creation stuck in a slow
// NCP call does not hold back another request's approval message and DMs; the steps of one request still run
// in order; stop() gives a step it cannot finish back to the store for another worker.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackStandIn } from '@apikey/slack-testkit';
import { openRequestStore } from '../src/store/open-store.ts';
import type { RequestStore } from '../src/store/request-store.ts';
import {
  APPROVER,
  APPROVER_CHANNEL,
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

const OTHER_REQUESTER = 'U0REQ2';
const SLOW_MS = 6000;

let standIn: SlackStandIn;
let ncp: Ncp;

useServers((s) => ({ standIn, ncp } = s));

describe('outbox leases', () => {
  it('a step that outlasts its lease renews it: a second replica never runs it again (one POST, one key, one DM)', async () => {
    const store = await openRequestStore({ dataDir: 'memory://' });
    // Two replicas on one store, with leases far shorter than the slow create below.
    const a = await startApp({ standIn, ncp, store, workerId: 'lease-a', leaseMs: 300 });
    const b = await startApp({ standIn, ncp, store, workerId: 'lease-b', leaseMs: 300 });
    try {
      const { request, message } = await submitRequest(a, standIn, { userId: 'U0LEASE', name: 'long-step' });
      ncp.emulator.setFaults({ latency: { fixedMs: 1500 }, only: { method: 'POST' } });
      const posts = () => ncp.emulator.inspect.requests().filter((r) => r.method === 'POST' && r.target.endsWith('/api-keys')).length;
      const before = posts();
      try {
        await decideViaSlack(a, standIn, { userId: APPROVER, message, decision: 'approve' });
        await waitFor('key created', async () => (await store.getRequest(request.id))?.apiKeyId, 15_000);
      } finally {
        ncp.emulator.setFaults(undefined);
      }
      await waitFor('key DM', () => standIn.dms('U0LEASE').find((m) => m.text?.includes('"long-step" was approved')), 15_000);
      expect(posts() - before).toBe(1);
      expect(ncp.emulator.inspect.keys().filter((k) => k.apiKeyName === 'long-step')).toHaveLength(1);
      expect(standIn.dms('U0LEASE').filter((m) => m.text?.includes('"long-step" was approved'))).toHaveLength(1);
      expect([...a.logs, ...b.logs].join('\n')).not.toMatch(/lost the lease/);
    } finally {
      await a.stop();
      await b.stop();
      await store.close();
    }
  }, 60_000);
});

describe('outbox worker concurrency', () => {
  let app: AppInstance;
  beforeAll(async () => { app = await startApp({ standIn, ncp }); });
  afterAll(async () => { await app?.stop(); if (app) expectNoSecretsInLogs(app, ncp); });

  it('delivers another request\'s approval message and DMs while one key creation waits on a slow NCP', async () => {
    const slow = await submitRequest(app, standIn, { name: 'slow-key' });
    // Every key creation now takes SLOW_MS inside NCP; nothing else is slowed.
    ncp.emulator.setFaults({ latency: { fixedMs: SLOW_MS }, only: { method: 'POST' } });
    try {
      await decideViaSlack(app, standIn, { userId: APPROVER, message: slow.message, decision: 'approve' });
      await waitFor('slow create under way', () => app.logs.some((l) => l.includes('ncp') && l.includes('POST')));

      // A second request, from another person, goes its whole way while the first key is still being created.
      const quick = await submitRequest(app, standIn, { userId: OTHER_REQUESTER, name: 'quick-one' });
      await waitFor('pending DM', () => standIn.dms(OTHER_REQUESTER).find((m) => m.text?.includes('"quick-one" is waiting')));
      await decideViaSlack(app, standIn, { userId: APPROVER, message: quick.message, decision: 'deny', text: 'not now' });
      await waitFor('denial DM', () => standIn.dms(OTHER_REQUESTER).find((m) => m.text?.includes('"quick-one" was denied')));

      // All of that happened while the slow key did not exist yet.
      expect(ncp.emulator.inspect.keys().filter((k) => k.apiKeyName === 'slow-key')).toHaveLength(0);
      expect((await app.store.getRequest(slow.request.id))?.state).toBe('approved');
    } finally {
      ncp.emulator.setFaults(undefined);
    }
    await waitFor('slow key delivered', () => standIn.dms(REQUESTER).find((m) => m.text?.includes('"slow-key" was approved')), 30_000);
    expect(ncp.emulator.inspect.keys().filter((k) => k.apiKeyName === 'slow-key')).toHaveLength(1);
  }, 60_000);

  it('runs the key steps of one request in order, while the approval message shows "creating the key" during a slow create and ends at "delivered"', async () => {
    const { request, message } = await submitRequest(app, standIn, { name: 'ordered-key' });
    ncp.emulator.setFaults({ latency: { fixedMs: 1500 }, only: { method: 'POST' } });
    try {
      await decideViaSlack(app, standIn, { userId: APPROVER, message, decision: 'approve' });
      // Approval-message updates are a lane of their own: this one does not wait for the key creation.
      await waitFor('card says creating', () => {
        const m = standIn.messages(APPROVER_CHANNEL).find((x) => x.ts === message.ts);
        return m && JSON.stringify(m.blocks).includes('creating the key') ? m : undefined;
      });
      expect(ncp.emulator.inspect.keys().filter((k) => k.apiKeyName === 'ordered-key')).toHaveLength(0);
    } finally {
      ncp.emulator.setFaults(undefined);
    }
    await waitFor('delivered', async () => (await app.store.getRequest(request.id))?.state === 'delivered' || undefined);
    await waitFor('card says delivered', () => {
      const m = standIn.messages(APPROVER_CHANNEL).find((x) => x.ts === message.ts);
      return m && JSON.stringify(m.blocks).includes('delivered to') ? m : undefined;
    });
    const outbox = await app.store.listOutbox(request.id);
    // Within each lane, each step was finished before the next one started (ids are the queue order).
    for (const lane of [(k: string) => k === 'update_approval_message', (k: string) => k !== 'update_approval_message']) {
      const done = outbox.filter((x) => lane(x.kind)).map((x) => x.doneAt ?? Infinity);
      expect(done).toEqual([...done].sort((a, b) => a - b));
    }
    expect(outbox.filter((x) => x.kind !== 'update_approval_message').map((x) => x.kind)).toEqual(['notify', 'create_key', 'deliver_key']);
  });
});

describe('outbox worker concurrency bound', () => {
  let app: AppInstance;
  beforeAll(async () => { app = await startApp({ standIn, ncp, concurrency: 1 }); });
  afterAll(async () => { await app?.stop(); });

  it('with one slot, another request\'s DM waits for the slow step: no more steps run at once than allowed', async () => {
    const slow = await submitRequest(app, standIn, { name: 'bounded-slow' });
    ncp.emulator.setFaults({ latency: { fixedMs: 2000 }, only: { method: 'POST' } });
    try {
      await decideViaSlack(app, standIn, { userId: APPROVER, message: slow.message, decision: 'approve' });
      await waitFor('slow create leased', async () => (await app.store.listOutbox(slow.request.id)).find((x) => x.kind === 'create_key' && x.lockedUntil !== undefined));
      const cmd = await app.driver.slashCommand({ userId: OTHER_REQUESTER, text: 'create bounded-other' });
      expect(cmd.status).toBe(200);
      const view = await waitFor('modal', () => standIn.views(OTHER_REQUESTER).find((v) => v.callback_id === 'apikey_create'));
      await app.driver.viewSubmission({ userId: OTHER_REQUESTER, view, values: { justification: 'bounded' } });
      await waitFor('pending DM', () => standIn.dms(OTHER_REQUESTER).find((m) => m.text?.includes('"bounded-other" is waiting')), 20_000);
      // The only slot was busy with the slow creation until it finished: by now its key exists.
      expect(ncp.emulator.inspect.keys().filter((k) => k.apiKeyName === 'bounded-slow')).toHaveLength(1);
    } finally {
      ncp.emulator.setFaults(undefined);
    }
  }, 60_000);
});

describe('outbox worker stop()', () => {
  let store: RequestStore;
  let first: AppInstance;
  let second: AppInstance | undefined;
  beforeAll(async () => {
    store = await openRequestStore({ dataDir: 'memory://' });
    first = await startApp({ standIn, ncp, store, workerId: 'replica-1' });
  });
  afterAll(async () => {
    await first?.stop();
    await second?.stop();
    await store?.close();
  });

  it('on stop, releases a message step it could not finish so another replica posts it at once', async () => {
    // A request whose approval message hangs in Slack on replica-1.
    standIn.latency('chat.postMessage', SLOW_MS);
    let requestId: string;
    try {
      const cmd = await first.driver.slashCommand({ userId: REQUESTER, text: 'create handover-msg' });
      expect(cmd.status).toBe(200);
      const view = await waitFor('modal', () => standIn.views(REQUESTER).find((v) => v.callback_id === 'apikey_create'));
      await first.driver.viewSubmission({ userId: REQUESTER, view, values: { justification: 'handover' } });
      const r = await waitFor('stored', async () => (await store.listByRequester(standIn.teamId, REQUESTER, 50)).find((x) => x.apiKeyName === 'handover-msg'));
      requestId = r.id;
      await waitFor('message step leased by replica-1', async () =>
        (await store.listOutbox(requestId)).find((x) => x.kind === 'update_approval_message' && x.lockedBy === 'replica-1' && x.lockedUntil !== undefined));
      // The approval message and, in the other lane, the requester's "pending" DM: both hang in chat.postMessage.
      await waitFor('both lanes running', async () => ((await first.slack.worker.stats()).inFlight === 2 ? true : undefined));
      await first.slack.worker.stop({ graceMs: 100 });
      const items = await store.listOutbox(requestId);
      expect(items.map((x) => x.kind).sort()).toEqual(['notify', 'update_approval_message']);
      for (const item of items) {
        expect(item.lockedBy).toBeUndefined();
        expect(item.lockedUntil).toBeUndefined();
        expect(item.doneAt).toBeUndefined();
      }
    } finally {
      standIn.clearFaults('chat.postMessage');
    }
    second = await startApp({ standIn, ncp, store, workerId: 'replica-2' });
    // replica-2 picks the step up without waiting out the 5-minute lease.
    await waitFor('message posted by replica-2', async () => (await store.listOutbox(requestId)).find((x) => x.kind === 'update_approval_message' && x.doneAt !== undefined && x.lockedBy === 'replica-2'));
  }, 60_000);

  it('on stop, keeps the lease of a key creation still waiting on NCP (a second runner could make a second key)', async () => {
    const worker = second!;
    const { request, message } = await submitRequest(worker, standIn, { name: 'held-key' });
    ncp.emulator.setFaults({ latency: { fixedMs: SLOW_MS }, only: { method: 'POST' } });
    try {
      await decideViaSlack(worker, standIn, { userId: APPROVER, message, decision: 'approve' });
      await waitFor('create leased by replica-2', async () =>
        (await store.listOutbox(request.id)).find((x) => x.kind === 'create_key' && x.lockedBy === 'replica-2' && x.lockedUntil !== undefined));
      await worker.slack.worker.stop({ graceMs: 100 });
      expect((await store.listOutbox(request.id)).find((x) => x.kind === 'create_key')).toMatchObject({ lockedBy: 'replica-2', lockedUntil: expect.any(Number) });
    } finally {
      ncp.emulator.setFaults(undefined);
    }
  }, 60_000);

  it('reports the depth of the outbox and the age of the oldest due step', async () => {
    // replica-2 stopped with the held key creation still running: unfinished, due since it was approved.
    const stats = await second!.slack.worker.stats();
    expect(stats.inFlight).toBe(1);
    expect(stats.depth).toBeGreaterThanOrEqual(1);
    expect(stats.oldestDueAgeMs).toBeGreaterThan(0);
  });
});
