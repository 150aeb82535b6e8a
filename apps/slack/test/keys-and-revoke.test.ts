// End to end over HTTP (Bolt app ↔ Slack stand-in ↔ NCP emulator): `/apikey keys` and App Home list a person's
// keys with Rotate / Revoke buttons, approvers also see keys of their products needing attention; revoking
// disables (or, by policy, deletes) the key on NCP after a confirmation, so the gateway refuses it, tells the
// approver channel, and never shows a key value. Refusals change nothing and make no NCP call.
import { describe, expect, it } from 'vitest';
import type { SlackStandIn, StoredView } from '@apikey/slack-testkit';
import {
  APPROVER,
  APPROVER_CHANNEL,
  OUTSIDER,
  createClock,
  useStack,
  waitFor,
  type AppInstance,
  type Ncp,
} from './helpers/harness.ts';
import { callMark, deliveredKey, expectNoKeyValuesSince, gatewayStatus, keyNow, keysReply, ncpWrites } from './helpers/keys.ts';
import { writePolicyFile } from './helpers/policy.ts';

// weatherpub: revoking disables (the default), rotation every 30 days; paymentprt: revoking deletes, and approval
// accepts the subscription so its key works on the gateway.
const POLICY = writePolicyFile({
  products: {
    weatherpub: { rotateAfter: '30d' },
    paymentprt: { revoke: 'delete', acceptSubscription: true },
  },
});

let standIn: SlackStandIn;
let ncp: Ncp;
let app: AppInstance;
const clock = createClock();

useStack({ clock, env: { APIKEY_POLICY: POLICY } }, (s) => ({ standIn, ncp, app } = s));

let seq = 0;
const person = () => `U0KEY${String(++seq).padStart(3, '0')}`;

const blocksOf = (x: { blocks?: unknown } | undefined) => JSON.stringify(x?.blocks ?? []);

/** Clicks Revoke on `/apikey keys`'s reply as `userId` for `apiKeyId`, resolving with the modal it opened. */
async function clickRevoke(userId: string, apiKeyId: string, reply?: { message_ts: string; channel: string }): Promise<StoredView> {
  const eph = reply ?? (await keysReply(app, standIn, userId));
  const before = new Set(standIn.views(userId).map((v) => v.id));
  const click = await app.driver.blockAction({ userId, actionId: 'revoke', value: apiKeyId, message: eph as never });
  expect(click.status).toBe(200);
  return waitFor('revoke modal', () => standIn.views(userId).find((v) => !before.has(v.id) && v.type === 'modal'));
}

/** A block_actions payload Slack never showed this user (e.g. replayed from someone else's message). */
async function forgedClick(userId: string, actionId: string, value: string): Promise<StoredView> {
  const before = new Set(standIn.views(userId).map((v) => v.id));
  const res = await app.driver.staleBlockAction({ userId, actionId, value });
  expect(res.status).toBe(200);
  return waitFor('view opened by the forged click', () => standIn.views(userId).find((v) => !before.has(v.id)));
}

