// Deno smoke test: the stand-in and the driver run unchanged on Deno, against a real Bolt app over HTTP.
// Run: deno run -A --no-prompt test-deno/smoke.ts — prints "N passed, N failed" and exits non-zero on failure.
import bolt from '@slack/bolt';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createSlackDriver, signSlackRequest, startSlackStandIn } from '../src/index.ts';

const SECRET = 'deno-smoke-signing-secret';
let passed = 0;
let failed = 0;

async function check(name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
    passed += 1;
    console.log(`ok   ${name}`);
  } catch (e) {
    failed += 1;
    console.log(`FAIL ${name}: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function assertEqual(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

const standIn = await startSlackStandIn({ signingSecret: SECRET });
const api = (method: string, form: Record<string, string>, token = standIn.botToken) =>
  fetch(`${standIn.url}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Bearer ${token}` },
    body: new URLSearchParams(form).toString(),
  }).then((r) => r.json() as Promise<Record<string, unknown>>);

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
const server = (await app.start({ port: 0, host: '127.0.0.1' })) as Server;
const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
const driver = createSlackDriver({ appUrl, signingSecret: SECRET, standIn });

await check('posting to a user id opens a DM and records the message', async () => {
  const r = await api('chat.postMessage', { channel: 'U0DENO', text: 'hello from deno', blocks: JSON.stringify([{ type: 'divider' }]) });
  assertEqual(r['ok'], true, 'ok');
  assertEqual(String(r['channel']).startsWith('D'), true, 'D channel');
  assertEqual(standIn.dms('U0DENO').map((m) => m.text), ['hello from deno'], 'dms');
  assertEqual(standIn.calls('chat.postMessage')[0]?.args['blocks'], [{ type: 'divider' }], 'decoded blocks');
});

await check('an unknown token is invalid_auth', async () => {
  assertEqual((await api('auth.test', {}, 'xoxb-wrong'))['error'], 'invalid_auth', 'error');
});

await check('invalid blocks are refused', async () => {
  const r = await api('chat.postMessage', { channel: 'C0X', text: 'x', blocks: JSON.stringify([{ type: 'carousel' }]) });
  assertEqual(r['error'], 'invalid_blocks', 'error');
});

await check('a trigger id is single use', async () => {
  const trigger_id = standIn.createTriggerId('U0DENO');
  const view = JSON.stringify({ type: 'modal', title: { type: 'plain_text', text: 'T' }, blocks: [] });
  assertEqual((await api('views.open', { trigger_id, view }))['ok'], true, 'first');
  assertEqual((await api('views.open', { trigger_id, view }))['error'], 'exchanged_trigger_id', 'second');
});

await check('signSlackRequest matches the documented vector', async () => {
  const body = 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
  assertEqual(signSlackRequest('8f742231b10e8888abcd99yyyzzz85a5', 1531420618, body), 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503', 'signature');
});

await check('Bolt accepts a signed slash command and opens the modal through the stand-in', async () => {
  const r = await driver.slashCommand({ userId: 'U0DENO', text: 'create' });
  assertEqual(r.status, 200, 'status');
  const call = await standIn.waitForCall('views.open', (c) => c.args['trigger_id'] === r.triggerId);
  assertEqual(call.response.body['ok'], true, 'views.open ok');
});

await check('Bolt answers 401 to a badly signed request', async () => {
  const r = await driver.send({ body: 'command=%2Fapikey&text=help', signature: 'bad' });
  assertEqual(r.status, 401, 'status');
});

await app.stop();
await standIn.close();
console.log(`${passed} passed, ${failed} failed`);
if (failed > 0) process.exit(1);
