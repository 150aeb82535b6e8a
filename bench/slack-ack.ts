// Slack app benchmark (run: node --import tsx bench/slack-ack.ts).
// 1. Slash-command ack latency under 50 concurrent requests: the real app (`/apikey create`: ack, then
//    views.open) against a bare Bolt app that only acks, both over loopback HTTP, interleaved round by round
//    so machine noise hits both alike. Reports p50/p99 and the p99 ratio (target ≤ 1.3×; Slack allows 3 s).
// 2. Approve-to-DM latency with the NCP emulator adding 100 ms fixed latency per call: from the approve modal
//    submission to the key DM arriving at the Slack stand-in, over ~30 sequential approvals.
import type { AddressInfo } from 'node:net';
import { createApiGatewayClient } from '@apikey/core';
import { serve } from '@apikey/ncp-emulator';
import { createSlackDriver, startSlackStandIn, type SlackDriver } from '@apikey/slack-testkit';
import { createSlackApp } from '../apps/slack/src/app.ts';
import { App, HTTPReceiver } from '../apps/slack/src/bolt.ts';
import { loadConfig } from '../apps/slack/src/config.ts';
import { createLogger } from '../apps/slack/src/logger.ts';
import { openRequestStore } from '../apps/slack/src/store/open-store.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 20);
const CONCURRENCY = 50;
const APPROVALS = Number(process.env.BENCH_APPROVALS ?? 30);
const SECRET = 'bench-signing-secret-0123456789';
const CHANNEL = 'C0BENCH';

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}
const fmt = (n: number) => n.toFixed(1);

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('bench: timed out');
    await new Promise((r) => setTimeout(r, 2));
  }
}

const standIn = await startSlackStandIn({ signingSecret: SECRET, channels: [CHANNEL] });
const ncp = await serve({ port: 0, hostname: '127.0.0.1' });
const store = await openRequestStore({ dataDir: 'memory://' });
const config = loadConfig({
  SLACK_BOT_TOKEN: standIn.botToken,
  SLACK_SIGNING_SECRET: SECRET,
  SLACK_API_URL: standIn.url,
  PORT: '0',
  HOST: '127.0.0.1',
  APIKEY_APPROVER_CHANNEL: CHANNEL,
  APIKEY_APPROVERS: 'U0APPROVER',
});
const logger = createLogger({ level: 'warn', secrets: [standIn.botToken, SECRET] });
const ncpClient = createApiGatewayClient({
  credentials: { accessKey: 'SANDBOX_ACCESS_KEY', secretKey: 'SANDBOX_SECRET_KEY' },
  endpoint: ncp.url,
});
const ours = createSlackApp({ config, store, ncp: ncpClient, logger });
const { port: oursPort } = await ours.start();

const bare = new App({
  logLevel: 'warn' as never,
  token: standIn.botToken,
  receiver: new HTTPReceiver({ signingSecret: SECRET, logger }),
  logger,
  clientOptions: { slackApiUrl: standIn.url },
});
bare.command('/apikey', async ({ ack }) => { await ack(); });
const bareServer = await bare.start({ port: 0, host: '127.0.0.1' } as never);
const barePort = (bareServer.address() as AddressInfo).port;

const driverFor = (port: number): SlackDriver =>
  createSlackDriver({ appUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: SECRET, standIn });
const oursDriver = driverFor(oursPort!);
const bareDriver = driverFor(barePort);

async function burst(driver: SlackDriver, round: number): Promise<number[]> {
  return Promise.all(Array.from({ length: CONCURRENCY }, async (_, i) => {
    const t0 = performance.now();
    const res = await driver.slashCommand({ userId: `U0LOAD${String(i).padStart(3, '0')}`, text: `create bench-${round}-${i}` });
    const ms = performance.now() - t0;
    if (res.status !== 200) throw new Error(`slash command answered ${res.status}`);
    return ms;
  }));
}

// Warm-up: JIT, connection pools, Bolt's auth.test.
await burst(oursDriver, -1);
await burst(bareDriver, -1);

