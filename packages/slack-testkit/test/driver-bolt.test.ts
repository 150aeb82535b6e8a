// The driver against a real Bolt App (HTTPReceiver on an ephemeral port) whose Web API is the stand-in.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { App } from '@slack/bolt';
import { createSlackDriver, signSlackRequest, type SlackDriver, type SlackStandIn } from '../src/index.ts';
import { SIGNING_SECRET, startBoltApp, webClient, withStandIn } from './helpers.ts';

const APPROVERS = 'C0APPROVERS';
let s: SlackStandIn;
let bolt: Awaited<ReturnType<typeof startBoltApp>>;
let driver: SlackDriver;
const seen: string[] = [];

function register(app: App): void {
  app.command('/apikey', async ({ ack, body, client, respond }) => {
    seen.push(`command:${body.text}`);
    if (body.text.startsWith('help')) {
      await ack({ response_type: 'ephemeral', text: 'Usage: /apikey create [name]' });
      return;
    }
    if (body.text.startsWith('list')) {
      await ack({
        text: 'Your requests',
        blocks: [
          { type: 'section', text: { type: 'mrkdwn', text: '*req_9* pending' } },
          { type: 'actions', elements: [{ type: 'button', action_id: 'cancel_request', value: 'req_9', text: { type: 'plain_text', text: 'Cancel' } }] },
        ],
      });
      return;
    }
    if (body.text.startsWith('picker')) {
      await ack();
      await client.views.open({
        trigger_id: body.trigger_id,
        view: {
          type: 'modal',
          callback_id: 'picker',
          title: { type: 'plain_text', text: 'Pick' },
          blocks: [
            {
              type: 'actions',
              block_id: 'envs',
              elements: [
                {
                  type: 'static_select',
                  action_id: 'choose_env',
                  options: [
                    { text: { type: 'plain_text', text: 'Prod' }, value: 'prod' },
                    { text: { type: 'plain_text', text: 'Dev' }, value: 'dev' },
                  ],
                },
              ],
            },
          ],
        },
      });
      return;
    }
    if (body.text.startsWith('announce')) {
      await ack({ response_type: 'in_channel', text: 'apikey is in maintenance' });
      return;
    }
    if (body.text.startsWith('respond')) {
      await ack();
      await respond({ text: 'working on it' });
      return;
    }
    await ack();
    await client.views.open({
      trigger_id: body.trigger_id,
      view: {
        type: 'modal',
        callback_id: 'apikey_create',
        private_metadata: 'req-meta',
        title: { type: 'plain_text', text: 'Create API key request' },
        submit: { type: 'plain_text', text: 'Request' },
        blocks: [
          { type: 'input', block_id: 'name', label: { type: 'plain_text', text: 'Name' }, element: { type: 'plain_text_input', action_id: 'value', initial_value: body.text.replace(/^create\s*/, '') } },
          { type: 'input', block_id: 'description', optional: true, label: { type: 'plain_text', text: 'Description' }, element: { type: 'plain_text_input', action_id: 'value' } },
          {
            type: 'input',
            block_id: 'env',
            label: { type: 'plain_text', text: 'Env' },
            element: {
              type: 'static_select',
              action_id: 'value',
              options: [
                { text: { type: 'plain_text', text: 'Prod' }, value: 'prod' },
                { text: { type: 'plain_text', text: 'Dev' }, value: 'dev' },
              ],
            },
          },
        ],
      },
    });
  });

  app.view('apikey_create', async ({ ack, view, body, client }) => {
    const v = view.state.values;
    const name = v['name']?.['value']?.value ?? '';
    seen.push(`submit:${name}:${v['description']?.['value']?.value ?? 'null'}:${v['env']?.['value']?.selected_option?.value}:${view.private_metadata}`);
    if (name.length > 20) {
      await ack({ response_action: 'errors', errors: { name: 'Use at most 20 characters' } });
      return;
    }
    await ack();
    await client.chat.postMessage({
      channel: APPROVERS,
      text: `API key request from <@${body.user.id}>`,
      blocks: [
        { type: 'section', text: { type: 'mrkdwn', text: `*${name}* requested by <@${body.user.id}>` } },
        {
          type: 'actions',
          block_id: 'decision',
          elements: [
            { type: 'button', action_id: 'approve', value: 'req_1', style: 'primary', text: { type: 'plain_text', text: 'Approve' } },
            { type: 'button', action_id: 'deny', value: 'req_1', style: 'danger', text: { type: 'plain_text', text: 'Deny' } },
          ],
        },
      ],
    });
    await client.chat.postMessage({ channel: body.user.id, text: `Your request ${name} is pending` });
  });

  app.action('approve', async ({ ack, body, action, respond }) => {
    await ack();
    const a = action as { value?: string; block_id: string };
    const b = body as unknown as { user: { id: string }; container: { channel_id: string; message_ts: string }; message?: { ts: string } };
    seen.push(`approve:${a.value}:${a.block_id}:${b.container.channel_id}:${b.message?.ts === b.container.message_ts}`);
    await respond({ replace_original: true, text: `Approved by <@${b.user.id}>` });
  });

  app.action('cancel_request', async ({ ack, body, action, respond }) => {
    await ack();
    const b = body as unknown as { container: { is_ephemeral: boolean }; message?: unknown };
    seen.push(`cancel:${(action as { value?: string }).value}:${b.container.is_ephemeral}:${b.message === undefined}`);
    await respond({ replace_original: true, text: 'Cancelled req_9' });
  });

  app.action('choose_env', async ({ ack, body, action, client }) => {
    await ack();
    const b = body as unknown as { container: { type: string; view_id: string }; view: { id: string; hash: string }; response_url?: string };
    const picked = (action as { selected_option?: { value: string } }).selected_option?.value;
    seen.push(`env:${picked}:${b.container.type}:${b.container.view_id === b.view.id}:${b.response_url === undefined}`);
    await client.views.update({
      view_id: b.view.id,
      hash: b.view.hash,
      view: { type: 'modal', callback_id: 'picker', title: { type: 'plain_text', text: 'Pick' }, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: `Picked ${picked}` } }] },
    });
  });

  app.action('deny', async ({ ack, body, client }) => {
    await ack();
    const b = body as { trigger_id: string };
    await client.views.open({
      trigger_id: b.trigger_id,
      view: {
        type: 'modal',
        callback_id: 'apikey_deny',
        title: { type: 'plain_text', text: 'Deny request' },
        submit: { type: 'plain_text', text: 'Deny' },
        blocks: [{ type: 'input', block_id: 'reason', label: { type: 'plain_text', text: 'Reason' }, element: { type: 'plain_text_input', action_id: 'value' } }],
      },
    });
  });

  app.view('apikey_deny', async ({ ack }) => {
    await ack({ response_action: 'clear' });
  });

  app.event('app_home_opened', async ({ event, client, context }) => {
    seen.push(`home:${event.user}:${context.retryNum ?? 'first'}`);
    await client.views.publish({ user_id: event.user, view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'My requests' } }] } });
  });
}

