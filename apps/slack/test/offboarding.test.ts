// Offboarding end to end over HTTP: a key owner deactivated in Slack — reported by a user_change event (retried,
// as Slack does) or found by the periodic sweep through users.info — gets their keys disabled on NCP (the gateway
// refuses them) and the approver channel exactly one message listing them; with policy `offboarding: "flag"` the
// keys keep working and are only flagged. From that message an approver transfers a key to a new owner (who is
// told, without key values, and then holds it) or disables it; anyone else is refused and nothing changes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackStandIn, StoredMessage } from '@apikey/slack-testkit';
import {
  APPROVER,
  APPROVER_CHANNEL,
  OUTSIDER,
  expectNoSecretsInLogs,
  startApp,
  startNcp,
  startStandIn,
  waitFor,
  type AppInstance,
  type Ncp,
} from './helpers/harness.ts';
import { callMark, deliveredKey, expectNoKeyValuesSince, gatewayStatus, keyNow, keysReply, ncpWrites } from './helpers/keys.ts';
import { messageText, writePolicyFile } from './helpers/policy.ts';

let standIn: SlackStandIn;
let ncp: Ncp;
let disableApp: AppInstance;
let flagApp: AppInstance;

beforeAll(async () => {
  standIn = await startStandIn();
  ncp = await startNcp();
  disableApp = await startApp({ standIn, ncp, workerId: 'disable' });
  flagApp = await startApp({ standIn, ncp, workerId: 'flag', env: { APIKEY_POLICY: writePolicyFile({ defaults: { offboarding: 'flag' } }) } });
});
afterAll(async () => {
  for (const app of [disableApp, flagApp]) {
    await app?.stop();
    if (app) expectNoSecretsInLogs(app, ncp);
  }
  await standIn?.close();
  await ncp?.close();
});

let seq = 0;
const person = () => `U0OFF${String(++seq).padStart(3, '0')}`;

/** Offboarding messages about `ownerId` in the approver channel. */
const noticesAbout = (ownerId: string): StoredMessage[] =>
  standIn.messages(APPROVER_CHANNEL).filter((m) => JSON.stringify(m.blocks ?? []).includes(`"block_id":"offboarded:${ownerId}:`));

function deactivate(userId: string): void {
  standIn.setUser({ id: userId, name: userId.toLowerCase(), deleted: true });
}

function userChange(app: AppInstance, userId: string, o: { eventId?: string; retryNum?: number } = {}) {
  return app.driver.event({ type: 'user_change', user: { id: userId, team_id: standIn.teamId, deleted: true, is_bot: false, updated: 1 }, cache_ts: 1, event_ts: '1.000001' }, o);
}

/** The transfer menu's pick, as Slack sends it: a users_select action in the key's row of the message. */
async function pickNewOwner(app: AppInstance, o: { userId: string; message: StoredMessage; apiKeyId: string; newOwner: string }) {
  const res = await app.driver.blockAction({ userId: o.userId, actionId: 'offboarding_transfer', blockId: `offact_${o.apiKeyId}`, value: o.newOwner, message: o.message });
  expect(res.status).toBe(200);
}

const messageNow = (m: StoredMessage) => standIn.messages(m.channel).find((x) => x.ts === m.ts);

