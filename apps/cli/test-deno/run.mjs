// Deno end-to-end for the CLI (`pnpm --filter @apikey/cli test:deno`): runs apps/cli/src/main.ts from source
// under Deno against the NCP emulator served by this Node process on an ephemeral 127.0.0.1 port, and checks
// results through the emulator's inspection API. Also drives `sandbox` and the wizard (tmux) on Deno.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const { createNcpEmulator, serve } = await import('@apikey/ncp-emulator');

const cliRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(cliRoot, '..', '..');
// The real binary, not node_modules/.bin/deno: that shim runs deno under a Node wrapper which does not pass
// signals on, so SIGTERM would stop the wrapper and leave deno running.
const realDeno = join(repoRoot, 'node_modules', 'deno', process.platform === 'win32' ? 'deno.exe' : 'deno');
const deno = existsSync(realDeno) ? realDeno : join(repoRoot, 'node_modules', '.bin', 'deno');
const main = join(cliRoot, 'src', 'main.ts');
const ACCESS_KEY = 'AKDENOE2E0123456789';
const SECRET_KEY = 'SKdenoE2eSecret0123456789abcdefghijklmn';

const emulator = createNcpEmulator({ credentials: [{ accessKey: ACCESS_KEY, secretKey: SECRET_KEY }] });
const server = await serve({ emulator, port: 0, hostname: '127.0.0.1' });
const baseEnv = () => ({
  PATH: process.env.PATH ?? '',
  HOME: mkdtempSync(join(tmpdir(), 'apikey-deno-home-')),
  NCLOUD_ACCESS_KEY: ACCESS_KEY,
  NCLOUD_SECRET_KEY: SECRET_KEY,
  NCLOUD_APIGW_ENDPOINT: server.url,
});