beforeAll(async () => {
  s = await withStandIn();
  bolt = await startBoltApp(s, register);
  driver = createSlackDriver({ appUrl: bolt.url, signingSecret: SIGNING_SECRET, standIn: s });
});
afterAll(async () => {
  await bolt.stop();
  await s.close();
});
beforeEach(() => {
  seen.length = 0;
});

describe('signSlackRequest', () => {
  it("matches Slack's documented test vector", () => {
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    expect(signSlackRequest('8f742231b10e8888abcd99yyyzzz85a5', 1531420618, body)).toBe(
      'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    );
  });

  it('refuses an empty secret or a non-numeric timestamp', () => {
    expect(() => signSlackRequest('', 1, 'x')).toThrow(/signingSecret/);
    expect(() => signSlackRequest('s', '12a', 'x')).toThrow(/timestamp/);
  });
});

describe('slash commands', () => {
  it("Bolt verifies the driver's signature and the ack body comes back", async () => {
    const r = await driver.slashCommand({ userId: 'U0ALICE', text: 'help' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ response_type: 'ephemeral', text: 'Usage: /apikey create [name]' });
    expect(seen).toEqual(['command:help']);
    expect(s.ephemerals('U0ALICE').at(-1)).toMatchObject({ channel: 'C0TESTCHAN', text: 'Usage: /apikey create [name]', via: 'command_ack' });
  });

  it('an in_channel ack lands in the channel for everyone', async () => {
    await driver.slashCommand({ userId: 'U0ALICE', text: 'announce', channelId: 'C0OPS' });
    expect(s.messages('C0OPS').map((m) => [m.text, m.via])).toEqual([['apikey is in maintenance', 'command_ack']]);
  });

  it('a button in an ephemeral ack can be clicked by its user only; respond(replace_original) rewrites it', async () => {
    await driver.slashCommand({ userId: 'U0FRAN', text: 'list' });
    const eph = s.ephemerals('U0FRAN').at(-1)!;
    await expect(driver.blockAction({ userId: 'U0GREG', actionId: 'cancel_request', message: eph })).rejects.toThrow(/has no ephemeral message/);
    const r = await driver.blockAction({ userId: 'U0FRAN', actionId: 'cancel_request', message: eph });
    expect(r.status).toBe(200);
    expect(seen).toContain('cancel:req_9:true:true');
    await s.waitForCall('response_url', (c) => r.responseUrl!.endsWith(c.responseUrlId ?? '-'));
    expect(s.ephemerals('U0FRAN').map((e) => e.text)).toEqual(['Cancelled req_9']);
    expect(s.ephemerals('U0FRAN')[0]!.blocks).toBeUndefined();
  });

  it('the trigger id opens the modal in the stand-in, pre-filled from the command text', async () => {
    const r = await driver.slashCommand({ userId: 'U0ALICE', text: 'create billing' });
    expect(r.status).toBe(200);
    const call = await s.waitForCall('views.open', (c) => c.args['trigger_id'] === r.triggerId);
    expect(call.response.body['ok']).toBe(true);
    const view = s.views('U0ALICE').find((v) => v.callback_id === 'apikey_create');
    expect(view?.blocks[0]).toMatchObject({ block_id: 'name', element: { initial_value: 'billing' } });
    await driver.viewClosed({ userId: 'U0ALICE', view: view! });
  });

  it('respond() reaches the response_url sink and lands as an ephemeral message', async () => {
    const r = await driver.slashCommand({ userId: 'U0ALICE', text: 'respond', channelId: 'C0WORK' });
    const call = await s.waitForCall('response_url', (c) => r.responseUrl.endsWith(c.responseUrlId ?? '-'));
    expect(call.args).toMatchObject({ text: 'working on it' });
    expect(s.ephemerals('U0ALICE')).toContainEqual(expect.objectContaining({ channel: 'C0WORK', text: 'working on it', via: 'response_url' }));
  });

  it('sends exactly application/x-www-form-urlencoded; with a charset Bolt answers 400', async () => {
    const body = new URLSearchParams({ command: '/apikey', text: 'help', user_id: 'U0ALICE', trigger_id: s.createTriggerId() }).toString();
    const r = await driver.send({ body, contentType: 'application/x-www-form-urlencoded; charset=utf-8' });
    expect(r.status).toBe(400);
    expect(seen).toEqual([]);
  });

  it('rejects bad input before sending anything', async () => {
    await expect(driver.slashCommand({ userId: 'alice' })).rejects.toThrow(/userId must be a Slack user id/);
    await expect(driver.slashCommand({ userId: 'U0ALICE', command: 'apikey' })).rejects.toThrow(/command must start with "\/"/);
    expect(seen).toEqual([]);
  });
});

describe('signature checks in the app', () => {
  const body = () => new URLSearchParams({ command: '/apikey', text: 'help', user_id: 'U0ALICE', team_id: 'T0TESTTEAM' }).toString();

  it('a wrong signature gets 401 and the listener never runs', async () => {
    const r = await driver.send({ body: body(), signature: 'bad' });
    expect(r.status).toBe(401);
    expect(seen).toEqual([]);
  });

  it('a missing signature gets 401', async () => {
    expect((await driver.send({ body: body(), signature: 'none' })).status).toBe(401);
  });

  it('a timestamp older than 5 minutes gets 401, even with a correct signature for it', async () => {
    const old = Math.floor(Date.now() / 1000) - 301;
    expect((await driver.send({ body: body(), timestamp: old })).status).toBe(401);
    expect(seen).toEqual([]);
  });

  it('a body changed after signing gets 401', async () => {
    const signed = body();
    const headers = { 'content-type': 'application/x-www-form-urlencoded', ...driver.sign(signed) };
    const r = await fetch(bolt.url, { method: 'POST', headers, body: signed.replace('help', 'create') });
    expect(r.status).toBe(401);
  });

  it('Bolt does not log the signing secret or the bot token', () => {
    const all = bolt.logs.map((l) => l.text).join('\n');
    expect(all).not.toContain(SIGNING_SECRET);
    expect(all).not.toContain(s.botToken);
  });
});

describe('view submissions', () => {
  async function openCreate(text: string) {
    const r = await driver.slashCommand({ userId: 'U0BOB', text });
    await s.waitForCall('views.open', (c) => c.args['trigger_id'] === r.triggerId);
  }

  it('response_action errors comes back to the test and the modal stays open', async () => {
    await openCreate('create x');
    const r = await driver.viewSubmission({ userId: 'U0BOB', callbackId: 'apikey_create', values: { name: 'n'.repeat(21), env: 'dev' } });
    expect(r.status).toBe(200);
    expect(r.errors).toEqual({ name: 'Use at most 20 characters' });
    expect(s.views('U0BOB').map((v) => v.callback_id)).toEqual(['apikey_create']);
    await driver.viewClosed({ userId: 'U0BOB', callbackId: 'apikey_create' });
    expect(s.views('U0BOB')).toEqual([]);
  });

  it('the app reads typed values, selected options, untouched initial values and private_metadata; an empty ack closes the modal', async () => {
    await openCreate('create billing');
    const r = await driver.viewSubmission({ userId: 'U0BOB', callbackId: 'apikey_create', values: { env: 'prod' } });
    expect(r.status).toBe(200);
    expect(r.text).toBe('');
    expect(seen).toContain('submit:billing:null:prod:req-meta');
    expect(s.views('U0BOB')).toEqual([]);
    await s.waitForCall('chat.postMessage', (c) => c.args['channel'] === 'U0BOB');
    expect(s.dms('U0BOB').at(-1)?.text).toBe('Your request billing is pending');
  });

  it('values for a block the view does not have, or an option it does not offer, throw before sending', async () => {
    await openCreate('create a');
    await expect(driver.viewSubmission({ userId: 'U0BOB', callbackId: 'apikey_create', values: { nme: 'x' } })).rejects.toThrow(
      /no input block with block_id "nme".*name, description, env/,
    );
    await expect(driver.viewSubmission({ userId: 'U0BOB', callbackId: 'apikey_create', values: { env: 'staging' } })).rejects.toThrow(/no option/);
    await expect(driver.viewSubmission({ userId: 'U0BOB', callbackId: 'nope' })).rejects.toThrow(/no open view/);
    expect(seen.filter((x) => x.startsWith('submit'))).toEqual([]);
    await driver.viewClosed({ userId: 'U0BOB', callbackId: 'apikey_create' });
  });
});

describe('block actions', () => {
  async function approvalCard() {
    await driver.slashCommand({ userId: 'U0CAROL', text: 'create card' });
    await s.waitForCall('views.open', (c) => s.views('U0CAROL').length > 0 && c.response.body['ok'] === true);
    await driver.viewSubmission({ userId: 'U0CAROL', callbackId: 'apikey_create', values: { env: 'dev' } });
    await s.waitForCall('chat.postMessage', (c) => c.args['channel'] === APPROVERS && c.response.body['ok'] === true);
    return s.messages(APPROVERS).at(-1)!;
  }

  it('clicking a button sends its value, block and container; respond(replace_original) rewrites the card', async () => {
    const card = await approvalCard();
    const r = await driver.blockAction({ userId: 'U0DAVE', actionId: 'approve', message: card });
    expect(r.status).toBe(200);
    expect(seen).toContain(`approve:req_1:decision:${APPROVERS}:true`);
    await s.waitForCall('response_url', (c) => r.responseUrl?.endsWith(c.responseUrlId ?? '-') === true);
    const updated = s.messages(APPROVERS).find((m) => m.ts === card.ts);
    expect(updated?.text).toBe('Approved by <@U0DAVE>');
    expect(updated?.blocks).toBeUndefined();
  });

  it("a block action's trigger opens a modal; response_action clear closes it", async () => {
    const card = await approvalCard();
    const r = await driver.blockAction({ userId: 'U0DAVE', actionId: 'deny', message: card });
    await s.waitForCall('views.open', (c) => c.args['trigger_id'] === r.triggerId && c.response.body['ok'] === true);
    const sub = await driver.viewSubmission({ userId: 'U0DAVE', callbackId: 'apikey_deny', values: { reason: 'not needed' } });
    expect(sub.body).toEqual({ response_action: 'clear' });
    expect(s.views('U0DAVE')).toEqual([]);
  });

  it('clicking an element the message does not have throws and sends nothing', async () => {
    const card = await approvalCard();
    seen.length = 0;
    await expect(driver.blockAction({ userId: 'U0DAVE', actionId: 'approve_all', message: card })).rejects.toThrow(/no element with action_id "approve_all"/);
    await expect(driver.blockAction({ userId: 'U0DAVE', actionId: 'approve', message: { channel: APPROVERS, ts: '1.000000' } })).rejects.toThrow(/no message/);
    expect(seen).toEqual([]);
  });
});

describe('block actions in a modal', () => {
  it('a select in a modal sends the chosen option and the view with its hash; views.update with that hash succeeds', async () => {
    const cmd = await driver.slashCommand({ userId: 'U0HANK', text: 'picker' });
    await s.waitForCall('views.open', (c) => c.args['trigger_id'] === cmd.triggerId && c.response.body['ok'] === true);
    const view = s.views('U0HANK').at(-1)!;
    await expect(driver.blockAction({ userId: 'U0HANK', actionId: 'choose_env', value: 'staging', view })).rejects.toThrow(/no option/);
    const r = await driver.blockAction({ userId: 'U0HANK', actionId: 'choose_env', value: 'dev', view });
    expect(r.status).toBe(200);
    expect(r.responseUrl).toBeUndefined();
    expect(seen).toContain('env:dev:view:true:true');
    const update = await s.waitForCall('views.update', (c) => c.args['view_id'] === view.id);
    expect(update.response.body['ok']).toBe(true);
    expect(s.view(view.id)?.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'Picked dev' } }]);
    await driver.viewClosed({ userId: 'U0HANK', view: view.id });
  });
});

