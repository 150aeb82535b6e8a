// End-to-end: the product in the request modal (block_suggestion over HTTP), and approval as resumable steps —
// create → subscribe → accept → deliver — ending with a key the emulator's data plane accepts. Real Bolt app,
// Slack stand-in and NCP emulator over loopback HTTP.
import { afterAll, describe, expect, it } from 'vitest';
import type { SlackStandIn, StoredMessage } from '@apikey/slack-testkit';
import { openRequestStore } from '../src/store/open-store.ts';
import type { RequestStore } from '../src/store/request-store.ts';
import {
  APPROVER,
  APPROVER_CHANNEL,
  decideViaSlack,
  expectNoSecretsInLogs,
  startApp,
  submitRequest,
  waitFor,
  useServers,
  type AppInstance,
  type Ncp,
} from './helpers/harness.ts';
import { writePolicyFile } from './helpers/policy.ts';

// A policy file (the app's one source for these rules): every request names a product, and approving one for
// paymentprt (PROTECTED) also accepts its subscription.
const ACCEPT_PAYMENTS = { APIKEY_POLICY: writePolicyFile({ defaults: { requireProduct: true }, products: { paymentprt: { acceptSubscription: true } } }) };

let standIn: SlackStandIn;
let ncp: Ncp;
const apps: AppInstance[] = [];

useServers((s) => ({ standIn, ncp } = s));
afterAll(async () => {
  for (const app of apps) {
    await app.stop();
    expectNoSecretsInLogs(app, ncp);
  }
});

async function app(o: Omit<Parameters<typeof startApp>[0], 'standIn' | 'ncp'> = {}): Promise<AppInstance> {
  const a = await startApp({ standIn, ncp, ...o });
  apps.push(a);
  return a;
}

let userSeq = 0;
/** A fresh requester per test, so DMs and request lists do not mix. */
const requester = () => `U0PRD${String(++userSeq).padStart(3, '0')}`;

async function openModal(a: AppInstance, userId: string) {
  const before = new Set(standIn.views(userId).map((v) => v.id));
  const cmd = await a.driver.slashCommand({ userId, text: 'create svc' });
  expect(cmd.status).toBe(200);
  return waitFor('request modal', () => standIn.views(userId).find((v) => !before.has(v.id) && v.callback_id === 'apikey_create'));
}

/** The key values shown in a DM's blocks (the `…` code spans after "Primary key"/"Secondary key"). */
function keysIn(dm: StoredMessage): { primary: string; secondary: string } {
  const text = JSON.stringify(dm.blocks);
  const primary = /Primary key\*\\n`([A-Za-z0-9]+)`/.exec(text)?.[1];
  const secondary = /Secondary key\*\\n`([A-Za-z0-9]+)`/.exec(text)?.[1];
  if (primary === undefined || secondary === undefined) throw new Error('no keys in the DM');
  return { primary, secondary };
}