describe('/apikey keys and App Home', () => {
  it('lists the owner\'s keys with id, escaped name, product, age, state and Rotate/Revoke buttons; others see none of them', async () => {
    const owner = person();
    const { key } = await deliveredKey(app, standIn, ncp, { userId: owner, name: 'list-<!here>&key', product: 'weatherpub' });
    const reply = await keysReply(app, standIn, owner);
    const blocks = blocksOf(reply);
    expect(blocks).toContain('My keys (1)');
    expect(blocks).toContain(key.apiKeyId);
    expect(blocks).toContain('list-&lt;!here&gt;&amp;key');
    expect(blocks).not.toContain('<!here>');
    expect(blocks).toContain('weatherpub');
    expect(blocks).toContain('active');
    expect(blocks).toContain(`"action_id":"rotate","text":{"type":"plain_text","text":"Rotate"},"value":"${key.apiKeyId}"`);
    expect(blocks).toContain(`"action_id":"revoke","style":"danger","text":{"type":"plain_text","text":"Revoke"},"value":"${key.apiKeyId}"`);
    expect(blocks).not.toContain('Needs attention');

    const other = await keysReply(app, standIn, OUTSIDER);
    expect(blocksOf(other)).toContain('You hold no keys yet');
    expect(blocksOf(other)).not.toContain(key.apiKeyId);
  });

  it('shows approvers the keys whose rotation is overdue, for the products they approve, and marks them due for the owner', async () => {
    const owner = person();
    const { key } = await deliveredKey(app, standIn, ncp, { userId: owner, name: 'old-weather', product: 'weatherpub' });
    expect(blocksOf(await keysReply(app, standIn, APPROVER))).not.toContain(key.apiKeyId);
    clock.advance(31 * 86_400_000);
    const approverView = blocksOf(await keysReply(app, standIn, APPROVER));
    expect(approverView).toContain('Needs attention');
    expect(approverView).toContain(key.apiKeyId);
    expect(approverView).toContain('rotation overdue');
    expect(approverView).toContain(`owner <@${owner}>`);
    expect(blocksOf(await keysReply(app, standIn, owner))).toContain('rotation due');
    // Not an approver: no attention list at all.
    expect(blocksOf(await keysReply(app, standIn, OUTSIDER))).not.toContain(key.apiKeyId);
  });

  it('App Home shows "My keys" with the buttons, and approvers the keys needing attention, within Slack\'s view limits', async () => {
    const owner = person();
    const { key } = await deliveredKey(app, standIn, ncp, { userId: owner, name: 'home-key' });
    const before = standIn.calls('views.publish').length;
    await app.driver.appHomeOpened(owner);
    const home = await waitFor('home published', () => (standIn.calls('views.publish').length > before ? standIn.homeView(owner) : undefined));
    const blocks = blocksOf(home);
    expect(blocks).toContain('My keys (1)');
    expect(blocks).toContain(key.apiKeyId);
    expect(blocks).toContain(`"action_id":"revoke"`);
    expect(blocks).toContain('My requests');
    expect(home.blocks.length).toBeLessThanOrEqual(100);

    const n = standIn.calls('views.publish').length;
    await app.driver.appHomeOpened(APPROVER);
    const approverHome = await waitFor('approver home', () => (standIn.calls('views.publish').length > n ? standIn.homeView(APPROVER) : undefined));
    expect(blocksOf(approverHome)).toContain('Needs attention');
  });
});

