// The request modal and the slash command: validation errors come back inline keyed by block id with nothing
// stored or sent; help, list and unknown subcommands; the App Home tab.
import { describe, expect, it } from 'vitest';
import { createSlackDriver, type SlackStandIn } from '@apikey/slack-testkit';
import {
  APPROVER,
  APPROVER_CHANNEL,
  OUTSIDER,
  REQUESTER,
  SIGNING_SECRET,
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

useStack({}, (s) => ({ standIn, ncp, app } = s));

const VALID = { description: 'ok', justification: 'needed for tests' };

async function openAndSubmit(userId: string, values: Record<string, string | null>) {
  const cmd = await app.driver.slashCommand({ userId, text: 'create' });
  expect(cmd.status).toBe(200);
  expect(cmd.text).toBe('');
  await waitFor('modal', () => standIn.views(userId).find((v) => v.callback_id === 'apikey_create'));
  return app.driver.viewSubmission({ userId, callbackId: 'apikey_create', values });
}

describe('request modal', () => {
  it('opens with the name pre-filled from the command text and the stable block ids', async () => {
    await app.driver.slashCommand({ userId: 'U0PREFILL', text: 'create  payments-api ' });
    const view = await waitFor('modal', () => standIn.views('U0PREFILL').find((v) => v.callback_id === 'apikey_create'));
    const blocks = view.blocks as { block_id: string; element: { type: string; action_id: string; initial_value?: string } }[];
    expect(blocks.map((b) => b.block_id)).toEqual(['name', 'description', 'justification', 'product']);
    expect(blocks[3]?.element.type).toBe('external_select');
    expect(blocks.every((b) => b.element.action_id === 'value')).toBe(true);
    expect(blocks[0]?.element.initial_value).toBe('payments-api');
  });

  it.each([
    ['an empty name', { name: '', ...VALID }, 'name'],
    ['a 21-character name', { name: 'a'.repeat(21), ...VALID }, 'name'],
    ['a name with a control character', { name: 'bad\u0007name', ...VALID }, 'name'],
    ['a 51-character description', { name: 'fine', description: 'd'.repeat(51), justification: 'x' }, 'description'],
    ['an empty justification', { name: 'fine', description: '', justification: '  ' }, 'justification'],
  ])('refuses %s inline, keyed by block id, and stores and sends nothing', async (_label, values, blockId) => {
    const user = 'U0VALID';
    const callsBefore = standIn.calls('chat.postMessage').length;
    const res = await openAndSubmit(user, values);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ response_action: 'errors' });
    expect(Object.keys(res.errors ?? {})).toEqual([blockId]);
    expect(res.errors?.[blockId]).toMatch(/\S/);
    expect(await app.store.listByRequester(standIn.teamId, user, 10)).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 150)); // give a (wrongly) queued post time to show up
    expect(standIn.calls('chat.postMessage').length).toBe(callsBefore);
    expect(ncp.emulator.inspect.keys()).toHaveLength(0);
  });

  it('accepts a 20-character name counted in code points (emoji count once)', async () => {
    const name = '🔑'.repeat(20);
    const res = await openAndSubmit('U0EMOJI', { name, ...VALID });
    expect(res.text).toBe('');
    const [stored] = await app.store.listByRequester(standIn.teamId, 'U0EMOJI', 10);
    expect(stored?.apiKeyName).toBe(name);
  });
});

