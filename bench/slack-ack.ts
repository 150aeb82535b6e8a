// Slack app benchmark (run: node --import tsx bench/slack-ack.ts).
// 1. Slash-command ack latency under 50 concurrent requests: the real app (`/apikey create`: ack, then
//    views.open) against a bare Bolt app that only acks, interleaved round by round so machine noise hits
//    both alike. Reports p50/p99 and the p99 ratio (goal ≤ 1.3×; Slack allows 3 s).
// 2. Approve-to-DM latency with the NCP emulator adding 100 ms fixed latency per call: from the approve modal
//    submission to the key DM arriving at the Slack stand-in, over ~30 sequential approvals.
// Three processes, as Slack and NCP would be remote in production: this one runs the two apps under test; a
// forked "slack" process (at the lowest CPU priority) runs the Slack stand-in, the NCP emulator and the drivers;
// it forks a "load" process that only sends the slash-command POSTs and times them. The timer must not share
// an event loop (or, on 2 cores, CPU time) with the stand-in: only our app makes the stand-in work (validating
// every views.open), so that work would delay the timing of our acks and not the bare app's.
// Speed is measured, not asserted: the process exits 0 with its table unless something crashed.
import { fork, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { fmt, percentile, waitFor } from './stats.ts';

// 60 rounds, not fewer: the 50 requests of a round are delayed together when the machine hiccups, so a
// pooled p99 over few rounds is set by one unlucky round (20 rounds swung 0.85–1.86× for the same code;
// 60 rounds stayed within 0.80–1.23×).
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 60);
const CONCURRENCY = 50;
const SETTLE_MS = 100;
const APPROVALS = Number(process.env.BENCH_APPROVALS ?? 30);
const SECRET = 'bench-signing-secret-0123456789';
const CHANNEL = 'C0BENCH';
const APPROVER = 'U0APPROVER';

type Ready = { type: 'ready'; slackUrl: string; botToken: string; ncpUrl: string };
type Results = { type: 'results'; ours: number[]; bare: number[]; opened: number; openFailed: number; approve: number[] };


/** A slash-command POST the slack process hands to the load process, and what comes back. */
type Send = { id: number; url: string; headers: Record<string, string>; body: string };
type Sent = { id: number; status: number; text: string; headers: Record<string, string>; ms: number } | { id: number; error: string };
const MS_HEADER = 'x-bench-ack-ms';

/**
 * The load process: sends each POST it is handed and times it; no other work shares this event loop. It uses
 * node:http with a keep-alive agent rather than fetch, whose per-request CPU here would queue the timing of
 * one response behind the sending of the next requests.
 */
function loadSide(): void {
  const agent = new Agent({ keepAlive: true });
  process.on('message', (batch: Send[]) => { for (const m of batch) send(m); });
  const send = (m: Send): void => {
    const t0 = performance.now();
    const fail = (err: Error) => process.send!({ id: m.id, error: err.message } satisfies Sent);
    const req = request(m.url, { method: 'POST', headers: m.headers, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { text += chunk; });
      res.on('error', fail);
      res.on('end', () => {
        const ms = performance.now() - t0;
        const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v ?? '']));
        process.send!({ id: m.id, status: res.statusCode ?? 0, text, headers, ms } satisfies Sent);
      });
    });
    req.on('error', fail);
    req.end(m.body);
  };
  process.once('disconnect', () => { agent.destroy(); process.exit(0); });
}

/** A fetch for the driver that has the load process send the request; the response carries its timing. */
function viaLoadProcess(load: ChildProcess): typeof fetch {
  let seq = 0;
  const pending = new Map<number, (s: Sent) => void>();
  // A burst's requests are built in one turn; hand them over in one message so they leave together.
  let batch: Send[] = [];
  const flush = () => { load.send(batch); batch = []; };
  load.on('message', (s: Sent) => { pending.get(s.id)?.(s); pending.delete(s.id); });
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const id = seq++;
    const sent = await new Promise<Sent>((resolve) => {
      pending.set(id, resolve);
      if (batch.length === 0) setImmediate(flush);
      batch.push({ id, url: String(input), headers: init?.headers as Record<string, string>, body: String(init?.body) });
    });
    if ('error' in sent) throw new Error(`load process: ${sent.error}`);
    return new Response(sent.text === '' ? null : sent.text, { status: sent.status, headers: { ...sent.headers, [MS_HEADER]: String(sent.ms) } });
  }) as typeof fetch;
}

