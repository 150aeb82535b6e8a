// Fast unit tests of the listener handlers, called directly with a fake ack / client / respond: no Bolt app, no
// HTTP server. The store is the real embedded one (PGlite in memory), the approver directory and product
// catalogue are the real ones over a fake Web API client and a fake NCP, so what a user would see (the ack's
// errors, the modal opened, the ephemeral reply, what was stored) is checked; the end-to-end suites cover the
// same paths over real HTTP.
import type { ApiGatewayClient } from '@apikey/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApproverDirectory } from '../src/approvers.ts';
import type { WebClient } from '../src/bolt.ts';
import { APPROVE_CALLBACK_ID } from '../src/blocks/decision-modals.ts';
import { CREATE_CALLBACK_ID, PRODUCT_BLOCK_ID } from '../src/blocks/request-modal.ts';
import { loadConfig } from '../src/config.ts';
import { createDecisionButtonHandler, type DecisionButtonArgs } from '../src/listeners/actions/decision-buttons.ts';
import { createAfterAck } from '../src/listeners/after-ack.ts';
import { createApikeyCommandHandler, type ApikeyCommandArgs } from '../src/listeners/commands/apikey.ts';
import { createAppHomeOpenedHandler, type AppHomeOpenedArgs } from '../src/listeners/events/app-home.ts';
import { createProductSuggestionsHandler, type ProductSuggestionsArgs } from '../src/listeners/options/product-suggestions.ts';
import { createRequestSubmissionHandler, type RequestSubmissionArgs } from '../src/listeners/views/create-request.ts';
import { createDecisionSubmissionHandler, type DecisionSubmissionArgs } from '../src/listeners/views/decide-request.ts';
import { createLogger } from '../src/logger.ts';
import type { Policy } from '../src/policy.ts';
import { openRequestStore } from '../src/store/open-store.ts';
import type { RequestStore } from '../src/store/request-store.ts';
import type { WorkflowContext } from '../src/workflow/context.ts';
import { createHeldResults } from '../src/workflow/held-results.ts';
import { createProductCatalogue } from '../src/workflow/product-catalogue.ts';
import { productPolicyOf } from '../src/workflow/product-policy.ts';
import { mrkdwnTexts } from './helpers/mrkdwn-texts.ts';

const TEAM = 'T0UNIT';
const APPROVER = 'U0APP1';
const REQUESTER = 'U0REQ1';
const OUTSIDER = 'U0NOPE';

type Call = { method: string; args: Record<string, unknown> };

/** A Web API client that records every call; `fail` names methods that reject (as a timed-out Slack call would). */
function fakeClient(fail: readonly string[] = []) {
  const calls: Call[] = [];
  const call = (method: string) => async (args: Record<string, unknown>) => {
    calls.push({ method, args });
    if (fail.includes(method)) throw new Error(`${method} failed: expired_trigger_id`);
    return { ok: true, view: { id: `V${calls.length}` } };
  };
  const client = {
    views: { open: call('views.open'), publish: call('views.publish'), update: call('views.update') },
    chat: { postEphemeral: call('chat.postEphemeral') },
    usergroups: { users: { list: async () => ({ ok: true, users: [] }) } },
  };
  return { client: client as unknown as WebClient, calls };
}

type NcpProduct = { productId: string; productName: string; subscriptionCode?: string };

/** The two NCP reads the product catalogue makes; `down` makes both fail. */
function fakeNcp(o: { own?: NcpProduct[]; published?: NcpProduct[]; down?: boolean }): ApiGatewayClient {
  const iterate = (list: NcpProduct[]) => async function* () {
    if (o.down === true) throw new Error('connect ECONNREFUSED 127.0.0.1:1');
    yield* list;
  };
  return { iterateProducts: iterate(o.own ?? []), iteratePublishedProducts: iterate(o.published ?? []) } as unknown as ApiGatewayClient;
}

