import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebClient } from '@slack/web-api';
import { TRIGGER_TTL_MS, type SlackStandIn } from '../src/index.ts';
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

const modal = (callback_id: string, extra: Record<string, unknown> = {}) => ({
  type: 'modal' as const,
  callback_id,
  title: { type: 'plain_text' as const, text: 'Title' },
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }],
  ...extra,
});
const errorOf = (p: Promise<unknown>) => p.then(() => 'resolved', (e: { data?: { error?: string } }) => e.data?.error);

describe('trigger ids', () => {
  it('a trigger opens one view; a second use is exchanged_trigger_id', async () => {
    const trigger_id = s.createTriggerId('U0ALICE');
    expect(trigger_id).toMatch(/^\d+\.\d+\.[0-9a-f]+$/);
    const r = await client.views.open({ trigger_id, view: modal('first') });
    expect(r.view).toMatchObject({ callback_id: 'first', type: 'modal', root_view_id: r.view?.id });
    expect(r.view?.hash).toBeTruthy();
    expect(await errorOf(client.views.open({ trigger_id, view: modal('second') }))).toBe('exchanged_trigger_id');
    expect(s.views().map((v) => v.callback_id)).toEqual(['first']);
  });

  it('a trigger is valid for 3 seconds on the injected clock', async () => {
    const fresh = s.createTriggerId('U0ALICE');
    const late = s.createTriggerId('U0ALICE');
    clock += TRIGGER_TTL_MS;
    await expect(client.views.open({ trigger_id: fresh, view: modal('at-limit') })).resolves.toMatchObject({ ok: true });
    clock += 1;
    expect(await errorOf(client.views.open({ trigger_id: late, view: modal('late') }))).toBe('expired_trigger_id');
    expect(s.views().map((v) => v.callback_id)).toEqual(['at-limit']);
  });

  it('an unknown or malformed trigger is invalid_trigger_id', async () => {
    expect(await errorOf(client.views.open({ trigger_id: '123.456.abc', view: modal('x') }))).toBe('invalid_trigger_id');
    expect(await errorOf(client.views.open({ trigger_id: 'nope', view: modal('x') }))).toBe('invalid_trigger_id');
  });

  it('the opened view belongs to the user the trigger was issued for', async () => {
    await client.views.open({ trigger_id: s.createTriggerId('U0ALICE'), view: modal('a') });
    await client.views.open({ trigger_id: s.createTriggerId('U0BOB'), view: modal('b') });
    expect(s.views('U0BOB').map((v) => v.callback_id)).toEqual(['b']);
  });
});

describe('view stack', () => {
  it('views.push needs a trigger from inside the modal and stops at 3 views', async () => {
    const root = await client.views.open({ trigger_id: s.createTriggerId('U0ALICE'), view: modal('root') });
    const rootId = root.view!.id!;
    expect(await errorOf(client.views.push({ trigger_id: s.createTriggerId('U0ALICE'), view: modal('outside') }))).toBe('invalid_trigger_id');
    const second = await client.views.push({ trigger_id: s.createTriggerId('U0ALICE', rootId), view: modal('second') });
    expect(second.view).toMatchObject({ root_view_id: rootId, previous_view_id: rootId });
    await client.views.push({ trigger_id: s.createTriggerId('U0ALICE', second.view!.id!), view: modal('third') });
    expect(await errorOf(client.views.push({ trigger_id: s.createTriggerId('U0ALICE', rootId), view: modal('fourth') }))).toBe('push_limit_reached');
    expect(s.views().map((v) => v.callback_id)).toEqual(['root', 'second', 'third']);
  });

  it('views.update replaces content, changes the hash, and rejects a stale hash with hash_conflict', async () => {
    const opened = await client.views.open({ trigger_id: s.createTriggerId('U0ALICE'), view: modal('v1', { external_id: 'req-1' }) });
    const { id, hash } = opened.view!;
    const updated = await client.views.update({ view_id: id!, hash: hash!, view: modal('v2') });
    expect(updated.view?.id).toBe(id);
    expect(updated.view?.hash).not.toBe(hash);
    expect(await errorOf(client.views.update({ view_id: id!, hash: hash!, view: modal('v3') }))).toBe('hash_conflict');
    expect(s.view(id!)?.callback_id).toBe('v2');
    expect(await errorOf(client.views.update({ view_id: 'V0NOPE', view: modal('x') }))).toBe('not_found');
  });

  it('views.update finds a view by external_id; a reused external_id is duplicate_external_id', async () => {
    await client.views.open({ trigger_id: s.createTriggerId('U0ALICE'), view: modal('v1', { external_id: 'req-1' }) });
    expect(await errorOf(client.views.open({ trigger_id: s.createTriggerId('U0BOB'), view: modal('dup', { external_id: 'req-1' }) }))).toBe(
      'duplicate_external_id',
    );
    await client.views.update({ external_id: 'req-1', view: modal('v2', { external_id: 'req-1' }) });
    expect(s.views().map((v) => v.callback_id)).toEqual(['v2']);
  });
});
