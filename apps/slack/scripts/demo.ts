// `pnpm demo` (add `--deno` to run the app on Deno): the whole Slack flow on this machine with no Slack or NCP
// account. This process starts the Slack stand-in (@apikey/slack-testkit) and the NCP emulator
// (@apikey/ncp-emulator) on 127.0.0.1, starts the real app (src/main.ts) as a child process pointed at them,
// and plays two people over real, signed HTTP: Alice asks for a key, Bob approves it and Alice gets it by DM;
// Alice asks for another, Bob denies it. It prints the conversation as the two would see it in Slack, checks
// that the keys Alice got are the ones NCP holds, and exits 0 (1 when any step fails). Keys are shown masked.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@apikey/ncp-emulator';
import { createSlackDriver, startSlackStandIn, type RecordedCall, type StoredView } from '@apikey/slack-testkit';
import { localAppEnv } from './local-env.ts';
import { indent, maskSecrets, mrkdwnToText, renderBlocks, renderInputs, type Directory } from './render-slack.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SIGNING_SECRET = `demo-${Math.random().toString(36).slice(2)}-signing-secret`;
const ALICE = 'U0ALICE';
const BOB = 'U0BOB';
const APPROVALS = 'C0APPROVALS';
const DEV = 'C0DEV';
const dir: Directory = {
  users: { [ALICE]: 'Alice Kim', [BOB]: 'Bob Lee' },
  channels: { [APPROVALS]: 'api-key-approvals', [DEV]: 'dev' },
};
const runtime = process.argv.includes('--deno') ? 'deno' : 'node';
const STEP_TIMEOUT_MS = Number(process.env.DEMO_STEP_TIMEOUT_MS ?? 60_000);

const say = (line = '') => process.stdout.write(`${line}\n`);
const name = (id: string) => dir.users[id] ?? id;