/** A recording ack / respond; `calls` holds the argument of each call (undefined for a bare ack()). */
function recorder() {
  const calls: unknown[] = [];
  const fn = async (arg?: unknown) => { calls.push(arg); };
  return { fn, calls };
}

const baseConfig = loadConfig({
  SLACK_BOT_TOKEN: 'xoxb-unit-test-token',
  SLACK_SIGNING_SECRET: 'unit-test-signing-secret-0123',
  APIKEY_APPROVER_CHANNEL: 'C0APPROVE',
  APIKEY_APPROVERS: APPROVER,
});

let store: RequestStore;
beforeAll(async () => { store = await openRequestStore({ dataDir: 'memory://' }); });
afterAll(async () => { await store?.close(); });

function makeCtx(o: { client?: WebClient; ncp?: ApiGatewayClient; requireProduct?: boolean } = {}) {
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', sink: (line) => logs.push(line) });
  const policy: Policy = { ...baseConfig.policy, defaults: { ...baseConfig.policy.defaults, requireProduct: o.requireProduct ?? false } };
  const config = { ...baseConfig, policy };
  const client = o.client ?? fakeClient().client;
  const ncp = o.ncp ?? fakeNcp({ published: [{ productId: 'weatherpub', productName: 'Weather', subscriptionCode: 'PUBLIC' }] });
  let wakes = 0;
  const ctx: WorkflowContext = {
    config,
    store,
    client,
    ncp,
    logger,
    approvers: createApproverDirectory({ users: config.approvers.users, groups: config.approvers.groups, client }),
    policy: productPolicyOf(policy),
    products: createProductCatalogue({ ncp, logger, now: Date.now }),
    held: createHeldResults(),
    now: Date.now,
    afterAck: createAfterAck(),
    wake: () => { wakes++; },
  };
  return { ctx, logs, wakes: () => wakes };
}

function command(text: string, userId = REQUESTER) {
  const ack = recorder();
  const respond = recorder();
  const args = { command: { text, user_id: userId, team_id: TEAM, trigger_id: 'trig-123.456' }, ack: ack.fn, respond: respond.fn };
  return { ack, respond, args };
}

function sectionText(message: unknown): string {
  return mrkdwnTexts(message).join('\n');
}

describe('/apikey command handler', () => {
  it('help (and no subcommand) is answered in the ack, ephemeral, with the usage', async () => {
    for (const text of ['help', '', '  HELP ']) {
      const { ctx } = makeCtx();
      const { ack, args } = command(text);
      const { client } = fakeClient();
      await createApikeyCommandHandler(ctx)({ ...args, client } as unknown as ApikeyCommandArgs);
      expect(ack.calls).toHaveLength(1);
      expect(ack.calls[0]).toMatchObject({ response_type: 'ephemeral' });
      expect(sectionText(ack.calls[0])).toContain('/apikey create [name]');
      expect(sectionText(ack.calls[0])).not.toContain('Unknown subcommand');
    }
  });

  it('an unknown subcommand is echoed escaped, so it cannot ping a channel or forge a link', async () => {
    const { ctx } = makeCtx();
    const { client, calls } = fakeClient();
    const { ack, args } = command('<!channel>&<http://evil|x> more');
    await createApikeyCommandHandler(ctx)({ ...args, client } as unknown as ApikeyCommandArgs);
    expect(ack.calls).toHaveLength(1);
    const shown = sectionText(ack.calls[0]);
    expect(shown).toContain('Unknown subcommand `&lt;!channel&gt;&amp;&lt;http://evil|x&gt;`');
    expect(shown).not.toContain('<!channel>');
    expect(calls).toEqual([]);
  });

  it('create acks, then opens the request modal with the trigger id and the name pre-filled', async () => {
    const { ctx } = makeCtx();
    const { client, calls } = fakeClient();
    const { ack, respond, args } = command('create billing-svc');
    await createApikeyCommandHandler(ctx)({ ...args, client } as unknown as ApikeyCommandArgs);
    expect(ack.calls).toEqual([undefined]);
    expect(calls.map((c) => c.method)).toEqual(['views.open']);
    const { trigger_id, view } = calls[0]!.args as { trigger_id: string; view: { callback_id: string; blocks: { block_id: string; element: { initial_value?: string } }[] } };
    expect(trigger_id).toBe('trig-123.456');
    expect(view.callback_id).toBe(CREATE_CALLBACK_ID);
    expect(view.blocks.find((b) => b.block_id === 'name')?.element.initial_value).toBe('billing-svc');
    expect(respond.calls).toEqual([]);
  });

  it('create whose views.open fails tells the user to run it again (ephemeral), and logs why', async () => {
    const { client } = fakeClient(['views.open']);
    const { ctx, logs } = makeCtx({ client });
    const { ack, respond, args } = command('create');
    await createApikeyCommandHandler(ctx)({ ...args, client } as unknown as ApikeyCommandArgs);
    expect(ack.calls).toEqual([undefined]);
    expect(respond.calls).toEqual([{ response_type: 'ephemeral', text: 'Could not open the request form (Slack took too long). Please run `/apikey create` again.' }]);
    expect(logs.join('\n')).toContain(`could not open the request modal for ${REQUESTER}`);
  });
});