function stageUrlsIn(dm: StoredMessage): string[] {
  return [...JSON.stringify(dm.blocks).matchAll(/• `(http[^`]+)`/g)].map((m) => m[1]!);
}

async function approveAndWaitForDm(a: AppInstance, userId: string, message: StoredMessage): Promise<StoredMessage> {
  const result = await decideViaSlack(a, standIn, { userId: APPROVER, message, decision: 'approve' });
  expect(result.opened).toBe(true);
  return waitFor('key DM', () => standIn.dms(userId).find((m) => m.text?.includes('is ready')), 15_000);
}

function expectKeysOnlyInTheDm(userId: string, keys: { primary: string; secondary: string }, a: AppInstance): void {
  for (const call of standIn.calls()) {
    const args = JSON.stringify(call.args);
    const isKeyDm = call.method === 'chat.postMessage' && call.args['channel'] === userId;
    if (!isKeyDm) {
      expect(args).not.toContain(keys.primary);
      expect(args).not.toContain(keys.secondary);
    }
    // Never in the notification text, button values or metadata, even of the DM itself.
    expect(String(call.args['text'] ?? '')).not.toContain(keys.primary);
    expect(JSON.stringify(call.args['metadata'] ?? '')).not.toContain(keys.primary);
    for (const v of args.matchAll(/"value":"([^"]*)"/g)) expect(v[1]).not.toBe(keys.primary);
  }
  expect(a.logs.join('\n')).not.toContain(keys.primary);
  expect(a.logs.join('\n')).not.toContain(keys.secondary);
}

const ncpCalls = (from: number) => ncp.emulator.inspect.requests().slice(from).map((r) => `${r.method} ${r.target.replace(/\?.*$/, '')}`);

describe('product suggestions (block_suggestion)', { timeout: 120_000 }, () => {
  it('typing filters NCP\'s own products and the catalogue; values are product ids; unpublished products are not offered', async () => {
    const a = await app();
    const userId = requester();
    const view = await openModal(a, userId);
    const all = await a.driver.blockSuggestion({ userId, view, blockId: 'product', value: '' });
    expect(all.problems).toEqual([]);
    expect(all.options.map((o) => o['value']).sort()).toEqual(['mapsothers', 'paymentprt', 'weatherpub']);
    const pay = await a.driver.blockSuggestion({ userId, view, blockId: 'product', value: 'PAY' });
    expect(pay.options.map((o) => o['value'])).toEqual(['paymentprt']);
    expect(JSON.stringify(pay.options[0])).toContain('payments');
    const none = await a.driver.blockSuggestion({ userId, view, blockId: 'product', value: 'no such thing' });
    expect(none.problems).toEqual([]);
    expect(none.options).toEqual([]);
  });

  it('answers from a short cache: the next keystrokes do not ask NCP again', async () => {
    const a = await app();
    const userId = requester();
    const view = await openModal(a, userId);
    await a.driver.blockSuggestion({ userId, view, blockId: 'product', value: 'w' });
    const from = ncp.emulator.inspect.requests().length;
    await a.driver.blockSuggestion({ userId, view, blockId: 'product', value: 'we' });
    await a.driver.blockSuggestion({ userId, view, blockId: 'product', value: 'wea' });
    expect(ncpCalls(from).filter((c) => c.includes('products'))).toEqual([]);
  });

  it('NCP down: an empty list (no error page) within Slack\'s time, and a log line', async () => {
    const a = await app({ productCacheMs: 0 });
    const userId = requester();
    const view = await openModal(a, userId);
    ncp.emulator.setFaults({ statusRates: { 503: 1 }, only: { path: /products/ } });
    try {
      const res = await a.driver.blockSuggestion({ userId, view, blockId: 'product', value: 'wea' });
      expect(res.status).toBe(200);
      expect(res.problems).toEqual([]);
      expect(res.options).toEqual([]);
      expect(a.logs.join('\n')).toMatch(/product suggestions: could not read products from NCP/);
    } finally {
      ncp.emulator.setFaults(undefined);
    }
    const back = await a.driver.blockSuggestion({ userId, view, blockId: 'product', value: 'wea' });
    expect(back.options.map((o) => o['value'])).toEqual(['weatherpub']);
  });

  it('slow NCP: the keystroke is answered in time with an empty list, and the read it started serves the next one', async () => {
    const a = await app();
    const userId = requester();
    const view = await openModal(a, userId);
    const from = ncp.emulator.inspect.requests().length;
    ncp.emulator.setFaults({ latency: { fixedMs: 2_600 }, only: { path: /products/ } });
    try {
      const slow = await a.driver.blockSuggestion({ userId, view, blockId: 'product', value: 'wea' });
      expect(slow.status).toBe(200);
      expect(slow.options).toEqual([]);
      expect(a.logs.join('\n')).toMatch(/within 2000 ms; the next keystroke gets the list/);
      const next = await waitFor('the list after the slow read', async () => {
        const res = await a.driver.blockSuggestion({ userId, view, blockId: 'product', value: 'wea' });
        return res.options.length > 0 ? res : undefined;
      });
      expect(next.options.map((o) => o['value'])).toEqual(['weatherpub']);
    } finally {
      ncp.emulator.setFaults(undefined);
    }
    // One read of each product list served both keystrokes (the cache is warm afterwards).
    const reads = ncpCalls(from).filter((c) => /products/.test(c));
    expect(reads.length).toBeLessThanOrEqual(2);
  });
});

describe('product in the request', { timeout: 120_000 }, () => {
  it('policy requireProduct: a request without a product is refused on the product field, nothing stored', async () => {
    const a = await app({ env: ACCEPT_PAYMENTS });
    const userId = requester();
    const view = await openModal(a, userId);
    const product = view.blocks.find((b) => (b as { block_id?: string }).block_id === 'product') as { optional?: boolean };
    expect(product.optional).toBe(false);
    const sub = await a.driver.viewSubmission({ userId, view, values: { justification: 'needed' } });
    expect(sub.errors).toEqual({ product: 'Pick the product the key is for.' });
    expect(await a.store.listByRequester(standIn.teamId, userId, 10)).toEqual([]);
  });

  it('without a policy the product is optional; with one, the request stores NCP\'s id and name, shown to approvers and in /apikey list', async () => {
    const a = await app();
    const userId = requester();
    const view = await openModal(a, userId);
    expect((view.blocks.find((b) => (b as { block_id?: string }).block_id === 'product') as { optional?: boolean }).optional).toBe(true);
    await a.driver.viewSubmission({ userId, view, values: { justification: 'no product' } });
    const { request, message } = await submitRequest(a, standIn, { userId, name: 'weather-app', product: 'weatherpub' });
    expect(request.productId).toBe('weatherpub');
    expect(request.productName).toBe('weather');
    expect(JSON.stringify(message.blocks)).toContain('weather (`weatherpub`)');
    const list = await a.driver.slashCommand({ userId, text: 'list' });
    expect(list.status).toBe(200);
    await waitFor('list reply', () => standIn.ephemerals(userId).find((e) => JSON.stringify(e.blocks ?? e.text).includes('weather (`weatherpub`)')));
  });
});

describe('approval with a product: create → subscribe → accept → deliver', { timeout: 120_000 }, () => {
  it('PUBLIC: one approval, a DM naming the product that says it works now, and its key calls the data plane (200) — keys read from NCP once', async () => {
    const a = await app();
    const userId = requester();
    const { request, message } = await submitRequest(a, standIn, { userId, name: 'pub-1', product: 'weatherpub' });
    const from = ncp.emulator.inspect.requests().length;
    const dm = await approveAndWaitForDm(a, userId, message);
    expect(dm.text).toContain('It works now.');
    expect(JSON.stringify(dm.blocks)).toContain('weather (`weatherpub`)');
    const keys = keysIn(dm);
    const urls = stageUrlsIn(dm);
    expect(urls).toHaveLength(1);
    const call = await fetch(urls[0]!, { headers: { 'x-ncp-apigw-api-key': keys.primary } });
    expect(call.status).toBe(200);
    expect(((await call.json()) as { productId: string }).productId).toBe('weatherpub');
    const key = ncp.emulator.inspect.keys().filter((k) => k.apiKeyName === 'pub-1');
    expect(key).toHaveLength(1);
    expect(ncp.emulator.inspect.subscriptions().filter((s) => s.apiKeyId === key[0]!.apiKeyId)).toHaveLength(1);
    // The keys came from the create answer held in memory: no GET of the key on the way to the DM; nor of its
    // products: the subscribe step made the relation of a PUBLIC product (code from the catalogue's cache).
    expect(ncpCalls(from).filter((c) => c === `GET /api/v1/api-keys/${key[0]!.apiKeyId}`)).toEqual([]);
    expect(ncpCalls(from).filter((c) => c.startsWith(`GET /api/v1/api-keys/${key[0]!.apiKeyId}/`))).toEqual([]);
    expectKeysOnlyInTheDm(userId, keys, a);
    await waitFor('delivered', async () => ((await a.store.getRequest(request.id))?.state === 'delivered' ? true : undefined));
  });

  it('another account\'s PUBLIC product: the DM says it works now and points to its publisher for URLs; no owner-only lookups on NCP', async () => {
    const a = await app();
    const userId = requester();
    const { message } = await submitRequest(a, standIn, { userId, name: 'partner-1', product: 'mapsothers' });
    const from = ncp.emulator.inspect.requests().length;
    const dm = await approveAndWaitForDm(a, userId, message);
    expect(dm.text).toContain('It works now.');
    expect(JSON.stringify(dm.blocks)).toContain('publisher documents its URLs');
    const kid = ncp.emulator.inspect.keys().find((k) => k.apiKeyName === 'partner-1')!.apiKeyId;
    // Only the owner may list a product's APIs and stages; the catalogue says this one is another account's.
    expect(ncpCalls(from).filter((c) => c.includes('/products/mapsothers'))).toEqual([]);
    expect(ncpCalls(from).filter((c) => c.includes(kid) && !c.startsWith('PUT'))).toEqual([`POST /api/v1/api-keys/${kid}/subscribe`]);
    expect(ncp.emulator.inspect.subscriptions().filter((s) => s.apiKeyId === kid).map((s) => s.status)).toEqual(['ACCEPTED']);
  });

  it('PROTECTED without acceptSubscription: the DM says it waits for the product owner, and the data plane answers 401 "210"', async () => {
    const a = await app();
    const userId = requester();
    const { message } = await submitRequest(a, standIn, { userId, name: 'prot-wait', product: 'paymentprt' });
    const dm = await approveAndWaitForDm(a, userId, message);
    expect(dm.text).toContain('waits for the product owner');
    expect(JSON.stringify(dm.blocks)).toContain('waiting for the product owner');
    const keys = keysIn(dm);
    const [url] = stageUrlsIn(dm);
    const call = await fetch(url!, { headers: { 'x-ncp-apigw-api-key': keys.secondary } });
    expect(call.status).toBe(401);
    expect(((await call.json()) as { error: { errorCode: string } }).error.errorCode).toBe('210');
    const key = ncp.emulator.inspect.keys().find((k) => k.apiKeyName === 'prot-wait')!;
    expect(ncp.emulator.inspect.subscriptions().filter((s) => s.apiKeyId === key.apiKeyId).map((s) => s.status)).toEqual(['REQUEST']);
  });

  it('PROTECTED with policy acceptSubscription: approval also accepts it, the DM says it works now, the data plane answers 200', async () => {
    const a = await app({ env: ACCEPT_PAYMENTS });
    const userId = requester();
    const { message } = await submitRequest(a, standIn, { userId, name: 'prot-ok', product: 'paymentprt' });
    const from = ncp.emulator.inspect.requests().length;
    const dm = await approveAndWaitForDm(a, userId, message);
    const made = ncp.emulator.inspect.keys().find((k) => k.apiKeyName === 'prot-ok')!;
    // The relation was made by the subscribe step a moment before: accepted at once, without reading it first.
    expect(ncpCalls(from).filter((c) => c.includes(made.apiKeyId) && !c.startsWith('PUT'))).toEqual([
      `POST /api/v1/api-keys/${made.apiKeyId}/subscribe`,
      `PATCH /api/v1/products/paymentprt/api-keys/${made.apiKeyId}`,
    ]);
    expect(dm.text).toContain('It works now.');
    const keys = keysIn(dm);
    const [url] = stageUrlsIn(dm);
    expect((await fetch(url!, { headers: { 'x-ncp-apigw-api-key': keys.primary } })).status).toBe(200);
    const key = ncp.emulator.inspect.keys().find((k) => k.apiKeyName === 'prot-ok')!;
    expect(ncp.emulator.inspect.subscriptions().filter((s) => s.apiKeyId === key.apiKeyId).map((s) => s.status)).toEqual(['ACCEPTED']);
    expectKeysOnlyInTheDm(userId, keys, a);
  });

  it('product codes not cached any more (approved later): the status is read from NCP, the DMs say the same, acceptance reads before it sets', async () => {
    const a = await app({ env: ACCEPT_PAYMENTS, productCacheMs: 1 });
    for (const [product, name] of [['weatherpub', 'late-pub'], ['paymentprt', 'late-prot']] as const) {
      const userId = requester();
      const { message } = await submitRequest(a, standIn, { userId, name, product });
      await new Promise((r) => setTimeout(r, 5));
      const from = ncp.emulator.inspect.requests().length;
      const dm = await approveAndWaitForDm(a, userId, message);
      expect(dm.text).toContain('It works now.');
      const kid = ncp.emulator.inspect.keys().find((k) => k.apiKeyName === name)!.apiKeyId;
      expect(ncpCalls(from).filter((c) => c === `GET /api/v1/api-keys/${kid}/products`)).toHaveLength(1);
      expect(ncp.emulator.inspect.subscriptions().filter((s) => s.apiKeyId === kid).map((s) => s.status)).toEqual(['ACCEPTED']);
    }
  });

  it('subscribe failing (NCP 503) then recovering: approvers see the trouble; in the end one key, one subscription, one DM', async () => {
    // Enough attempts that the step is still being retried when NCP recovers (the default 3 can run out first).
    const a = await app({ env: { APIKEY_MAX_ATTEMPTS: '100' } });
    const userId = requester();
    const { request, message } = await submitRequest(a, standIn, { userId, name: 'sub-flaky', product: 'weatherpub' });
    ncp.emulator.setFaults({ statusRates: { 503: 1 }, only: { method: 'POST', path: /\/subscribe$/ } });
    try {
      await decideViaSlack(a, standIn, { userId: APPROVER, message, decision: 'approve' });
      await waitFor('failure shown', async () => ((await a.store.getRequest(request.id))?.lastError !== undefined ? true : undefined));
      const card = await waitFor('card shows the retry', () => {
        const m = standIn.messages(APPROVER_CHANNEL).find((x) => x.ts === message.ts);
        return m && JSON.stringify(m.blocks).includes('Retrying automatically') ? m : undefined;
      });
      expect(card).toBeDefined();
    } finally {
      ncp.emulator.setFaults(undefined);
    }
    const dm = await waitFor('key DM', () => standIn.dms(userId).find((m) => m.text?.includes('is ready')), 15_000);
    expect(dm.text).toContain('It works now.');
    const keys = ncp.emulator.inspect.keys().filter((k) => k.apiKeyName === 'sub-flaky');
    expect(keys).toHaveLength(1);
    expect(ncp.emulator.inspect.subscriptions().filter((s) => s.apiKeyId === keys[0]!.apiKeyId)).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 300));
    expect(standIn.dms(userId).filter((m) => m.text?.includes('is ready'))).toHaveLength(1);
  });

  it('a subscribe whose answer is lost after NCP committed it is not sent again (one subscription)', async () => {
    const a = await app();
    const userId = requester();
    const { message } = await submitRequest(a, standIn, { userId, name: 'sub-lost', product: 'weatherpub' });
    ncp.emulator.setFaults({ commitThenFail: { rate: 1, mode: '503' }, only: { method: 'POST', path: /\/subscribe$/ } });
    try {
      await approveAndWaitForDm(a, userId, message);
    } finally {
      ncp.emulator.setFaults(undefined);
    }
    const key = ncp.emulator.inspect.keys().find((k) => k.apiKeyName === 'sub-lost')!;
    expect(ncp.emulator.inspect.subscriptions().filter((s) => s.apiKeyId === key.apiKeyId)).toHaveLength(1);
  });

  // The first process keeps failing at one step (so the request sits there with every earlier step recorded as
  // done) and goes away; a second process, with nothing in memory, resumes at that step.
  const CRASH_AT = [
    { step: 'subscribe', arm: () => ncp.emulator.setFaults({ statusRates: { 503: 1 }, only: { method: 'POST', path: /\/subscribe$/ } }), subscribes: 1, patches: 1 },
    { step: 'accept', arm: () => ncp.emulator.setFaults({ statusRates: { 503: 1 }, only: { method: 'PATCH', path: /^\/products\/[^/]+\/api-keys\// } }), subscribes: 0, patches: 1 },
    { step: 'deliver', arm: () => standIn.fail('chat.postMessage', 'messages_tab_disabled'), subscribes: 0, patches: 0 },
  ] as const;

  it.each(CRASH_AT)('a crash at the $step step resumes on restart at that step: nothing done twice, keys fetched again once, one DM', async ({ step, arm, subscribes, patches }) => {
    const store: RequestStore = await openRequestStore({ dataDir: 'memory://' });
    try {
      // Enough attempts that the step is still being retried (not given up) when the process goes away.
      const env = { ...ACCEPT_PAYMENTS, APIKEY_MAX_ATTEMPTS: '100' };
      const first = await startApp({ standIn, ncp, store, env, workerId: 'crashing' });
      const userId = requester();
      const name = `crash-${step}`;
      const { request, message } = await submitRequest(first, standIn, { userId, name, product: 'paymentprt' });
      arm();
      await decideViaSlack(first, standIn, { userId: APPROVER, message, decision: 'approve' });
      await waitFor(`${step} failing`, async () => ((await store.getRequest(request.id))?.lastError !== undefined ? true : undefined), 60_000);
      expect((await store.getRequest(request.id))?.state).toBe('created');
      await first.stop();
      ncp.emulator.setFaults(undefined);
      standIn.clearFaults('chat.postMessage');
      const from = ncp.emulator.inspect.requests().length;
      const second = await app({ store, env, workerId: 'restarted' });
      const dm = await waitFor('key DM', () => standIn.dms(userId).find((m) => m.text?.includes('is ready')), 15_000);
      expect(dm.text).toContain('It works now.');
      const keys = ncp.emulator.inspect.keys().filter((k) => k.apiKeyName === name);
      expect(keys).toHaveLength(1);
      const kid = keys[0]!.apiKeyId;
      const after = ncpCalls(from);
      expect(after.filter((c) => c.startsWith('POST') && c.includes('/subscribe'))).toHaveLength(subscribes);
      expect(after.filter((c) => c === `PATCH /api/v1/products/paymentprt/api-keys/${kid}`)).toHaveLength(patches);
      // Memory did not survive the restart: the keys are read from NCP once, for the DM.
      expect(after.filter((c) => c === `GET /api/v1/api-keys/${kid}`)).toHaveLength(1);
      expect(ncp.emulator.inspect.subscriptions().filter((s) => s.apiKeyId === kid).map((s) => s.status)).toEqual(['ACCEPTED']);
      expect((await fetch(stageUrlsIn(dm)[0]!, { headers: { 'x-ncp-apigw-api-key': keysIn(dm).primary } })).status).toBe(200);
      await waitFor('delivered', async () => ((await store.getRequest(request.id))?.state === 'delivered' ? true : undefined));
      await new Promise((r) => setTimeout(r, 300));
      expect(standIn.dms(userId).filter((m) => m.text?.includes('is ready'))).toHaveLength(1);
      await second.stop();
      apps.splice(apps.indexOf(second), 1);
      expectNoSecretsInLogs(first, ncp);
      expectNoSecretsInLogs(second, ncp);
    } finally {
      ncp.emulator.setFaults(undefined);
      standIn.clearFaults('chat.postMessage');
      await store.close();
    }
  });
});
