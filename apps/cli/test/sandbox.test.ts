// `apikey sandbox` on Node: serves the emulator on 127.0.0.1 with the caller's pair, prints the access key
// (never the secret), logs requests to stderr, and stops cleanly on SIGINT.

import { spawn } from 'node:child_process';
import { createApiGatewayClient } from '@apikey/core';
import { describe, expect, it } from 'vitest';
import { ACCESS_KEY, BIN, REPO_ROOT, SECRET_KEY, tempHome } from './helpers.ts';

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
});
