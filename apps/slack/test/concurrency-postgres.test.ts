// Two replicas sharing one Postgres: 20 approvers submit "approve" at the same moment, spread over both app
// instances. Exactly one wins the compare-and-set; NCP gets one key, the requester one DM, and every other
// approver is told who decided. Then a product with a quorum of 2: a repeated approver counts once and is told
// so, and of 11 simultaneous second approvers exactly one completes the quorum. Runs against a throwaway
// database created on 127.0.0.1:5432 and dropped after.
import { describe, expect, it } from 'vitest';
import type { SlackStandIn, StoredView } from '@apikey/slack-testkit';
import type { RequestStore } from '../src/store/request-store.ts';
import {
  GROUP,
  REQUESTER,
  clickForView,
  submitRequest,
  waitFor,
  type AppInstance,
  type Ncp,
} from './helpers/harness.ts';
import { messageAt, messageText, submitProductRequest, writePolicyFile } from './helpers/policy.ts';
import { useReplicasOnPostgres } from './helpers/replicas.ts';

const CLICKERS = Array.from({ length: 20 }, (_, i) => `U0CLICK${String(i).padStart(2, '0')}`);
const PRODUCT_CHANNEL = 'C0TESTCHAN';
// Requests without a product follow the environment's approvers (the group); this product needs 2 of the group.
const POLICY = writePolicyFile({ products: { paymentprt: { approvers: [GROUP], quorum: 2, channel: PRODUCT_CHANNEL } } });

let standIn: SlackStandIn;
let ncp: Ncp;
let storeA: RequestStore;
let storeB: RequestStore;
let appA: AppInstance;
let appB: AppInstance;

useReplicasOnPostgres(
  { name: 'conc', env: { APIKEY_POLICY: POLICY }, beforeApps: (s) => s.setUsergroup(GROUP, CLICKERS) },
  (r) => ({ standIn, ncp, storeA, storeB, appA, appB } = r),
);

describe('two replicas, one Postgres', () => {
  it('20 simultaneous approvals → one key, one DM, and 19 approvers told who decided', async () => {
    const { request, message } = await submitRequest(appA, standIn, { name: 'contended-key' });

    const views: StoredView[] = [];
    for (const [i, user] of CLICKERS.entries()) {
      const view = await clickForView(i % 2 === 0 ? appA : appB, standIn, { userId: user, actionId: 'approve', message });
      expect(view.callback_id).toBe('apikey_approve');
      views.push(view);
    }

    const results = await Promise.all(
      views.map((view, i) => (i % 2 === 0 ? appA : appB).driver.viewSubmission({ userId: CLICKERS[i]!, view })),
    );
    expect(results.every((r) => r.status === 200)).toBe(true);
    const winners = results.filter((r) => r.text === '');
    expect(winners).toHaveLength(1);

    const decided = await storeB.getRequest(request.id);
    const winner = decided?.decidedBy;
    expect(CLICKERS).toContain(winner);
    const losers = results.filter((r) => r.text !== '');
    expect(losers).toHaveLength(19);
    for (const r of losers) expect(r.errors?.comment).toBe(`Already approved by <@${winner}>.`);

    await waitFor('delivered', async () => ((await storeA.getRequest(request.id))?.state === 'delivered' ? true : undefined), 15_000);
    await new Promise((r) => setTimeout(r, 500)); // room for a duplicate to (wrongly) appear
    expect(ncp.emulator.inspect.keys().filter((k) => k.apiKeyName === 'contended-key')).toHaveLength(1);
    expect(standIn.dms(REQUESTER).filter((m) => m.text?.includes('"contended-key" was approved'))).toHaveLength(1);
    expect((await storeA.listAudit(request.id)).filter((e) => e.type === 'approved')).toHaveLength(1);
  });
});

describe('quorum on two replicas, one Postgres', () => {
  it('a repeated approver counts once and is told so; of 11 simultaneous second approvers exactly one completes the quorum: one transition, one key, one keys DM', async () => {
    const { request, message } = await submitProductRequest(appA, standIn, { productId: 'paymentprt', name: 'quorum-key', channel: PRODUCT_CHANNEL });
    const [first, ...others] = CLICKERS.slice(0, 12) as [string, ...string[]];

    // Every modal is opened while the request is still pending (1 of 2), the first approver's second one too.
    const firstView = await clickForView(appA, standIn, { userId: first, actionId: 'approve', message });
    const repeatView = await clickForView(appB, standIn, { userId: first, actionId: 'approve', message });
    const views: StoredView[] = [];
    for (const [i, user] of others.entries()) views.push(await clickForView(i % 2 === 0 ? appA : appB, standIn, { userId: user, actionId: 'approve', message }));
    expect(await appA.driver.viewSubmission({ userId: first, view: firstView })).toMatchObject({ status: 200, text: '' });
    expect(await storeB.getRequest(request.id)).toMatchObject({ state: 'pending' });

    const [repeat, ...results] = await Promise.all([
      appB.driver.viewSubmission({ userId: first, view: repeatView }),
      ...views.map((view, i) => (i % 2 === 0 ? appA : appB).driver.viewSubmission({ userId: others[i]!, view })),
    ]);
    const winners = results.filter((r) => r.text === '');
    expect(winners).toHaveLength(1);
    const decided = await storeB.getRequest(request.id);
    const winner = decided?.decidedBy;
    expect(others).toContain(winner);
    for (const r of results.filter((x) => x.text !== '')) expect(r.errors?.comment).toBe(`Already approved by <@${winner}>.`);
    // Either refused as a repeat (it ran before the quorum closed) or as already decided (after): never counted.
    expect(repeat?.errors?.comment).toMatch(/^(You already approved this request \(1 of 2 approvals\)|Already approved by <@)/);
    expect((await storeA.listApprovals(request.id)).map((a) => a.approverId).sort()).toEqual([first, winner].sort());

    await waitFor('delivered', async () => ((await storeA.getRequest(request.id))?.state === 'delivered' ? true : undefined), 20_000);
    await new Promise((r) => setTimeout(r, 500)); // room for a duplicate to (wrongly) appear
    expect(ncp.emulator.inspect.keys().filter((k) => k.apiKeyName === 'quorum-key')).toHaveLength(1);
    const dms = standIn.dms(REQUESTER);
    expect(dms.filter((m) => m.text?.includes('"quorum-key" was approved'))).toHaveLength(1);
    expect(dms.filter((m) => m.text?.includes('"quorum-key" has all 2 approvals'))).toHaveLength(1);
    expect((await storeA.listAudit(request.id)).filter((e) => e.type === 'approved')).toHaveLength(1);
    await waitFor('message names both approvers', () => messageText(messageAt(standIn, message)).includes(`Approved by <@${first}>, <@${winner}>`) || undefined);
  });
});