describe('events', () => {
  it('app_home_opened is delivered signed as JSON and the app publishes its Home tab', async () => {
    const r = await driver.appHomeOpened('U0ERIN');
    expect(r.status).toBe(200);
    await s.waitForCall('views.publish', (c) => c.args['user_id'] === 'U0ERIN');
    expect(s.homeView('U0ERIN')?.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: 'My requests' } }]);
    expect(seen).toContain('home:U0ERIN:first');
  });

  it('a retried delivery carries x-slack-retry-num, which Bolt exposes as context.retryNum', async () => {
    const r = await driver.event({ type: 'app_home_opened', user: 'U0IVAN', channel: 'D0X', tab: 'home', event_ts: '1.1' }, { eventId: 'Ev0SAME', retryNum: 1 });
    expect(r.status).toBe(200);
    await s.waitForCall('views.publish', (c) => c.args['user_id'] === 'U0IVAN');
    expect(seen).toContain('home:U0IVAN:1');
  });

  it('url_verification gets its challenge echoed', async () => {
    const r = await driver.urlVerification('abc123');
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ challenge: 'abc123' });
  });
});

describe('closing modals', () => {
  it('view_closed reaches the app only when the view asked for notify_on_close', async () => {
    const closed: string[] = [];
    const local = await withStandIn();
    const app = await startBoltApp(local, (a) => {
      a.view({ type: 'view_closed', callback_id: 'watched' }, async ({ ack, body }) => {
        closed.push(`${body.view.callback_id}:${(body as { is_cleared?: boolean }).is_cleared}`);
        await ack();
      });
    });
    try {
      const d = createSlackDriver({ appUrl: app.url, signingSecret: SIGNING_SECRET, standIn: local });
      const view = (callback_id: string, notify: boolean) => ({
        trigger_id: local.createTriggerId('U0ALICE'),
        view: { type: 'modal' as const, callback_id, notify_on_close: notify, title: { type: 'plain_text' as const, text: 'T' }, blocks: [] },
      });
      const client = webClient(local);
      await client.views.open(view('quiet', false));
      await client.views.open(view('watched', true));
      expect(await d.viewClosed({ userId: 'U0ALICE', callbackId: 'quiet' })).toBeUndefined();
      const r = await d.viewClosed({ userId: 'U0ALICE', callbackId: 'watched' });
      expect(r?.status).toBe(200);
      expect(closed).toEqual(['watched:false']);
      expect(local.views()).toEqual([]);
    } finally {
      await app.stop();
      await local.close();
    }
  });
});