describe('revoke', () => {
  it('disables the key after a confirmation: the gateway refuses it, the registry says disabled, the approver channel is told', async () => {
    const owner = person();
    const { key, values } = await deliveredKey(app, standIn, ncp, { userId: owner, name: 'revoke-disable', product: 'paymentprt' });
    // paymentprt deletes by policy; this one is for weatherpub, which disables.
    const weather = await deliveredKey(app, standIn, ncp, { userId: owner, name: 'revoke-weather', product: 'weatherpub' });
    expect(await gatewayStatus(ncp, 'weatherpub', weather.values.primary)).toBe(200);
    const mark = callMark(standIn);
    const writes = ncpWrites(ncp, weather.key.apiKeyId);

    const modal = await clickRevoke(owner, weather.key.apiKeyId);
    expect(modal.callback_id).toBe('apikey_revoke');
    expect(blocksOf(modal)).toContain('disabled');
    // Nothing happens on the click alone.
    expect(ncpWrites(ncp, weather.key.apiKeyId)).toBe(writes);
    const sub = await app.driver.viewSubmission({ userId: owner, view: modal });
    expect(sub.status).toBe(200);
    expect(sub.errors).toBeUndefined();

    await waitFor('disabled in the registry', async () => ((await keyNow(app, weather.key.apiKeyId)).state === 'disabled' ? true : undefined));
    expect(ncp.emulator.inspect.keys().find((k) => k.apiKeyId === weather.key.apiKeyId)?.isEnabled).toBe(false);
    expect(await gatewayStatus(ncp, 'weatherpub', weather.values.primary)).toBe(401);
    expect(await gatewayStatus(ncp, 'weatherpub', weather.values.secondary)).toBe(401);
    const notice = await waitFor('channel notice', () => standIn.messages(APPROVER_CHANNEL).find((m) => m.text?.includes('revoked') && m.text.includes(weather.key.apiKeyId)));
    expect(notice.text).toContain(`<@${owner}>`);
    expect(notice.text).toContain('disabled');
    const audit = (await app.store.listAudit(weather.request.id)).map((e) => e.type);
    expect(audit).toEqual(expect.arrayContaining(['revoke_requested', 'key_disabled']));
    // The other key is untouched, and /apikey keys now shows the revoked one disabled, without a Rotate button.
    expect((await keyNow(app, key.apiKeyId)).state).toBe('active');
    expect(await gatewayStatus(ncp, 'paymentprt', values.primary)).toBe(200);
    const after = blocksOf(await keysReply(app, standIn, owner));
    expect(after).toContain('disabled');
    expect(after).not.toContain(`"action_id":"rotate","text":{"type":"plain_text","text":"Rotate"},"value":"${weather.key.apiKeyId}"`);
    expectNoKeyValuesSince(standIn, ncp, mark);
  });

  it('/apikey revoke <id> deletes the key where policy says delete; the gateway refuses it and NCP no longer has it', async () => {
    const owner = person();
    const { key, values, request } = await deliveredKey(app, standIn, ncp, { userId: owner, name: 'revoke-delete', product: 'paymentprt' });
    expect(await gatewayStatus(ncp, 'paymentprt', values.primary)).toBe(200);
    const mark = callMark(standIn);
    const before = new Set(standIn.views(owner).map((v) => v.id));
    const cmd = await app.driver.slashCommand({ userId: owner, text: `revoke ${key.apiKeyId}` });
    expect(cmd.status).toBe(200);
    const modal = await waitFor('revoke modal', () => standIn.views(owner).find((v) => !before.has(v.id)));
    expect(modal.callback_id).toBe('apikey_revoke');
    expect(blocksOf(modal)).toContain('deleted');
    await app.driver.viewSubmission({ userId: owner, view: modal });
    await waitFor('deleted in the registry', async () => ((await keyNow(app, key.apiKeyId)).state === 'deleted' ? true : undefined));
    expect(ncp.emulator.inspect.keys().find((k) => k.apiKeyId === key.apiKeyId)).toBeUndefined();
    expect(await gatewayStatus(ncp, 'paymentprt', values.primary)).toBe(401);
    await waitFor('channel notice', () => standIn.messages(APPROVER_CHANNEL).find((m) => m.text?.includes(key.apiKeyId) && m.text.includes('deleted')));
    expect((await app.store.listAudit(request.id)).filter((e) => e.type === 'key_deleted')).toHaveLength(1);
    // Gone from the list.
    expect(blocksOf(await keysReply(app, standIn, owner))).not.toContain(key.apiKeyId);
    expectNoKeyValuesSince(standIn, ncp, mark);
  });

  it('two submissions at once revoke once: one step, one NCP write, one notice', async () => {
    const owner = person();
    const { key, request } = await deliveredKey(app, standIn, ncp, { userId: owner, name: 'revoke-twice', product: 'weatherpub' });
    const writes = ncpWrites(ncp, key.apiKeyId);
    const first = await clickRevoke(owner, key.apiKeyId);
    const second = await clickRevoke(owner, key.apiKeyId);
    const results = await Promise.all([
      app.driver.viewSubmission({ userId: owner, view: first }),
      app.driver.viewSubmission({ userId: owner, view: second }),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    await waitFor('disabled', async () => ((await keyNow(app, key.apiKeyId)).state === 'disabled' ? true : undefined));
    await waitFor('notice', () => standIn.messages(APPROVER_CHANNEL).find((m) => m.text?.includes(key.apiKeyId)));
    await new Promise((r) => setTimeout(r, 300));
    expect((await app.store.listOutbox(request.id)).filter((i) => i.kind === 'revoke_key')).toHaveLength(1);
    expect(ncpWrites(ncp, key.apiKeyId)).toBe(writes + 1);
    expect(standIn.messages(APPROVER_CHANNEL).filter((m) => m.text?.includes(key.apiKeyId))).toHaveLength(1);
    expect((await app.store.listAudit(request.id)).filter((e) => e.type === 'revoke_requested')).toHaveLength(1);
    // Revoking it again says so and changes nothing.
    const again = await clickRevoke(owner, key.apiKeyId);
    expect(blocksOf(again)).toContain('already disabled');
  });

  it('an approver of the key\'s product may revoke it; someone else is refused at the button and at submit, and nothing changes', async () => {
    const owner = person();
    const { key, request } = await deliveredKey(app, standIn, ncp, { userId: owner, name: 'revoke-refused', product: 'weatherpub' });
    const writes = ncpWrites(ncp, key.apiKeyId);
    // The outsider has no Revoke button for this key; a forged click (a replayed payload) carries its id.
    const refused = await forgedClick(OUTSIDER, 'revoke', key.apiKeyId);
    expect(refused.callback_id).not.toBe('apikey_revoke');
    expect(blocksOf(refused)).toContain(`Only the key's owner (<@${owner}>) or an approver of its product can revoke it.`);

    // A confirmation opened by the owner but submitted by someone else (a forged submission) is refused too.
    const modal = await clickRevoke(owner, key.apiKeyId);
    const forged = await app.driver.viewSubmission({ userId: OUTSIDER, view: modal });
    expect(forged.status).toBe(200);
    expect(JSON.stringify(forged.body)).toContain('Only the key');
    await new Promise((r) => setTimeout(r, 300));
    expect((await keyNow(app, key.apiKeyId)).state).toBe('active');
    expect(ncpWrites(ncp, key.apiKeyId)).toBe(writes);
    expect((await app.store.listOutbox(request.id)).filter((i) => i.kind === 'revoke_key')).toHaveLength(0);
    expect((await app.store.listAudit(request.id)).filter((e) => e.type === 'revoke_requested')).toHaveLength(0);

    // An approver (not the owner) may.
    const byApprover = await clickRevoke(APPROVER, key.apiKeyId, await keysReply(app, standIn, APPROVER));
    expect(byApprover.callback_id).toBe('apikey_revoke');
    await app.driver.viewSubmission({ userId: APPROVER, view: byApprover });
    await waitFor('disabled by the approver', async () => ((await keyNow(app, key.apiKeyId)).state === 'disabled' ? true : undefined));
    const notice = await waitFor('notice', () => standIn.messages(APPROVER_CHANNEL).find((m) => m.text?.includes(key.apiKeyId)));
    expect(notice.text).toContain(`<@${APPROVER}> revoked`);
  });

  it('a delete whose answer was lost (NCP deleted it, then failed) ends deleted, not failed', async () => {
    const owner = person();
    const { key, values } = await deliveredKey(app, standIn, ncp, { userId: owner, name: 'delete-lost-answer', product: 'paymentprt' });
    ncp.emulator.setFaults({ commitThenFail: { rate: 1, mode: '503' }, only: { method: 'DELETE' } });
    try {
      const modal = await clickRevoke(owner, key.apiKeyId);
      await app.driver.viewSubmission({ userId: owner, view: modal });
      await waitFor('deleted', async () => ((await keyNow(app, key.apiKeyId)).state === 'deleted' ? true : undefined), 15_000);
    } finally {
      ncp.emulator.setFaults(undefined);
    }
    expect(ncp.emulator.inspect.keys().find((k) => k.apiKeyId === key.apiKeyId)).toBeUndefined();
    expect(await gatewayStatus(ncp, 'paymentprt', values.primary)).toBe(401);
  });

  it('when NCP keeps refusing, the revocation gives up after the configured attempts and tells who asked; the request is not failed', async () => {
    const owner = person();
    const { key, values, request } = await deliveredKey(app, standIn, ncp, { userId: owner, name: 'revoke-gives-up', product: 'weatherpub' });
    ncp.emulator.setFaults({ statusRates: { 500: 1 }, only: { method: 'PUT' } });
    try {
      const modal = await clickRevoke(owner, key.apiKeyId);
      await app.driver.viewSubmission({ userId: owner, view: modal });
      const dm = await waitFor('failure DM', () => standIn.dms(owner).find((m) => m.text?.includes('Revoking API key') && m.text.includes(key.apiKeyId)), 30_000);
      expect(dm.text).toContain('may still work');
    } finally {
      ncp.emulator.setFaults(undefined);
    }
    expect((await keyNow(app, key.apiKeyId)).state).toBe('active');
    expect(await gatewayStatus(ncp, 'weatherpub', values.primary)).toBe(200);
    expect((await app.store.getRequest(request.id))?.state).toBe('delivered');
    expect((await app.store.listAudit(request.id)).some((e) => e.type === 'notify_failed' && e.detail?.kind === 'revoke_key')).toBe(true);
    // Once NCP recovers, revoking again works (the failed attempt does not block it).
    const again = await clickRevoke(owner, key.apiKeyId);
    expect(again.callback_id).toBe('apikey_revoke');
    await app.driver.viewSubmission({ userId: owner, view: again });
    await waitFor('disabled', async () => ((await keyNow(app, key.apiKeyId)).state === 'disabled' ? true : undefined));
  });

  it('answers bad input to /apikey revoke clearly and looks nothing up', async () => {
    for (const text of ['revoke', 'revoke a b', 'revoke <!channel>']) {
      const res = await app.driver.slashCommand({ userId: OUTSIDER, text });
      expect(res.status).toBe(200);
      expect(JSON.stringify(res.body)).toContain('Usage: `/apikey revoke &lt;apiKeyId&gt;`');
    }
    const before = new Set(standIn.views(OUTSIDER).map((v) => v.id));
    await app.driver.slashCommand({ userId: OUTSIDER, text: 'revoke nosuchkey1' });
    const notice = await waitFor('notice', () => standIn.views(OUTSIDER).find((v) => !before.has(v.id)));
    expect(blocksOf(notice)).toContain('No key with that id');
  });
});
