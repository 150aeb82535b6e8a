// The real entry point as a child process: SIGTERM while a key creation is in flight turns /readyz to 503,
// lets the creation finish, exits 0 within the bound, and the next start delivers the key exactly once; a key
// step that outlasts APIKEY_SHUTDOWN_TIMEOUT is left leased in the store and the process still exits in time.
// --check-config validates without starting.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve } from '@apikey/ncp-emulator';
import { createSlackDriver, startSlackStandIn, type SlackStandIn } from '@apikey/slack-testkit';
import { localAppEnv } from '../scripts/local-env.ts';
import { openRequestStore } from '../src/store/open-store.ts';
import { REPO_ROOT } from '../test-deno/main-e2e.ts';
import { waitFor } from './helpers/harness.ts';

const SECRET = 'shutdown-test-signing-secret-0123';
const CHANNEL = 'C0APPROVE';
const MAIN = ['--import', 'tsx', 'apps/slack/src/main.ts'];

let standIn: SlackStandIn;
let ncp: Awaited<ReturnType<typeof serve>>;
let dataDir: string;

beforeAll(async () => {
  standIn = await startSlackStandIn({ signingSecret: SECRET, channels: [CHANNEL] });
  ncp = await serve({ port: 0, hostname: '127.0.0.1' });
  dataDir = await mkdtemp(join(tmpdir(), 'apikey-shutdown-'));
});

