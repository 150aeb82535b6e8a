// External selects through the driver against a real Bolt app: block_suggestion payloads as Slack sends them,
// the answer checked as Slack checks it, and a submission that picks one of the offered options.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '@slack/bolt';
import { createSlackDriver, validateOptionsResponse, validateView, type SlackDriver, type SlackStandIn } from '../src/index.ts';
import { SIGNING_SECRET, startBoltApp, withStandIn } from './helpers.ts';

let s: SlackStandIn;
let bolt: Awaited<ReturnType<typeof startBoltApp>>;
let driver: SlackDriver;
const payloads: Record<string, unknown>[] = [];
let answer: (typed: string) => unknown = () => ({ options: [] });
const submitted: unknown[] = [];

const option = (value: string, text = value) => ({ text: { type: 'plain_text', text }, value });

function register(app: App): void {
  app.command('/apikey', async ({ ack, body, client }) => {
    await ack();
    await client.views.open({
      trigger_id: body.trigger_id,
      view: {
        type: 'modal',
        callback_id: 'pick',
        title: { type: 'plain_text', text: 'Pick' },
        submit: { type: 'plain_text', text: 'Go' },
        blocks: [{ type: 'input', block_id: 'product', label: { type: 'plain_text', text: 'Product' }, element: { type: 'external_select', action_id: 'value', min_query_length: 0 } }],
      },
    });
  });
  app.options({ block_id: 'product', action_id: 'value' }, async ({ ack, body }) => {
    payloads.push(body as unknown as Record<string, unknown>);
    await ack(answer((body as { value: string }).value) as never);
  });
  app.view('pick', async ({ ack, view }) => {
    submitted.push(view.state.values['product']?.['value']?.selected_option);
    await ack();
  });
}

beforeAll(async () => {
  s = await withStandIn();
  bolt = await startBoltApp(s, register);
  driver = createSlackDriver({ appUrl: bolt.url, signingSecret: SIGNING_SECRET, standIn: s });
});
afterAll(async () => {
  await bolt?.stop();
  await s?.close();
});

async function open(userId: string) {
  const r = await driver.slashCommand({ userId, text: 'x' });
  await s.waitForCall('views.open', (c) => c.args['trigger_id'] === r.triggerId);
  return s.views(userId).at(-1)!;
}

describe('block_suggestion', () => {
  it('sends Slack\'s payload (type, block and action ids, the typed value, the view; no trigger_id or response_url) and returns the options', async () => {
    const view = await open('U0ANN');
    answer = (typed) => ({ options: [option('weatherpub', 'weather'), option('paymentprt', 'payments')].filter((o) => o.text.text.includes(typed)) });
    const r = await driver.blockSuggestion({ userId: 'U0ANN', view, blockId: 'product', value: 'pay' });
    expect(r.problems).toEqual([]);
    expect(r.options.map((o) => o['value'])).toEqual(['paymentprt']);
    const p = payloads.at(-1)!;
    expect(p).toMatchObject({ type: 'block_suggestion', block_id: 'product', action_id: 'value', value: 'pay', container: { type: 'view', view_id: view.id } });
    expect(p['trigger_id']).toBeUndefined();
    expect(p['response_url']).toBeUndefined();
  });

  it('a submission picks one of the offered options; a value never offered throws before sending', async () => {
    const view = await open('U0BEA');
    answer = () => ({ options: [option('weatherpub', 'weather')] });
    await expect(driver.viewSubmission({ userId: 'U0BEA', view, values: { product: 'weatherpub' } })).rejects.toThrow(/never offered/);
    await driver.blockSuggestion({ userId: 'U0BEA', view, blockId: 'product', value: '' });
    const r = await driver.viewSubmission({ userId: 'U0BEA', view, values: { product: 'weatherpub' } });
    expect(r.status).toBe(200);
    expect(submitted.at(-1)).toEqual({ text: { type: 'plain_text', text: 'weather' }, value: 'weatherpub' });
  });

  it('reports answers Slack refuses: more than 100 options, text or value over 75 characters, a non-answer', async () => {
    const view = await open('U0CAT');
    answer = () => ({ options: Array.from({ length: 101 }, (_, i) => option(`p${i}`)) });
    expect((await driver.blockSuggestion({ userId: 'U0CAT', view, blockId: 'product', value: '' })).problems.join()).toMatch(/between 0 and 100/);
    answer = () => ({ options: [option('v'.repeat(76), 'short'), option('ok', 't'.repeat(76))] });
    const long = await driver.blockSuggestion({ userId: 'U0CAT', view, blockId: 'product', value: '' });
    expect(long.problems).toHaveLength(2);
    expect(long.options).toEqual([]);
    expect(validateOptionsResponse('')).toHaveLength(1);
    expect(validateOptionsResponse({ option_groups: [{ label: { type: 'plain_text', text: 'Own' }, options: [option('a')] }] })).toEqual([]);
  });

  it('refuses a block without an external select; the view validator refuses a negative min_query_length', async () => {
    const view = await open('U0DAN');
    await expect(driver.blockSuggestion({ userId: 'U0DAN', view, blockId: 'nope', value: 'x' })).rejects.toThrow(/no external select/);
    const el = { type: 'external_select', action_id: 'value', min_query_length: -1 };
    const check = validateView({ type: 'modal', title: { type: 'plain_text', text: 'x' }, submit: { type: 'plain_text', text: 'y' }, blocks: [{ type: 'input', label: { type: 'plain_text', text: 'l' }, element: el }] });
    expect(check.kind).toBe('invalid_arguments');
  });
});