describe('offboarding (policy disable, the default)', () => {
  it('a user_change event with deleted: true disables the owner\'s keys and posts one message, however often it is delivered', async () => {
    const owner = person();
    const a = await deliveredKey(disableApp, standIn, ncp, { userId: owner, name: 'leaver-a', product: 'weatherpub' });
    const b = await deliveredKey(disableApp, standIn, ncp, { userId: owner, name: 'leaver-b' });
    expect(await gatewayStatus(ncp, 'weatherpub', a.values.primary)).toBe(200);
    const mark = callMark(standIn);
    deactivate(owner);
    // Slack's first delivery, its retry of the same event, a second event and the sweep, all at once.
    const answers = await Promise.all([
      userChange(disableApp, owner, { eventId: 'Ev0LEAVE001' }),
      userChange(disableApp, owner, { eventId: 'Ev0LEAVE001', retryNum: 1 }),
      userChange(disableApp, owner, { eventId: 'Ev0LEAVE002' }),
      disableApp.slack.keySweeper.runOnce().then(() => ({ status: 200 })),
    ]);
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);

    await waitFor('both disabled', async () => ((await keyNow(disableApp, a.key.apiKeyId)).state === 'disabled' && (await keyNow(disableApp, b.key.apiKeyId)).state === 'disabled' ? true : undefined));
    expect(ncp.emulator.inspect.keys().filter((k) => k.apiKeyId === a.key.apiKeyId || k.apiKeyId === b.key.apiKeyId).map((k) => k.isEnabled)).toEqual([false, false]);
    expect(await gatewayStatus(ncp, 'weatherpub', a.values.primary)).toBe(401);
    const notice = await waitFor('offboarding message', () => noticesAbout(owner)[0]);
    expect(notice.text).toContain(`<@${owner}> left Slack`);
    await waitFor('message shows both disabled', () => {
      const text = messageText(messageNow(notice));
      return text.includes(a.key.apiKeyId) && text.includes(b.key.apiKeyId) && !text.includes('being disabled') ? true : undefined;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(noticesAbout(owner)).toHaveLength(1);
    expect((await keyNow(disableApp, a.key.apiKeyId)).ownerGoneAt).toBeTypeOf('number');
    expect((await disableApp.store.listAudit(a.request.id)).filter((e) => e.type === 'owner_gone')).toHaveLength(1);
    // Disabled keys offer a transfer but no Disable button.
    expect(messageText(messageNow(notice))).not.toContain('"action_id":"offboarding_disable"');
    expect(messageText(messageNow(notice))).toContain('"action_id":"offboarding_transfer"');
    // Approvers see them under "Needs attention".
    expect(JSON.stringify((await keysReply(disableApp, standIn, APPROVER)).blocks)).toContain('owner left Slack');
    expectNoKeyValuesSince(standIn, ncp, mark);
  });

  it('the periodic sweep finds a deactivation Slack never reported (users.info), once', async () => {
    const owner = person();
    const { key, values } = await deliveredKey(disableApp, standIn, ncp, { userId: owner, name: 'swept', product: 'weatherpub' });
    standIn.setUser({ id: owner, name: 'still-here' });
    await disableApp.slack.keySweeper.runOnce();
    expect((await keyNow(disableApp, key.apiKeyId)).ownerGoneAt).toBeUndefined();

    deactivate(owner);
    const infoCalls = standIn.calls('users.info').length;
    const first = await disableApp.slack.keySweeper.runOnce();
    expect(first.gone).toBe(1);
    expect(standIn.calls('users.info').length).toBeGreaterThan(infoCalls);
    await waitFor('disabled', async () => ((await keyNow(disableApp, key.apiKeyId)).state === 'disabled' ? true : undefined));
    expect(await gatewayStatus(ncp, 'weatherpub', values.primary)).toBe(401);
    await waitFor('message', () => noticesAbout(owner)[0]);
    const second = await disableApp.slack.keySweeper.runOnce();
    expect(second.gone).toBe(0);
    await userChange(disableApp, owner);
    await new Promise((r) => setTimeout(r, 300));
    expect(noticesAbout(owner)).toHaveLength(1);
  });

  it('an event for someone who is not deactivated, or holds no keys, changes nothing', async () => {
    const owner = person();
    const { key } = await deliveredKey(disableApp, standIn, ncp, { userId: owner, name: 'stayer' });
    const res = await disableApp.driver.event({ type: 'user_change', user: { id: owner, deleted: false }, event_ts: '1.1' });
    expect(res.status).toBe(200);
    await userChange(disableApp, person());
    await new Promise((r) => setTimeout(r, 300));
    expect((await keyNow(disableApp, key.apiKeyId)).ownerGoneAt).toBeUndefined();
    expect(noticesAbout(owner)).toHaveLength(0);
  });

  it('ignores an event that is not signed by Slack', async () => {
    const owner = person();
    const { key } = await deliveredKey(disableApp, standIn, ncp, { userId: owner, name: 'unsigned' });
    const body = JSON.stringify({ type: 'event_callback', team_id: standIn.teamId, api_app_id: standIn.appId, event_id: 'Ev0FORGED1', event_time: 1, event: { type: 'user_change', user: { id: owner, deleted: true } } });
    const res = await disableApp.driver.send({ body, contentType: 'application/json', signature: 'bad' });
    expect(res.status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect((await keyNow(disableApp, key.apiKeyId)).ownerGoneAt).toBeUndefined();
  });
});

describe('offboarding (policy flag), transfer and disable', () => {
  it('flags only: the keys keep working; an approver transfers one to a new owner who is told and then holds it', async () => {
    const owner = person();
    const heir = person();
    const { key, values, request } = await deliveredKey(flagApp, standIn, ncp, { userId: owner, name: 'flagged', product: 'weatherpub' });
    const mark = callMark(standIn);
    deactivate(owner);
    await userChange(flagApp, owner);
    const notice = await waitFor('offboarding message', () => noticesAbout(owner)[0]);
    expect(notice.text).toContain('only flags');
    expect((await keyNow(flagApp, key.apiKeyId)).state).toBe('active');
    expect((await keyNow(flagApp, key.apiKeyId)).ownerGoneAt).toBeTypeOf('number');
    expect(await gatewayStatus(ncp, 'weatherpub', values.primary)).toBe(200);
    expect(messageText(notice)).toContain('"action_id":"offboarding_disable"');

    // Someone who is not an approver cannot take it.
    const writes = ncpWrites(ncp, key.apiKeyId);
    await pickNewOwner(flagApp, { userId: OUTSIDER, message: notice, apiKeyId: key.apiKeyId, newOwner: OUTSIDER });
    await waitFor('refusal', () => standIn.ephemerals(OUTSIDER).find((e) => e.text?.includes('Only an approver')));
    expect((await keyNow(flagApp, key.apiKeyId)).ownerId).toBe(owner);

    // Nor can it go back to the departed owner, or to someone else deactivated.
    await pickNewOwner(flagApp, { userId: APPROVER, message: notice, apiKeyId: key.apiKeyId, newOwner: owner });
    await waitFor('same-owner refusal', () => standIn.ephemerals(APPROVER).find((e) => e.text?.includes('already holds this key')));
    const gone = person();
    deactivate(gone);
    await pickNewOwner(flagApp, { userId: APPROVER, message: notice, apiKeyId: key.apiKeyId, newOwner: gone });
    await waitFor('deactivated refusal', () => standIn.ephemerals(APPROVER).find((e) => e.text?.includes(`<@${gone}> is deactivated`)));
    expect((await keyNow(flagApp, key.apiKeyId)).ownerId).toBe(owner);

    standIn.setUser({ id: heir, name: 'heir' });
    await pickNewOwner(flagApp, { userId: APPROVER, message: notice, apiKeyId: key.apiKeyId, newOwner: heir });
    await waitFor('transferred', async () => ((await keyNow(flagApp, key.apiKeyId)).ownerId === heir ? true : undefined));
    const moved = await keyNow(flagApp, key.apiKeyId);
    expect(moved.ownerGoneAt).toBeUndefined();
    expect(moved.state).toBe('active');
    const dm = await waitFor('new owner DM', () => standIn.dms(heir).find((m) => m.text?.includes('transferred')));
    expect(dm.text).toContain(key.apiKeyId);
    expect(dm.text).toContain(`<@${APPROVER}>`);
    await waitFor('message shows the transfer', () => (messageText(messageNow(notice)).includes(`transferred to <@${heir}>`) ? true : undefined));
    expect(messageText(messageNow(notice))).not.toContain('"action_id":"offboarding_transfer"');
    expect(JSON.stringify((await keysReply(flagApp, standIn, heir)).blocks)).toContain(key.apiKeyId);
    expect(JSON.stringify((await keysReply(flagApp, standIn, owner)).blocks)).not.toContain(key.apiKeyId);
    expect((await flagApp.store.listAudit(request.id)).filter((e) => e.type === 'key_transferred')).toHaveLength(1);
    expect(ncpWrites(ncp, key.apiKeyId)).toBe(writes);
    expectNoKeyValuesSince(standIn, ncp, mark);
  });

  it('Disable from the message: approvers only; it disables the key on NCP and the message shows it', async () => {
    const owner = person();
    const { key, values } = await deliveredKey(flagApp, standIn, ncp, { userId: owner, name: 'to-disable', product: 'weatherpub' });
    deactivate(owner);
    await userChange(flagApp, owner);
    const notice = await waitFor('offboarding message', () => noticesAbout(owner)[0]);
    const writes = ncpWrites(ncp, key.apiKeyId);

    await flagApp.driver.blockAction({ userId: OUTSIDER, actionId: 'offboarding_disable', message: notice });
    await waitFor('refusal', () => standIn.ephemerals(OUTSIDER).find((e) => e.text?.includes('Only an approver of the key\'s product can disable it')));
    await new Promise((r) => setTimeout(r, 300));
    expect(ncpWrites(ncp, key.apiKeyId)).toBe(writes);
    expect((await keyNow(flagApp, key.apiKeyId)).state).toBe('active');

    await flagApp.driver.blockAction({ userId: APPROVER, actionId: 'offboarding_disable', message: notice });
    await waitFor('disabled', async () => ((await keyNow(flagApp, key.apiKeyId)).state === 'disabled' ? true : undefined));
    expect(await gatewayStatus(ncp, 'weatherpub', values.primary)).toBe(401);
    await waitFor('message shows it disabled', () => (messageText(messageNow(notice)).includes(':no_entry_sign: disabled') ? true : undefined));
    expect(messageText(messageNow(notice))).not.toContain('"action_id":"offboarding_disable"');
  });
});