type Values = Record<string, Record<string, { type: string; value?: string | null; selected_option?: { value: string } | null }>>;

function formValues(o: { name?: string; description?: string; justification?: string; product?: string }): Values {
  const text = (value: string | undefined) => ({ value: { type: 'plain_text_input', value: value ?? null } });
  return {
    name: text(o.name),
    description: text(o.description),
    justification: text(o.justification),
    [PRODUCT_BLOCK_ID]: { value: { type: 'external_select', selected_option: o.product !== undefined ? { value: o.product } : null } },
  };
}

function submission(values: Values, userId: string, privateMetadata = '') {
  const ack = recorder();
  const args = {
    ack: ack.fn,
    body: { type: 'view_submission', user: { id: userId, team_id: TEAM }, team: { id: TEAM } },
    view: { callback_id: CREATE_CALLBACK_ID, private_metadata: privateMetadata, state: { values } },
  };
  return { ack, args };
}

describe('request modal submission handler', () => {
  const cases: { what: string; userId: string; values: Values; requireProduct?: boolean; block: string; message: RegExp }[] = [
    { what: 'a name over 20 characters', userId: 'U0BAD01', values: formValues({ name: 'x'.repeat(21), justification: 'billing' }), block: 'name', message: /20/ },
    { what: 'a missing justification', userId: 'U0BAD02', values: formValues({ name: 'ok-name', justification: '   ' }), block: 'justification', message: /^Please enter why you need the key\.$/ },
    { what: 'control characters in the justification', userId: 'U0BAD03', values: formValues({ name: 'ok-name', justification: 'needs\u0007it' }), block: 'justification', message: /^Remove the control characters\.$/ },
    { what: 'no product when the policy requires one', userId: 'U0BAD04', values: formValues({ name: 'ok-name', justification: 'billing' }), requireProduct: true, block: PRODUCT_BLOCK_ID, message: /^Pick the product the key is for\.$/ },
    { what: 'a product NCP does not list', userId: 'U0BAD05', values: formValues({ name: 'ok-name', justification: 'billing', product: 'nosuchprod' }), block: PRODUCT_BLOCK_ID, message: /not available any more/ },
  ];
  for (const c of cases) {
    it(`refuses ${c.what} with an error under block "${c.block}" and stores nothing`, async () => {
      const { ctx, wakes } = makeCtx({ requireProduct: c.requireProduct ?? false });
      const { ack, args } = submission(c.values, c.userId);
      await createRequestSubmissionHandler(ctx)(args as unknown as RequestSubmissionArgs);
      expect(ack.calls).toHaveLength(1);
      const answer = ack.calls[0] as { response_action: string; errors: Record<string, string> };
      expect(answer.response_action).toBe('errors');
      expect(Object.keys(answer.errors)).toEqual([c.block]);
      expect(answer.errors[c.block]).toMatch(c.message);
      expect(await store.listByRequester(TEAM, c.userId, 10)).toEqual([]);
      expect(wakes()).toBe(0);
    });
  }

  it('stores a valid request as pending, queues the approval message and the DM, and closes the modal', async () => {
    const { ctx, wakes } = makeCtx({ requireProduct: true });
    const userId = 'U0GOOD1';
    const { ack, args } = submission(formValues({ name: 'billing-svc', description: 'invoices', justification: '  for the billing job  ', product: 'weatherpub' }), userId);
    await createRequestSubmissionHandler(ctx)(args as unknown as RequestSubmissionArgs);
    expect(ack.calls).toEqual([undefined]);
    const [stored, ...more] = await store.listByRequester(TEAM, userId, 10);
    expect(more).toEqual([]);
    expect(stored).toMatchObject({ state: 'pending', apiKeyName: 'billing-svc', apiKeyDescription: 'invoices', justification: 'for the billing job', productId: 'weatherpub', productName: 'Weather' });
    expect((await store.listOutbox(stored!.id)).map((i) => i.kind).sort()).toEqual(['notify', 'update_approval_message']);
    expect(wakes()).toBe(1);
  });
});