const oursMs: number[] = [];
const bareMs: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  // Alternate who goes first so neither always meets the other's leftover work (views.open calls, GC).
  if (round % 2 === 0) {
    oursMs.push(...(await burst(oursDriver, round)));
    bareMs.push(...(await burst(bareDriver, round)));
  } else {
    bareMs.push(...(await burst(bareDriver, round)));
    oursMs.push(...(await burst(oursDriver, round)));
  }
}
oursMs.sort((a, b) => a - b);
bareMs.sort((a, b) => a - b);
const ratio = percentile(oursMs, 99) / percentile(bareMs, 99);

console.log(`### Slash-command ack latency (${ROUNDS} rounds × ${CONCURRENCY} concurrent, interleaved)\n`);
console.log('| app | n | p50 ms | p99 ms | max ms |');
console.log('|---|---|---|---|---|');
console.log(`| apikey (/apikey create: ack, then views.open) | ${oursMs.length} | ${fmt(percentile(oursMs, 50))} | ${fmt(percentile(oursMs, 99))} | ${fmt(oursMs.at(-1)!)} |`);
console.log(`| bare Bolt app (ack only) | ${bareMs.length} | ${fmt(percentile(bareMs, 50))} | ${fmt(percentile(bareMs, 99))} | ${fmt(bareMs.at(-1)!)} |`);
console.log(`\np99 ratio apikey / bare: **${ratio.toFixed(2)}×** (target ≤ 1.3×; Slack's limit is 3000 ms)\n`);

// Approve → DM with 100 ms NCP latency.
ncp.emulator.setFaults({ latency: { fixedMs: 100 } });
const dmAt = new Map<string, number>();
standIn.onCall((call) => {
  const text = String(call.args['text'] ?? '');
  const m = /"(bench-dm-\d+)" was approved/.exec(text);
  if (call.method === 'chat.postMessage' && m && call.response.body['ok'] === true) dmAt.set(m[1]!, performance.now());
});
const approveMs: number[] = [];
for (let i = 0; i < APPROVALS; i++) {
  const name = `bench-dm-${i}`;
  const requester = `U0REQ${String(i).padStart(3, '0')}`;
  await oursDriver.slashCommand({ userId: requester, text: `create ${name}` });
  await waitFor(() => standIn.views(requester).find((v) => v.callback_id === 'apikey_create'));
  await oursDriver.viewSubmission({ userId: requester, callbackId: 'apikey_create', values: { justification: 'bench' } });
  const card = await waitFor(() => standIn.messages(CHANNEL).find((m) => m.text?.includes(`"${name}"`) && JSON.stringify(m.blocks).includes('"action_id":"approve"')));
  const before = new Set(standIn.views('U0APPROVER').map((v) => v.id));
  await oursDriver.blockAction({ userId: 'U0APPROVER', actionId: 'approve', message: card });
  const modal = await waitFor(() => standIn.views('U0APPROVER').find((v) => !before.has(v.id) && v.callback_id === 'apikey_approve'));
  const t0 = performance.now();
  const res = await oursDriver.viewSubmission({ userId: 'U0APPROVER', view: modal });
  if (res.text !== '') throw new Error(`approval refused: ${res.text}`);
  const t1 = await waitFor(() => dmAt.get(name));
  approveMs.push(t1 - t0);
}
approveMs.sort((a, b) => a - b);
console.log(`### Approve-to-DM latency (${APPROVALS} approvals, NCP emulator +100 ms fixed latency per call)\n`);
console.log('| path | n | p50 ms | p99 ms | max ms | floor ms |');
console.log('|---|---|---|---|---|---|');
console.log(`| approve submit → key DM posted | ${approveMs.length} | ${fmt(percentile(approveMs, 50))} | ${fmt(percentile(approveMs, 99))} | ${fmt(approveMs.at(-1)!)} | 200 (create + get, 100 ms each) |`);

await ours.stop();
await bare.stop();
await store.close();
await standIn.close();
await ncp.close();
process.exit(ratio <= 1.3 ? 0 : 1);
