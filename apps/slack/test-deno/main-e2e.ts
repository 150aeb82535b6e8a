// Runs the real entry point (src/main.ts) as a child process — on Deno from main.test.ts, on Node from vitest —
// against a Slack stand-in and NCP emulator started here, and drives create → approve → DM through it, then
// the product flow (suggestions, subscribe, a key the data plane accepts or refuses as the DM says) and a key rotation. Each
// check is a named step run through the caller's `step` (Deno's t.step, or the recorder below for vitest); a
// failed step's error carries the app's output, and it stops the run unless later steps do not need it.
// Node/Deno-neutral (no Deno global here): the host passes how to spawn the app.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeSignature, createNcpEmulator, sandboxCatalogue, serve } from '@apikey/ncp-emulator';
import { createSlackDriver, type SlackStandIn, startSlackStandIn } from '@apikey/slack-testkit';
import { localAppEnv } from '../scripts/local-env.ts';

export const REPO_ROOT = new URL('../../../', import.meta.url).pathname;
const SIGNING_SECRET = 'main-e2e-signing-secret-123456';
const BOT_TOKEN = 'xoxb-main-e2e-bot-token-0123456789';
const NCP_ACCESS_KEY = 'AKMAINE2E0123456789';
const NCP_SECRET_KEY = 'SKmainE2eSecret0123456789abcdefghijklmn';
const CHANNEL = 'C0APPROVE';
// Generous: a cold start on a loaded machine (module loading, the embedded database) can take most of a minute.
const READY_TIMEOUT_MS = 120_000;

/** Thrown by the harness's own step wrapper to stop the run after a failed step (already reported). */
class StepFailed extends Error {}

export type StepResult = { name: string; ok: boolean; error?: string };
/** Runs one named check; resolves true when it passed. Deno's `t.step` has this shape. */
export type Step = (name: string, fn: () => Promise<void>) => Promise<boolean>;

async function waitFor<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

/** The app as a child process, however the host runtime starts one. */
export type AppProcess = {
  /** Sends a signal; does nothing once the process has ended. */
  kill(signal: 'SIGTERM' | 'SIGKILL'): void;
  /** Settles when the process ended and its output was read: 'code N' or 'signal NAME'. */
  exited: Promise<string>;
};
export type SpawnApp = (o: { command: string; args: string[]; cwd: string; env: Record<string, string>; onOutput: (text: string) => void }) => AppProcess;

/**
 * The default, for Node hosts. Not for a Deno host: Deno's node:child_process reports a child that caught
 * SIGTERM and exited 0 as killed by SIGTERM (seen with Deno 2.9), so main.test.ts passes one on Deno.Command.
 */
