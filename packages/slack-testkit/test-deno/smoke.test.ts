// Deno smoke test (`deno test test-deno/`): the stand-in and the driver run unchanged on Deno, against a real Bolt
// app over HTTP. One test, a named step per check; the steps share one stand-in and one Bolt app.
import bolt from '@slack/bolt';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSlackDriver, signSlackRequest, type SlackStandIn, startSlackStandIn } from '../src/index.ts';

const SECRET = 'deno-smoke-signing-secret';

function assertEqual(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

function boltApp(standIn: SlackStandIn) {
  const app = new bolt.App({
    token: standIn.botToken,
    signingSecret: SECRET,
    clientOptions: { slackApiUrl: standIn.url, retryConfig: { retries: 0 } },
    logLevel: bolt.LogLevel.ERROR,
  });
  app.command('/apikey', async ({ ack, body, client }) => {
    await ack();
    await client.views.open({
      trigger_id: body.trigger_id,
      view: { type: 'modal', callback_id: 'apikey_create', title: { type: 'plain_text', text: 'Create' }, blocks: [] },
    });
  });
  return app;
}

Deno.test('the Slack stand-in and driver on Deno, against a real Bolt app', async (t) => {
  const standIn = await startSlackStandIn({ signingSecret: SECRET });
  const app = boltApp(standIn);
  const api = (method: string, form: Record<string, string>, token = standIn.botToken) =>
    fetch(`${standIn.url}${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${token}` },
      body: new URLSearchParams(form).toString(),
    }).then((r) => r.json() as Promise<Record<string, unknown>>);
  let started = false;
  try {
    const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
    started = true;
    const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    const driver = createSlackDriver({ appUrl, signingSecret: SECRET, standIn });

    await t.step('posting to a user id opens a DM and records the message', async () => {
      const r = await api('chat.postMessage', { channel: 'U0DENO', text: 'hello from deno', blocks: JSON.stringify([{ type: 'divider' }]) });
      assertEqual(r['ok'], true, 'ok');
      assertEqual(String(r['channel']).startsWith('D'), true, 'D channel');
      assertEqual(standIn.dms('U0DENO').map((m) => m.text), ['hello from deno'], 'dms');
      assertEqual(standIn.calls('chat.postMessage')[0]?.args['blocks'], [{ type: 'divider' }], 'decoded blocks');
    });

    await t.step('an unknown token is invalid_auth', async () => {
      assertEqual((await api('auth.test', {}, 'xoxb-wrong'))['error'], 'invalid_auth', 'error');
    });

    await t.step('invalid blocks are refused', async () => {
      const r = await api('chat.postMessage', { channel: 'C0X', text: 'x', blocks: JSON.stringify([{ type: 'carousel' }]) });
      assertEqual(r['error'], 'invalid_blocks', 'error');
    });

    await t.step('a trigger id is single use', async () => {
      const trigger_id = standIn.createTriggerId('U0DENO');
      const view = JSON.stringify({ type: 'modal', title: { type: 'plain_text', text: 'T' }, blocks: [] });
      assertEqual((await api('views.open', { trigger_id, view }))['ok'], true, 'first');
      assertEqual((await api('views.open', { trigger_id, view }))['error'], 'exchanged_trigger_id', 'second');
    });

    await t.step('signSlackRequest matches the documented vector', () => {
      const body = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
      assertEqual(signSlackRequest('8f742231b10e8888abcd99yyyzzz85a5', 1531420618, body), 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503', 'signature');
    });

    await t.step('Bolt accepts a signed slash command and opens the modal through the stand-in', async () => {
      const r = await driver.slashCommand({ userId: 'U0DENO', text: 'create' });
      assertEqual(r.status, 200, 'status');
      const call = await standIn.waitForCall('views.open', (c) => c.args['trigger_id'] === r.triggerId);
      assertEqual(call.response.body['ok'], true, 'views.open ok');
    });

    await t.step('Bolt answers 401 to a badly signed request', async () => {
      const r = await driver.send({ body: 'command=%2Fapikey&text=help', signature: 'bad' });
      assertEqual(r.status, 401, 'status');
    });
  } finally {
    if (started) await app.stop();
    await standIn.close();
  }
});
