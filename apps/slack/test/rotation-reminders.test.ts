// Rotation reminders end to end: a key older than its product's rotateAfter gets its owner one DM per period
// with a Rotate button (value = apiKeyId), never key values; a post Slack refused is retried, and the DM step
// is done only once Slack accepted it. Keys of products without rotateAfter, revoked keys and keys whose owner
// left get none.
import { describe, expect, it } from 'vitest';
import type { SlackStandIn } from '@apikey/slack-testkit';
import { createClock, useStack, type AppInstance, type Ncp, waitFor } from './helpers/harness.ts';
import { callMark, deliveredKey, expectNoKeyValuesSince, keyNow } from './helpers/keys.ts';
import { writePolicyFile } from './helpers/policy.ts';

const DAY = 86_400_000;
const POLICY = writePolicyFile({ products: { weatherpub: { rotateAfter: '30d' } } });

let standIn: SlackStandIn;
let ncp: Ncp;
let app: AppInstance;
const clock = createClock();

useStack({ clock, env: { APIKEY_POLICY: POLICY } }, (s) => ({ standIn, ncp, app } = s));

const reminders = (userId: string, apiKeyId: string) => standIn.dms(userId).filter((m) => m.text?.includes('due for rotation') && m.text.includes(apiKeyId));

describe('rotation reminders', () => {
  it('DMs the owner once per rotateAfter period, with a Rotate button; other keys get none', async () => {
    const owner = 'U0ROT001';
    const { key, request } = await deliveredKey(app, standIn, ncp, { userId: owner, name: 'rotate-me', product: 'weatherpub' });
    const plain = await deliveredKey(app, standIn, ncp, { userId: owner, name: 'no-policy' });
    const mark = callMark(standIn);
    expect((await app.slack.keySweeper.runOnce()).reminded).toBe(0);

    clock.advance(31 * DAY);
    expect((await app.slack.keySweeper.runOnce()).reminded).toBe(1);
    const dm = await waitFor('reminder DM', () => reminders(owner, key.apiKeyId)[0]);
    expect(JSON.stringify(dm.blocks)).toContain(`"action_id":"rotate","style":"primary","text":{"type":"plain_text","text":"Rotate"},"value":"${key.apiKeyId}"`);
    expect(JSON.stringify(dm.blocks)).toContain('rotate-me');
    expect((await keyNow(app, key.apiKeyId)).remindedAt).toBeTypeOf('number');
    await waitFor('reminded audit', async () => ((await app.store.listAudit(request.id)).some((e) => e.type === 'rotation_reminded') ? true : undefined));

    // Within the same period: no second reminder, however many passes (or replicas) run.
    clock.advance(10 * DAY);
    expect((await app.slack.keySweeper.runOnce()).reminded).toBe(0);
    expect((await app.slack.keySweeper.runOnce()).reminded).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(reminders(owner, key.apiKeyId)).toHaveLength(1);

    // A period later, still not rotated: reminded again.
    clock.advance(21 * DAY);
    expect((await app.slack.keySweeper.runOnce()).reminded).toBe(1);
    await waitFor('second reminder', () => (reminders(owner, key.apiKeyId).length === 2 ? true : undefined));
    expect(standIn.dms(owner).filter((m) => m.text?.includes(plain.key.apiKeyId) && m.text.includes('due for rotation'))).toHaveLength(0);
    expectNoKeyValuesSince(standIn, ncp, mark);
  });

  it('a reminder Slack refused is retried and only then done; revoked keys and keys whose owner left get none', async () => {
    const owner = 'U0ROT002';
    const { key, request } = await deliveredKey(app, standIn, ncp, { userId: owner, name: 'retry-remind', product: 'weatherpub' });
    const gone = await deliveredKey(app, standIn, ncp, { userId: 'U0ROT003', name: 'gone-owner', product: 'weatherpub' });
    await app.store.markOwnerGone(standIn.teamId, 'U0ROT003', clock.now(), () => []);
    const revoked = await deliveredKey(app, standIn, ncp, { userId: owner, name: 'revoked-one', product: 'weatherpub' });
    await app.store.updateKey(revoked.key.apiKeyId, { state: 'disabled' });
    standIn.rateLimit('chat.postMessage', { retryAfterSeconds: 1 });
    try {
      clock.advance(31 * DAY);
      await app.slack.keySweeper.runOnce();
      expect((await keyNow(app, key.apiKeyId)).remindedAt).toBeTypeOf('number');
      await waitFor('refused post', () => standIn.calls('chat.postMessage').find((c) => c.args['channel'] === owner && String(c.args['text']).includes('due for rotation')));
      const step = (await app.store.listOutbox(request.id)).find((i) => i.kind === 'rotation_reminder');
      expect(step?.doneAt).toBeUndefined();
    } finally {
      standIn.clearFaults('chat.postMessage');
    }
    await waitFor('reminder after the retry', () => reminders(owner, key.apiKeyId)[0]);
    await waitFor('step done', async () => ((await app.store.listOutbox(request.id)).find((i) => i.kind === 'rotation_reminder')?.doneAt !== undefined ? true : undefined));
    expect(reminders(owner, key.apiKeyId)).toHaveLength(1);
    expect(reminders('U0ROT003', gone.key.apiKeyId)).toHaveLength(0);
    expect((await keyNow(app, gone.key.apiKeyId)).remindedAt).toBeUndefined();
    expect(reminders(owner, revoked.key.apiKeyId)).toHaveLength(0);
    expect((await keyNow(app, revoked.key.apiKeyId)).remindedAt).toBeUndefined();
  });
});
