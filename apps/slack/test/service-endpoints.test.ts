// The service endpoints beside Slack's, over real HTTP: /healthz answers, /readyz reports each check and turns
// 503 when one fails (store unreachable, worker stopped, draining), /metrics exposes Prometheus text that
// follows a real create → approve → DM and a denial. Log lines are JSON and leak nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackStandIn } from '@apikey/slack-testkit';
import { openRequestStore } from '../src/store/open-store.ts';
import type { RequestStore } from '../src/store/request-store.ts';
import {
  APPROVER,
  REQUESTER,
  decideViaSlack,
  expectNoSecretsInLogs,
  startApp,
  startNcp,
  startStandIn,
  submitRequest,
  waitFor,
  type AppInstance,
  type Ncp,
} from './helpers/harness.ts';

let standIn: SlackStandIn;
let ncp: Ncp;
let app: AppInstance;
let base: string;
let inner: RequestStore;
let storeDown = false;

beforeAll(async () => {
  standIn = await startStandIn();
  ncp = await startNcp();
  inner = await openRequestStore({ dataDir: 'memory://' });
  // The real store, except that the test can make it stop answering (as a database that went away would).
  const down = () => Promise.reject(new Error('connection refused'));
  const store: RequestStore = {
    ...inner,
    outboxStats: (now) => (storeDown ? down() : inner.outboxStats(now)),
    countByState: () => (storeDown ? down() : inner.countByState()),
  };
  app = await startApp({ standIn, ncp, store });
  base = app.url.replace('/slack/events', '');
}, 60_000);

afterAll(async () => {
  await app?.stop();
  await inner?.close();
  if (app && ncp) expectNoSecretsInLogs(app, ncp);
  await standIn?.close();
  await ncp?.close();
});

/** One sample value from Prometheus text, by metric name and exact label set. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^([a-z_]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe('service endpoints', () => {
  it('GET /healthz answers 200 {"ok":true}', async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('GET /readyz is 200 with every check passing once started', async () => {
    const res = await fetch(`${base}/readyz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      ready: true,
      checks: { store: { ok: true }, slack: { ok: true }, worker: { ok: true }, accepting: { ok: true } },
    });
  });

  it('GET /readyz is 503 naming the store while the store does not answer, and recovers', async () => {
    storeDown = true;
    try {
      const res = await fetch(`${base}/readyz`);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { ready: boolean; checks: Record<string, { ok: boolean }> };
      expect(body.ready).toBe(false);
      expect(body.checks['store']?.ok).toBe(false);
      expect(body.checks['slack']?.ok).toBe(true);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(sample(metrics, 'apikey_store_up')).toBe(0);
    } finally {
      storeDown = false;
    }
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });

  it('GET /metrics counts requests by state, decisions, NCP and Slack calls, and HTTP acks', async () => {
    const approved = await submitRequest(app, standIn, { name: 'metrics-ok' });
    const a = await decideViaSlack(app, standIn, { userId: APPROVER, message: approved.message, decision: 'approve' });
    expect(a.opened).toBe(true);
    await waitFor('key DM', () => standIn.dms(REQUESTER).find((m) => m.text?.includes('"metrics-ok" was approved')));
    const denied = await submitRequest(app, standIn, { name: 'metrics-no' });
    await decideViaSlack(app, standIn, { userId: APPROVER, message: denied.message, decision: 'deny', text: 'not needed' });
    await waitFor('delivered', async () => (await app.store.getRequest(approved.request.id))?.state === 'delivered' || undefined);
    await waitFor('outbox drained', async () => (await app.store.outboxStats(Date.now())).depth === 0 || undefined);

    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(sample(text, 'apikey_requests', { state: 'delivered' })).toBe(1);
    expect(sample(text, 'apikey_requests', { state: 'denied' })).toBe(1);
    expect(sample(text, 'apikey_requests', { state: 'pending' })).toBe(0);
    expect(sample(text, 'apikey_decisions_total', { decision: 'approved' })).toBe(1);
    expect(sample(text, 'apikey_decisions_total', { decision: 'denied' })).toBe(1);
    expect(sample(text, 'apikey_transitions_total', { to: 'delivered' })).toBe(1);
    expect(sample(text, 'apikey_outbox_depth')).toBe(0);
    expect(sample(text, 'apikey_outbox_oldest_due_age_seconds')).toBe(0);
    expect(sample(text, 'apikey_ncp_requests_total', { method: 'POST', route: '/api-keys', status: '201' })).toBe(1);
    // The DM's keys come from the create answer held in memory: the key is not read back.
    expect(sample(text, 'apikey_ncp_requests_total', { method: 'GET', route: '/api-keys/:id', status: '200' })).toBeUndefined();
    expect(sample(text, 'apikey_ncp_request_duration_seconds_count', { method: 'POST', route: '/api-keys' })).toBe(1);
    expect(sample(text, 'apikey_slack_api_calls_total', { method: 'chat.postMessage', outcome: 'ok' })).toBeGreaterThanOrEqual(5);
    expect(sample(text, 'apikey_slack_api_calls_total', { method: 'views.open', outcome: 'ok' })).toBeGreaterThanOrEqual(4);
    expect(sample(text, 'apikey_http_requests_total', { route: '/slack/events', status: '200' })).toBeGreaterThanOrEqual(8);
    expect(sample(text, 'apikey_http_request_duration_seconds_count', { route: '/slack/events' })).toBeGreaterThanOrEqual(8);
    // No key id, request id or user id becomes a label (unbounded cardinality, and ids are not for dashboards).
    expect(text).not.toMatch(/req_[a-z2-7]{20}|U0REQ1|U0APP1/);
    for (const key of ncp.emulator.inspect.keys()) expect(text).not.toContain(key.apiKeyId);
  });

  it('every log line is one JSON object with level, time and message', () => {
    // The harness also records core's NCP client events as plain 'ncp …' lines; the rest is the app's logger.
    const lines = app.logs.filter((l) => !l.startsWith('ncp '));
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) {
      const o = JSON.parse(line) as Record<string, unknown>;
      expect(typeof o['level']).toBe('string');
      expect(typeof o['time']).toBe('string');
      expect(typeof o['msg']).toBe('string');
    }
    expect(lines.some((l) => (JSON.parse(l) as { requestId?: string }).requestId?.startsWith('req_'))).toBe(true);
  });

  it('GET /readyz is 503 "shutting down" once the app starts draining', async () => {
    const stopping = app.slack.stop();
    expect(app.slack.readiness()).toMatchObject({ draining: true });
    await stopping;
    expect(app.slack.readiness()).toMatchObject({ draining: true, workerRunning: false });
  });
});