describe('driver input checks', () => {
  it('refuses a closed view, a missing channel and bad options before sending anything', async () => {
    const local = await withStandIn();
    try {
      const d = createSlackDriver({ appUrl: bolt.url, signingSecret: SIGNING_SECRET, standIn: local });
      const opened = await webClient(local).views.open({
        trigger_id: local.createTriggerId('U0ALICE'),
        view: { type: 'modal', callback_id: 'gone', title: { type: 'plain_text', text: 'T' }, blocks: [] },
      });
      const view = local.view(opened.view!.id!)!;
      await d.viewClosed({ userId: 'U0ALICE', view });
      await expect(d.viewSubmission({ userId: 'U0ALICE', view })).rejects.toThrow(/no open view/);
      await expect(d.blockAction({ userId: 'U0ALICE', actionId: 'x', view })).rejects.toThrow(/is not open/);
      await expect(d.blockAction({ userId: 'U0ALICE', actionId: 'x', message: { ts: '1.1' } })).rejects.toThrow(/channelId is required/);
      await expect(d.blockAction({ userId: 'U0ALICE', actionId: 'x' })).rejects.toThrow(/exactly one of message or view/);
      expect(() => createSlackDriver({ appUrl: 'not a url', signingSecret: 's', standIn: local })).toThrow(/appUrl must be an absolute URL/);
      expect(() => createSlackDriver({ appUrl: bolt.url, signingSecret: '', standIn: local })).toThrow(/signingSecret/);
      expect(() => local.createTriggerId('alice')).toThrow(/userId must be a Slack user id/);
      expect(() => local.createResponseUrl({ userId: 'U0ALICE', channelId: '#general' })).toThrow(/channelId must be/);
      expect(seen).toEqual([]);
    } finally {
      await local.close();
    }
  });
});
