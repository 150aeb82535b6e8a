// Test harness: a real Bolt app on 127.0.0.1:0 wired to the Slack stand-in and the NCP emulator over loopback
// HTTP, with an in-memory embedded store (or a shared Postgres URL), a controllable clock and captured logs.
import { afterAll, beforeAll } from 'vitest';
import { createApiGatewayClient } from '@apikey/core';
import { createNcpEmulator, sandboxCatalogue, serve, type FaultConfig } from '@apikey/ncp-emulator';
import { createSlackDriver, startSlackStandIn, type SlackDriver, type SlackStandIn, type StoredMessage, type StoredView } from '@apikey/slack-testkit';
import { createSlackApp, type SlackApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/logger.ts';
import { createMetrics } from '../../src/metrics.ts';
import { openRequestStore } from '../../src/store/open-store.ts';
import type { KeyRequest, RequestStore } from '../../src/store/request-store.ts';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const APPROVER_CHANNEL = 'C0APPROVE';
export const REQUESTER = 'U0REQ1';
export const APPROVER = 'U0APP1';
export const APPROVER_2 = 'U0APP2';
export const GROUP_MEMBER = 'U0GRP1';
export const OUTSIDER = 'U0NOPE';
export const GROUP = 'S0GROUP';

export type Clock = { now: () => number; advance(ms: number): void };

export function createClock(start = Date.now()): Clock {
  let offset = 0;
  return { now: () => start + offset + (Date.now() - start), advance: (ms) => { offset += ms; } };
}

export type Ncp = Awaited<ReturnType<typeof serve>>;

/** The emulator over loopback HTTP, with the sandbox catalogue (weatherpub PUBLIC, paymentprt PROTECTED, …). */
export async function startNcp(faults?: FaultConfig): Promise<Ncp> {
  const ncp = await serve({ port: 0, hostname: '127.0.0.1', emulator: createNcpEmulator({ products: sandboxCatalogue() }) });
  if (faults) ncp.emulator.setFaults(faults);
  return ncp;
}

export async function startStandIn(): Promise<SlackStandIn> {
  return startSlackStandIn({
    signingSecret: SIGNING_SECRET,
    usergroups: { [GROUP]: [GROUP_MEMBER] },
    channels: [APPROVER_CHANNEL, 'C0TESTCHAN'],
  });
}

export type AppInstance = {
  slack: SlackApp;
  store: RequestStore;
  url: string;
  driver: SlackDriver;
  logs: string[];
  stop(): Promise<void>;
};

export async function startApp(o: {
  standIn: SlackStandIn;
  ncp: Ncp;
  env?: Record<string, string>;
  clock?: Clock;
  store?: RequestStore;          // shared store (two replicas); otherwise a fresh in-memory one
  workerId?: string;
  /** Outbox steps running at once (default: the worker's). */
  concurrency?: number;
  /** Outbox lease length (default 5 min); a short one exercises lease renewal. */
  leaseMs?: number;
  productCacheMs?: number;
}): Promise<AppInstance> {
  const config = loadConfig({
    SLACK_BOT_TOKEN: o.standIn.botToken,
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: o.standIn.url,
    PORT: '0',
    HOST: '127.0.0.1',
    APIKEY_APPROVER_CHANNEL: APPROVER_CHANNEL,
    APIKEY_APPROVERS: `${APPROVER},${APPROVER_2},${GROUP}`,
    APIKEY_MAX_ATTEMPTS: '3',
    // Debug level on purpose: the leak checks must cover Bolt's and the Web API client's chattiest output.
    LOG_LEVEL: 'debug',
    ...o.env,
  });
  const logs: string[] = [];
  const logger = createLogger({ level: 'debug', sink: (line) => logs.push(line), secrets: [config.botToken, SIGNING_SECRET] });
  const ownStore = o.store === undefined;
  const store = o.store ?? (await openRequestStore({ dataDir: 'memory://' }));
  const now = o.clock?.now ?? Date.now;
  // One metrics registry for the app and its NCP client, as main.ts wires them.
  const metrics = createMetrics({ store, now });
  const ncpClient = createApiGatewayClient({
    credentials: { accessKey: 'SANDBOX_ACCESS_KEY', secretKey: 'SANDBOX_SECRET_KEY' },
    endpoint: o.ncp.url,
    now: Date.now,
    timeoutMs: 5_000,
    retry: { retries: 1, baseDelayMs: 10, maxDelayMs: 50, deadlineMs: 3_000 },
    onEvent: (e) => {
      metrics.ncpEvent(e);
      logs.push(`ncp ${e.type} ${e.method} ${e.url} ${e.status ?? ''}`);
    },
  });
  const slack = createSlackApp({
    config,
    store,
    ncp: ncpClient,
    logger,
    metrics,
    now,
    workerId: o.workerId ?? 'test-worker',
    outbox: {
      pollMs: 50, baseDelayMs: 50, maxDelayMs: 200,
      ...(o.concurrency !== undefined ? { concurrency: o.concurrency } : {}),
      ...(o.leaseMs !== undefined ? { leaseMs: o.leaseMs } : {}),
    },
    sweepIntervalMs: 100,
    webApiTimeoutMs: 5_000,
    ...(o.productCacheMs !== undefined ? { productCacheMs: o.productCacheMs } : {}),
  });
  const { port } = await slack.start();
  const url = `http://127.0.0.1:${port}/slack/events`;
  const driver = createSlackDriver({ appUrl: url, signingSecret: SIGNING_SECRET, standIn: o.standIn });
  return {
    slack,
    store,
    url,
    driver,
    logs,
    async stop() {
      await slack.stop();
      if (ownStore) await store.close();
    },
  };
}

export type Stack = { standIn: SlackStandIn; ncp: Ncp; app: AppInstance };

/**
 * Registers beforeAll/afterAll for the usual file-wide set-up: stand-in, NCP emulator and one app, handed to
 * `ready` once all three run; teardown stops the app, checks its logs for secrets and closes the servers (also
 * after a start-up that failed half-way).
 */
/**
 * The Slack stand-in and the NCP emulator for a test file whose tests start their own apps. Register it before
 * the file's own hooks: vitest runs afterAll hooks last-registered first, so the apps stop before these close.
 */
export function useServers(ready: (servers: { standIn: SlackStandIn; ncp: Ncp }) => void): void {
  let standIn: SlackStandIn | undefined;
  let ncp: Ncp | undefined;
  beforeAll(async () => {
    standIn = await startStandIn();
    ncp = await startNcp();
    ready({ standIn, ncp });
  });
  afterAll(async () => {
    await standIn?.close();
    await ncp?.close();
  });
}

export function useStack(o: { env?: Record<string, string>; clock?: Clock }, ready: (stack: Stack) => void): void {
  let servers: { standIn: SlackStandIn; ncp: Ncp } | undefined;
  let app: AppInstance | undefined;
  useServers((s) => { servers = s; });
  beforeAll(async () => {
    if (servers === undefined) throw new Error('useStack: the servers did not start');
    app = await startApp({ ...servers, ...o });
    ready({ ...servers, app });
  });
  afterAll(async () => {
    await app?.stop();
    if (app && servers) expectNoSecretsInLogs(app, servers.ncp);
  });
}

export async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The approval message for a request, once posted. */
export function approvalMessage(standIn: SlackStandIn, requestId: string): StoredMessage | undefined {
  return standIn.messages(APPROVER_CHANNEL).find((m) => JSON.stringify(m.blocks ?? []).includes(`"value":"${requestId}"`) || m.text?.includes(requestId));
}

/** /apikey create → modal → submit; resolves with the stored request and its approval message. */
export async function submitRequest(
  app: AppInstance,
  standIn: SlackStandIn,
  o: { userId?: string; name?: string; description?: string; justification?: string; product?: string } = {},
): Promise<{ request: KeyRequest; message: StoredMessage }> {
  const userId = o.userId ?? REQUESTER;
  const cmd = await app.driver.slashCommand({ userId, text: `create ${o.name ?? 'billing-svc'}` });
  if (cmd.status !== 200) throw new Error(`slash command answered ${cmd.status}`);
  await waitFor('request modal', () => standIn.views(userId).find((v) => v.callback_id === 'apikey_create'));
  if (o.product !== undefined) {
    // As a person does: type part of the product id, then pick it from the suggestions — typing again when the
    // list came back empty because NCP was slow (the read goes on and fills the cache for the next keystroke).
    const product = o.product;
    await waitFor(`product ${product} offered`, async () => {
      const typed = await app.driver.blockSuggestion({ userId, callbackId: 'apikey_create', blockId: 'product', value: product.slice(0, 4) });
      if (typed.problems.length > 0) throw new Error(`suggestions refused: ${typed.problems.join('; ')}`);
      return typed.options.some((x) => x['value'] === product) ? true : undefined;
    }, 30_000);
  }
  const sub = await app.driver.viewSubmission({
    userId,
    callbackId: 'apikey_create',
    values: {
      description: o.description ?? 'for billing',
      justification: o.justification ?? 'monthly invoices job',
      ...(o.product !== undefined ? { product: o.product } : {}),
    },
  });
  if (sub.status !== 200 || sub.errors) throw new Error(`submission refused: ${sub.status} ${JSON.stringify(sub.body)}`);
  const request = await waitFor('stored request', async () => (await app.store.listByRequester(standIn.teamId, userId, 50))[0]);
  const message = await waitFor('approval message', () => approvalMessage(standIn, request.id));
  return { request, message };
}

/** Clicks a button and resolves with the view the app opened in response (not one left over from before). */
export async function clickForView(
  app: AppInstance,
  standIn: SlackStandIn,
  o: { userId: string; actionId: string; message: { channel: string; ts: string } },
): Promise<StoredView> {
  const before = new Set(standIn.views(o.userId).map((v) => v.id));
  const click = await app.driver.blockAction({ userId: o.userId, actionId: o.actionId, message: { channel: o.message.channel, ts: o.message.ts } });
  if (click.status !== 200) throw new Error(`click answered ${click.status}`);
  return waitFor(`view opened by ${o.actionId}`, () => standIn.views(o.userId).find((v) => !before.has(v.id) && v.type === 'modal'));
}

/** Clicks approve/deny on the approval message and submits the modal it opens. */
export async function decideViaSlack(
  app: AppInstance,
  standIn: SlackStandIn,
  o: { userId: string; message: StoredMessage; decision: 'approve' | 'deny'; text?: string },
) {
  const view = await clickForView(app, standIn, { userId: o.userId, actionId: o.decision, message: o.message });
  const callbackId = o.decision === 'approve' ? 'apikey_approve' : 'apikey_deny';
  if (view.callback_id !== callbackId) return { opened: false as const, notice: JSON.stringify(view.blocks) };
  const blockId = o.decision === 'approve' ? 'comment' : 'reason';
  const sub = await app.driver.viewSubmission({ userId: o.userId, view, values: o.text !== undefined ? { [blockId]: o.text } : {} });
  return { opened: true as const, submission: sub };
}

/** No token, signing secret or key value in the app's captured log lines. */
export function expectNoSecretsInLogs(app: AppInstance, ncp: Ncp): void {
  const text = app.logs.join('\n');
  const secrets = [SIGNING_SECRET, 'xoxb-', 'SANDBOX_SECRET_KEY'];
  for (const key of ncp.emulator.inspect.keys()) secrets.push(key.primaryKey, key.secondaryKey);
  const leaked = secrets.filter((s) => text.includes(s));
  if (leaked.length > 0) throw new Error(`secrets in logs: ${leaked.length} value(s)`);
}