const spawnWithNode: SpawnApp = (o) => {
  const child = spawn(o.command, o.args, { cwd: o.cwd, env: o.env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.setEncoding('utf8').on('data', o.onOutput);
  child.stderr.setEncoding('utf8').on('data', o.onOutput);
  const exited = new Promise<string>((resolve) => {
    // 'close', not 'exit': by then stdout and stderr are read to the end, so the output is complete.
    child.on('close', (code, signal) => resolve(code !== null ? `code ${code}` : `signal ${String(signal)}`));
  });
  return {
    kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
    exited,
  };
};

/**
 * `step` defaults to a recorder; the results list what ran (a failed step ends the run, so later steps are
 * absent). `output` is everything the app wrote to stdout and stderr.
 */
export async function runMainE2E(o: { command: string; args: string[]; label?: string; step?: Step; spawnApp?: SpawnApp }): Promise<{ results: StepResult[]; output: string }> {
  const results: StepResult[] = [];
  let output = '';
  const prefix = o.label === undefined ? '' : `${o.label}: `;
  const record: Step = async (name, fn) => {
    try {
      await fn();
      results.push({ name, ok: true });
      return true;
    } catch (err) {
      results.push({ name, ok: false, error: err instanceof Error ? err.message : String(err) });
      return false;
    }
  };
  const runStep = o.step ?? record;
  // A failed step stops the run unless the steps after it do not depend on it (`continueAfterFailure`).
  const step = async (name: string, fn: () => Promise<void>, continueAfterFailure = false): Promise<void> => {
    const ok = await runStep(`${prefix}${name}`, async () => {
      try {
        await fn();
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        throw new Error(`${message}\n--- app output ---\n${output}--- end of app output ---`, { cause: err });
      }
    });
    if (!ok && !continueAfterFailure) throw new StepFailed();
  };

  const dataDir = await mkdtemp(join(tmpdir(), 'apikey-slack-main-'));
  const standIn: SlackStandIn = await startSlackStandIn({ signingSecret: SIGNING_SECRET, botToken: BOT_TOKEN, channels: [CHANNEL] });
  const emulator = createNcpEmulator({ credentials: [{ accessKey: NCP_ACCESS_KEY, secretKey: NCP_SECRET_KEY }], products: sandboxCatalogue() });
  const ncp = await serve({ emulator, port: 0, hostname: '127.0.0.1' });
  let app: AppProcess | undefined;
  try {
    app = (o.spawnApp ?? spawnWithNode)({
      command: o.command,
      args: o.args,
      cwd: REPO_ROOT,
      env: localAppEnv({
        slack: { url: standIn.url, botToken: BOT_TOKEN }, signingSecret: SIGNING_SECRET, ncpUrl: ncp.url, approverChannel: CHANNEL, approvers: 'U0APP1',
        extra: { APIKEY_DATA_DIR: dataDir, NCLOUD_ACCESS_KEY: NCP_ACCESS_KEY, NCLOUD_SECRET_KEY: NCP_SECRET_KEY },
      }),
      onOutput: (text) => {
        output += text;
      },
    });
    const running = app;
    let exit: string | undefined;
    void running.exited.then((how) => {
      exit = how;
    });

    let port = 0;
    await step('starts and answers GET /healthz, /readyz and /metrics', async () => {
      const m = await waitFor(`the ready line ("listening on port N")`, () => {
        const ready = /listening on port (\d+)/.exec(output);
        if (ready !== null) return ready;
        if (exit !== undefined) throw new Error(`the app exited (${exit}) before it was ready`);
        return undefined;
      }, READY_TIMEOUT_MS);
      port = Number(m[1]);
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      await res.body?.cancel();
      assert(res.status === 200, `healthz answered ${res.status}`);
      const ready = await waitFor('readyz 200', async () => ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200 ? true : undefined), 10_000);
      assert(ready, 'readyz never answered 200');
      const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
      assert(metrics.status === 200 && (await metrics.text()).includes('apikey_requests{state="pending"} 0'), 'metrics not served');
    });

    const driver = createSlackDriver({ appUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: SIGNING_SECRET, standIn });
    const keyValues: string[] = [];
    let firstKeyId = '';
    await step("create → approve → DM carries the emulator's keys", async () => {
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
      const key = emulator.inspect.keys().find((k) => k.apiKeyName === 'deno-key');
      assert(key !== undefined, 'no key in the emulator');
      keyValues.push(key.primaryKey, key.secondaryKey);
      firstKeyId = key.apiKeyId;
      assert(JSON.stringify(dm.blocks).includes(key.primaryKey) && JSON.stringify(dm.blocks).includes(key.secondaryKey), 'DM lacks the keys');
      assert(!dm.text?.includes(key.primaryKey) && !dm.text?.includes(key.secondaryKey), 'a key value in the notification text');
    });

    await step('product flow — suggestions, then PUBLIC works (data plane 200) and PROTECTED waits (401 "210")', async () => {
      for (const [user, product, name] of [['U0REQ2', 'weatherpub', 'deno-pub'], ['U0REQ3', 'paymentprt', 'deno-prot']] as const) {
        await driver.slashCommand({ userId: user, text: `create ${name}` });
        const view = await waitFor('modal', () => standIn.views(user).find((v) => v.callback_id === 'apikey_create'));
        const typed = await driver.blockSuggestion({ userId: user, view, blockId: 'product', value: product.slice(0, 3) });
        assert(typed.problems.length === 0, `suggestions refused: ${typed.problems.join('; ')}`);
        assert(typed.options.some((x) => x['value'] === product), `no ${product} among the suggestions`);
        const sub = await driver.viewSubmission({ userId: user, view, values: { justification: 'smoke test', product } });
        assert(sub.status === 200 && sub.text === '', `submission answered ${sub.status} ${sub.text}`);
        const card = await waitFor('approval message', () => standIn.messages(CHANNEL).find((m) => m.text?.includes(name) && JSON.stringify(m.blocks).includes('"action_id":"approve"')));
        assert(JSON.stringify(card.blocks).includes(`(\`${product}\`)`), 'approval message does not name the product');
        const before = new Set(standIn.views('U0APP1').map((v) => v.id));
        await driver.blockAction({ userId: 'U0APP1', actionId: 'approve', message: card });
        const modal = await waitFor('approve modal', () => standIn.views('U0APP1').find((v) => !before.has(v.id) && v.callback_id === 'apikey_approve'));
        await driver.viewSubmission({ userId: 'U0APP1', view: modal });
        const dm = await waitFor('key DM', () => standIn.dms(user).find((m) => m.text?.includes('was approved')));
        const key = emulator.inspect.keys().find((k) => k.apiKeyName === name);
        assert(key !== undefined, 'no key in the emulator');
        const url = /• `(http[^`]+)`/.exec(JSON.stringify(dm.blocks))?.[1];
        assert(url !== undefined, 'no stage URL in the DM');
        const call = await fetch(url, { headers: { 'x-ncp-apigw-api-key': key.primaryKey } });
        if (product === 'weatherpub') {
          assert(dm.text?.includes('It works now.'), `DM text: ${dm.text}`);
          assert(call.status === 200, `data plane answered ${call.status}`);
        } else {
          assert(dm.text?.includes('waits for the product owner'), `DM text: ${dm.text}`);
          const body = (await call.json()) as { error?: { errorCode?: string } };
          assert(call.status === 401 && body.error?.errorCode === '210', `data plane answered ${call.status}`);
        }
        keyValues.push(key.primaryKey, key.secondaryKey);
      }
    });

    await step('rotation — /apikey rotate delivers a new secondary, the confirm button a new primary; each is what NCP now holds', async () => {
      const owner = 'U0REQ1';
      const replies = standIn.ephemerals(owner).length;
      await driver.slashCommand({ userId: owner, text: `rotate ${firstKeyId}` });
      const reply = await waitFor('rotate reply', () => standIn.ephemerals(owner)[replies]);
      assert(reply.text?.includes('Rotation started'), `rotate answered: ${reply.text}`);
      const valueIn = (m: { blocks?: unknown }, part: string) => new RegExp(`New ${part} key\\*\\\\n\`([A-Za-z0-9]+)\``).exec(JSON.stringify(m.blocks))?.[1];
      const current = () => emulator.inspect.keys().find((k) => k.apiKeyId === firstKeyId);
      const dm = await waitFor('new secondary DM', () => standIn.dms(owner).find((m) => m.text?.includes('The secondary key of your API key')));
      const secondary = valueIn(dm, 'secondary');
      assert(secondary !== undefined && secondary === current()?.secondaryKey, 'the DM does not hold the secondary NCP now has');
      assert(!keyValues.includes(secondary), 'the secondary was not regenerated');
      assert(!dm.text?.includes(secondary), 'a key value in the notification text');
      keyValues.push(secondary);
      await driver.blockAction({ userId: owner, actionId: 'rotate_primary', message: dm });
      const dm2 = await waitFor('new primary DM', () => standIn.dms(owner).find((m) => m.text?.includes('The primary key of your API key')));
      const primary = valueIn(dm2, 'primary');
      assert(primary !== undefined && primary === current()?.primaryKey, 'the DM does not hold the primary NCP now has');
      assert(!keyValues.includes(primary), 'the primary was not regenerated');
      keyValues.push(primary);
      const patches = emulator.inspect.requests().filter((r) => r.method === 'PATCH' && r.target === `/api/v1/api-keys/${firstKeyId}`);
      assert(patches.length === 2, `${patches.length} regenerations instead of 2`);
    });

    await step('SIGTERM shuts down cleanly', async () => {
      running.kill('SIGTERM');
      const started = Date.now();
      const how = await Promise.race([running.exited, new Promise<string>((r) => setTimeout(() => r('no exit within 15 s'), 15_000))]);
      assert(how === 'code 0', `after SIGTERM: ${how} (${Date.now() - started} ms)`);
    }, true);
    // Whether or not it stopped cleanly, the output is complete only once the process is gone.
    running.kill('SIGKILL');
    await running.exited;

    await step('the app wrote no secret: NCP secret key and signatures, key values, signing secret, bot token', async () => {
      // Every NCP signature the app sent, recomputed from what the emulator saw (each request was signed).
      const signatures = emulator.inspect.requests().flatMap((r) => (r.timestamp === null ? [] : [computeSignature(NCP_SECRET_KEY, r.method, r.target, r.timestamp, NCP_ACCESS_KEY)]));
      assert(signatures.length > 0, 'the emulator saw no signed request');
      const secrets: [string, string][] = [
        ['the NCP secret key', NCP_SECRET_KEY],
        ...signatures.map((s): [string, string] => ['an NCP request signature', s]),
        ...keyValues.map((v): [string, string] => ['an API key value', v]),
        ['the Slack signing secret', SIGNING_SECRET],
        ['the Slack bot token', BOT_TOKEN],
      ];
      const leaked = secrets.filter(([, value]) => output.includes(value)).map(([what]) => what);
      assert(leaked.length === 0, `in the app output: ${[...new Set(leaked)].join(', ')}`);
      // Shapes of signatures no list above can hold (Slack's v0 request signatures are made by the driver).
      assert(!/[A-Za-z0-9+/]{43}=/.test(output), 'a base64 HMAC-SHA256 (signature-shaped string) in the app output');
      assert(!/v0=[0-9a-f]{64}/.test(output), 'a Slack request signature in the app output');
    });
  } catch (err) {
    // A failed step is already reported by `step`; anything else is a fault of this harness.
    if (!(err instanceof StepFailed)) throw err;
  } finally {
    if (app !== undefined) {
      app.kill('SIGKILL');
      await app.exited;
    }
    await standIn.close();
    await ncp.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  return { results, output };
}
