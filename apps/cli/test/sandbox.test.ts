// `apikey sandbox` on Node: serves the emulator on 127.0.0.1 with the caller's pair, prints the access key
// (never the secret), logs requests to stderr, and stops cleanly on SIGINT.

import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApiGatewayClient } from '@apikey/core';
import { describe, expect, it } from 'vitest';
import { ACCESS_KEY, BIN, REPO_ROOT, runCli, SECRET_KEY, tempHome } from './helpers.ts';

/** Starts `apikey sandbox --port 0` and resolves once it prints its URL; stop() sends SIGINT and waits. */
async function startSandbox(env: Record<string, string>, args: string[] = []) {
  const child = spawn(process.execPath, [BIN, ...args, 'sandbox', '--port', '0'], { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const io = { out: '', err: '' };
  child.stdout.setEncoding('utf8').on('data', (d: string) => { io.out += d; });
  child.stderr.setEncoding('utf8').on('data', (d: string) => { io.err += d; });
  const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
  await expect.poll(() => io.out, { timeout: 10_000, interval: 20 }).toContain('Press Ctrl+C to stop.');
  const url = /listening on (http:\/\/127\.0\.0\.1:\d+\/api\/v1)/.exec(io.out)?.[1] as string;
  return { url, io, stop: async () => { child.kill('SIGINT'); return exited; } };
}

describe('apikey sandbox', () => {
  it('serves the emulator for the env pair, logs requests, and exits 0 on SIGINT', async () => {
    const child = spawn(process.execPath, [BIN, 'sandbox', '--port', '0'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: tempHome(), NCLOUD_ACCESS_KEY: ACCESS_KEY, NCLOUD_SECRET_KEY: SECRET_KEY },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { out += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { err += d; });
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    const pattern = /listening on (http:\/\/127\.0\.0\.1:\d+\/api\/v1)/;
    await expect.poll(() => out, { timeout: 10_000, interval: 20 }).toContain('Press Ctrl+C to stop.');
    const url = pattern.exec(out)?.[1] as string;
    expect(out).toContain(`accepting access key ${ACCESS_KEY}`);

    const client = createApiGatewayClient({ credentials: { accessKey: ACCESS_KEY, secretKey: SECRET_KEY }, endpoint: url });
    const key = await client.createApiKey({ apiKeyName: 'via-sandbox' });
    expect((await client.getApiKey(key.apiKeyId)).apiKeyName).toBe('via-sandbox');
    await expect.poll(() => err, { timeout: 5000, interval: 20 }).toMatch(/POST \/api\/v1\/api-keys 201/);

    child.kill('SIGINT');
    expect(await exited).toBe(0);
    for (const secret of [SECRET_KEY, key.primaryKey as string, key.secondaryKey as string]) {
      expect(out + err).not.toContain(secret);
    }
  });

  it('accepts the pair the other commands sign with: env values are trimmed by core\'s resolver', async () => {
    const home = tempHome();
    const padded = { HOME: home, NCLOUD_ACCESS_KEY: ` ${ACCESS_KEY}\n`, NCLOUD_SECRET_KEY: `${SECRET_KEY} ` };
    const sandbox = await startSandbox(padded);
    try {
      expect(sandbox.io.out).toContain(`accepting access key ${ACCESS_KEY} (from the environment)`);
      const list = await runCli(['list', '--json'], { home, env: { ...padded, NCLOUD_APIGW_ENDPOINT: sandbox.url } });
      expect(list.stderr).toBe('');
      expect(list.code).toBe(0);
    } finally {
      expect(await sandbox.stop()).toBe(0);
    }
  });

  it('accepts the profile file\'s pair, and refuses to start for a --profile that is not in the file', async () => {
    const home = tempHome();
    mkdirSync(join(home, '.ncloud'), { mode: 0o700 });
    writeFileSync(join(home, '.ncloud', 'configure'), `[team]\nncloud_access_key_id=${ACCESS_KEY}\nncloud_secret_access_key=${SECRET_KEY}\n`, { mode: 0o600 });
    const sandbox = await startSandbox({ HOME: home }, ['--profile', 'team']);
    try {
      expect(sandbox.io.out).toContain(`accepting access key ${ACCESS_KEY} (from profile [team] of ~/.ncloud/configure)`);
      const list = await runCli(['--profile', 'team', 'list', '--json'], { home, env: { NCLOUD_APIGW_ENDPOINT: sandbox.url } });
      expect(list.code).toBe(0);
    } finally {
      expect(await sandbox.stop()).toBe(0);
    }
    const typo = await runCli(['--profile', 'taem', 'sandbox', '--port', '0'], { home });
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('Profile [taem] (from --profile) is not in ~/.ncloud/configure');
    expect(typo.stdout).not.toContain('listening');
  });

  it('serves the sandbox default pair when no credentials are configured', async () => {
    const sandbox = await startSandbox({ HOME: tempHome() });
    expect(sandbox.io.out).toContain('accepting access key SANDBOX_ACCESS_KEY (the sandbox default pair');
    expect(await sandbox.stop()).toBe(0);
  });
});
