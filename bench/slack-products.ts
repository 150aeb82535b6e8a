// Slack app benchmark, products (run: node --import tsx bench/slack-products.ts): approve-to-DM for a request
// naming a product, with the NCP emulator adding 100 ms to every management call. For each approval: the time
// from the approve modal's submission to the key DM reaching the Slack stand-in, the NCP calls the app made in
// that window (each timed by the app's own fetch), the time some NCP call was in flight (the union of their
// intervals: calls made in parallel count once), and the time beyond it — our own work (Slack calls, store,
// outbox hand-offs). Goal: ≤ 50 ms beyond the NCP round trips, and no NCP call that is not needed.
// Two processes, as Slack and NCP are remote in production: this one runs the app under test; a forked one (at
// the lowest CPU priority) runs the Slack stand-in, the NCP emulator and the driver, and does the timing.
// Speed is measured, not asserted: the process exits 0 with its table unless something crashed.
import { fork } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, percentile, waitFor } from './stats.ts';

const APPROVALS = Number(process.env.BENCH_APPROVALS ?? 20);
const NCP_LATENCY_MS = 100;
const SECRET = 'bench-signing-secret-0123456789';
const CHANNEL = 'C0BENCH';
const APPROVER = 'U0APPROVER';
const SCENARIOS = [
  { product: 'weatherpub', label: 'PUBLIC (weatherpub)' },
  { product: 'paymentprt', label: 'PROTECTED, policy acceptSubscription (paymentprt)' },
  { product: undefined, label: 'no product' },
] as const;

type Ready = { type: 'ready'; slackUrl: string; botToken: string; ncpUrl: string };
type Window = { scenario: number; start: number; end: number };
type Results = { type: 'results'; windows: Window[] };
type Call = { what: string; start: number; end: number };

/** Wall-clock ms with sub-ms precision, comparable across the two processes. */
const wall = () => performance.timeOrigin + performance.now();


