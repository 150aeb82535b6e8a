// The CLI from source on Deno against the NCP emulator: create, validation before sending, a wrong secret,
// `list --all --debug` redaction, `auth status`, the no-echo rule and completion, `sandbox` and its SIGTERM, and
// the wizard in a real terminal (tmux), including cursor editing and key values at 40 columns.
// Steps share one emulator and run in order: `list` finds the key `create` made.

import { ACCESS_KEY, collect, DENO, hasTmux, MAIN, REPO_ROOT, SECRET_KEY, sleep, startCliHarness, waitFor } from './helpers.ts';

function assert(cond: unknown, message: string): asserts cond {
  if (!cond) throw new Error(message);
}

Deno.test('the CLI on Deno against the NCP emulator', async (t) => {
  const cli = await startCliHarness();
  const { emulator } = cli.server;
  try {
    await t.step('create --json exits 0, prints the key, and the emulator holds it', async () => {
      const r = await cli.run(['create', '--name', 'deno-e2e', '--description', '데노', '--json']);
      assert(r.code === 0, `exit ${r.code}: ${r.stderr}`);
      assert(r.stderr === '', `stderr not empty: ${r.stderr}`);
      const key = JSON.parse(r.stdout);
      const stored = emulator.inspect.keys().find((k) => k.apiKeyId === key.apiKeyId);
      assert(stored, 'emulator does not hold the created key');
      assert(stored.apiKeyName === 'deno-e2e' && stored.apiKeyDescription === '데노', 'name/description differ');
      assert(stored.primaryKey === key.primaryKey && stored.secondaryKey === key.secondaryKey, 'key values differ');
    });

    await t.step('a 21-character name exits 2 and sends nothing', async () => {
      const before = emulator.inspect.requests().length;
      const r = await cli.run(['create', '--name', 'x'.repeat(21)]);
      assert(r.code === 2, `exit ${r.code}: ${r.stderr}`);
      assert(r.stderr.includes('--name'), `stderr does not name the flag: ${r.stderr}`);
      assert(emulator.inspect.requests().length === before, 'a request was sent');
    });

    await t.step('a wrong secret exits 3 and the secret is not printed', async () => {
      const r = await cli.run(['list', '--json'], { ...cli.env(), NCLOUD_SECRET_KEY: 'not-the-secret-value' });
      assert(r.code === 3, `exit ${r.code}: ${r.stderr}`);
      assert(JSON.parse(r.stderr).error.code === 'ERR_APIKEY_AUTH', r.stderr);
      assert(!r.stderr.includes('not-the-secret-value'), 'secret leaked');
    });

    await t.step('list --all --debug finds the key; debug lines carry no secrets', async () => {
      const r = await cli.run(['list', '--all', '--debug', '--json']);
      assert(r.code === 0, `exit ${r.code}: ${r.stderr}`);
      const keys: { apiKeyName: string }[] = JSON.parse(r.stdout);
      assert(keys.some((k) => k.apiKeyName === 'deno-e2e'), 'created key missing from list');
      assert(r.stderr.includes('debug: request GET'), `no debug lines: ${r.stderr}`);
      assert(!r.stderr.includes(SECRET_KEY) && !/[A-Za-z0-9+/]{43}=/.test(r.stderr), 'secret or signature in debug log');
    });

    await t.step('auth status exits 0 after one signed GET /api-keys?limit=1 and reports the clock skew from the Date header', async () => {
      const before = emulator.inspect.requests().length;
      const r = await cli.run(['auth', 'status', '--json']);
      assert(r.code === 0, `exit ${r.code}: ${r.stderr}`);
      const s = JSON.parse(r.stdout);
      assert(s.authenticated === true && s.signedCall.status === 200, r.stdout);
      assert(typeof s.clockSkewMs === 'number' && Math.abs(s.clockSkewMs) < 1500, `skew ${s.clockSkewMs}`);
      assert(s.endpoint.source === 'NCLOUD_APIGW_ENDPOINT', r.stdout);
      assert(!r.stdout.includes(SECRET_KEY) && !r.stdout.includes(ACCESS_KEY), 'a credential was printed');
      const seen = emulator.inspect.requests().slice(before).map((q) => `${q.method} ${q.target}`);
      assert(seen.join() === 'GET /api/v1/api-keys?limit=1', seen.join());
    });

    await t.step('a stray argument is not echoed, and completion prints a script bash can parse', async () => {
      const r = await cli.run(['list', SECRET_KEY]);
      assert(r.code === 2 && r.stderr.startsWith('error: unexpected argument (argument 2)'), r.stderr);
      assert(!r.stderr.includes(SECRET_KEY), 'the stray argument was echoed');
      const c = await cli.run(['completion', 'bash']);
      assert(c.code === 0 && c.stdout.includes('complete -F _apikey apikey'), c.stderr);
      const bash = new Deno.Command('bash', { args: ['-n'], stdin: 'piped', stdout: 'null', stderr: 'piped' }).spawn();
      const writer = bash.stdin.getWriter();
      await writer.write(new TextEncoder().encode(c.stdout));
      await writer.close();
      const parsed = await bash.output();
      assert(parsed.code === 0, new TextDecoder().decode(parsed.stderr));
    });

    await t.step('sandbox --port 0 serves the emulator and stops on SIGTERM', async () => {
      const child = new Deno.Command(DENO, {
        args: ['run', '-A', '--no-prompt', MAIN, 'sandbox', '--port', '0'],
        cwd: REPO_ROOT,
        // No credentials in the environment: sandbox brings its own.
        env: { PATH: Deno.env.get('PATH') ?? '', HOME: cli.env()['HOME'] ?? '' },
        clearEnv: true,
        stdin: 'null',
        stdout: 'piped',
        stderr: 'piped',
      }).spawn();
      const out = collect(child.stdout);
      const err = collect(child.stderr);
      try {
        const output = () => `--- sandbox stdout ---\n${out.text()}\n--- sandbox stderr ---\n${err.text()}`;
        await waitFor('"Press Ctrl+C to stop."', () => (out.text().includes('Press Ctrl+C to stop.') ? true : undefined), 30_000, output);
        const url = /listening on (http:\/\/127\.0\.0\.1:\d+\/api\/v1)/.exec(out.text())?.[1];
        assert(url, `no URL printed: ${output()}`);
        assert(out.text().includes('accepting access key SANDBOX_ACCESS_KEY'), output());
        const res = await fetch(`${url}/api-keys`);
        await res.body?.cancel();
        assert(res.status === 401, `unsigned request answered ${res.status}`);
        child.kill('SIGTERM');
        const status = await Promise.race([child.status, sleep(10_000).then(() => 'timeout' as const)]);
        assert(status !== 'timeout', `sandbox did not stop within 10 s of SIGTERM\n${output()}`);
        assert(status.code === 0 && status.signal === null, `sandbox exit ${status.code} (signal ${status.signal})\n${output()}`);
      } finally {
        try {
          child.kill('SIGKILL');
        } catch {
          // Already exited.
        }
        await Promise.all([child.status, out.done, err.done]);
      }
    });

    /** `apikey create` on Deno from source in a cols-wide tmux session on a private server; EXIT=<code> at the end. */
    const tmuxSession = (name: string, cols: number) => {
      const socket = `apikey-deno-${name}-${Deno.pid}`;
      const tmux = (...args: string[]) => new TextDecoder().decode(new Deno.Command('tmux', { args: ['-L', socket, ...args], stdout: 'piped', stderr: 'null' }).outputSync().stdout);
      const env = { ...cli.env(), CI: 'false', TERM: 'xterm-256color' };
      tmux('new-session', '-d', '-s', 'w', '-x', String(cols), '-y', '40', '-c', REPO_ROOT, ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
        `${DENO} run -A --no-prompt ${MAIN} create; echo "EXIT=$?"; sleep 60`);
      const screen = (joined = false) => tmux('capture-pane', '-p', ...(joined ? ['-J'] : []), '-t', 'w');
      return {
        screen,
        type: (text: string) => tmux('send-keys', '-t', 'w', '-l', text),
        async press(...keys: string[]) {
          for (const k of keys) {
            tmux('send-keys', '-t', 'w', k);
            await sleep(30);
          }
        },
        async see(text: string) {
          await waitFor(JSON.stringify(text), () => (screen().includes(text) ? true : undefined), 30_000, () => `--- screen ---\n${screen()}`);
          await sleep(60);
        },
        kill: () => tmux('kill-server'),
      };
    };

    await t.step({
      name: 'the wizard on Deno in tmux creates a key and shows both values',
      ignore: !hasTmux,
      fn: async () => {
        const w = tmuxSession('create', 100);
        try {
          await w.see('1-20 characters');
          w.type('deno-wizard');
          await w.press('Enter');
          await w.see('optional, up to 50');
          await w.press('Enter');
          await w.see('skip — no product');
          await w.press('Enter');
          await w.see('Create this API key?');
          await w.press('Enter');
          await w.see('Created API key "deno-wizard"');
          const stored = emulator.inspect.keys().find((k) => k.apiKeyName === 'deno-wizard');
          assert(stored, 'emulator does not hold the wizard key');
          assert(w.screen().includes(stored.primaryKey) && w.screen().includes(stored.secondaryKey), `keys not on screen:\n${w.screen()}`);
          await w.press('Enter');
          await w.see('EXIT=0');
        } finally {
          w.kill();
        }
      },
    });

    await t.step({
      name: "the wizard on Deno: cursor editing with the terminal's keys, and key values unbroken at 40 columns",
      ignore: !hasTmux,
      fn: async () => {
        const w = tmuxSession('narrow', 40);
        try {
          await w.see('1-20 characters');
          w.type('xacd-deno');
          await w.see('9/20');
          await w.press(...Array<string>(7).fill('Left')); // "xacd-deno" with the cursor after "xa"
          w.type('b');
          await w.see('› xabcd-deno');
          await w.press('Home', 'DC', 'End', 'BSpace');
          await w.see('› abcd-den ');
          await w.press('Enter');
          await w.see('optional, up to 50');
          await w.press('Enter');
          await w.see('skip — no product');
          await w.press('Enter');
          await w.see('Create this API key?');
          await w.press('Enter');
          await w.see('Created API key');
          const stored = emulator.inspect.keys().find((k) => k.apiKeyName === 'abcd-den');
          assert(stored, 'emulator does not hold the edited name "abcd-den"');
          for (const lines of [w.screen(true), w.screen()].map((s) => s.split('\n').map((l) => l.trimEnd()))) {
            assert(lines.includes(stored.primaryKey) && lines.includes(stored.secondaryKey), `a key value is not whole on a line of its own:\n${lines.join('\n')}`);
          }
          await w.press('Enter');
          await w.see('EXIT=0');
        } finally {
          w.kill();
        }
      },
    });
  } finally {
    await cli.close();
  }
});
