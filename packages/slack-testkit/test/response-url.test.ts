import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebClient } from '@slack/web-api';
import type { SlackStandIn } from '../src/index.ts';
import { webClient, withStandIn } from './helpers.ts';

let clock: number;
let s: SlackStandIn;
let client: WebClient;
beforeEach(async () => {
  clock = 1_700_000_000_000;
  s = await withStandIn({ now: () => clock });
  client = webClient(s);
});
afterEach(() => s.close());

const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({
    status: r.status,
    json: (await r.json()) as Record<string, unknown>,
  }));

describe('response_url sink', () => {
  it('records posts as response_url calls; ephemeral by default, in_channel posts to the channel', async () => {
    const url = s.createResponseUrl({ userId: 'U0ALICE', channelId: 'C0WORK' });
    expect(url.startsWith(`${s.origin}/response/`)).toBe(true);
    expect((await post(url, { text: 'only you' })).json).toEqual({ ok: true });
    expect((await post(url, { response_type: 'in_channel', text: 'everyone' })).json).toEqual({ ok: true });
    expect(s.ephemerals('U0ALICE').map((e) => e.text)).toEqual(['only you']);
    expect(s.messages('C0WORK').map((m) => [m.text, m.via])).toEqual([['everyone', 'response_url']]);
    expect(s.calls('response_url').map((c) => c.args['text'])).toEqual(['only you', 'everyone']);
  });

  it('replace_original replaces the whole source message and delete_original removes it', async () => {
    const card = await client.chat.postMessage({ channel: 'C0APPROVE', text: 'pending', blocks: [{ type: 'divider' }] });
    const url = s.createResponseUrl({ userId: 'U0BOB', channelId: 'C0APPROVE', messageTs: card.ts! });
    await post(url, { replace_original: 'true', text: 'Approved by <@U0BOB>' });
    expect(s.messages('C0APPROVE')).toEqual([expect.objectContaining({ ts: card.ts, text: 'Approved by <@U0BOB>' })]);
    expect(s.messages('C0APPROVE')[0]!.blocks).toBeUndefined();
    await post(url, { delete_original: 'true' });
    expect(s.messages('C0APPROVE')).toEqual([]);
    expect((await post(url, { delete_original: true })).json).toEqual({ ok: false, error: 'message_not_found' });
  });

  it('delete_original on an ephemeral origin removes that ephemeral message', async () => {
    await client.chat.postEphemeral({ channel: 'C0WORK', user: 'U0ALICE', text: 'keep' });
    const r = await client.chat.postEphemeral({ channel: 'C0WORK', user: 'U0ALICE', text: 'drop' });
    const url = s.createResponseUrl({ userId: 'U0ALICE', channelId: 'C0WORK', ephemeralTs: r.message_ts! });
    expect((await post(url, { delete_original: 'true' })).json).toEqual({ ok: true });
    expect(s.ephemerals('U0ALICE').map((e) => e.text)).toEqual(['keep']);
  });

  it('works 5 times, then answers used_url', async () => {
    const url = s.createResponseUrl({ userId: 'U0ALICE', channelId: 'C0WORK' });
    for (let i = 1; i <= 5; i++) expect((await post(url, { text: `#${i}` })).status).toBe(200);
    expect(await post(url, { text: '#6' })).toEqual({ status: 404, json: { ok: false, error: 'used_url' } });
    expect(s.ephemerals().length).toBe(5);
  });

  it('expires after 30 minutes on the injected clock', async () => {
    const url = s.createResponseUrl({ userId: 'U0ALICE', channelId: 'C0WORK' });
    clock += 30 * 60 * 1000 + 1;
    expect(await post(url, { text: 'late' })).toEqual({ status: 404, json: { ok: false, error: 'expired_url' } });
  });

  it('refuses invalid blocks and unknown ids', async () => {
    const url = s.createResponseUrl({ userId: 'U0ALICE', channelId: 'C0WORK' });
    const bad = await post(url, { text: 'x', blocks: [{ type: 'nope' }] });
    expect(bad.status).toBe(400);
    expect(bad.json['error']).toBe('invalid_blocks');
    expect((await post(`${s.origin}/response/unknown`, { text: 'x' })).status).toBe(404);
    expect(s.ephemerals()).toEqual([]);
  });
});