describe('slash command', () => {
  it('/apikey help and unknown subcommands answer with usage', async () => {
    const help = await app.driver.slashCommand({ userId: REQUESTER, text: 'help' });
    expect(help.body).toMatchObject({ response_type: 'ephemeral' });
    expect(help.text).toContain('/apikey create');
    const unknown = await app.driver.slashCommand({ userId: REQUESTER, text: 'frobnicate' });
    expect(unknown.text).toContain('Unknown subcommand');
    expect(unknown.text).toContain('/apikey create');
  });

  it("/apikey list shows the requester's own requests and their state, and nobody else's", async () => {
    await submitRequest(app, standIn, { userId: 'U0LISTER', name: 'listed-key' });
    await submitRequest(app, standIn, { userId: OUTSIDER, name: 'other-key' });
    const res = await app.driver.slashCommand({ userId: 'U0LISTER', text: 'list' });
    expect(res.status).toBe(200);
    const reply = await waitFor('list reply', () => standIn.ephemerals('U0LISTER').at(-1));
    const text = JSON.stringify(reply.blocks);
    expect(text).toContain('listed-key');
    expect(text).toContain('pending approval');
    expect(text).not.toContain('other-key');
  });

  it('App Home shows pending requests to approvers and only their own requests to others', async () => {
    await submitRequest(app, standIn, { userId: 'U0HOME', name: 'home-key' });
    await app.driver.appHomeOpened(APPROVER);
    const approverHome = await waitFor('approver home', () => standIn.homeView(APPROVER));
    expect(JSON.stringify(approverHome.blocks)).toContain('home-key');
    expect(JSON.stringify(approverHome.blocks)).toContain('"action_id":"approve"');
    // A missed channel message is recoverable: the Home tab's buttons open the same decision modal.
    await app.driver.blockAction({ userId: APPROVER, actionId: 'approve', view: approverHome });
    const modal = await waitFor('approve modal from Home', () => standIn.views(APPROVER).find((v) => v.callback_id === 'apikey_approve'));
    const firstApprove = (approverHome.blocks as { elements?: { action_id?: string; value?: string }[] }[])
      .flatMap((b) => b.elements ?? []).find((e) => e.action_id === 'approve');
    expect(modal.private_metadata).toBe(firstApprove?.value);
    expect((await app.store.getRequest(modal.private_metadata))?.state).toBe('pending');

    await app.driver.appHomeOpened('U0HOME');
    const own = await waitFor('requester home', () => standIn.homeView('U0HOME'));
    expect(JSON.stringify(own.blocks)).toContain('home-key');
    expect(JSON.stringify(own.blocks)).not.toContain('"action_id":"approve"');
    expect(standIn.messages(APPROVER_CHANNEL).length).toBeGreaterThan(0);
  });
});

describe('start-up and workspace checks', () => {
  it('refuses to start when Slack rejects the bot token, without echoing it', async () => {
    await expect(startApp({ standIn, ncp, env: { SLACK_BOT_TOKEN: 'xoxb-not-the-right-one' } })).rejects.toThrow(/SLACK_BOT_TOKEN.*invalid_auth/);
    await expect(startApp({ standIn, ncp, env: { SLACK_BOT_TOKEN: 'xoxb-not-the-right-one' } })).rejects.not.toThrow(/not-the-right-one/);
  });

  it('answers 401 to unsigned, badly signed or stale requests and does nothing', async () => {
    const opened = standIn.calls('views.open').length;
    const body = new URLSearchParams({
      command: '/apikey', text: 'create forged', user_id: 'U0FORGER', team_id: standIn.teamId, channel_id: 'C0TESTCHAN',
      trigger_id: standIn.createTriggerId('U0FORGER'), response_url: standIn.createResponseUrl({ userId: 'U0FORGER', channelId: 'C0TESTCHAN' }),
    }).toString();
    expect((await app.driver.send({ body, signature: 'bad' })).status).toBe(401);
    expect((await app.driver.send({ body, signature: 'none' })).status).toBe(401);
    expect((await app.driver.send({ body, timestamp: Math.floor(Date.now() / 1000) - 600 })).status).toBe(401);
    expect(standIn.calls('views.open').length).toBe(opened);
    expect(await app.store.listByRequester(standIn.teamId, 'U0FORGER', 5)).toHaveLength(0);
  });

  it('ignores validly signed requests from another workspace', async () => {
    const foreign = createSlackDriver({ appUrl: app.url, signingSecret: SIGNING_SECRET, standIn, teamId: 'T0OTHERWS' });
    const opened = standIn.calls('views.open').length;
    const res = await foreign.slashCommand({ userId: 'U0FOREIGN', text: 'create sneaky' });
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 150));
    expect(standIn.calls('views.open').length).toBe(opened);
    expect(app.logs.some((l) => l.includes('ignored a request from workspace T0OTHERWS'))).toBe(true);
  });
});
