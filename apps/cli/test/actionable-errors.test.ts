// Errors a person can act on, from the built binary against the emulator: one `error:` line first, a missing key
// in one line (details under --debug), the host and the setting behind a network failure, a hint for an endpoint
// without /api/v1, a bad NCLOUD_SITE named once, and a warning (not a refusal) for a second key with one name.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApiGatewayClient } from '@apikey/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCESS_KEY, envFor, runCli, SECRET_KEY, startEmulator, tempHome, type Served } from './helpers.ts';

let server: Served;
beforeAll(async () => {
  server = await startEmulator();
});
afterAll(async () => {
  await server.close();
});
const env = (extra: Record<string, string> = {}) => envFor(server, extra);

describe('errors a person can act on', () => {
  it('a missing key is one line, "API key <id> not found"; --debug adds the exchange', async () => {
    const r = await runCli(['show', 'nosuchkey1'], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: API key nosuchkey1 not found\n');
    const d = await runCli(['delete', 'nosuchkey1', '--yes', '--debug'], { env: env() });
    expect(d.code).toBe(1);
    const lines = d.stderr.split('\n').filter((l) => !l.startsWith('debug: '));
    expect(lines[0]).toBe('error: API key nosuchkey1 not found');
    expect(d.stderr).toMatch(/HTTP 404 · NCP errorCode \S+ · .*trace [0-9a-f]+/);
  });

  it('a network failure names the host and the variable, flag or profile key that set the endpoint', async () => {
    const gone = await startEmulator();
    const url = gone.url;
    await gone.close();
    const host = new URL(url).host;
    const byEnv = await runCli(['list'], { env: env({ NCLOUD_APIGW_ENDPOINT: url }) });
    expect(byEnv.code).toBe(1);
    expect(byEnv.stderr).toMatch(/^error: /);
    expect(byEnv.stderr).toContain(`hint: could not reach ${host}; the endpoint ${url} was set by NCLOUD_APIGW_ENDPOINT`);
    const byFlag = await runCli(['list', '--endpoint', url], { env: env() });
    expect(byFlag.stderr).toContain(`was set by --endpoint`);
    const home = tempHome();
    mkdirSync(join(home, '.ncloud'), { recursive: true });
    writeFileSync(join(home, '.ncloud', 'configure'), `[ops]\nncloud_access_key_id=${ACCESS_KEY}\nncloud_secret_access_key=${SECRET_KEY}\napikey_endpoint=${url}\n`, { mode: 0o600 });
    const byFile = await runCli(['list', '-p', 'ops', '--json'], { home });
    expect(byFile.code).toBe(1);
    expect(JSON.parse(byFile.stderr).error.hint).toContain(`was set by apikey_endpoint in [ops] of ~/.ncloud/configure`);
  }, 120_000);

  it('an endpoint without /api/v1 gets a hint saying so and where it was set', async () => {
    const origin = new URL(server.url).origin;
    const r = await runCli(['list'], { env: env({ NCLOUD_APIGW_ENDPOINT: origin }) });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: /);
    expect(r.stderr).toContain(`hint: the endpoint ${origin} (set by NCLOUD_APIGW_ENDPOINT) does not end in /api/v1`);
  });

  it('a bad NCLOUD_SITE is named once, and nothing is sent', async () => {
    const before = server.emulator.inspect.requests().length;
    const r = await runCli(['list'], { env: { NCLOUD_ACCESS_KEY: ACCESS_KEY, NCLOUD_SECRET_KEY: SECRET_KEY, NCLOUD_SITE: 'moon' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('error: NCLOUD_SITE must be one of public, gov, fin (got "moon")\n');
    expect(server.emulator.inspect.requests().length).toBe(before);
  });

  it('every failure starts with the same "error:" prefix', async () => {
    const runs = await Promise.all([
      runCli(['bogus'], { env: env() }),
      runCli(['create'], { env: env() }),
      runCli(['show', 'nosuchkey2'], { env: env() }),
      runCli(['list'], { env: env({ NCLOUD_SECRET_KEY: 'wrong-secret-0123456789' }) }),
      runCli(['list'], { env: {} }),
    ]);
    for (const r of runs) {
      expect(r.code).not.toBe(0);
      expect(r.stderr.split('\n')[0]).toMatch(/^error: \S/);
      expect(r.stderr).not.toMatch(/^(Error|ERROR|apikey:)/m);
    }
  });
});

describe('a second key with an existing name', () => {
  it('is created, with a warning on stderr naming the existing key; --json stdout stays the key alone', async () => {
    const c = createApiGatewayClient({ credentials: { accessKey: ACCESS_KEY, secretKey: SECRET_KEY }, endpoint: server.url });
    const first = await c.createApiKey({ apiKeyName: 'twin' });
    // A longer name that contains it is not a duplicate.
    await c.createApiKey({ apiKeyName: 'twin-other' });
    const r = await runCli(['create', '-n', 'twin', '--json'], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`warning: a key named "twin" already exists (${first.apiKeyId}); this creates another one\n`);
    expect(JSON.parse(r.stdout)).toMatchObject({ apiKeyName: 'twin' });
    expect(server.emulator.inspect.keys().filter((k) => k.apiKeyName === 'twin')).toHaveLength(2);
    const fresh = await runCli(['create', '-n', 'twin-new', '--json'], { env: env() });
    expect(fresh.stderr).toBe('');
  });
});
