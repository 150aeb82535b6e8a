// Offboarding on two replicas sharing Postgres: the same deactivation reaches both as Slack's event and its
// retry while both run their sweeps. The store marks the owner's keys once, so the approver channel gets one
// message and each key one disable (one NCP write), whichever replica does it. Runs against a throwaway database
// created on 127.0.0.1:5432 and dropped after.
import { describe, expect, it } from 'vitest';
import type { SlackStandIn } from '@apikey/slack-testkit';
import type { RequestStore } from '../src/store/request-store.ts';
import { APPROVER_CHANNEL, waitFor, type AppInstance, type Ncp } from './helpers/harness.ts';
import { deliveredKey, gatewayStatus, keyNow, ncpWrites } from './helpers/keys.ts';
import { useReplicasOnPostgres } from './helpers/replicas.ts';

const OWNER = 'U0LEAVER';

let standIn: SlackStandIn;
let ncp: Ncp;
let storeB: RequestStore;
let appA: AppInstance;
let appB: AppInstance;

useReplicasOnPostgres({ name: 'offb' }, (r) => ({ standIn, ncp, storeB, appA, appB } = r));

describe('offboarding on two replicas (Postgres)', () => {
  it('event, its retry and both sweeps at once: one channel message, each key disabled once', async () => {
    const keys = [];
    for (const name of ['pg-leaver-1', 'pg-leaver-2', 'pg-leaver-3']) keys.push(await deliveredKey(appA, standIn, ncp, { userId: OWNER, name, product: 'weatherpub' }));
    const writes = keys.map((k) => ncpWrites(ncp, k.key.apiKeyId));
    standIn.setUser({ id: OWNER, name: 'leaver', deleted: true });
    const event = { type: 'user_change', user: { id: OWNER, team_id: standIn.teamId, deleted: true }, event_ts: '1.000001' };
    const answers = await Promise.all([
      appA.driver.event(event, { eventId: 'Ev0PGLEAVE1' }),
      appB.driver.event(event, { eventId: 'Ev0PGLEAVE1', retryNum: 1 }),
      appA.slack.keySweeper.runOnce().then(() => ({ status: 200 })),
      appB.slack.keySweeper.runOnce().then(() => ({ status: 200 })),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);

    for (const k of keys) await waitFor(`${k.key.apiKeyName} disabled`, async () => ((await keyNow(appA, k.key.apiKeyId)).state === 'disabled' ? true : undefined), 15_000);
    const about = () => standIn.messages(APPROVER_CHANNEL).filter((m) => JSON.stringify(m.blocks ?? []).includes(`"block_id":"offboarded:${OWNER}:`));
    await waitFor('offboarding message', () => about()[0]);
    await new Promise((r) => setTimeout(r, 500));
    expect(about()).toHaveLength(1);
    expect(JSON.stringify(about()[0]?.blocks)).toContain('held 3 API key(s)');
    for (const [i, k] of keys.entries()) {
      expect(ncpWrites(ncp, k.key.apiKeyId)).toBe((writes[i] ?? 0) + 1);
      expect(await gatewayStatus(ncp, 'weatherpub', k.values.primary)).toBe(401);
      expect((await storeB.listAudit(k.request.id)).filter((e) => e.type === 'owner_gone')).toHaveLength(1);
      expect((await storeB.listOutbox(k.request.id)).filter((o) => o.kind === 'revoke_key')).toHaveLength(1);
    }
  });
});
