// reveal delivery: the DM holds a one-time Reveal button; only the requester can use it, only once, and the keys
// appear only in that modal, never in a message.
import { describe, expect, it } from 'vitest';
import type { SlackStandIn } from '@apikey/slack-testkit';
import {
  APPROVER,
  OUTSIDER,
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

useStack({ env: { APIKEY_DELIVERY: 'reveal' } }, (s) => ({ standIn, ncp, app } = s));

describe('reveal delivery', () => {
  it('reveals the keys once, to the requester only, in a modal; messages never carry them', async () => {
    const { request, message } = await submitRequest(app, standIn, { name: 'reveal-key' });
    await decideViaSlack(app, standIn, { userId: APPROVER, message, decision: 'approve' });
    const dm = await waitFor('reveal DM', () => standIn.dms(REQUESTER).find((m) => m.text?.includes('Reveal it once')));
    const key = ncp.emulator.inspect.keys().find((k) => k.apiKeyName === 'reveal-key')!;
    expect(key).toBeDefined();
    expect(JSON.stringify(dm)).not.toContain(key.primaryKey);
    expect(JSON.stringify(dm.blocks)).toContain(`"action_id":"reveal","style":"primary","text":{"type":"plain_text","text":"Reveal"},"value":"${request.id}"`);

    // Someone else clicking the button (e.g. a forwarded payload) gets a refusal and burns nothing.
    const stranger = await clickForView(app, standIn, { userId: OUTSIDER, actionId: 'reveal', message: dm });
    expect(JSON.stringify(stranger.blocks)).toContain('Only the person who requested this key');
    expect(JSON.stringify(stranger)).not.toContain(key.primaryKey);
    expect((await app.store.getRequest(request.id))?.revealedAt).toBeUndefined();

    const opened = await clickForView(app, standIn, { userId: REQUESTER, actionId: 'reveal', message: dm });
    const shown = await waitFor('keys in the modal', () => {
      const v = standIn.view(opened.id);
      return v && JSON.stringify(v.blocks).includes(key.primaryKey) ? v : undefined;
    });
    expect(JSON.stringify(shown.blocks)).toContain(key.secondaryKey);
    expect(shown.submit).toBeUndefined();
    expect(shown.private_metadata).toBe('');
    // Spent only once Slack accepted the window with the keys.
    expect(await waitFor('reveal spent', async () => (await app.store.getRequest(request.id))?.revealedAt)).toBeTypeOf('number');
    const marked = await waitFor('DM marked revealed', () => {
      const m = standIn.dms(REQUESTER).find((x) => x.ts === dm.ts);
      return m?.text?.includes('was revealed') ? m : undefined;
    });
    expect(JSON.stringify(marked.blocks)).not.toContain('"action_id":"reveal"');

    // A second click from a stale client that still shows the button is refused without the keys.
    const before = new Set(standIn.views(REQUESTER).map((v) => v.id));
    const replay = await app.driver.staleBlockAction({ userId: REQUESTER, actionId: 'reveal', value: request.id, message: dm });
    expect(replay.status).toBe(200);
    const refused = await waitFor('second reveal refused', () => standIn.views(REQUESTER).find((v) => !before.has(v.id)));
    expect(JSON.stringify(refused.blocks)).toContain('already revealed');
    expect(JSON.stringify(refused)).not.toContain(key.primaryKey);

    for (const call of standIn.calls()) {
      if (call.method.startsWith('chat.')) expect(JSON.stringify(call.args)).not.toContain(key.primaryKey);
    }
    expect(app.logs.join('\n')).not.toContain(key.primaryKey);
    expect((await app.store.listAudit(request.id)).filter((e) => e.type === 'revealed')).toHaveLength(1);
  });

  async function deliveredReveal(name: string) {
    const { request, message } = await submitRequest(app, standIn, { name });
    await decideViaSlack(app, standIn, { userId: APPROVER, message, decision: 'approve' });
    const dm = await waitFor('reveal DM', () => standIn.dms(REQUESTER).find((m) => m.text?.includes(`"${name}"`) && m.text.includes('Reveal it once')));
    const key = ncp.emulator.inspect.keys().find((k) => k.apiKeyName === name)!;
    return { request, dm, key };
  }

  const keysShown = (primaryKey: string) => standIn.views(REQUESTER).some((v) => JSON.stringify(v.blocks).includes(primaryKey));

  it('leaves the reveal available when the window cannot be opened (views.open fails, e.g. an expired trigger)', async () => {
    const { request, dm, key } = await deliveredReveal('reveal-open-fail');
    standIn.fail('views.open', 'expired_trigger_id', { times: 1 });
    const before = standIn.calls('views.open').length;
    const click = await app.driver.blockAction({ userId: REQUESTER, actionId: 'reveal', message: dm });
    expect(click.status).toBe(200);
    await waitFor('refused views.open', () => standIn.calls('views.open').length > before || undefined);
    await new Promise((r) => setTimeout(r, 300));
    expect((await app.store.getRequest(request.id))?.revealedAt).toBeUndefined();

    const opened = await clickForView(app, standIn, { userId: REQUESTER, actionId: 'reveal', message: dm });
    await waitFor('keys shown on the second press', () => (JSON.stringify(standIn.view(opened.id)?.blocks).includes(key.primaryKey) ? true : undefined));
    await waitFor('reveal spent', async () => (await app.store.getRequest(request.id))?.revealedAt);
  });

  it('leaves the reveal available when the requester closes the window before the keys arrive', async () => {
    const { request, dm, key } = await deliveredReveal('reveal-closed');
    // Fetching the key takes a while; the requester closes the loading window meanwhile.
    ncp.emulator.setFaults({ latency: { fixedMs: 1500 }, only: { method: 'GET' } });
    try {
      const loading = await clickForView(app, standIn, { userId: REQUESTER, actionId: 'reveal', message: dm });
      await app.driver.viewClosed({ userId: REQUESTER, view: loading });
      await waitFor('keys update refused', () => standIn.calls('views.update').find((c) => c.args['view_id'] === loading.id));
    } finally {
      ncp.emulator.setFaults(undefined);
    }
    await waitFor('lease given back', async () => {
      const r = await app.store.getRequest(request.id);
      return r?.revealLeaseUntil === undefined ? r : undefined;
    });
    expect((await app.store.getRequest(request.id))?.revealedAt).toBeUndefined();
    expect(keysShown(key.primaryKey)).toBe(false);
    expect((await app.store.listAudit(request.id)).filter((e) => e.type === 'revealed')).toHaveLength(0);

    const opened = await clickForView(app, standIn, { userId: REQUESTER, actionId: 'reveal', message: dm });
    await waitFor('keys shown on the next press', () => (JSON.stringify(standIn.view(opened.id)?.blocks).includes(key.primaryKey) ? true : undefined));
    await waitFor('reveal spent', async () => (await app.store.getRequest(request.id))?.revealedAt);
  });

  it('two presses at once show the keys in one window only', async () => {
    const { request, dm, key } = await deliveredReveal('reveal-twice');
    ncp.emulator.setFaults({ latency: { fixedMs: 500 }, only: { method: 'GET' } });
    try {
      const before = new Set(standIn.views(REQUESTER).map((v) => v.id));
      await Promise.all([
        app.driver.blockAction({ userId: REQUESTER, actionId: 'reveal', message: dm }),
        app.driver.blockAction({ userId: REQUESTER, actionId: 'reveal', message: dm }),
      ]);
      await waitFor('both windows settled', () => {
        const mine = standIn.views(REQUESTER).filter((v) => !before.has(v.id));
        return mine.length === 2 && mine.every((v) => !JSON.stringify(v.blocks).includes('Fetching your key')) ? mine : undefined;
      });
      const windows = standIn.views(REQUESTER).filter((v) => !before.has(v.id));
      expect(windows.filter((v) => JSON.stringify(v.blocks).includes(key.primaryKey))).toHaveLength(1);
    } finally {
      ncp.emulator.setFaults(undefined);
    }
    // The reveal is spent (and audited) just after Slack accepted the window with the keys, so wait for it.
    const revealed = await waitFor('the revealed audit event', async () => {
      const events = (await app.store.listAudit(request.id)).filter((e) => e.type === 'revealed');
      return events.length > 0 ? events : undefined;
    });
    expect(revealed).toHaveLength(1);
  });
});