describe('decision handlers', () => {
  function button(value: string, userId: string) {
    const ack = recorder();
    return { ack, args: { ack: ack.fn, body: { user: { id: userId }, trigger_id: 'trig-btn' }, action: { type: 'button', action_id: 'x', value } } };
  }

  it('a button for a request that no longer exists opens a "Request not found" notice', async () => {
    const { client, calls } = fakeClient();
    const { ctx } = makeCtx({ client });
    const { ack, args } = button('req_doesnotexist', APPROVER);
    await createDecisionButtonHandler(ctx, 'approve')({ ...args, client } as unknown as DecisionButtonArgs);
    expect(ack.calls).toEqual([undefined]);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'views.open', args: { trigger_id: 'trig-btn', view: { title: { text: 'Request not found' } } } });
    expect(sectionText(calls[0]!.args.view)).toContain('This request no longer exists.');
  });

  it('a non-approver pressing Approve gets a refusal notice, not the approve modal, and nothing changes', async () => {
    const now = Date.now();
    const request = await store.createRequest({ teamId: TEAM, requesterId: 'U0REQ9', apiKeyName: 'refused-key', apiKeyDescription: '', justification: 'x', createdAt: now, expiresAt: now + 3_600_000 }, 'U0REQ9');
    const { client, calls } = fakeClient();
    const { ctx } = makeCtx({ client });
    const { ack, args } = button(request.id, OUTSIDER);
    await createDecisionButtonHandler(ctx, 'approve')({ ...args, client } as unknown as DecisionButtonArgs);
    expect(ack.calls).toEqual([undefined]);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'views.open', args: { view: { title: { text: 'Cannot decide' } } } });
    expect(calls[0]!.args.view).not.toHaveProperty('callback_id', APPROVE_CALLBACK_ID);
    expect(sectionText(calls[0]!.args.view)).toContain('Only API key approvers can decide requests.');
    expect((await store.getRequest(request.id))?.state).toBe('pending');
  });

  it('a deny submitted without a reason is refused under the reason block, and the request stays pending', async () => {
    const now = Date.now();
    const request = await store.createRequest({ teamId: TEAM, requesterId: 'U0REQ8', apiKeyName: 'deny-me', apiKeyDescription: '', justification: 'x', createdAt: now, expiresAt: now + 3_600_000 }, 'U0REQ8');
    const { ctx } = makeCtx();
    const ack = recorder();
    const args = { ack: ack.fn, body: { user: { id: APPROVER } }, view: { private_metadata: request.id, state: { values: { reason: { value: { type: 'plain_text_input', value: ' ' } } } } } };
    await createDecisionSubmissionHandler(ctx, 'deny')(args as unknown as DecisionSubmissionArgs);
    expect(ack.calls).toEqual([{ response_action: 'errors', errors: { reason: 'Please enter a reason for the requester.' } }]);
    expect((await store.getRequest(request.id))?.state).toBe('pending');
  });
});

