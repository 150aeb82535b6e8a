import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebClient } from '@slack/web-api';
import type { SlackStandIn } from '../src/index.ts';
import { webClient, withStandIn } from './helpers.ts';

let s: SlackStandIn;
let client: WebClient;
beforeEach(async () => {
  s = await withStandIn({
    users: [
      { id: 'U0ALICE', name: 'alice', real_name: 'Alice A' },
      { id: 'U0BOB', name: 'bob' },
      { id: 'U0OTHERBOT', name: 'otherbot', is_bot: true },
      { id: 'U0GONE', name: 'gone', deleted: true },
    ],
    usergroups: { S0APPROVERS: ['U0ALICE', 'U0BOB'] },
  });
  client = webClient(s);
});
afterEach(() => s.close());

const rawPost = (method: string, body: string, headers: Record<string, string>) =>
  fetch(`${s.url}${method}`, { method: 'POST', headers, body }).then(async (r) => ({ status: r.status, json: (await r.json()) as Record<string, unknown> }));

describe('auth', () => {
  it('auth.test answers with the bot identity Bolt caches at start-up', async () => {
    const r = await client.auth.test();
    expect(r).toMatchObject({ ok: true, user_id: s.botUserId, bot_id: s.botId, team_id: s.teamId });
    expect(r.url).toMatch(/^https:\/\/.+\.slack\.com\/$/);
  });

  it('a missing token is not_authed and an unknown token is invalid_auth, and nothing is posted', async () => {
    const missing = await rawPost('chat.postMessage', 'channel=C0X&text=hi', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(missing.json).toEqual({ ok: false, error: 'not_authed' });
    await expect(webClient(s, 'xoxb-wrong').chat.postMessage({ channel: 'C0X', text: 'hi' })).rejects.toMatchObject({
      data: { ok: false, error: 'invalid_auth' },
    });
    expect(s.messages()).toEqual([]);
    expect(s.calls().map((c) => c.token)).toEqual(['missing', 'invalid']);
  });

  it('never stores the token text, whether sent as a header or as a form field', async () => {
    await client.chat.postMessage({ channel: 'C0X', text: 'hi' });
    await rawPost('chat.postMessage', `token=${s.botToken}&channel=C0X&text=form`, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(s.calls().map((c) => c.tokenMatched)).toEqual([true, true]);
    expect(JSON.stringify(s.calls())).not.toContain(s.botToken);
    expect(s.messages().map((m) => m.text)).toEqual(['hi', 'form']);
  });
});

describe('request parsing', () => {
  it('decodes the JSON-string fields @slack/web-api puts in form bodies', async () => {
    const blocks = [{ type: 'section', block_id: 'b1', text: { type: 'mrkdwn', text: '*bold*' } }];
    await client.chat.postMessage({ channel: 'C0X', text: 'fallback', blocks, metadata: { event_type: 'apikey_request', event_payload: { id: 'r1' } } });
    const [call] = s.calls('chat.postMessage');
    expect(call!.contentType).toBe('application/x-www-form-urlencoded');
    expect(call!.args['blocks']).toEqual(blocks);
    expect(call!.args['metadata']).toEqual({ event_type: 'apikey_request', event_payload: { id: 'r1' } });
    expect(call!.args['token']).toBeUndefined();
  });

  it('accepts JSON bodies with a Bearer token too', async () => {
    const r = await rawPost('chat.postMessage', JSON.stringify({ channel: 'C0X', text: 'json' }), {
      'content-type': 'application/json; charset=utf-8',
      authorization: `Bearer ${s.botToken}`,
    });
    expect(r.json['ok']).toBe(true);
    expect(s.messages('C0X').map((m) => m.text)).toEqual(['json']);
  });

  it('a form field that is not valid JSON is rejected', async () => {
    const r = await rawPost('chat.postMessage', 'channel=C0X&blocks=%5Bnot-json', {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Bearer ${s.botToken}`,
    });
    expect(r.json).toEqual({ ok: false, error: 'invalid_blocks_format' });
  });

  it('an unknown method is unknown_method', async () => {
    await expect(client.apiCall('chat.scheduleMessageX', {})).rejects.toMatchObject({ data: { ok: false, error: 'unknown_method' } });
  });

  it('missing required arguments are invalid_arguments', async () => {
    await expect(client.apiCall('chat.update', { channel: 'C0X' })).rejects.toMatchObject({ data: { error: 'invalid_arguments' } });
    await expect(client.apiCall('chat.postMessage', { text: 'x' })).rejects.toMatchObject({ data: { error: 'invalid_arguments' } });
    await expect(client.apiCall('chat.postMessage', { channel: 'C0X' })).rejects.toMatchObject({ data: { error: 'no_text' } });
  });
});

describe('messages', () => {
  it('chat.update edits in place, keeping blocks when omitted; chat.delete removes', async () => {
    const blocks = [{ type: 'section', text: { type: 'plain_text', text: 'card' } }];
    const posted = await client.chat.postMessage({ channel: 'C0APPROVE', text: 'pending', blocks });
    await client.chat.update({ channel: 'C0APPROVE', ts: posted.ts!, text: 'Approved by <@U0BOB>' });
    const [m] = s.messages('C0APPROVE');
    expect(m).toMatchObject({ ts: posted.ts, text: 'Approved by <@U0BOB>', blocks });
    expect(m!.edited).toBeDefined();

    await client.chat.delete({ channel: 'C0APPROVE', ts: posted.ts! });
    expect(s.messages('C0APPROVE')).toEqual([]);
    await expect(client.chat.update({ channel: 'C0APPROVE', ts: posted.ts!, text: 'x' })).rejects.toMatchObject({
      data: { error: 'message_not_found' },
    });
  });

  it('chat.getPermalink links an existing message only', async () => {
    const r = await client.chat.postMessage({ channel: 'C0APPROVE', text: 'card' });
    const link = await client.chat.getPermalink({ channel: 'C0APPROVE', message_ts: r.ts! });
    expect(link.permalink).toBe(`https://${s.teamDomain}.slack.com/archives/C0APPROVE/p${r.ts!.replace('.', '')}`);
    await expect(client.chat.getPermalink({ channel: 'C0APPROVE', message_ts: '1.000001' })).rejects.toMatchObject({ data: { error: 'message_not_found' } });
  });

  it('conversations.history lists a channel newest first', async () => {
    await client.chat.postMessage({ channel: 'C0HIST', text: 'one' });
    await client.chat.postMessage({ channel: 'C0HIST', text: 'two' });
    const h = await client.conversations.history({ channel: 'C0HIST' });
    expect(h.messages?.map((m) => m.text)).toEqual(['two', 'one']);
  });

  it('ts values are unique and increasing', async () => {
    const a = await client.chat.postMessage({ channel: 'C0X', text: 'a' });
    const b = await client.chat.postMessage({ channel: 'C0X', text: 'b' });
    expect(Number(b.ts)).toBeGreaterThan(Number(a.ts));
  });

  it('an ephemeral message is recorded for its user and is not channel history', async () => {
    const r = await client.chat.postEphemeral({ channel: 'C0X', user: 'U0ALICE', text: 'only you' });
    expect(r.message_ts).toMatch(/^\d+\.\d+$/);
    expect(s.ephemerals('U0ALICE').map((e) => e.text)).toEqual(['only you']);
    expect(s.messages('C0X')).toEqual([]);
  });

  it('a configured channel list rejects other channels', async () => {
    const strict = await withStandIn({ channels: ['C0ONLY'] });
    try {
      await expect(webClient(strict).chat.postMessage({ channel: 'C0OTHER', text: 'x' })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
      await expect(webClient(strict).chat.postMessage({ channel: 'C0ONLY', text: 'x' })).resolves.toMatchObject({ ok: true });
    } finally {
      await strict.close();
    }
  });
});

describe('DMs', () => {
  it('posting to a user id opens the DM and answers with the D channel, stable per user', async () => {
    const first = await client.chat.postMessage({ channel: 'U0ALICE', text: 'pending' });
    const second = await client.chat.postMessage({ channel: 'U0ALICE', text: 'approved' });
    const bob = await client.chat.postMessage({ channel: 'U0BOB', text: 'hi bob' });
    expect(first.channel).toMatch(/^D/);
    expect(second.channel).toBe(first.channel);
    expect(bob.channel).not.toBe(first.channel);
    const opened = await client.conversations.open({ users: 'U0ALICE' });
    expect(opened.channel?.id).toBe(first.channel);
    expect(s.dms('U0ALICE').map((m) => m.text)).toEqual(['pending', 'approved']);
    expect(s.dmChannel('U0ALICE')).toBe(first.channel);
  });

  it('chat.update needs the D id: a user id is channel_not_found', async () => {
    const r = await client.chat.postMessage({ channel: 'U0ALICE', text: 'x' });
    await expect(client.chat.update({ channel: 'U0ALICE', ts: r.ts!, text: 'y' })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
    await client.chat.update({ channel: r.channel!, ts: r.ts!, text: 'y' });
    expect(s.dms('U0ALICE').map((m) => m.text)).toEqual(['y']);
  });

  it('refuses DMs to unknown users, bots and deactivated users the way Slack does', async () => {
    await expect(client.chat.postMessage({ channel: 'U0NOBODY', text: 'x' })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
    await expect(client.chat.postMessage({ channel: 'U0OTHERBOT', text: 'x' })).rejects.toMatchObject({ data: { error: 'cannot_dm_bot' } });
    await expect(client.chat.postMessage({ channel: 'U0GONE', text: 'x' })).rejects.toMatchObject({ data: { error: 'user_disabled' } });
    await expect(client.chat.postMessage({ channel: 'D0NOTOPEN', text: 'x' })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
    expect(s.messages()).toEqual([]);
  });

  it('without a users table any user id can be DMed', async () => {
    const loose = await withStandIn();
    try {
      const r = await webClient(loose).chat.postMessage({ channel: 'U0ANYONE', text: 'x' });
      expect(loose.dms('U0ANYONE').map((m) => m.ts)).toEqual([r.ts]);
    } finally {
      await loose.close();
    }
  });
});

describe('users and usergroups', () => {
  it('users.info answers from the configured table', async () => {
    const r = await client.users.info({ user: 'U0ALICE' });
    expect(r.user).toMatchObject({ id: 'U0ALICE', name: 'alice', real_name: 'Alice A', team_id: s.teamId });
    await expect(client.users.info({ user: 'U0NOBODY' })).rejects.toMatchObject({ data: { error: 'user_not_found' } });
  });

  it('usergroups.users.list returns the configured members', async () => {
    expect((await client.usergroups.users.list({ usergroup: 'S0APPROVERS' })).users).toEqual(['U0ALICE', 'U0BOB']);
    s.setUsergroup('S0APPROVERS', ['U0BOB']);
    expect((await client.usergroups.users.list({ usergroup: 'S0APPROVERS' })).users).toEqual(['U0BOB']);
    await expect(client.usergroups.users.list({ usergroup: 'S0NONE' })).rejects.toMatchObject({ data: { error: 'no_such_subteam' } });
  });

  it('rejects malformed users and usergroups at start-up', async () => {
    await expect(withStandIn({ users: [{ id: 'alice' }] })).rejects.toThrow(/user id must start with U or W/);
    await expect(withStandIn({ usergroups: { approvers: [] } })).rejects.toThrow(/usergroup id must start with S/);
  });
});

describe('recording', () => {
  it('calls() keeps order and the response; reset() clears state and log', async () => {
    await client.chat.postMessage({ channel: 'C0X', text: 'a' });
    await client.auth.test();
    expect(s.calls().map((c) => c.method)).toEqual(['chat.postMessage', 'auth.test']);
    expect(s.calls('chat.postMessage')[0]!.response).toMatchObject({ status: 200, body: { ok: true } });
    s.reset();
    expect(s.calls()).toEqual([]);
    expect(s.messages()).toEqual([]);
  });

  it('waitForCall resolves for a past or future matching call and rejects with a clear message on timeout', async () => {
    const pending = s.waitForCall('chat.postMessage', (c) => c.args['text'] === 'second');
    await client.chat.postMessage({ channel: 'C0X', text: 'first' });
    await client.chat.postMessage({ channel: 'C0X', text: 'second' });
    expect((await pending).args['text']).toBe('second');
    expect((await s.waitForCall('chat.postMessage')).args['text']).toBe('first');
    await expect(s.waitForCall('views.open', undefined, 20)).rejects.toThrow(/no matching views.open call within 20 ms/);
  });
});