function runDeno(args, env = baseEnv()) {
  return new Promise((resolve, reject) => {
    const child = spawn(deno, ['run', '-A', '--no-prompt', main, ...args], { cwd: repoRoot, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}

const assert = (cond, message) => {
  if (!cond) throw new Error(message);
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

test('create --json exits 0, prints the key, and the emulator holds it', async () => {
  const r = await runDeno(['create', '--name', 'deno-e2e', '--description', '데노', '--json']);
  assert(r.code === 0, `exit ${r.code}: ${r.stderr}`);
  assert(r.stderr === '', `stderr not empty: ${r.stderr}`);
  const key = JSON.parse(r.stdout);
  const stored = emulator.inspect.keys().find((k) => k.apiKeyId === key.apiKeyId);
  assert(stored, 'emulator does not hold the created key');
  assert(stored.apiKeyName === 'deno-e2e' && stored.apiKeyDescription === '데노', 'name/description differ');
  assert(stored.primaryKey === key.primaryKey && stored.secondaryKey === key.secondaryKey, 'key values differ');
});

test('a 21-character name exits 2 and sends nothing', async () => {
  const before = emulator.inspect.requests().length;
  const r = await runDeno(['create', '--name', 'x'.repeat(21)]);
  assert(r.code === 2, `exit ${r.code}`);
  assert(r.stderr.includes('--name'), `stderr does not name the flag: ${r.stderr}`);
  assert(emulator.inspect.requests().length === before, 'a request was sent');
});

test('a wrong secret exits 3 and the secret is not printed', async () => {
  const r = await runDeno(['list', '--json'], { ...baseEnv(), NCLOUD_SECRET_KEY: 'not-the-secret-value' });
  assert(r.code === 3, `exit ${r.code}: ${r.stderr}`);
  assert(JSON.parse(r.stderr).error.code === 'ERR_APIKEY_AUTH', r.stderr);
  assert(!r.stderr.includes('not-the-secret-value'), 'secret leaked');
});

test('list --all --debug finds the key; debug lines carry no secrets', async () => {
  const r = await runDeno(['list', '--all', '--debug', '--json']);
  assert(r.code === 0, `exit ${r.code}: ${r.stderr}`);
  const keys = JSON.parse(r.stdout);
  assert(keys.some((k) => k.apiKeyName === 'deno-e2e'), 'created key missing from list');
  assert(r.stderr.includes('debug: request GET'), `no debug lines: ${r.stderr}`);
  assert(!r.stderr.includes(SECRET_KEY) && !/[A-Za-z0-9+/]{43}=/.test(r.stderr), 'secret or signature in debug log');
});

test('auth status exits 0 after one signed GET /api-keys?limit=1 and reports the clock skew from the Date header', async () => {
  const before = emulator.inspect.requests().length;
  const r = await runDeno(['auth', 'status', '--json']);
  assert(r.code === 0, `exit ${r.code}: ${r.stderr}`);
  const s = JSON.parse(r.stdout);
  assert(s.authenticated === true && s.signedCall.status === 200, r.stdout);
  assert(typeof s.clockSkewMs === 'number' && Math.abs(s.clockSkewMs) < 1500, `skew ${s.clockSkewMs}`);
  assert(s.endpoint.source === 'NCLOUD_APIGW_ENDPOINT', r.stdout);
  assert(!r.stdout.includes(SECRET_KEY) && !r.stdout.includes(ACCESS_KEY), 'a credential was printed');
  const seen = emulator.inspect.requests().slice(before).map((q) => `${q.method} ${q.target}`);
  assert(seen.join() === 'GET /api/v1/api-keys?limit=1', seen.join());
});

test('a stray argument is not echoed, and completion prints a script bash can parse', async () => {
  const r = await runDeno(['list', SECRET_KEY]);
  assert(r.code === 2 && r.stderr.startsWith('error: unexpected argument (argument 2)'), r.stderr);
  assert(!r.stderr.includes(SECRET_KEY), 'the stray argument was echoed');
  const c = await runDeno(['completion', 'bash']);
  assert(c.code === 0 && c.stdout.includes('complete -F _apikey apikey'), c.stderr);
  const parsed = spawnSync('bash', ['-n'], { input: c.stdout, encoding: 'utf8' });
  assert(parsed.status === 0, parsed.stderr);
});

test('sandbox --port 0 serves the emulator and stops on SIGTERM', async () => {
  const child = spawn(deno, ['run', '-A', '--no-prompt', main, 'sandbox', '--port', '0'], { cwd: repoRoot, env: { PATH: process.env.PATH ?? '', HOME: tmpdir() }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d) => { out += d; });
  const closed = new Promise((r) => child.on('close', (code) => r(code)));
  const deadline = Date.now() + 15_000;
  while (!out.includes('Press Ctrl+C to stop.') && Date.now() < deadline) await sleep(50);
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+\/api\/v1)/.exec(out)?.[1];
  assert(url, `no URL printed: ${out}`);
  assert(out.includes('accepting access key SANDBOX_ACCESS_KEY'), out);
  const res = await fetch(`${url}/api-keys`);
  assert(res.status === 401, `unsigned request answered ${res.status}`);
  child.kill('SIGTERM');
  const code = await Promise.race([closed, sleep(5000).then(() => 'timeout')]);
  assert(code === 0, `sandbox exit ${code}`);
});

const hasTmux = spawnSync('tmux', ['-V']).status === 0;

/** `apikey <args>` on Deno from source in a cols×rows tmux session on a private server; EXIT=<code> at the end. */
function tmuxSession(name, args, cols) {
  const socket = `apikey-deno-${name}-${process.pid}`;
  const tmux = (...a) => spawnSync('tmux', ['-L', socket, ...a], { encoding: 'utf8' });
  const env = { ...baseEnv(), CI: 'false', TERM: 'xterm-256color' };
  tmux('new-session', '-d', '-s', 'w', '-x', String(cols), '-y', '40', '-c', repoRoot, ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
    `${deno} run -A --no-prompt ${main} ${args}; echo "EXIT=$?"; sleep 60`);
  const screen = (joined = false) => tmux('capture-pane', '-p', ...(joined ? ['-J'] : []), '-t', 'w').stdout;
  return {
    screen,
    type: (text) => tmux('send-keys', '-t', 'w', '-l', text),
    async press(...keys) {
      for (const k of keys) {
        tmux('send-keys', '-t', 'w', k);
        await sleep(30);
      }
    },
    async waitFor(text) {
      const deadline = Date.now() + 15_000;
      while (!screen().includes(text)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${text}:\n${screen()}`);
        await sleep(50);
      }
      await sleep(60);
    },
    kill: () => tmux('kill-server'),
  };
}

if (hasTmux) {
  test('the wizard on Deno in tmux creates a key', async () => {
    const t = tmuxSession('create', 'create', 100);
    try {
      await t.waitFor('1-20 characters');
      t.type('deno-wizard');
      await t.press('Enter');
      await t.waitFor('optional, up to 50');
      await t.press('Enter');
      await t.waitFor('Create this API key?');
      await t.press('Enter');
      await t.waitFor('Created API key "deno-wizard"');
      const stored = emulator.inspect.keys().find((k) => k.apiKeyName === 'deno-wizard');
      assert(stored, 'emulator does not hold the wizard key');
      assert(t.screen().includes(stored.primaryKey) && t.screen().includes(stored.secondaryKey), 'keys not on screen');
      await t.press('Enter');
      await t.waitFor('EXIT=0');
    } finally {
      t.kill();
    }
  });

  test('the wizard on Deno: cursor editing with the terminal\'s keys, and key values unbroken at 40 columns', async () => {
    const t = tmuxSession('narrow', 'create', 40);
    try {
      await t.waitFor('1-20 characters');
      t.type('xacd-deno');
      await t.waitFor('9/20');
      await t.press(...Array(7).fill('Left')); // "xacd-deno" with the cursor after "xa"
      t.type('b');
      await t.waitFor('› xabcd-deno');
      await t.press('Home', 'DC', 'End', 'BSpace');
      await t.waitFor('› abcd-den ');
      await t.press('Enter');
      await t.waitFor('optional, up to 50');
      await t.press('Enter');
      await t.waitFor('Create this API key?');
      await t.press('Enter');
      await t.waitFor('Created API key');
      const stored = emulator.inspect.keys().find((k) => k.apiKeyName === 'abcd-den');
      assert(stored, 'emulator does not hold the edited name "abcd-den"');
      for (const lines of [t.screen(true), t.screen()].map((s) => s.split('\n').map((l) => l.trimEnd()))) {
        assert(lines.includes(stored.primaryKey) && lines.includes(stored.secondaryKey), `a key value is not whole on a line of its own:\n${lines.join('\n')}`);
      }
      await t.press('Enter');
      await t.waitFor('EXIT=0');
    } finally {
      t.kill();
    }
  });
}

let passed = 0;
let failed = 0;
for (const t of tests) {
  const t0 = performance.now();
  try {
    await t.fn();
    passed++;
    console.log(`ok   ${t.name} (${Math.round(performance.now() - t0)} ms)`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${t.name}\n     ${String(e?.stack ?? e).split('\n').join('\n     ')}`);
  }
}
await server.close();
console.log(`deno cli e2e: ${passed} passed, ${failed} failed${hasTmux ? '' : ' (tmux not installed: wizard test not run)'}`);
process.exitCode = failed === 0 ? 0 : 1;