describe('product suggestions handler', () => {
  function suggestion(typed: string) {
    const ack = recorder();
    return { ack, args: { ack: ack.fn, payload: { type: 'block_suggestion', block_id: PRODUCT_BLOCK_ID, action_id: 'value', value: typed } } };
  }

  it('answers the products matching what was typed, valued by NCP product id', async () => {
    const ncp = fakeNcp({
      own: [{ productId: 'paymentprt', productName: 'Payments', subscriptionCode: 'PROTECTED' }],
      published: [{ productId: 'weatherpub', productName: 'Weather', subscriptionCode: 'PUBLIC' }],
    });
    const { ctx } = makeCtx({ ncp });
    const { ack, args } = suggestion('PAY');
    await createProductSuggestionsHandler(ctx)(args as unknown as ProductSuggestionsArgs);
    expect(ack.calls).toEqual([{ options: [{ text: { type: 'plain_text', text: 'Payments (paymentprt)' }, value: 'paymentprt', description: { type: 'plain_text', text: 'PROTECTED · own product' } }] }]);
  });

  it('answers an empty list (not an error) when NCP cannot be read, and logs it', async () => {
    const { ctx, logs } = makeCtx({ ncp: fakeNcp({ down: true }) });
    const { ack, args } = suggestion('');
    await createProductSuggestionsHandler(ctx)(args as unknown as ProductSuggestionsArgs);
    expect(ack.calls).toEqual([{ options: [] }]);
    expect(logs.join('\n')).toContain('could not read products from NCP');
  });
});

describe('app_home_opened handler', () => {
  function homeOpened(userId: string, tab = 'home') {
    return { event: { type: 'app_home_opened', user: userId, channel: 'D0HOME', tab }, body: { team_id: TEAM } };
  }

  it("publishes the Home tab for the user who opened it, with an approver's pending requests", async () => {
    const now = Date.now();
    await store.createRequest({ teamId: TEAM, requesterId: 'U0REQ7', apiKeyName: 'home-pending', apiKeyDescription: '', justification: 'x', createdAt: now, expiresAt: now + 3_600_000 }, 'U0REQ7');
    const { client, calls } = fakeClient();
    const { ctx } = makeCtx({ client });
    await createAppHomeOpenedHandler(ctx)({ ...homeOpened(APPROVER), client } as unknown as AppHomeOpenedArgs);
    expect(calls.map((c) => c.method)).toEqual(['views.publish']);
    expect(calls[0]!.args).toMatchObject({ user_id: APPROVER, view: { type: 'home' } });
    expect(sectionText(calls[0]!.args.view)).toContain('*home-pending*');
  });

  it('publishes a Home tab without the pending list for a non-approver, and nothing for the Messages tab', async () => {
    const { client, calls } = fakeClient();
    const { ctx } = makeCtx({ client });
    await createAppHomeOpenedHandler(ctx)({ ...homeOpened(OUTSIDER), client } as unknown as AppHomeOpenedArgs);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args).toMatchObject({ user_id: OUTSIDER, view: { type: 'home' } });
    expect(sectionText(calls[0]!.args.view)).not.toContain('home-pending');
    await createAppHomeOpenedHandler(ctx)({ ...homeOpened(OUTSIDER, 'messages'), client } as unknown as AppHomeOpenedArgs);
    expect(calls).toHaveLength(1);
  });
});
