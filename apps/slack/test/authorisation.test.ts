// Who may decide, checked server-side: approvers by id or user group, never the requester unless
// APIKEY_ALLOW_SELF_APPROVAL, never after expiry. Forged submissions (a modal submitted by someone the
// button would not have let in) are refused at submit time too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackStandIn, StoredView } from '@apikey/slack-testkit';
import { createApproverDirectory } from '../src/approvers.ts';
import {
  APPROVER,
  APPROVER_2,
  APPROVER_CHANNEL,
  GROUP,
  GROUP_MEMBER,
  OUTSIDER,
  REQUESTER,
  clickForView,
  expectNoSecretsInLogs,
  createClock,
  decideViaSlack,
  startApp,
  submitRequest,
  useStack,
  waitFor,
  type AppInstance,
  type Ncp,
} from './helpers/harness.ts';

let standIn: SlackStandIn;
let ncp: Ncp;
let app: AppInstance;
const clock = createClock();

useStack({ clock, env: { APIKEY_REQUEST_TTL: '2h', APIKEY_REMINDER_BEFORE: '30m' } }, (s) => ({ standIn, ncp, app } = s));

/** Opens an approve modal as a legitimate approver, to be submitted by someone else (a forged submit). */
async function openApproveModal(a: AppInstance, message: { channel: string; ts: string }, as = APPROVER_2): Promise<StoredView> {
  const view = await clickForView(a, standIn, { userId: as, actionId: 'approve', message });
  expect(view.callback_id).toBe('apikey_approve');
  return view;
}

describe('authorisation', () => {
  it('refuses self-approval at the button and at submit, and the request stays pending', async () => {
    const { request, message } = await submitRequest(app, standIn, { userId: APPROVER, name: 'self-key' });
    const click = await decideViaSlack(app, standIn, { userId: APPROVER, message, decision: 'approve' });
    expect(click.opened).toBe(false);
    if (!click.opened) expect(click.notice).toContain('cannot decide your own request');

    const view = await openApproveModal(app, message);
    const forged = await app.driver.viewSubmission({ userId: APPROVER, view });
    expect(forged.errors?.comment).toContain('cannot decide your own request');
    expect((await app.store.getRequest(request.id))?.state).toBe('pending');
    expect(ncp.emulator.inspect.keys().filter((k) => k.apiKeyName === 'self-key')).toHaveLength(0);
  });

  it('refuses a non-approver, at the button and at submit', async () => {
    const { request, message } = await submitRequest(app, standIn, { name: 'outsider-key' });
    const click = await decideViaSlack(app, standIn, { userId: OUTSIDER, message, decision: 'deny', text: 'no' });
    expect(click.opened).toBe(false);
    if (!click.opened) expect(click.notice).toContain('Only API key approvers');

    const view = await openApproveModal(app, message);
    const forged = await app.driver.viewSubmission({ userId: OUTSIDER, view });
    expect(forged.errors?.comment).toContain('Only API key approvers');
    expect((await app.store.getRequest(request.id))?.state).toBe('pending');
  });

  it('lets a member of an approver user group approve', async () => {
    const { request, message } = await submitRequest(app, standIn, { name: 'group-key' });
    const result = await decideViaSlack(app, standIn, { userId: GROUP_MEMBER, message, decision: 'approve' });
    expect(result.opened && result.submission.text).toBe('');
    const done = await waitFor('delivered', async () => {
      const r = await app.store.getRequest(request.id);
      return r?.state === 'delivered' ? r : undefined;
    });
    expect(done.decidedBy).toBe(GROUP_MEMBER);
    expect(standIn.calls('usergroups.users.list').length).toBeGreaterThan(0);
  });

  it('tells the second approver who already decided', async () => {
    const { message } = await submitRequest(app, standIn, { name: 'race-key' });
    const first = await openApproveModal(app, message, APPROVER);
    const second = await openApproveModal(app, message, APPROVER_2);
    const a = await app.driver.viewSubmission({ userId: APPROVER, view: first });
    expect(a.text).toBe('');
    const b = await app.driver.viewSubmission({ userId: APPROVER_2, view: second });
    expect(b.errors?.comment).toBe(`Already approved by <@${APPROVER}>.`);
    await waitFor('key DM', () => standIn.dms(REQUESTER).find((m) => m.text?.includes('"race-key" was approved')));
    expect(ncp.emulator.inspect.keys().filter((k) => k.apiKeyName === 'race-key')).toHaveLength(1);
  });

  it('marks a reminder sent only once Slack accepted it: a refused post is retried, not forgotten', async () => {
    const { request, message } = await submitRequest(app, standIn, { name: 'remind-retry' });
    // Slack answers 429 (retry in 2 s) until cleared: the first reminder post is refused.
    standIn.rateLimit('chat.postMessage', { retryAfterSeconds: 2 });
    try {
      clock.advance(95 * 60_000); // inside the 30-minute reminder window
      await waitFor('refused reminder post', () => standIn.calls('chat.postMessage').find((c) => c.args['thread_ts'] === message.ts));
      expect((await app.store.getRequest(request.id))?.remindedAt).toBeUndefined();
    } finally {
      standIn.clearFaults('chat.postMessage');
    }
    const reminder = await waitFor('reminder after the retry', () => standIn.messages(APPROVER_CHANNEL).find((m) => m.thread_ts === message.ts && m.text?.includes('Reminder')));
    expect(reminder.text).toContain('remind-retry');
    await waitFor('remindedAt recorded', async () => (await app.store.getRequest(request.id))?.remindedAt);
    expect(standIn.messages(APPROVER_CHANNEL).filter((m) => m.thread_ts === message.ts)).toHaveLength(1);
    expect((await app.store.listAudit(request.id)).filter((e) => e.type === 'reminded')).toHaveLength(1);
    clock.advance(30 * 60_000); // past the TTL: expire it so later tests start clean
    await waitFor('expired', async () => (await app.store.getRequest(request.id))?.state === 'expired' || undefined);
  });

  it('reminds approvers before expiry, then expires the request, DMs the requester and refuses late approvals', async () => {
    const { request, message } = await submitRequest(app, standIn, { name: 'late-key' });
    const view = await openApproveModal(app, message, APPROVER);

    clock.advance(95 * 60_000); // inside the 30-minute reminder window
    const reminder = await waitFor('reminder', () => standIn.messages(APPROVER_CHANNEL).find((m) => m.thread_ts === message.ts && m.text?.includes('Reminder')));
    expect(reminder.text).toContain('late-key');

    clock.advance(30 * 60_000); // past the 2 h TTL
    const dm = await waitFor('expiry DM', () => standIn.dms(REQUESTER).find((m) => m.text?.includes('"late-key" expired')));
    expect(dm).toBeDefined();
    expect((await app.store.getRequest(request.id))?.state).toBe('expired');
    await waitFor('message shows expiry', () => {
      const m = standIn.messages(APPROVER_CHANNEL).find((x) => x.ts === message.ts);
      return m && JSON.stringify(m.blocks).includes('Expired') && !JSON.stringify(m.blocks).includes('"action_id":"approve"') ? m : undefined;
    });

    const late = await app.driver.viewSubmission({ userId: APPROVER, view });
    expect(late.errors?.comment).toContain('expired');
    expect(ncp.emulator.inspect.keys().filter((k) => k.apiKeyName === 'late-key')).toHaveLength(0);
  });
});

