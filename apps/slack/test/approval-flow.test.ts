// End-to-end: /apikey create → modal → approval message → approve/deny → DM, over real loopback HTTP with the
// real Bolt app, the Slack stand-in and the NCP emulator.
import { afterEach, describe, expect, it } from 'vitest';
import type { SlackStandIn } from '@apikey/slack-testkit';
import {
  APPROVER,
  APPROVER_CHANNEL,
  REQUESTER,
  clickForView,
  decideViaSlack,
  submitRequest,
  useStack,
  waitFor,
  type AppInstance,
  type Ncp,
} from './helpers/harness.ts';

let standIn: SlackStandIn;
let ncp: Ncp;
let app: AppInstance;

useStack({}, (s) => ({ standIn, ncp, app } = s));
afterEach(() => {
  expect(app.logs.join('\n')).not.toMatch(/xoxb-|test-signing-secret/);
  for (const key of ncp.emulator.inspect.keys()) {
    expect(app.logs.join('\n')).not.toContain(key.primaryKey);
    expect(app.logs.join('\n')).not.toContain(key.secondaryKey);
  }
});

describe('approval flow', () => {
  it('create → approve → the requester gets a DM whose keys are the ones NCP stored', async () => {
    const { request, message } = await submitRequest(app, standIn, { name: 'billing-svc' });
    expect(request.state).toBe('pending');
    expect(message.text).toContain('billing-svc');
    const pendingDm = await waitFor('pending DM', () => standIn.dms(REQUESTER).find((m) => m.text?.includes('waiting for approval')));
    expect(pendingDm).toBeDefined();

    const result = await decideViaSlack(app, standIn, { userId: APPROVER, message, decision: 'approve', text: 'ok for billing' });
    expect(result.opened).toBe(true);
    if (!result.opened) return;
    expect(result.submission.status).toBe(200);
    expect(result.submission.text).toBe('');

    const dm = await waitFor('key DM', () => standIn.dms(REQUESTER).find((m) => m.text?.includes('approved')));
    const keys = ncp.emulator.inspect.keys().filter((k) => k.apiKeyName === 'billing-svc');
    expect(keys).toHaveLength(1);
    const key = keys[0]!;
    const blocksText = JSON.stringify(dm.blocks);
    expect(blocksText).toContain(key.primaryKey);
    expect(blocksText).toContain(key.secondaryKey);
    // The notification text drives previews: no secret there.
    expect(dm.text).not.toContain(key.primaryKey);
    expect(dm.text).not.toContain(key.secondaryKey);
    expect(dm.options).toMatchObject({ unfurl_links: 'false' });

    const stored = await waitFor('delivered state', async () => {
      const r = await app.store.getRequest(request.id);
      return r?.state === 'delivered' ? r : undefined;
    });
    expect(stored.apiKeyId).toBe(key.apiKeyId);
    expect(stored.decidedBy).toBe(APPROVER);
    // The registry knows the key's owner and origin from the moment NCP made it.
    expect(await app.store.getKey(key.apiKeyId)).toMatchObject({ ownerId: REQUESTER, requestId: request.id, apiKeyName: 'billing-svc', state: 'active' });

    const updated = await waitFor('approval message updated', () => {
      const m = standIn.messages(APPROVER_CHANNEL).find((x) => x.ts === message.ts);
      return m && JSON.stringify(m.blocks).includes('delivered') ? m : undefined;
    });
    const cardText = JSON.stringify(updated.blocks);
    expect(cardText).toContain(`Approved by <@${APPROVER}>`);
    expect(cardText).toContain(key.apiKeyId);
    expect(cardText).not.toContain('"action_id":"approve"');
    // Keys never reach the approver channel (any message, any version), button values or view metadata.
    for (const call of standIn.calls()) {
      const args = JSON.stringify(call.args);
      if (call.args['channel'] === APPROVER_CHANNEL || call.method.startsWith('views.')) {
        expect(args).not.toContain(key.primaryKey);
        expect(args).not.toContain(key.secondaryKey);
      }
      expect(JSON.stringify(call.args['metadata'] ?? '')).not.toContain(key.primaryKey);
    }
    // 'delivered' is recorded just after the DM is posted: wait for it rather than racing the worker.
    const audit = await waitFor('delivered audit event', async () => {
      const types = (await app.store.listAudit(request.id)).map((e) => e.type);
      return types.includes('delivered') ? types : undefined;
    });
    expect(audit).toEqual(expect.arrayContaining(['requested', 'approved', 'key_created', 'delivered']));
  });

  it('deny with a reason → the requester gets the reason and no key is created', async () => {
    const before = ncp.emulator.inspect.keys().length;
    const { request, message } = await submitRequest(app, standIn, { name: 'deny-me' });
    const result = await decideViaSlack(app, standIn, { userId: APPROVER, message, decision: 'deny', text: 'use the shared key instead' });
    expect(result.opened && result.submission.status).toBe(200);
    const dm = await waitFor('denial DM', () => standIn.dms(REQUESTER).find((m) => m.text?.includes('denied') && m.text.includes('deny-me')));
    expect(JSON.stringify(dm.blocks)).toContain('use the shared key instead');
    const updated = await waitFor('approval message shows denial', () => {
      const m = standIn.messages(APPROVER_CHANNEL).find((x) => x.ts === message.ts);
      return m && JSON.stringify(m.blocks).includes('Denied by') ? m : undefined;
    });
    expect(JSON.stringify(updated.blocks)).toContain('use the shared key instead');
    expect((await app.store.getRequest(request.id))?.state).toBe('denied');
    expect(ncp.emulator.inspect.keys().length).toBe(before);
  });

  it('deny without a reason is refused inline and nothing changes', async () => {
    const { request, message } = await submitRequest(app, standIn, { name: 'no-reason' });
    const result = await decideViaSlack(app, standIn, { userId: APPROVER, message, decision: 'deny', text: '   ' });
    expect(result.opened).toBe(true);
    if (!result.opened) return;
    expect(result.submission.body).toMatchObject({ response_action: 'errors', errors: { reason: expect.any(String) } });
    expect((await app.store.getRequest(request.id))?.state).toBe('pending');
  });

  it('opens the approve and deny modals for a request whose text grows past Slack\'s limits when escaped', async () => {
    // Every "&" becomes "&amp;": 20 + 50 + 500 of them take the summary past 3 000 characters unless cut after escaping.
    const { message } = await submitRequest(app, standIn, { name: '&'.repeat(20), description: '&'.repeat(50), justification: '&'.repeat(500) });
    for (const decision of ['approve', 'deny'] as const) {
      const view = await clickForView(app, standIn, { userId: APPROVER, actionId: decision, message });
      expect(view.callback_id).toBe(decision === 'approve' ? 'apikey_approve' : 'apikey_deny');
      expect(JSON.stringify(view.blocks)).toContain('&amp;&amp;');
      await app.driver.viewClosed({ userId: APPROVER, view });
    }
  });
});
