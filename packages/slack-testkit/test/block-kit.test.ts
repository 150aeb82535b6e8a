import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebClient } from '@slack/web-api';
import type { SlackStandIn } from '../src/index.ts';
import { webClient, withStandIn } from './helpers.ts';

let s: SlackStandIn;
let client: WebClient;
beforeAll(async () => {
  s = await withStandIn();
  client = webClient(s);
});
afterAll(() => s.close());

const section = (text: string, extra: Record<string, unknown> = {}) => ({ type: 'section', text: { type: 'mrkdwn', text }, ...extra });
const button = (action_id: string, value = 'v', text = 'Go') => ({ type: 'button', action_id, value, text: { type: 'plain_text', text } });
const input = (block_id: string) => ({
  type: 'input',
  block_id,
  label: { type: 'plain_text', text: 'Name' },
  element: { type: 'plain_text_input', action_id: 'value' },
});

async function postError(blocks: unknown[], text = 'fallback') {
  const before = s.messages().length;
  const err = await client.chat.postMessage({ channel: 'C0X', text, blocks: blocks as never }).then(
    () => undefined,
    (e: { data?: Record<string, unknown> }) => e.data,
  );
  expect(s.messages().length).toBe(before); // nothing was posted
  return err;
}

describe('message blocks', () => {
  it('accepts the limits exactly: 50 blocks, 3000-char section, 255-char ids, 2000-char value', async () => {
    const blocks = [
      section('x'.repeat(3000), { block_id: 'b'.repeat(255) }),
      { type: 'actions', elements: [button('a'.repeat(255), 'v'.repeat(2000))] },
      ...Array.from({ length: 48 }, () => ({ type: 'divider' })),
    ];
    await expect(client.chat.postMessage({ channel: 'C0X', text: 'ok', blocks })).resolves.toMatchObject({ ok: true });
  });

  it.each([
    ['51 blocks', Array.from({ length: 51 }, () => ({ type: 'divider' })), /no more than 50 items \[json-pointer:\/blocks\]/],
    ['section text over 3000', [section('x'.repeat(3001))], /must be less than 3001 characters \[json-pointer:\/blocks\/0\/text\/text\]/],
    ['unknown block type', [{ type: 'carousel' }], /unsupported block type: carousel \[json-pointer:\/blocks\/0\/type\]/],
    ['block_id over 255', [section('x', { block_id: 'b'.repeat(256) })], /\/blocks\/0\/block_id/],
    ['action_id over 255', [{ type: 'actions', elements: [button('a'.repeat(256))] }], /\/blocks\/0\/elements\/0\/action_id/],
    ['duplicate action_ids in a block', [{ type: 'actions', elements: [button('approve'), button('approve')] }], /duplicate action_id: approve/],
    ['duplicate block_ids', [section('a', { block_id: 'same' }), section('b', { block_id: 'same' })], /duplicate block_id: same/],
    ['button value over 2000', [{ type: 'actions', elements: [button('a', 'v'.repeat(2001))] }], /\/blocks\/0\/elements\/0\/value/],
    ['button text over 75', [{ type: 'actions', elements: [button('a', 'v', 't'.repeat(76))] }], /\/blocks\/0\/elements\/0\/text\/text/],
    ['an input block in a message', [input('name')], /input blocks are not supported in messages/],
    ['header over 150', [{ type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }], /\/blocks\/0\/text\/text/],
    ['more than 10 fields', [{ type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }], /\/blocks\/0\/fields/],
    ['more than 25 buttons', [{ type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button(`a${i}`)) }], /no more than 25 items/],
    ['a bad text object type', [{ type: 'section', text: { type: 'html', text: 'x' } }], /must be one of: plain_text, mrkdwn/],
  ])('%s → invalid_blocks with a pointer', async (_name, blocks, message) => {
    const err = await postError(blocks);
    expect(err?.['error']).toBe('invalid_blocks');
    expect((err!['errors'] as string[]).join('\n')).toMatch(message);
  });

  it('top-level text over 40 000 characters is msg_too_long', async () => {
    const err = await postError([section('x')], 't'.repeat(40_001));
    expect(err?.['error']).toBe('msg_too_long');
  });

  it('too much text across blocks is msg_blocks_too_long', async () => {
    const err = await postError(Array.from({ length: 5 }, () => section('x'.repeat(2500))));
    expect(err?.['error']).toBe('msg_blocks_too_long');
  });

  it('chat.update validates blocks too and leaves the message unchanged', async () => {
    const r = await client.chat.postMessage({ channel: 'C0UPD', text: 'a', blocks: [section('ok')] });
    await expect(client.chat.update({ channel: 'C0UPD', ts: r.ts!, blocks: [{ type: 'nope' }] as never })).rejects.toMatchObject({
      data: { error: 'invalid_blocks' },
    });
    expect(s.messages('C0UPD')[0]!.blocks).toEqual([section('ok')]);
  });

  it('metadata must carry an event_type', async () => {
    await expect(client.chat.postMessage({ channel: 'C0X', text: 'x', metadata: { event_payload: {} } as never })).rejects.toMatchObject({
      data: { error: 'invalid_metadata_format' },
    });
  });
});

