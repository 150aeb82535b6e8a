import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';
import { credentialsFromEnv, parseArgs } from '../src/runner-config.ts';
import { signedHeaders } from './helpers.ts';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const isDeno = 'Deno' in globalThis;

describe('stand-alone runner (src/main.ts)', () => {
  test('parses --port and --seed, and refuses anything else with a message', () => {
    assert.deepEqual(parseArgs([]), { port: 0 });
    assert.deepEqual(parseArgs(['--port', '8080', '--seed=9']), { port: 8080, seed: 9 });
    assert.deepEqual(parseArgs(['--help']), { help: true });
    assert.deepEqual(parseArgs(['--', '--port', '1']), { port: 1 });
    assert.match((parseArgs(['--port', 'abc']) as { error: string }).error, /--port needs a non-negative integer/);
    assert.match((parseArgs(['--port', '70000']) as { error: string }).error, /0–65535/);
    assert.match((parseArgs(['--port']) as { error: string }).error, /--port/);
    assert.match((parseArgs(['--secret-key', 'x']) as { error: string }).error, /unknown argument/);
  });

  test('takes credentials from either env spelling, falls back to the sandbox pair, refuses half a pair', () => {
    assert.deepEqual(credentialsFromEnv({ NCLOUD_ACCESS_KEY: 'a', NCLOUD_SECRET_KEY: 's' }), { credentials: [{ accessKey: 'a', secretKey: 's' }], source: 'env' });
    assert.deepEqual(credentialsFromEnv({ NCLOUD_ACCESS_KEY_ID: 'a', NCLOUD_SECRET_ACCESS_KEY: 's' }), { credentials: [{ accessKey: 'a', secretKey: 's' }], source: 'env' });
    assert.deepEqual(credentialsFromEnv({}), { credentials: [{ accessKey: 'SANDBOX_ACCESS_KEY', secretKey: 'SANDBOX_SECRET_KEY' }], source: 'default' });
    const half = credentialsFromEnv({ NCLOUD_SECRET_KEY: 'TOP_SECRET' }) as { error: string };
    assert.match(half.error, /set both/);
    assert.ok(!half.error.includes('TOP_SECRET'));
  });

  test(`serves signed requests on ${isDeno ? 'Deno' : 'Node'} with env credentials and logs without secrets`, async () => {
    const args = isDeno ? ['run', '-A', '--no-prompt', 'src/main.ts', '--port', '0'] : ['--import', 'tsx', 'src/main.ts', '--port', '0'];
    const child = spawn(process.execPath, args, {
      cwd: packageDir,
      env: { ...process.env, NCLOUD_ACCESS_KEY: 'AK_RUNNER', NCLOUD_SECRET_KEY: 'SK_RUNNER_SECRET' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    const exited = once(child, 'exit');
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stderr.on('data', (c: string) => {
          stderr += c;
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/api\/v1)/.exec(stderr);
          if (m?.[1]) resolve(m[1]);
        });
        child.once('exit', (code) => reject(new Error(`runner exited early (${code}): ${stderr}`)));
      });
      const target = '/api/v1/api-keys';
      const origin = new URL(url).origin;
      const res = await fetch(origin + target, {
        method: 'POST',
        headers: { ...signedHeaders('POST', target, Date.now(), { accessKey: 'AK_RUNNER', secretKey: 'SK_RUNNER_SECRET' }), 'content-type': 'application/json' },
        body: JSON.stringify({ apiKeyName: 'from-runner' }),
      });
      assert.equal(res.status, 201);
      const { apiKey } = await res.json();
      const sandbox = await fetch(origin + target, { headers: signedHeaders('GET', target, Date.now(), { accessKey: 'SANDBOX_ACCESS_KEY', secretKey: 'SANDBOX_SECRET_KEY' }) });
      assert.equal(sandbox.status, 401, 'env credentials replace the sandbox pair');
      await sandbox.body?.cancel();
      while (!/GET \/api\/v1\/api-keys 401/.test(stderr)) await new Promise((r) => setTimeout(r, 5));
      assert.match(stderr, /POST \/api\/v1\/api-keys 201 \d+ms/);
      assert.match(stderr, /credentials: from environment/);
      for (const secret of ['AK_RUNNER', 'SK_RUNNER_SECRET', apiKey.primaryKey, apiKey.secondaryKey]) assert.ok(!stderr.includes(secret));
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});
