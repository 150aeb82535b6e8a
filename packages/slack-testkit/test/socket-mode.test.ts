// Socket Mode: a real Bolt App with SocketModeReceiver connects to the stand-in and is driven over WebSocket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { App, LogLevel, SocketModeReceiver } from '@slack/bolt';
import { createSlackDriver, type SlackDriver, type SlackStandIn } from '../src/index.ts';
import { webClient, withStandIn } from './helpers.ts';

let s: SlackStandIn;
let app: App;
let driver: SlackDriver;
const seen: string[] = [];

beforeAll(async () => {
  s = await withStandIn();
  const clientOptions = { slackApiUrl: s.url, retryConfig: { retries: 0 } };
  // SocketModeReceiver takes its Web API settings from installerOptions.clientOptions, not from App's clientOptions.
  const receiver = new SocketModeReceiver({ appToken: s.appToken, logLevel: LogLevel.ERROR, installerOptions: { clientOptions } });
  app = new App({ token: s.botToken, receiver, clientOptions, logLevel: LogLevel.ERROR });
  app.command('/apikey', async ({ ack, body, client }) => {
    seen.push(`command:${body.text}`);
    if (body.text === 'help') {
      await ack({ text: 'Usage: /apikey create [name]' });
      return;
    }
    await ack();
    await client.views.open({
      trigger_id: body.trigger_id,
      view: {
        type: 'modal',
        callback_id: 'apikey_create',
        title: { type: 'plain_text', text: 'Create API key request' },
        submit: { type: 'plain_text', text: 'Request' },
        blocks: [{ type: 'input', block_id: 'name', label: { type: 'plain_text', text: 'Name' }, element: { type: 'plain_text_input', action_id: 'value' } }],
      },
    });
  });
  app.view('apikey_create', async ({ ack, view }) => {
    const name = view.state.values['name']?.['value']?.value ?? '';
    if (name === '') await ack({ response_action: 'errors', errors: { name: 'Required' } });
    else await ack();
  });
  app.event('app_home_opened', async ({ event, client }) => {
    await client.views.publish({ user_id: event.user, view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Home' } }] } });
  });
  await app.start();
  await s.socketMode.waitForConnection();
  driver = createSlackDriver({ standIn: s, transport: 'socket-mode' });
});
afterAll(async () => {
  await app.stop();
  await s.close();
});

describe('socket mode', () => {
  it('the app connects with the app token through apps.connections.open', () => {
    expect(s.socketMode.connections()).toBe(1);
    const open = s.calls('apps.connections.open');
    expect(open.length).toBeGreaterThanOrEqual(1);
    expect(open.every((c) => c.tokenMatched)).toBe(true);
    expect(JSON.stringify(s.calls())).not.toContain(s.appToken);
  });

  it('a slash command envelope is acked with the ack payload', async () => {
    const r = await driver.slashCommand({ userId: 'U0ALICE', text: 'help' });
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ text: 'Usage: /apikey create [name]' });
    expect(s.ephemerals('U0ALICE').at(-1)?.text).toBe('Usage: /apikey create [name]');
  });

  it('the whole modal round trip works over the socket', async () => {
    const r = await driver.slashCommand({ userId: 'U0BOB', text: 'create' });
    await s.waitForCall('views.open', (c) => c.args['trigger_id'] === r.triggerId && c.response.body['ok'] === true);
    const bad = await driver.viewSubmission({ userId: 'U0BOB', callbackId: 'apikey_create', values: { name: '' } });
    expect(bad.errors).toEqual({ name: 'Required' });
    const good = await driver.viewSubmission({ userId: 'U0BOB', callbackId: 'apikey_create', values: { name: 'billing' } });
    expect(good.text).toBe('');
    expect(s.views('U0BOB')).toEqual([]);
  });

  it('events_api envelopes reach event listeners', async () => {
    await driver.appHomeOpened('U0CAROL');
    await s.waitForCall('views.publish', (c) => c.args['user_id'] === 'U0CAROL');
    expect(s.homeView('U0CAROL')?.blocks).toHaveLength(1);
  });

  it('apps.connections.open refuses the bot token, and other methods refuse the app token', async () => {
    await expect(webClient(s).apiCall('apps.connections.open', {})).rejects.toMatchObject({ data: { error: 'not_allowed_token_type' } });
    await expect(webClient(s, s.appToken).chat.postMessage({ channel: 'C0X', text: 'x' })).rejects.toMatchObject({ data: { error: 'not_allowed_token_type' } });
  });

  it('an unacknowledged envelope rejects with a clear message', async () => {
    const quick = createSlackDriver({ standIn: s, transport: 'socket-mode', ackTimeoutMs: 100 });
    await expect(quick.blockAction({ userId: 'U0BOB', actionId: 'nope', message: await postedCard() })).rejects.toThrow(/not acknowledged within 100 ms/);
  });
});

async function postedCard() {
  const r = await webClient(s).chat.postMessage({
    channel: 'C0CARDS',
    text: 'card',
    blocks: [{ type: 'actions', elements: [{ type: 'button', action_id: 'nope', value: 'x', text: { type: 'plain_text', text: 'Nope' } }] }],
  });
  return { channel: 'C0CARDS', ts: r.ts! };
}