/** The slack process: Slack stand-in, NCP emulator, and the drivers that play Slack towards the two apps. */
async function slackSide(): Promise<void> {
  // Lowest CPU priority: on a 2-core machine the stand-in's work (only our app makes it validate views.open)
  // would otherwise take CPU from the load process while it times our acks. It still gets any idle core.
  setPriority(19);
  const { serve } = await import('@apikey/ncp-emulator');
  const { createSlackDriver, startSlackStandIn } = await import('@apikey/slack-testkit');
  const load = fork(fileURLToPath(import.meta.url), ['--load'], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const loadExited = new Promise<void>((resolve) => load.once('exit', () => resolve()));
  const standIn = await startSlackStandIn({ signingSecret: SECRET, channels: [CHANNEL] });
  const ncp = await serve({ port: 0, hostname: '127.0.0.1' });
  const ports = new Promise<{ ours: number; bare: number }>((resolve) => process.once('message', (m) => resolve(m as { ours: number; bare: number })));
  process.send!({ type: 'ready', slackUrl: standIn.url, botToken: standIn.botToken, ncpUrl: ncp.url } satisfies Ready);
  const { ours, bare } = await ports;
  const remoteFetch = viaLoadProcess(load);
  const driverFor = (port: number, timed: boolean) => createSlackDriver({
    appUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: SECRET, standIn, ...(timed ? { fetch: remoteFetch } : {}),
  });
  const oursDriver = driverFor(ours, true);
  const bareDriver = driverFor(bare, true);
  // The approval flow is timed in this process (submission to DM at the stand-in), so it sends directly.
  const flowDriver = driverFor(ours, false);
  type Driver = typeof oursDriver;

  const burst = (driver: Driver, round: number): Promise<number[]> =>
    Promise.all(Array.from({ length: CONCURRENCY }, async (_, i) => {
      const res = await driver.slashCommand({ userId: `U0LOAD${String(i).padStart(3, '0')}`, text: process.env.BENCH_TEXT ?? `create bench-${round}-${i}` });
      if (res.status !== 200) throw new Error(`slash command answered ${res.status}`);
      return Number(res.headers.get(MS_HEADER));
    }));

  const oursMs: number[] = [];
  const bareMs: number[] = [];
  let opened = 0;
  let openFailed = 0;
  // Our app keeps working after the ack (views.open); let that drain, and let both apps settle after every
  // burst, so no burst starts while the app is still busy with the previous one (its leftovers would land on
  // whichever app came next). Reset the stand-in so its bookkeeping does not grow across rounds.
  const settle = () => new Promise((r) => setTimeout(r, SETTLE_MS));
  const bareRound = async (round: number) => {
    const ms = await burst(bareDriver, round);
    await settle();
    return ms;
  };
  const oursRound = async (round: number, record: boolean) => {
    const ms = await burst(oursDriver, round);
    const drained = Date.now() + 5_000;
    while (standIn.calls('views.open').length < CONCURRENCY && Date.now() < drained) await new Promise((r) => setTimeout(r, 5));
    await settle();
    if (!record) return;
    oursMs.push(...ms);
    const ok = standIn.calls('views.open').filter((c) => c.response.body['ok'] === true).length;
    opened += ok;
    openFailed += CONCURRENCY - ok;
  };
  standIn.reset();
  await oursRound(-1, false); // warm-up: JIT, sockets, first requests
  await bareRound(-1);
  for (let round = 0; round < ROUNDS; round++) {
    standIn.reset();
    if (round % 2 === 0) {
      await oursRound(round, true);
      bareMs.push(...(await bareRound(round)));
    } else {
      bareMs.push(...(await bareRound(round)));
      await oursRound(round, true);
    }
  }

  standIn.reset();
  ncp.emulator.setFaults({ latency: { fixedMs: 100 } });
  const dmAt = new Map<string, number>();
  standIn.onCall((call) => {
    const m = /"(bench-dm-\d+)" was approved/.exec(String(call.args['text'] ?? ''));
    if (call.method === 'chat.postMessage' && m && call.response.body['ok'] === true) dmAt.set(m[1]!, performance.now());
  });
  const approveMs: number[] = [];
  for (let i = 0; i < APPROVALS; i++) {
    const name = `bench-dm-${i}`;
    const requester = `U0REQ${String(i).padStart(3, '0')}`;
    await flowDriver.slashCommand({ userId: requester, text: `create ${name}` });
    await waitFor(() => standIn.views(requester).find((v) => v.callback_id === 'apikey_create'));
    await flowDriver.viewSubmission({ userId: requester, callbackId: 'apikey_create', values: { justification: 'bench' } });
    const card = await waitFor(() => standIn.messages(CHANNEL).find((m) => m.text?.includes(`"${name}"`) && JSON.stringify(m.blocks).includes('"action_id":"approve"')));
    const before = new Set(standIn.views(APPROVER).map((v) => v.id));
    await flowDriver.blockAction({ userId: APPROVER, actionId: 'approve', message: card });
    const modal = await waitFor(() => standIn.views(APPROVER).find((v) => !before.has(v.id) && v.callback_id === 'apikey_approve'));
    const t0 = performance.now();
    const res = await flowDriver.viewSubmission({ userId: APPROVER, view: modal });
    if (res.text !== '') throw new Error(`approval refused: ${res.text}`);
    approveMs.push((await waitFor(() => dmAt.get(name))) - t0);
  }
  process.send!({ type: 'results', ours: oursMs, bare: bareMs, opened, openFailed, approve: approveMs } satisfies Results);
  load.disconnect();
  await loadExited;
  await standIn.close();
  await ncp.close();
}

/** This side: the two apps under test. */
async function main(): Promise<void> {
  const child = fork(fileURLToPath(import.meta.url), ['--slack'], { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  // Listen for the exit from the start: the slack process may finish before this one stops its apps, and a
  // listener added after that would wait forever (an unsettled top-level await: Node exits with code 13).
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const messages: unknown[] = [];
  const waiters: ((m: unknown) => void)[] = [];
  child.on('message', (m) => { const w = waiters.shift(); if (w) w(m); else messages.push(m); });
  const next = () => Promise.race([
    new Promise<unknown>((resolve) => {
      if (messages.length > 0) resolve(messages.shift());
      else waiters.push(resolve);
    }),
    exited.then((code) => { throw new Error(`slack process exited with ${code} before reporting`); }),
  ]);

  const ready = (await next()) as Ready;
  const { createApiGatewayClient } = await import('@apikey/core');
  const { createSlackApp } = await import('../apps/slack/src/app.ts');
  const { App, HTTPReceiver } = await import('../apps/slack/src/bolt.ts');
  const { loadConfig } = await import('../apps/slack/src/config.ts');
  const { createLogger } = await import('../apps/slack/src/logger.ts');
  const { openRequestStore } = await import('../apps/slack/src/store/open-store.ts');

  const store = await openRequestStore({ dataDir: 'memory://' });
  const config = loadConfig({
    SLACK_BOT_TOKEN: ready.botToken, SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: ready.slackUrl, PORT: '0', HOST: '127.0.0.1',
    APIKEY_APPROVER_CHANNEL: CHANNEL, APIKEY_APPROVERS: APPROVER, LOG_LEVEL: 'error',
  });
  const logger = createLogger({ level: 'error', secrets: [ready.botToken, SECRET] });
  const ncp = createApiGatewayClient({ credentials: { accessKey: 'SANDBOX_ACCESS_KEY', secretKey: 'SANDBOX_SECRET_KEY' }, endpoint: ready.ncpUrl });
  const ours = createSlackApp({ config, store, ncp, logger });
  const { port: oursPort } = await ours.start();

  const bare = new App({
    token: ready.botToken,
    receiver: new HTTPReceiver({ signingSecret: SECRET, logger }),
    logger,
    logLevel: 'error' as never,
    clientOptions: { slackApiUrl: ready.slackUrl },
  });
  bare.command('/apikey', async ({ ack }) => { await ack(); });
  const bareServer = await bare.start({ port: 0, host: '127.0.0.1' } as never);
  child.send({ ours: oursPort, bare: (bareServer.address() as AddressInfo).port });

  const r = (await next()) as Results;
  const oursMs = [...r.ours].sort((a, b) => a - b);
  const bareMs = [...r.bare].sort((a, b) => a - b);
  const approve = [...r.approve].sort((a, b) => a - b);
  const ratio = percentile(oursMs, 99) / percentile(bareMs, 99);

  console.log(`### Slash-command ack latency (${ROUNDS} rounds × ${CONCURRENCY} concurrent, interleaved)\n`);
  console.log('| app | n | p50 ms | p99 ms | max ms |');
  console.log('|---|---|---|---|---|');
  console.log(`| apikey (/apikey create: ack, then views.open) | ${oursMs.length} | ${fmt(percentile(oursMs, 50))} | ${fmt(percentile(oursMs, 99))} | ${fmt(oursMs.at(-1)!)} |`);
  console.log(`| bare Bolt app (ack only) | ${bareMs.length} | ${fmt(percentile(bareMs, 50))} | ${fmt(percentile(bareMs, 99))} | ${fmt(bareMs.at(-1)!)} |`);
  console.log(`\np99 ratio apikey / bare: **${ratio.toFixed(2)}×** ${ratio <= 1.3 ? '✔' : '✘'} (goal ≤ 1.3×; Slack's limit is 3000 ms)`);
  // A second view of the same samples: each round's p99, then the median over rounds. A round's 50 requests
  // share its fate (one machine hiccup delays them all), so the pooled p99 above is set by a few rounds; this
  // one says what a typical burst looks like. The goal is judged on the pooled ratio above.
  const roundP99 = (all: number[]): number => {
    const perRound: number[] = [];
    for (let i = 0; i + CONCURRENCY <= all.length; i += CONCURRENCY) perRound.push(percentile(all.slice(i, i + CONCURRENCY).sort((a, b) => a - b), 99));
    return percentile(perRound.sort((a, b) => a - b), 50);
  };
  const oursRoundP99 = roundP99(r.ours);
  const bareRoundP99 = roundP99(r.bare);
  console.log(`median over ${ROUNDS} rounds of each round's p99: apikey ${fmt(oursRoundP99)} ms, bare ${fmt(bareRoundP99)} ms → ${(oursRoundP99 / bareRoundP99).toFixed(2)}× (reported, not the goal's statistic)`);
  console.log(`views.open after the ack: ${r.opened} of ${r.opened + r.openFailed} opened the modal within the 3 s trigger window ${r.openFailed === 0 ? '✔' : '✘'}\n`);
  console.log(`### Approve-to-DM latency (${APPROVALS} approvals, NCP emulator +100 ms fixed latency per call)\n`);
  console.log('| path | n | p50 ms | p99 ms | max ms | floor ms |');
  console.log('|---|---|---|---|---|---|');
  console.log(`| approve submit → key DM posted | ${approve.length} | ${fmt(percentile(approve, 50))} | ${fmt(percentile(approve, 99))} | ${fmt(approve.at(-1)!)} | 200 (2 NCP calls × 100 ms: core's create POSTs with the request's marker, then PUTs the real description; the DM uses the keys from that answer) |`);

  await ours.stop();
  await bare.stop();
  await store.close();
  const code = await exited;
  if (code !== 0) throw new Error(`slack process exited with ${code}`);
}

if (process.argv.includes('--load')) loadSide();
else if (process.argv.includes('--slack')) await slackSide();
else await main();
