import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode, type WebClient } from '@slack/web-api';
import type { SlackStandIn } from '../src/index.ts';
import { webClient, withStandIn } from './helpers.ts';

let s: SlackStandIn;
let client: WebClient;
beforeEach(async () => {
  s = await withStandIn();
  client = webClient(s);
});
afterEach(() => s.close());

describe('fault injection', () => {
  it('a rate-limited method answers 429 with Retry-After and ratelimited; the WebClient sees retryAfter', async () => {
    s.rateLimit('chat.postMessage', { retryAfterSeconds: 7, times: 1 });
    await expect(client.chat.postMessage({ channel: 'C0X', text: 'a' })).rejects.toMatchObject({
      code: ErrorCode.RateLimitedError,
      retryAfter: 7,
    });
    const [limited] = s.calls('chat.postMessage');
    expect(limited!.response).toEqual({ status: 429, body: { ok: false, error: 'ratelimited' } });
    await expect(client.chat.postMessage({ channel: 'C0X', text: 'b' })).resolves.toMatchObject({ ok: true });
    expect(s.messages().map((m) => m.text)).toEqual(['b']);
  });

  it('the raw 429 carries the Retry-After header', async () => {
    s.rateLimit('auth.test');
    const r = await fetch(`${s.url}auth.test`, { method: 'POST', headers: { authorization: `Bearer ${s.botToken}` } });
    expect(r.status).toBe(429);
    expect(r.headers.get('retry-after')).toBe('1');
    expect(await r.json()).toEqual({ ok: false, error: 'ratelimited' });
  });

  it('a method fails with the given error for N calls, then works; nothing is stored while failing', async () => {
    s.fail('chat.postMessage', 'channel_not_found', { times: 2 });
    const err = (p: Promise<unknown>) => p.then(() => 'ok', (e: { data?: { error?: string } }) => e.data?.error);
    expect(await err(client.chat.postMessage({ channel: 'U0ALICE', text: '1' }))).toBe('channel_not_found');
    expect(await err(client.chat.postMessage({ channel: 'U0ALICE', text: '2' }))).toBe('channel_not_found');
    expect(await err(client.chat.postMessage({ channel: 'U0ALICE', text: '3' }))).toBe('ok');
    expect(s.dms('U0ALICE').map((m) => m.text)).toEqual(['3']);
  });

  it('a failure without a count lasts until cleared, and only for that method', async () => {
    s.fail('chat.postMessage', 'messages_tab_disabled');
    for (let i = 0; i < 3; i++) {
      await expect(client.chat.postMessage({ channel: 'U0ALICE', text: 'x' })).rejects.toMatchObject({ data: { error: 'messages_tab_disabled' } });
    }
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
    s.clearFaults('chat.postMessage');
    await expect(client.chat.postMessage({ channel: 'U0ALICE', text: 'x' })).resolves.toMatchObject({ ok: true });
  });

  it("'*' fails every method", async () => {
    s.fail('*', 'fatal_error', { times: 2 });
    await expect(client.auth.test()).rejects.toMatchObject({ data: { error: 'fatal_error' } });
    await expect(client.users.info({ user: 'U1' })).rejects.toMatchObject({ data: { error: 'fatal_error' } });
    await expect(client.auth.test()).resolves.toMatchObject({ ok: true });
  });

  it('latency holds a method back while other methods answer at once', async () => {
    s.latency('auth.test', 300);
    const slow = client.auth.test();
    await client.chat.postMessage({ channel: 'C0X', text: 'quick' });
    expect(s.calls().map((c) => c.method)).toEqual(['chat.postMessage']);
    await expect(slow).resolves.toMatchObject({ ok: true });
    expect(s.calls().map((c) => c.method)).toEqual(['chat.postMessage', 'auth.test']);
  });

  it('bad fault arguments are refused with a message', () => {
    expect(() => s.fail('chat.postMessage', '')).toThrow(/error must be a non-empty string/);
    expect(() => s.fail('chat.postMessage', 'x', { times: 0 })).toThrow(/times must be a positive integer/);
    expect(() => s.rateLimit('chat.postMessage', { retryAfterSeconds: -1 })).toThrow(/retryAfterSeconds/);
    expect(() => s.latency('x', Number.NaN)).toThrow(/ms must be a finite number/);
  });
});
