// Per-product approvers and quorum end to end over HTTP (Bolt app, Slack stand-in, NCP emulator): a product's
// approvers replace the defaults', a defaults approver is refused on that product's request and nothing
// changes; a quorum of 2 counts each approver once, shows "k of N" and who approved, tells the requester once
// fully approved, and makes one key; one deny denies.
import { describe, expect, it } from 'vitest';
import type { SlackStandIn, StoredView } from '@apikey/slack-testkit';
import {
  APPROVER,
  APPROVER_2,
  APPROVER_CHANNEL,
  REQUESTER,
  clickForView,
  decideViaSlack,
  startApp,
  useStack,
  waitFor,
  type AppInstance,
  type Ncp,
} from './helpers/harness.ts';
import { messageAt, messageIn, messageText, submitProductRequest, writePolicyFile } from './helpers/policy.ts';

const PAY_CHANNEL = 'C0TESTCHAN';
const PAY_A = 'U0PAYA';
const PAY_B = 'U0PAYB';
const PAY_C = 'U0PAYC';

const POLICY = writePolicyFile({
  products: {
    paymentprt: { approvers: [PAY_A, PAY_B, PAY_C], quorum: 2, channel: PAY_CHANNEL },
    weatherpub: { approvers: [APPROVER_2] },
    draftinner: { approvers: [APPROVER_2], ttl: '4h' },
  },
});

let standIn: SlackStandIn;
let ncp: Ncp;
let app: AppInstance;
useStack({ env: { APIKEY_POLICY: POLICY } }, (s) => ({ standIn, ncp, app } = s));

async function openApprove(userId: string, message: { channel: string; ts: string }): Promise<StoredView> {
  return clickForView(app, standIn, { userId, actionId: 'approve', message });
}

async function stateOf(id: string) {
  return (await app.store.getRequest(id))?.state;
}

describe('per-product approvers', () => {
  it('refuses a defaults approver on a product whose policy names other approvers, at the button and at submit; nothing changes', async () => {
    const { request, message } = await submitProductRequest(app, standIn, { productId: 'weatherpub', name: 'solo-key', channel: APPROVER_CHANNEL });
    // The message mentions the product's approvers only.
    expect(messageText(message)).toContain(`<@${APPROVER_2}>`);
    expect(messageText(message)).not.toContain(`<@${APPROVER}>`);

    const click = await decideViaSlack(app, standIn, { userId: APPROVER, message, decision: 'approve' });
    expect(click.opened).toBe(false);
    if (!click.opened) expect(click.notice).toContain('You are not an approver for product weatherpub');
    const deny = await decideViaSlack(app, standIn, { userId: APPROVER, message, decision: 'deny', text: 'no' });
    expect(deny.opened).toBe(false);

    // A modal opened by the product's approver, submitted by the defaults approver (a forged submission).
    const view = await openApprove(APPROVER_2, message);
    const forged = await app.driver.viewSubmission({ userId: APPROVER, view });
    expect(forged.errors?.comment).toContain('You are not an approver for product weatherpub');
    expect(await stateOf(request.id)).toBe('pending');
    expect(await app.store.listApprovals(request.id)).toEqual([]);
    expect((await app.store.listAudit(request.id)).map((e) => e.type)).toEqual(['requested']);

    const ok = await app.driver.viewSubmission({ userId: APPROVER_2, view });
    expect(ok.text).toBe('');
    await waitFor('delivered', async () => ((await stateOf(request.id)) === 'delivered' ? true : undefined));
  });
});

describe('product TTL', () => {
  it("a product's shorter TTL sets the request's expiry, and its reminder waits for the last quarter instead of going out at once", async () => {
    const { request } = await submitProductRequest(app, standIn, { productId: 'draftinner', name: 'short-key', channel: APPROVER_CHANNEL });
    expect(request.expiresAt - request.createdAt).toBe(4 * 3_600_000);
    await app.slack.sweeper.runOnce();
    expect((await app.store.listOutbox(request.id)).filter((x) => x.kind === 'remind')).toEqual([]);
  });
});

describe('App Home', () => {
  it("lists a product's pending request for that product's approvers only, not for a defaults approver", async () => {
    const { request } = await submitProductRequest(app, standIn, { productId: 'weatherpub', name: 'home-solo', channel: APPROVER_CHANNEL });
    const homeOf = async (user: string) => {
      const before = standIn.homeView(user);
      await app.driver.appHomeOpened(user);
      return JSON.stringify((await waitFor(`home of ${user}`, () => (standIn.homeView(user) !== before ? standIn.homeView(user) : undefined))).blocks);
    };
    expect(await homeOf(APPROVER_2)).toContain(`"value":"${request.id}"`);
    expect(await homeOf(APPROVER)).not.toContain(request.id);
  });
});