async function waitFor<T>(what: string, probe: () => T | undefined | false): Promise<T> {
  const deadline = Date.now() + STEP_TIMEOUT_MS;
  for (;;) {
    const v = probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${STEP_TIMEOUT_MS} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function main(): Promise<number> {
  const logDir = await mkdtemp(join(tmpdir(), 'apikey-demo-'));
  const logFile = join(logDir, 'app.log');
  const standIn = await startSlackStandIn({
    signingSecret: SIGNING_SECRET,
    users: [{ id: ALICE, name: 'alice', real_name: 'Alice Kim' }, { id: BOB, name: 'bob', real_name: 'Bob Lee' }],
    channels: [APPROVALS, DEV],
  });
  const ncp = await serve({ port: 0, hostname: '127.0.0.1' });
  const secrets = () => ncp.emulator.inspect.keys().flatMap((k) => [k.primaryKey, k.secondaryKey]);
  const show = (text: string) => say(maskSecrets(text, secrets()));

  const command = runtime === 'deno' ? denoBinary() : process.execPath;
  const args = runtime === 'deno' ? ['run', '-A', '--no-prompt', 'apps/slack/src/main.ts'] : ['--import', 'tsx', 'apps/slack/src/main.ts'];
  const app = spawn(command, args, {
    cwd: ROOT,
    env: localAppEnv({
      slack: standIn, signingSecret: SIGNING_SECRET, ncpUrl: ncp.url, approverChannel: APPROVALS, approvers: BOB,
      extra: { APIKEY_DATA_DIR: 'memory://' },
    }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(logFile);
  let appOutput = '';
  for (const s of [app.stdout, app.stderr]) s?.on('data', (d: Buffer) => { appOutput += d.toString(); log.write(d); });
  const exited = new Promise<number | null>((resolve) => app.on('exit', (code) => resolve(code)));

  // Everything the app does in Slack, in order; each step prints what appeared since the previous one.
  const calls: RecordedCall[] = [];
  standIn.onCall((c) => { if (c.response.body['ok'] === true) calls.push(c); });
  let printed = 0;
  const shown = new Map<string, string>(); // message ts → what it last showed, to skip refreshes that change nothing
  const flush = () => {
    for (; printed < calls.length; printed++) printCall(calls[printed]!, show, shown, standIn.views.bind(standIn));
  };

  let failed = false;
  try {
    const port = Number((await waitFor('the app to start', () => {
      if (app.exitCode !== null) throw new Error(`the app exited with ${app.exitCode}`);
      return /listening on port (\d+)/.exec(appOutput) ?? undefined;
    }))[1]);
    say(`apikey demo: the Slack app (${runtime}, pid ${app.pid}) against a local Slack stand-in and the NCP emulator.`);
    say(`  Slack stand-in  ${standIn.url}     NCP emulator  ${ncp.url}`);
    say(`  app             http://127.0.0.1:${port}/slack/events  (readiness: /readyz, metrics: /metrics, JSON log: ${logFile})`);
    say(`  people          ${name(ALICE)} asks for keys; ${name(BOB)} approves in #${dir.channels[APPROVALS]}. Keys are masked here.`);
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    if (ready.status !== 200) throw new Error(`the app is not ready: ${await ready.text()}`);
    const driver = createSlackDriver({ appUrl: `http://127.0.0.1:${port}/slack/events`, signingSecret: SIGNING_SECRET, standIn });

    const fillModal = async (user: string, callbackId: string, values: Record<string, string>, o: { view?: StoredView } = {}) => {
      const view = o.view ?? (await waitFor(`the ${callbackId} modal`, () => standIn.views(user).findLast((v) => v.callback_id === callbackId)));
      flush();
      show(`  ${name(user)} fills in the form:`);
      show(indent(renderInputs(view.blocks, dir, values), '    ✎ '));
      show(`  ${name(user)} presses [${String((view['submit'] as { text?: string } | undefined)?.text ?? 'Submit')}]`);
      const sub = await driver.viewSubmission({ userId: user, view, values });
      if (sub.status !== 200 || sub.text !== '') throw new Error(`the ${callbackId} modal was refused: ${sub.status} ${sub.text}`);
    };

    const request = async (keyName: string, description: string, justification: string) => {
      show(`\n[#${dir.channels[DEV]}] ${name(ALICE)}: /apikey create ${keyName}`);
      const seen = standIn.views(ALICE).length;
      const cmd = await driver.slashCommand({ userId: ALICE, text: `create ${keyName}`, channelId: DEV });
      if (cmd.status !== 200) throw new Error(`/apikey answered HTTP ${cmd.status}`);
      const view = await waitFor('the request modal', () => standIn.views(ALICE).slice(seen).find((v) => v.callback_id === 'apikey_create'));
      await fillModal(ALICE, 'apikey_create', { description, justification }, { view });
      return waitFor('the approval message', () => standIn.messages(APPROVALS).find((m) => m.text?.includes(`"${keyName}"`)));
    };

    const decide = async (card: { channel: string; ts: string; text?: string }, decision: 'approve' | 'deny', values: Record<string, string>) => {
      const keyName = /"([^"]+)"/.exec(card.text ?? '')?.[1] ?? '';
      await waitFor('the pending DM', () => calls.some((c) => c.method === 'chat.postMessage' && c.args['channel'] === ALICE && String(c.args['text']).includes(`"${keyName}" is waiting`)));
      flush();
      show(`\n[#${dir.channels[APPROVALS]}] ${name(BOB)} presses [${decision === 'approve' ? 'Approve' : 'Deny'}]`);
      const seen = standIn.views(BOB).length;
      await driver.blockAction({ userId: BOB, actionId: decision, message: card });
      const callbackId = decision === 'approve' ? 'apikey_approve' : 'apikey_deny';
      const view = await waitFor(`the ${callbackId} modal`, () => standIn.views(BOB).slice(seen).find((v) => v.callback_id === callbackId));
      await fillModal(BOB, callbackId, values, { view });
    };

    say('\n━━ 1. Alice asks for a key; Bob approves; the key arrives by DM ━━');
    const first = await request('billing-export', 'Nightly export to the billing warehouse', 'Finance needs the nightly export job (FIN-231)');
    await decide(first, 'approve', { comment: 'OK for the export job only' });
    await waitFor('the key DM', () => standIn.dms(ALICE).find((m) => m.text?.includes('"billing-export" was approved')));
    await waitFor('the approval message to show the delivery', () => calls.some((c) => c.method === 'chat.update' && c.args['ts'] === first.ts && /delivered|Delivered/.test(JSON.stringify(c.args['blocks']))) || undefined);
    flush();

    say('\n━━ 2. Alice asks for another; Bob denies it with a reason ━━');
    const second = await request('scratch-test', 'Trying things out', 'I want to try the API from my laptop');
    await decide(second, 'deny', { reason: 'Please use the sandbox (pnpm sandbox) for experiments' });
    await waitFor('the denial DM', () => standIn.dms(ALICE).find((m) => m.text?.includes('"scratch-test" was denied')));
    await waitFor('the approval message to show the denial', () => calls.some((c) => c.method === 'chat.update' && c.args['ts'] === second.ts) || undefined);
    flush();

    // The demo checks itself: what Alice got is what NCP holds, once, and the denial created nothing.
    const keys = ncp.emulator.inspect.keys();
    const exported = keys.filter((k) => k.apiKeyName === 'billing-export');
    const dm = standIn.dms(ALICE).find((m) => m.text?.includes('"billing-export" was approved'));
    const dmBlocks = JSON.stringify(dm?.blocks ?? []);
    const checks: [string, boolean][] = [
      ['NCP holds exactly one key named billing-export', exported.length === 1],
      ["Alice's DM carries that key's primary and secondary key", exported.length === 1 && dmBlocks.includes(exported[0]!.primaryKey) && dmBlocks.includes(exported[0]!.secondaryKey)],
      ["the DM's notification text has no key", exported.length === 1 && !(dm?.text ?? '').includes(exported[0]!.primaryKey)],
      ['the denied request created no key', !keys.some((k) => k.apiKeyName === 'scratch-test')],
      ['the approvers channel never saw a key', !JSON.stringify(standIn.messages(APPROVALS)).includes(exported[0]?.primaryKey ?? '\u0000')],
      ["the app's log has no key or token", !secrets().some((s) => appOutput.includes(s)) && !appOutput.includes(standIn.botToken) && !appOutput.includes(SIGNING_SECRET)],
    ];
    say('\n━━ Checks ━━');
    for (const [what, ok] of checks) say(`  ${ok ? '✔' : '✘'} ${what}`);
    failed = checks.some(([, ok]) => !ok);
  } catch (err) {
    flush();
    failed = true;
    say(`\n✘ demo failed: ${err instanceof Error ? err.message : String(err)}`);
    say(`  last lines of the app's log (${logFile}):`);
    say(indent(maskSecrets(appOutput, secrets()).trim().split('\n').slice(-15), '    '));
  } finally {
    if (app.exitCode === null) app.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 15_000))]);
    if (code === 'timeout') app.kill('SIGKILL');
    else if (code !== 0 && !failed) {
      failed = true;
      say(`✘ the app exited with ${String(code)} on SIGTERM`);
    }
    log.end();
    await standIn.close();
    await ncp.close();
  }
  say(failed ? '\ndemo: FAILED' : `\ndemo: done — 2 requests, 1 key created and delivered, 1 denied; the app stopped cleanly on SIGTERM.`);
  return failed ? 1 : 0;
}