describe('approver directory', () => {
  it('caches user-group members but never a failed lookup', async () => {
    const dir = createApproverDirectory({ users: [APPROVER], groups: [GROUP], client: app.slack.app.client, cacheMs: 60_000 });
    standIn.fail('usergroups.users.list', 'fatal_error', { times: 1 });
    await expect(dir.isApprover(GROUP_MEMBER)).rejects.toThrow(/fatal_error/);
    expect(await dir.isApprover(GROUP_MEMBER)).toBe(true);
    const calls = standIn.calls('usergroups.users.list').length;
    expect(await dir.isApprover(OUTSIDER)).toBe(false);
    expect(await dir.isApprover(APPROVER)).toBe(true);
    expect(standIn.calls('usergroups.users.list').length).toBe(calls);
  });
});

describe('self-approval allowed', () => {
  let selfApp: AppInstance;
  beforeAll(async () => {
    selfApp = await startApp({ standIn, ncp, env: { APIKEY_ALLOW_SELF_APPROVAL: 'true' } });
  });
  afterAll(async () => {
    await selfApp?.stop();
    if (selfApp) expectNoSecretsInLogs(selfApp, ncp);
  });

  it('lets an approver approve their own request when APIKEY_ALLOW_SELF_APPROVAL=true', async () => {
    const { request, message } = await submitRequest(selfApp, standIn, { userId: APPROVER_2, name: 'own-key' });
    const result = await decideViaSlack(selfApp, standIn, { userId: APPROVER_2, message, decision: 'approve' });
    expect(result.opened && result.submission.text).toBe('');
    await waitFor('delivered', async () => ((await selfApp.store.getRequest(request.id))?.state === 'delivered' ? true : undefined));
    const key = ncp.emulator.inspect.keys().find((k) => k.apiKeyName === 'own-key');
    const dm = standIn.dms(APPROVER_2).find((m) => m.text?.includes('"own-key" was approved'));
    expect(JSON.stringify(dm?.blocks)).toContain(key?.primaryKey);
  });
});