afterAll(async () => {
  await standIn?.close();
  await ncp?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

function env(extra: Record<string, string> = {}): Record<string, string> {
  return localAppEnv({
    slack: standIn, signingSecret: SECRET, ncpUrl: ncp.url, approverChannel: CHANNEL, approvers: 'U0APP1',
    extra: { APIKEY_DATA_DIR: dataDir, ...extra },
  });
}

type Running = { child: ChildProcess; port: number; output: () => string; exited: Promise<{ code: number | null; at: number }> };

async function start(extra: Record<string, string> = {}): Promise<Running> {
  const child = spawn(process.execPath, MAIN, { cwd: REPO_ROOT, env: env(extra), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
  const exited = new Promise<{ code: number | null; at: number }>((resolve) => child.on('exit', (code) => resolve({ code, at: Date.now() })));
  const m = await waitFor('ready line', () => /listening on port (\d+)/.exec(output) ?? (child.exitCode !== null ? (() => { throw new Error(output); })() : undefined), 90_000);
  return { child, port: Number(m[1]), output: () => output, exited };
}

async function approve(port: number, name: string): Promise<void> {
  const driver = createSlackDriver({ appUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: SECRET, standIn });
  const seen = new Set(standIn.views('U0REQ1').map((v) => v.id));
  await driver.slashCommand({ userId: 'U0REQ1', text: `create ${name}` });
  await waitFor('modal', () => standIn.views('U0REQ1').find((v) => !seen.has(v.id) && v.callback_id === 'apikey_create'));
  const sub = await driver.viewSubmission({ userId: 'U0REQ1', callbackId: 'apikey_create', values: { justification: 'shutdown test' } });
  expect(sub.text).toBe('');
  const card = await waitFor('approval message', () => standIn.messages(CHANNEL).find((m) => m.text?.includes(`"${name}"`) && JSON.stringify(m.blocks).includes('"action_id":"approve"')));
  const before = new Set(standIn.views('U0APP1').map((v) => v.id));
  await driver.blockAction({ userId: 'U0APP1', actionId: 'approve', message: card });
  const modal = await waitFor('approve modal', () => standIn.views('U0APP1').find((v) => !before.has(v.id) && v.callback_id === 'apikey_approve'));
  const decided = await driver.viewSubmission({ userId: 'U0APP1', view: modal });
  expect(decided.text).toBe('');
}

function expectCleanJsonLogs(output: string): void {
  for (const line of output.split('\n').filter((l) => l.trim() !== '')) expect(() => JSON.parse(line), line).not.toThrow();
  const secrets = [standIn.botToken, SECRET, 'SANDBOX_SECRET_KEY', ...ncp.emulator.inspect.keys().flatMap((k) => [k.primaryKey, k.secondaryKey])];
  expect(secrets.filter((s) => output.includes(s))).toEqual([]);
}

describe('SIGTERM drain (real child process)', () => {
  it('finishes the in-flight key creation, reports not ready meanwhile, exits 0, and the next start delivers the key once', async () => {
    ncp.emulator.setFaults({ latency: { fixedMs: 4_000 }, only: { method: 'POST', path: '/api-keys' } });
    const first = await start({ APIKEY_SHUTDOWN_TIMEOUT: '30s' });
    await approve(first.port, 'drain-key');
    await waitFor('create in flight', () => ncp.emulator.inspect.requests().find((r) => r.method === 'POST' && r.status === null), 20_000);
    const sent = Date.now();
    first.child.kill('SIGTERM');
    // The signal lands asynchronously; until it does /readyz may still say 200. The creation takes 4 s more,
    // so the drain is long enough to be seen.
    const ready = await waitFor('readyz 503', async () => {
      const res = await fetch(`http://127.0.0.1:${first.port}/readyz`);
      return res.status === 503 ? res : undefined;
    }, 5_000);
    expect(await ready.json()).toMatchObject({ ready: false, checks: { accepting: { ok: false, detail: 'shutting down' } } });
    const { code, at } = await first.exited;
    expect(code).toBe(0);
    expect(at - sent).toBeLessThan(30_000);
    expect(ncp.emulator.inspect.keys().filter((k) => k.apiKeyName === 'drain-key')).toHaveLength(1);
    expect(first.output()).toMatch(/stopped cleanly/);
    expectCleanJsonLogs(first.output());

    ncp.emulator.setFaults(undefined);
    const second = await start();
    const dm = await waitFor('key DM after restart', () => standIn.dms('U0REQ1').find((m) => m.text?.includes('"drain-key" was approved')), 30_000);
    const key = ncp.emulator.inspect.keys().filter((k) => k.apiKeyName === 'drain-key');
    expect(key).toHaveLength(1);
    expect(JSON.stringify(dm.blocks)).toContain(key[0]!.primaryKey);
    second.child.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);
    expectCleanJsonLogs(second.output());
  }, 180_000);

  it('a key step still running when the shutdown budget is spent is left leased in the store, and the process still exits 0 within the bound', async () => {
    ncp.emulator.setFaults({ latency: { fixedMs: 20_000 }, only: { method: 'POST', path: '/api-keys' } });
    const run = await start({ APIKEY_SHUTDOWN_TIMEOUT: '3s' });
    await approve(run.port, 'slow-key');
    await waitFor('create in flight', () => ncp.emulator.inspect.requests().find((r) => r.method === 'POST' && r.status === null), 20_000);
    const sent = Date.now();
    run.child.kill('SIGTERM');
    const { code, at } = await run.exited;
    expect(code).toBe(0);
    expect(at - sent).toBeLessThan(10_000);
    expect(run.output()).toMatch(/stopped cleanly/);
    expectCleanJsonLogs(run.output());
    ncp.emulator.setFaults(undefined);
    // The create step was not finished and not given back: its lease keeps another runner off until the NCP
    // call it started can no longer commit; then the next runner resumes it (core's create is idempotent).
    const store = await openRequestStore({ dataDir });
    try {
      const [request] = (await store.listByState(['approved'], 10)).filter((r) => r.apiKeyName === 'slow-key');
      expect(request).toBeDefined();
      const steps = await store.listOutbox(request!.id);
      const create = steps.find((s) => s.kind === 'create_key');
      expect(create?.doneAt).toBeUndefined();
      expect(create?.lockedUntil ?? 0).toBeGreaterThan(Date.now());
    } finally {
      await store.close();
    }
  }, 180_000);
});

describe('--check-config', () => {
  const check = (e: Record<string, string>) => spawnSync(process.execPath, [...MAIN, '--check-config'], { cwd: REPO_ROOT, env: e, encoding: 'utf8', timeout: 60_000 });

  it('exits 0 with a summary and contacts nothing when the environment is usable', () => {
    const res = check(env({ SLACK_API_URL: 'http://127.0.0.1:9/api/', NCLOUD_APIGW_ENDPOINT: 'http://127.0.0.1:9/api/v1' }));
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('configuration OK');
    expect(res.stdout).toContain(`embedded in ${dataDir}`);
    expect(res.stdout + res.stderr).not.toContain(standIn.botToken);
  });

  it('exits 1 listing every problem, Slack and NCP together, without echoing secrets', () => {
    const res = check({ PATH: process.env.PATH ?? '', SLACK_BOT_TOKEN: 'xoxp-wrong-kind-topsecret', APIKEY_APPROVERS: 'U0APP1', NCLOUD_SECRET_KEY: 'ncp-topsecret-value' });
    expect(res.status).toBe(1);
    for (const v of ['SLACK_BOT_TOKEN must be', 'SLACK_SIGNING_SECRET is required', 'APIKEY_APPROVER_CHANNEL is required', 'NCLOUD_ACCESS_KEY is required']) {
      expect(res.stderr).toContain(v);
    }
    expect(res.stderr).not.toContain('NCLOUD_SECRET_KEY');
    expect(res.stderr).not.toContain('topsecret');
  });

  it('checks the APIKEY_POLICY file too: a good one is summarised, a bad one exits 1 naming each problem by its place', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'apikey-check-policy-'));
    try {
      const good = join(dir, 'good.json');
      await writeFile(good, JSON.stringify({ defaults: { requireProduct: true }, products: { paymentprt: { quorum: 2, approvers: ['U0A', 'U0B'] } } }));
      const ok = check(env({ SLACK_API_URL: 'http://127.0.0.1:9/api/', APIKEY_POLICY: good }));
      expect(ok.status).toBe(0);
      expect(ok.stdout).toContain('policy: 1 product rule(s), every request must name a product');

      const bad = join(dir, 'bad.json');
      await writeFile(bad, JSON.stringify({ products: { paymentprt: { quorum: 0 }, weatherpub: { quorum: 3, approvers: ['U0A'] } } }));
      const res = check(env({ APIKEY_POLICY: bad, NCLOUD_SITE: 'mars' }));
      expect(res.status).toBe(1);
      expect(res.stderr).toContain('APIKEY_POLICY products.paymentprt.quorum');
      expect(res.stderr).toContain('APIKEY_POLICY products.weatherpub.quorum');
      expect(res.stderr).toContain('NCLOUD_SITE must be');
      expect(check(env({ APIKEY_POLICY: join(dir, 'missing.json') })).stderr).toContain('APIKEY_POLICY cannot read');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