describe('quorum', () => {
  it('quorum 2: "1 of 2" with who approved, a repeat approver is told and counted once, the second approver approves; one key, requester told', async () => {
    const keysBefore = ncp.emulator.inspect.keys().length;
    const { request, message } = await submitProductRequest(app, standIn, { productId: 'paymentprt', name: 'pay-key', channel: PAY_CHANNEL });
    expect(messageIn(standIn, APPROVER_CHANNEL, request.id)).toBeUndefined();

    const first = await decideViaSlack(app, standIn, { userId: PAY_A, message, decision: 'approve', text: 'ok from payments' });
    expect(first.opened && first.submission.text).toBe('');
    expect(await stateOf(request.id)).toBe('pending');
    await waitFor('message shows 1 of 2', () => messageText(messageAt(standIn, message)).includes(`1 of 2 approvals (<@${PAY_A}>)`) || undefined);

    // The same approver again: refused at the button, and a second modal submitted anyway is counted once.
    const staleView = await openApprove(PAY_B, message);
    const again = await decideViaSlack(app, standIn, { userId: PAY_A, message, decision: 'approve' });
    expect(again.opened).toBe(false);
    if (!again.opened) expect(again.notice).toContain('You already approved this request (1 of 2 approvals)');
    const repeat = await app.driver.viewSubmission({ userId: PAY_A, view: staleView });
    expect(repeat.errors?.comment).toContain('You already approved this request');
    expect(await app.store.listApprovals(request.id)).toHaveLength(1);
    expect(await stateOf(request.id)).toBe('pending');

    const second = await app.driver.viewSubmission({ userId: PAY_B, view: staleView });
    expect(second.text).toBe('');
    await waitFor('delivered', async () => ((await stateOf(request.id)) === 'delivered' ? true : undefined));
    expect(ncp.emulator.inspect.keys().length - keysBefore).toBe(1);

    const dms = standIn.dms(REQUESTER).filter((m) => m.text?.includes('"pay-key"'));
    expect(dms.filter((m) => m.text?.includes('has all 2 approvals'))).toHaveLength(1);
    expect(dms.filter((m) => m.text?.includes('was approved'))).toHaveLength(1);
    await waitFor('message shows both approvers', () => messageText(messageAt(standIn, message)).includes(`Approved by <@${PAY_A}>, <@${PAY_B}>`) || undefined).catch((e: unknown) => { throw new Error(`${String(e)}: ${messageText(messageAt(standIn, message))}`); });
    const keyValues = ncp.emulator.inspect.keys().flatMap((k) => [k.primaryKey, k.secondaryKey]);
    const final = messageText(messageAt(standIn, message));
    for (const v of keyValues) expect(final).not.toContain(v);
    expect((await app.store.listAudit(request.id)).filter((e) => e.type === 'approved' || e.type === 'approval_recorded').map((e) => [e.type, e.actor]))
      .toEqual([['approval_recorded', PAY_A], ['approved', PAY_B]]);
  });

  it('one deny denies a request that already has an approval; no key is created', async () => {
    const keysBefore = ncp.emulator.inspect.keys().length;
    const { request, message } = await submitProductRequest(app, standIn, { productId: 'paymentprt', name: 'pay-denied', channel: PAY_CHANNEL });
    const first = await decideViaSlack(app, standIn, { userId: PAY_A, message, decision: 'approve' });
    expect(first.opened && first.submission.text).toBe('');
    const deny = await decideViaSlack(app, standIn, { userId: PAY_C, message, decision: 'deny', text: 'not this quarter' });
    expect(deny.opened && deny.submission.text).toBe('');
    expect(await stateOf(request.id)).toBe('denied');
    const late = await decideViaSlack(app, standIn, { userId: PAY_B, message, decision: 'approve' });
    expect(late.opened).toBe(false);
    if (!late.opened) expect(late.notice).toContain(`Already denied by <@${PAY_C}>`);
    await waitFor('denial DM', () => standIn.dms(REQUESTER).find((m) => m.text?.includes('"pay-denied" was denied')));
    expect(ncp.emulator.inspect.keys().length).toBe(keysBefore);
  });
});

describe('requireProduct', () => {
  it('refuses a request that names no product, inline on the product block, and stores nothing', async () => {
    const strict = await startApp({ standIn, ncp, workerId: 'strict', env: { APIKEY_POLICY: writePolicyFile({ defaults: { requireProduct: true } }) } });
    try {
      const user = 'U0STRICT';
      await strict.driver.slashCommand({ userId: user, text: 'create strict-key' });
      await waitFor('request modal', () => standIn.views(user).find((v) => v.callback_id === 'apikey_create'));
      const sub = await strict.driver.viewSubmission({ userId: user, callbackId: 'apikey_create', values: { description: 'x', justification: 'needed' } });
      expect(sub.errors?.product).toBe('Pick the product the key is for.');
      expect(await strict.store.listByRequester(standIn.teamId, user, 10)).toEqual([]);
    } finally {
      await strict.stop();
    }
  });
});