/** One Slack Web API call by the app, as the people in the workspace see its effect. */
function printCall(c: RecordedCall, show: (text: string) => void, shown: Map<string, string>, views: (user: string) => StoredView[]): void {
  const a = c.args;
  const where = (channel: string) => (channel.startsWith('U') ? `DM ${name(channel)} ← apikey` : `#${dir.channels[channel] ?? channel}`);
  const blocks = Array.isArray(a['blocks']) ? a['blocks'] : [];
  const body = () => indent(blocks.length > 0 ? renderBlocks(blocks, dir) : [mrkdwnToText(String(a['text'] ?? ''), dir)]);
  switch (c.method) {
    case 'chat.postMessage':
      show(`\n[${where(String(a['channel']))}]${a['thread_ts'] !== undefined ? ' (in thread)' : ''} apikey:`);
      show(body());
      shown.set(String(c.response.body['ts']), body());
      break;
    case 'chat.update': {
      const channel = String(a['channel']);
      if (shown.get(String(a['ts'])) === body()) break;
      shown.set(String(a['ts']), body());
      show(`\n[${channel.startsWith('D') ? `DM ← apikey` : `#${dir.channels[channel] ?? channel}`}] apikey's message is updated in place:`);
      show(body());
      break;
    }
    case 'chat.postEphemeral':
      show(`\n[#${dir.channels[String(a['channel'])] ?? String(a['channel'])}] only ${name(String(a['user']))} sees, from apikey:`);
      show(body());
      break;
    case 'views.open':
    case 'views.push':
    case 'views.update': {
      const view = (typeof a['view'] === 'object' && a['view'] !== null ? a['view'] : {}) as { title?: { text?: string }; blocks?: unknown[] };
      const id = (c.response.body['view'] as { id?: string } | undefined)?.id;
      const user = Object.keys(dir.users).find((u) => views(u).some((v) => v.id === id));
      show(`\n[modal${user !== undefined ? ` for ${name(user)}` : ''}] «${view.title?.text ?? ''}»${c.method === 'views.update' ? ' (updated)' : ''}`);
      show(indent(renderBlocks(view.blocks ?? [], dir)));
      break;
    }
    default:
      break; // auth.test, usergroups.users.list, views.publish (Home tab): nothing a person sees in the flow
  }
}

function denoBinary(): string {
  const candidates = ['node_modules/deno/deno', 'node_modules/.bin/deno'].map((p) => join(ROOT, p));
  return candidates.find((p) => existsSync(p)) ?? 'deno';
}

process.exit(await main());