/** The slack process: stand-in, emulator (sandbox catalogue), driver; times approve → DM. */
async function slackSide(): Promise<void> {
  setPriority(19);
  const { createNcpEmulator, sandboxCatalogue, serve } = await import('@apikey/ncp-emulator');
  const { createSlackDriver, startSlackStandIn } = await import('@apikey/slack-testkit');
  const standIn = await startSlackStandIn({ signingSecret: SECRET, channels: [CHANNEL] });
  const ncp = await serve({ port: 0, hostname: '127.0.0.1', emulator: createNcpEmulator({ products: sandboxCatalogue() }) });
  const port = new Promise<number>((resolve) => process.once('message', (m) => resolve(m as number)));
  process.send!({ type: 'ready', slackUrl: standIn.url, botToken: standIn.botToken, ncpUrl: ncp.url } satisfies Ready);
  const driver = createSlackDriver({ appUrl: `http://127.0.0.1:${await port}/slack/events`, signingSecret: SECRET, standIn });
  const dmAt = new Map<string, number>();
  standIn.onCall((call) => {
    const m = /"(bench-p-\d+)" was approved/.exec(String(call.args['text'] ?? ''));
    if (call.method === 'chat.postMessage' && m && call.response.body['ok'] === true) dmAt.set(m[1]!, wall());
  });
  ncp.emulator.setFaults({ latency: { fixedMs: NCP_LATENCY_MS } });
  const windows: Window[] = [];
  // Interleaved (one approval of each scenario in turn) so machine noise hits all alike; the first round warms up.
  for (let i = -1; i < APPROVALS; i++) {
    for (const [s, scenario] of SCENARIOS.entries()) {
      const n = (i + 1) * SCENARIOS.length + s;
      const name = `bench-p-${n}`;
      const requester = `U0REQ${String(n).padStart(4, '0')}`;
      await driver.slashCommand({ userId: requester, text: `create ${name}` });
      const view = await waitFor(() => standIn.views(requester).find((v) => v.callback_id === 'apikey_create'));
      if (scenario.product !== undefined) await driver.blockSuggestion({ userId: requester, view, blockId: 'product', value: scenario.product.slice(0, 3) });
      const sub = await driver.viewSubmission({ userId: requester, view, values: { justification: 'bench', ...(scenario.product !== undefined ? { product: scenario.product } : {}) } });
      if (sub.status !== 200 || sub.errors) throw new Error(`request refused: ${sub.status} ${sub.text}`);
      const card = await waitFor(() => standIn.messages(CHANNEL).find((m) => m.text?.includes(`"${name}"`) && JSON.stringify(m.blocks).includes('"action_id":"approve"')));
      const before = new Set(standIn.views(APPROVER).map((v) => v.id));
      await driver.blockAction({ userId: APPROVER, actionId: 'approve', message: card });
      const modal = await waitFor(() => standIn.views(APPROVER).find((v) => !before.has(v.id) && v.callback_id === 'apikey_approve'));
      const start = wall();
      const res = await driver.viewSubmission({ userId: APPROVER, view: modal });
      if (res.text !== '') throw new Error(`approval refused: ${res.text}`);
      const end = await waitFor(() => dmAt.get(name));
      if (i >= 0) windows.push({ scenario: s, start, end });
      // Let the approval message's last update land before the next request starts.
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  const stopped = new Promise((resolve) => process.once('message', resolve));
  process.send!({ type: 'results', windows } satisfies Results);
  await stopped; // the app stops first, so it does not talk to servers already gone
  await standIn.close();
  await ncp.close();
}

/** Merged length of the intervals clipped to [from, to]: the time at least one NCP call was in flight. */
function inFlight(calls: readonly Call[], from: number, to: number): { ms: number } {
  const spans = calls.map((c) => [Math.max(c.start, from), Math.min(c.end, to)] as const).filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  let ms = 0;
  let cur: [number, number] | undefined;
  for (const [a, b] of spans) {
    if (cur !== undefined && a <= cur[1]) cur[1] = Math.max(cur[1], b);
    else {
      if (cur !== undefined) ms += cur[1] - cur[0];
      cur = [a, b];
    }
  }
  if (cur !== undefined) ms += cur[1] - cur[0];
  return { ms };
}

async function main(): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['--slack'], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const messages: unknown[] = [];
  const waiters: ((m: unknown) => void)[] = [];
  child.on('message', (m) => { const w = waiters.shift(); if (w) w(m); else messages.push(m); });
  const next = () => Promise.race([
    new Promise<unknown>((resolve) => { if (messages.length > 0) resolve(messages.shift()); else waiters.push(resolve); }),
    exited.then((code) => { throw new Error(`slack process exited with ${code} before reporting`); }),
  ]);

  const ready = (await next()) as Ready;
  const { createApiGatewayClient } = await import('@apikey/core');
  const { createSlackApp } = await import('../apps/slack/src/app.ts');
  const { loadConfig } = await import('../apps/slack/src/config.ts');
  const { createLogger } = await import('../apps/slack/src/logger.ts');
  const { openRequestStore } = await import('../apps/slack/src/store/open-store.ts');

  // Every NCP call the app makes, timed at its fetch (signing happens inside core before it).
  const calls: Call[] = [];
  const timedFetch: typeof fetch = async (input, init) => {
    const start = wall();
    const req = new Request(input, init);
    try {
      return await fetch(req);
    } finally {
      calls.push({ what: `${req.method} ${new URL(req.url).pathname.replace(/^\/api\/v1/, '')}`, start, end: wall() });
    }
  };
  const store = await openRequestStore({ dataDir: 'memory://' });
  // Approving a paymentprt (PROTECTED) request also accepts its subscription, as a policy file says.
  const policyPath = join(mkdtempSync(join(tmpdir(), 'apikey-bench-policy-')), 'policy.json');
  writeFileSync(policyPath, JSON.stringify({ products: { paymentprt: { acceptSubscription: true } } }));
  const config = loadConfig({
    SLACK_BOT_TOKEN: ready.botToken, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: ready.slackUrl, PORT: '0', HOST: '127.0.0.1',
    APIKEY_APPROVER_CHANNEL: CHANNEL, APIKEY_APPROVERS: APPROVER, LOG_LEVEL: 'warn', APIKEY_POLICY: policyPath,
  });
  const logger = createLogger({ level: 'warn', secrets: [ready.botToken, SECRET] });
  const ncp = createApiGatewayClient({ credentials: { accessKey: 'SANDBOX_ACCESS_KEY', secretKey: 'SANDBOX_SECRET_KEY' }, endpoint: ready.ncpUrl, fetch: timedFetch });
  const app = createSlackApp({
    config, store, ncp, logger,
  });
  const { port } = await app.start();
  child.send(port ?? 0);
  const r = (await next()) as Results;

  console.log(`### Approve-to-DM with a product (${APPROVALS} approvals per row, interleaved; NCP emulator +${NCP_LATENCY_MS} ms per call)\n`);
  console.log('| request | NCP calls on the way | p50 NCP in flight ms (≈ round trips) | p50 total ms | p50 beyond NCP ms | p90 beyond NCP ms | max beyond ms | goal ≤ 50 ms |');
  console.log('|---|---|---:|---:|---:|---:|---:|---|');
  for (const [s, scenario] of SCENARIOS.entries()) {
    const ws = r.windows.filter((w) => w.scenario === s);
    const per = ws.map((w) => {
      const inWindow = calls.filter((c) => c.end > w.start && c.start < w.end).sort((a, b) => a.start - b.start);
      const f = inFlight(inWindow, w.start, w.end);
      return { total: w.end - w.start, beyond: w.end - w.start - f.ms, ncp: f.ms, calls: inWindow.map((c) => c.what) };
    });
    const totals = per.map((p) => p.total).sort((a, b) => a - b);
    const beyond = per.map((p) => p.beyond).sort((a, b) => a - b);
    // The calls of the first measured approval, with the key id and product id generalised.
    const shape = (per[0]?.calls ?? []).map((c) => c.replace(/\/api-keys\/[A-Za-z0-9]+/, '/api-keys/{kid}').replace(/\/products\/[a-z0-9]+/, '/products/{pid}'));
    const ncpMs = percentile(per.map((p) => p.ncp).sort((a, b) => a - b), 50);
    const p50beyond = percentile(beyond, 50);
    console.log(`| ${scenario.label} | ${shape.length}: ${shape.join(', ')} | ${fmt(ncpMs)} (≈ ${Math.round(ncpMs / NCP_LATENCY_MS)}) | ${fmt(percentile(totals, 50))} | ${fmt(p50beyond)} | ${fmt(percentile(beyond, 90))} | ${fmt(beyond.at(-1)!)} | ${p50beyond <= 50 ? '✔' : '✘'} |`);
  }
  console.log('\n"beyond NCP" = approve submission → DM at Slack, minus the time at least one NCP call was in flight.');
  await app.stop();
  await store.close();
  child.send('stopped');
  const code = await exited;
  if (code !== 0) throw new Error(`slack process exited with ${code}`);
}

if (process.argv.includes('--slack')) await slackSide();
else await main();
