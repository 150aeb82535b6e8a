// Runs the real entry point (src/main.ts) as a child process — on Deno for test:deno, on Node from vitest —
// against a Slack stand-in and NCP emulator started here, and drives create → approve → DM through it.
// Each check is a named step so the runner can print "N passed, N failed".
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@apikey/ncp-emulator';
import { createSlackDriver, startSlackStandIn, type SlackStandIn } from '@apikey/slack-testkit';
import { localAppEnv } from '../scripts/local-env.ts';

export const REPO_ROOT = new URL('../../../', import.meta.url).pathname;
const SIGNING_SECRET = 'main-e2e-signing-secret-123456';
const CHANNEL = 'C0APPROVE';

export type StepResult = { name: string; ok: boolean; error?: string };

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

export async function runMainE2E(o: { command: string; args: string[]; label: string }): Promise<{ results: StepResult[]; output: string }> {
  const results: StepResult[] = [];
  const step = async (name: string, fn: () => Promise<void>) => {
    try {
      await fn();
      results.push({ name, ok: true });
    } catch (err) {
      results.push({ name, ok: false, error: err instanceof Error ? err.message : String(err) });
      throw err;
    }
  };

  const dataDir = await mkdtemp(join(tmpdir(), 'apikey-slack-main-'));
  const standIn: SlackStandIn = await startSlackStandIn({ signingSecret: SIGNING_SECRET, channels: [CHANNEL] });
  const ncp = await serve({ port: 0, hostname: '127.0.0.1' });
  let child: ChildProcess | undefined;
  let output = '';
  try {
    child = spawn(o.command, o.args, {
      cwd: REPO_ROOT,
      env: localAppEnv({
        slack: standIn, signingSecret: SIGNING_SECRET, ncpUrl: ncp.url, approverChannel: CHANNEL, approvers: 'U0APP1',
        extra: { APIKEY_DATA_DIR: dataDir },
      }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
    child.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));

    let port = 0;
    await step(`${o.label}: starts and answers GET /healthz, /readyz and /metrics`, async () => {
      const m = await waitFor('ready line', () => /listening on port (\d+)/.exec(output) ?? undefined, 60_000);
      port = Number(m[1]);
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      assert(res.status === 200, `healthz answered ${res.status}`);
      const ready = await waitFor('readyz 200', async () => ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200 ? true : undefined), 10_000);
      assert(ready, 'readyz never answered 200');
      const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
      assert(metrics.status === 200 && (await metrics.text()).includes('apikey_requests{state="pending"} 0'), 'metrics not served');
    });

    const driver = createSlackDriver({ appUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: SIGNING_SECRET, standIn });
    await step(`${o.label}: create → approve → DM carries the emulator's keys`, async () => {
      await driver.slashCommand({ userId: 'U0REQ1', text: 'create deno-key' });
      await waitFor('modal', () => standIn.views('U0REQ1').find((v) => v.callback_id === 'apikey_create'));
      const sub = await driver.viewSubmission({ userId: 'U0REQ1', callbackId: 'apikey_create', values: { justification: 'smoke test' } });
      assert(sub.status === 200 && sub.text === '', `submission answered ${sub.status} ${sub.text}`);
      const card = await waitFor('approval message', () => standIn.messages(CHANNEL).find((m) => JSON.stringify(m.blocks).includes('"action_id":"approve"')));
      await driver.blockAction({ userId: 'U0APP1', actionId: 'approve', message: card });
      const modal = await waitFor('approve modal', () => standIn.views('U0APP1').find((v) => v.callback_id === 'apikey_approve'));
      const decided = await driver.viewSubmission({ userId: 'U0APP1', view: modal });
      assert(decided.text === '', `approval answered ${decided.text}`);
      const dm = await waitFor('key DM', () => standIn.dms('U0REQ1').find((m) => m.text?.includes('was approved')));
      const key = ncp.emulator.inspect.keys().find((k) => k.apiKeyName === 'deno-key');
      assert(key !== undefined, 'no key in the emulator');
      assert(JSON.stringify(dm.blocks).includes(key.primaryKey) && JSON.stringify(dm.blocks).includes(key.secondaryKey), 'DM lacks the keys');
      assert(!dm.text?.includes(key.primaryKey), 'key in the notification text');
      assert(!output.includes(key.primaryKey) && !output.includes(standIn.botToken), 'secret in the app output');
    });

    await step(`${o.label}: SIGTERM shuts down cleanly`, async () => {
      child!.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15_000))]);
      assert(code === 0, `exit code ${String(code)}`);
    });
  } catch {
    // The failing step is already recorded; fall through to clean-up.
  } finally {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await standIn.close();
    await ncp.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  return { results, output };
}
