// Slack app load bench (run: node --import tsx bench/slack-load.ts; not part of `pnpm test`).
// Two replicas of the real app (src/main.ts, each its own process) share one throwaway Postgres database.
// BENCH_LOAD_REQUESTS (default 500) requests are filed through Slack first; then all of them are approved in one
// burst, spread over both replicas, while the NCP emulator rate-limits NCP to BENCH_LOAD_RATE (default 10)
// requests a second with 429 + Retry-After. Reported: the time from the burst's start to the last key DM
// against the rate-limit floor — the NCP calls the work needs (those NCP answered with a success) ÷ the rate —
// and the ratio (goal ≤ 1.2×). Checked: every request delivered, one key per request, one DM per requester
// carrying that key, no duplicate. Exits 1 when a check fails; the ratio is reported, not asserted.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@apikey/ncp-emulator';
import { createSlackDriver, startSlackStandIn, type StoredMessage } from '@apikey/slack-testkit';
import { localAppEnv } from '../apps/slack/scripts/local-env.ts';
import { createPostgresExecutor } from '../apps/slack/src/store/postgres-executor.ts';

const N = Number(process.env.BENCH_LOAD_REQUESTS ?? 500);
const RATE = Number(process.env.BENCH_LOAD_RATE ?? 10);
const SETUP_CONCURRENCY = 10;
// Approvers clicking at once, over both replicas. Kept where this machine still acks within Slack's 3 s (a
// late ack expires the trigger and the modal never opens, as in Slack); a click that opened nothing is repeated,
// as a person would.
const BURST_CONCURRENCY = Number(process.env.BENCH_LOAD_CLICKERS ?? 10);
const ADMIN_URL = process.env.APIKEY_TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = `apikey_bench_load_${process.pid}_${Date.now().toString(36)}`;
const DB_URL = ADMIN_URL.replace(/\/[^/]*$/, `/${DB_NAME}`);
const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SECRET = 'bench-load-signing-secret-0123456789';
const CHANNEL = 'C0LOADAPPROVE';
const APPROVER = 'U0LOADAPPROVER';
const requester = (i: number) => `U0L${String(i).padStart(4, '0')}`;
const keyName = (i: number) => `load-${String(i).padStart(4, '0')}`;