describe('views', () => {
  const modal = (over: Record<string, unknown> = {}) => ({
    type: 'modal',
    callback_id: 'apikey_create',
    title: { type: 'plain_text', text: 'Create API key request' },
    submit: { type: 'plain_text', text: 'Submit' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [input('name')],
    ...over,
  });

  async function openError(view: Record<string, unknown>) {
    const trigger_id = s.createTriggerId('U0ALICE');
    return client.views.open({ trigger_id, view: view as never }).then(
      () => undefined,
      (e: { data?: Record<string, unknown> }) => e.data,
    );
  }

  it('accepts a 24-character title and 100 blocks', async () => {
    const view = modal({ title: { type: 'plain_text', text: 't'.repeat(24) }, blocks: [input('name'), ...Array.from({ length: 99 }, () => ({ type: 'divider' }))] });
    await expect(client.views.open({ trigger_id: s.createTriggerId('U0ALICE'), view: view as never })).resolves.toMatchObject({ ok: true });
  });

  it.each([
    ['title over 24', modal({ title: { type: 'plain_text', text: 't'.repeat(25) } }), /must be less than 25 characters \[json-pointer:\/view\/title\/text\]/],
    ['submit over 24', modal({ submit: { type: 'plain_text', text: 's'.repeat(25) } }), /\/view\/submit\/text/],
    ['close over 24', modal({ close: { type: 'plain_text', text: 'c'.repeat(25) } }), /\/view\/close\/text/],
    ['callback_id over 255', modal({ callback_id: 'c'.repeat(256) }), /\/view\/callback_id/],
    ['private_metadata over 3000', modal({ private_metadata: 'p'.repeat(3001) }), /\/view\/private_metadata/],
    ['more than 100 blocks', modal({ blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) }), /no more than 100 items \[json-pointer:\/view\/blocks\]/],
    ['input blocks without submit', modal({ submit: undefined }), /submit/],
    ['no title', modal({ title: undefined }), /missing required field: title/],
    ['no type', modal({ type: undefined }), /\/view\/type/],
    ['a markdown title', modal({ title: { type: 'mrkdwn', text: 'x' } }), /must be plain_text/],
  ])('%s → invalid_arguments with [ERROR] messages', async (_name, view, message) => {
    const err = await openError(view);
    expect(err?.['error']).toBe('invalid_arguments');
    const messages = (err!['response_metadata'] as { messages: string[] }).messages;
    expect(messages.every((m) => m.startsWith('[ERROR] '))).toBe(true);
    expect(messages.join('\n')).toMatch(message);
  });

  it('a view over 250 kB is view_too_large', async () => {
    const blocks = Array.from({ length: 90 }, () => section('x'.repeat(2900)));
    const err = await openError(modal({ blocks }));
    expect(err?.['error']).toBe('view_too_large');
  });

  it('views.publish takes only home views', async () => {
    await expect(client.views.publish({ user_id: 'U0ALICE', view: modal() as never })).rejects.toMatchObject({ data: { error: 'invalid_arguments' } });
    const home = { type: 'home', blocks: [section('Pending requests')] };
    const r = await client.views.publish({ user_id: 'U0ALICE', view: home as never });
    expect(s.homeView('U0ALICE')).toMatchObject({ id: r.view?.id, type: 'home', blocks: home.blocks });
  });
});