async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`bench: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Does what a person does when a click or command opened nothing (the app acked too late on a busy machine and
 * Slack expired the trigger): tries again, up to 5 times. Resolves with what the probe found.
 */
async function untilOpened<T>(what: string, act: () => Promise<unknown>, probe: () => T | undefined, onRetry: () => void): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    await act();
    const found = await waitFor(what, probe, 5_000).catch((err: unknown) => {
      if (attempt >= 5) throw err;
      return undefined;
    });
    if (found !== undefined) return found;
    onRetry();
  }
}

/** Runs fn over 0..n-1 with at most `limit` in flight. */
async function pool(n: number, limit: number, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, n) }, async () => {
    while (next < n) await fn(next++);
  }));
}

async function main(): Promise<number> {
  const admin = await createPostgresExecutor(ADMIN_URL, { maxConnections: 1 });
  await admin.query(`CREATE DATABASE ${DB_NAME}`);
  const standIn = await startSlackStandIn({ signingSecret: SECRET, channels: [CHANNEL] });
  const ncp = await serve({ port: 0, hostname: '127.0.0.1' });
  const logDir = await mkdtemp(join(tmpdir(), 'apikey-bench-load-'));
  const replicas: { child: ChildProcess; port: number; exited: Promise<number | null> }[] = [];

  const dmAt = new Map<string, number[]>();
  standIn.onCall((c) => {
    const to = String(c.args['channel'] ?? '');
    if (c.method === 'chat.postMessage' && to.startsWith('U0L') && c.response.body['ok'] === true && String(c.args['text']).includes('was approved')) {
      dmAt.set(to, [...(dmAt.get(to) ?? []), performance.now()]);
    }
  });

  try {
    for (const id of ['a', 'b']) {
      const log = createWriteStream(join(logDir, `replica-${id}.log`));
      const child = spawn(process.execPath, ['--import', 'tsx', 'apps/slack/src/main.ts'], {
        cwd: ROOT,
        env: localAppEnv({
          slack: standIn, signingSecret: SECRET, ncpUrl: ncp.url, approverChannel: CHANNEL, approvers: APPROVER,
          extra: { DATABASE_URL: DB_URL, LOG_LEVEL: 'info' },
        }),
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      for (const s of [child.stdout, child.stderr]) s?.on('data', (d: Buffer) => { out += d.toString(); log.write(d); });
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const m = await waitFor(`replica ${id} to start`, () => {
        if (child.exitCode !== null) throw new Error(`replica ${id} exited: ${out}`);
        return /listening on port (\d+)/.exec(out) ?? undefined;
      }, 120_000);
      replicas.push({ child, port: Number(m[1]), exited });
    }
    const drivers = replicas.map((r) => createSlackDriver({ appUrl: `http://127.0.0.1:${r.port}/slack/events`, signingSecret: SECRET, standIn }));
    const driverFor = (i: number) => drivers[i % drivers.length]!;

    // Setup: N requests filed through Slack (slash command → modal → submit), spread over both replicas.
    const setupStart = performance.now();
    let setupRetries = 0;
    await pool(N, SETUP_CONCURRENCY, async (i) => {
      const user = requester(i);
      await untilOpened('request modal', () => driverFor(i).slashCommand({ userId: user, text: `create ${keyName(i)}` }),
        () => standIn.views(user).find((v) => v.callback_id === 'apikey_create'), () => { setupRetries++; });
      const sub = await driverFor(i).viewSubmission({ userId: user, callbackId: 'apikey_create', values: { justification: 'load bench' } });
      if (sub.text !== '') throw new Error(`submission refused: ${sub.text}`);
    });
    const cards = await waitFor('every approval message', () => {
      const byName = new Map<string, StoredMessage>();
      for (const m of standIn.messages(CHANNEL)) {
        const name = /"(load-\d{4})"/.exec(m.text ?? '')?.[1];
        if (name !== undefined && JSON.stringify(m.blocks).includes('"action_id":"approve"')) byName.set(name, m);
      }
      return byName.size === N ? byName : undefined;
    }, 300_000);
    console.log(`setup: ${N} requests filed and posted for approval in ${((performance.now() - setupStart) / 1000).toFixed(1)} s (${setupRetries} repeated slash commands)`);

    // The burst: rate limit on, every request approved as fast as Slack would deliver the clicks.
    ncp.emulator.inspect.reset();
    ncp.emulator.setFaults({ rateLimit: { perSecond: RATE } });
    const t0 = performance.now();
    let approvedBy = 0;
    let reclicks = 0;
    await pool(N, BURST_CONCURRENCY, async (i) => {
      const card = cards.get(keyName(i))!;
      const driver = driverFor(i + 1); // the click may land on the other replica than the request did
      const before = new Set(standIn.views(APPROVER).map((v) => v.id));
      const modal = await untilOpened('approve modal', () => driver.blockAction({ userId: APPROVER, actionId: 'approve', message: card }),
        () => standIn.views(APPROVER).find((v) => !before.has(v.id) && v.callback_id === 'apikey_approve' && JSON.stringify(v.blocks).includes(keyName(i))),
        () => { reclicks++; });
      const res = await driver.viewSubmission({ userId: APPROVER, view: modal });
      if (res.text !== '') throw new Error(`approval refused: ${res.text}`);
      approvedBy = performance.now();
    });
    const approvalsSent = approvedBy - t0;
    await waitFor('every key DM', () => dmAt.size >= N || undefined, 900_000);
    const lastDm = Math.max(...[...dmAt.values()].flat());
    const elapsed = (lastDm - t0) / 1000;

    // Let any straggling duplicate surface before counting.
    await new Promise((r) => setTimeout(r, 3_000));
    const seen = ncp.emulator.inspect.requests();
    const ok = seen.filter((r) => r.status !== null && r.status < 400);
    const limited = seen.filter((r) => r.status === 429);
    const floor = ok.length / RATE;
    const ratio = elapsed / floor;
    const byKind = (rs: typeof seen) => {
      const m = new Map<string, number>();
      for (const r of rs) {
        const k = `${r.method} ${r.target.split('?')[0]!.replace(/\/api-keys\/[^/]+/, '/api-keys/:id')}`;
        m.set(k, (m.get(k) ?? 0) + 1);
      }
      return [...m].map(([k, v]) => `${k} ×${v}`).join(', ');
    };

    // Checks: nothing lost, nothing twice.
    const keys = ncp.emulator.inspect.keys().filter((k) => k.apiKeyName.startsWith('load-'));
    const names = new Set(keys.map((k) => k.apiKeyName));
    const dmsPerUser = [...dmAt.values()].map((v) => v.length);
    const db = await createPostgresExecutor(DB_URL, { maxConnections: 1 });
    const states = await db.query<{ state: string; n: unknown }>(`SELECT state, count(*) AS n FROM requests GROUP BY state`);
    const keyIds = await db.query<{ n: unknown }>(`SELECT count(DISTINCT api_key_id) AS n FROM requests WHERE state = 'delivered'`);
    await db.close();
    let dmCarriesKey = 0;
    for (let i = 0; i < N; i++) {
      const key = keys.find((k) => k.apiKeyName === keyName(i));
      const dm = standIn.dms(requester(i)).find((m) => m.text?.includes('was approved'));
      if (key && dm && JSON.stringify(dm.blocks).includes(key.primaryKey)) dmCarriesKey++;
    }
    const delivered = Number(states.find((s) => s.state === 'delivered')?.n ?? 0);
    const checks: [string, boolean][] = [
      [`${N} keys created, one per request (${keys.length} keys, ${names.size} distinct names)`, keys.length === N && names.size === N],
      [`${N} key DMs, one per requester (${dmAt.size} requesters, max ${Math.max(...dmsPerUser)} each)`, dmAt.size === N && dmsPerUser.every((n) => n === 1)],
      [`every DM carries its own request's key (${dmCarriesKey}/${N})`, dmCarriesKey === N],
      [`every request delivered in the store, none lost or failed (${states.map((s) => `${s.state} ${String(s.n)}`).join(', ')})`, delivered === N && states.length === 1],
      [`${N} distinct key ids recorded`, Number(keyIds[0]?.n ?? 0) === N],
    ];

    console.log(`\n### Approve ${N} requests in one burst: 2 replicas on Postgres, NCP limited to ${RATE} req/s\n`);
    console.log('| measure | value |');
    console.log('|---|---|');
    console.log(`| approvals submitted (clicks + modals, ${BURST_CONCURRENCY} at a time over both replicas; ${reclicks} repeated clicks) | ${(approvalsSent / 1000).toFixed(1)} s |`);
    console.log(`| NCP calls answered with success | ${ok.length} (${byKind(ok)}) |`);
    console.log(`| NCP calls answered 429 | ${limited.length} |`);
    console.log(`| rate-limit floor (successful calls ÷ ${RATE}/s) | ${floor.toFixed(1)} s |`);
    console.log(`| burst start → last key DM | ${elapsed.toFixed(1)} s |`);
    console.log(`| **ratio to the floor** | **${ratio.toFixed(2)}×** ${ratio <= 1.2 ? '✔' : '✘'} (goal ≤ 1.2×) |`);
    console.log('');
    for (const [what, pass] of checks) console.log(`${pass ? '✔' : '✘'} ${what}`);
    console.log(`\nreplica logs: ${logDir}`);
    return checks.every(([, pass]) => pass) ? 0 : 1;
  } finally {
    for (const r of replicas) r.child.kill('SIGTERM');
    await Promise.all(replicas.map((r) => Promise.race([r.exited, new Promise((res) => setTimeout(res, 15_000))])));
    for (const r of replicas) if (r.child.exitCode === null) r.child.kill('SIGKILL');
    await standIn.close();
    await ncp.close();
    await admin.query(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`).catch(() => {});
    await admin.close();
  }
}

process.exit(await main());
