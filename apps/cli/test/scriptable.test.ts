// The scriptable CLI as a subprocess over real HTTP (127.0.0.1, ephemeral port) against the NCP emulator:
// exit codes, stdout/stderr separation, --dry-run, validation before sending, paging, --yes, --debug redaction.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApiGatewayClient } from '@apikey/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ACCESS_KEY, CLI_ROOT, envFor, runCli, SECRET_KEY, startEmulator, type Served } from './helpers.ts';

let server: Served;
beforeAll(async () => {
  server = await startEmulator();
});
afterAll(async () => {
  await server.close();
});
let mark = 0;
beforeEach(() => {
  server.emulator.setFaults(undefined);
  server.emulator.inspect.reset();
  mark = 0;
});

/** Requests the emulator saw since the test (or its seeding) began. */
const seen = () => server.emulator.inspect.requests().slice(mark);
const env = () => envFor(server);

describe('create', () => {
  it('creates the key and prints only the flat apiKey object on stdout with --json', async () => {
    const r = await runCli(['create', '--name', 'ci-key', '--description', 'from a script', '--json'], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const key = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(key).toMatchObject({ apiKeyName: 'ci-key', apiKeyDescription: 'from a script' });
    expect(key.primaryKey).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(key.secondaryKey).toMatch(/^[A-Za-z0-9]{40}$/);
    const stored = server.emulator.inspect.keys().find((k) => k.apiKeyId === key.apiKeyId);
    expect(stored?.primaryKey).toBe(key.primaryKey);
  });

  it('prints both keys and the "store these now" note in human mode', async () => {
    const r = await runCli(['create', '--name', 'human'], { env: env() });
    expect(r.code).toBe(0);
    const stored = server.emulator.inspect.keys().find((k) => k.apiKeyName === 'human');
    expect(r.stdout).toContain(stored?.primaryKey);
    expect(r.stdout).toContain(stored?.secondaryKey);
    expect(r.stdout).toContain('Store these keys now');
    expect(r.stdout).not.toMatch(/\u001B\[/);
  });

  it('--dry-run checks the credentials with one signed read call and prints the request, but creates nothing', async () => {
    const r = await runCli(['create', '--name', 'dry', '--description', 'd', '--dry-run', '--json'], { env: env() });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      dryRun: true,
      request: { method: 'POST', url: `${server.url}/api-keys`, body: { apiKeyName: 'dry', apiKeyDescription: 'd' } },
      credentialsCheck: { method: 'GET', path: '/api/v1/api-keys?limit=1', status: 200 },
    });
    expect(seen()[0]).toMatchObject({ method: 'GET', target: '/api/v1/api-keys?limit=1', status: 200 });
    expect(seen().every((q) => q.method === 'GET')).toBe(true);
    expect(server.emulator.inspect.keys().some((k) => k.apiKeyName === 'dry')).toBe(false);
  });

  it('--dry-run with a wrong secret exits 3: it validates the credentials, as it says', async () => {
    const r = await runCli(['create', '--name', 'dry', '--dry-run'], { env: envFor(server, { NCLOUD_SECRET_KEY: 'wrong-secret-value' }) });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: .*401/);
    expect(seen().map((q) => [q.method, q.status])).toEqual([['GET', 401]]);
  });

  it.each([
    ['an empty name', ['--name', ''], '--name'],
    ['a 21-character name', ['--name', 'x'.repeat(21)], '--name'],
    ['a name with a control character', ['--name', 'bad\u0001name'], '--name'],
    ['a 51-character description', ['--name', 'ok', '--description', 'd'.repeat(51)], '--description'],
    ['a description with a control character', ['--name', 'ok', '--description', 'tab\there'], '--description'],
  ])('rejects %s with exit 2 naming the flag, and sends nothing', async (_what, flags, flag) => {
    const r = await runCli(['create', ...flags], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(flag);
    expect(r.stdout).toBe('');
    expect(seen()).toEqual([]);
  });

  it('accepts a 20-code-point Hangul name', async () => {
    const name = '가'.repeat(20);
    const r = await runCli(['create', '--name', name, '--json'], { env: env() });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).apiKeyName).toBe(name);
  });

  it('exits 2 with "--name is required" when not interactive', async () => {
    const r = await runCli(['create'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--name is required');
    expect(seen()).toEqual([]);
  });
});

describe('exit codes and error output', () => {
  it('exits 3 with the keys/clock hint on a wrong secret (401), JSON error on stderr only', async () => {
    const r = await runCli(['list', '--json'], { env: envFor(server, { NCLOUD_SECRET_KEY: 'wrong-secret-value' }) });
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    const doc = JSON.parse(r.stderr) as { error: { code: string; status: number; hint: string } };
    expect(doc.error.code).toBe('ERR_APIKEY_AUTH');
    expect(doc.error.status).toBe(401);
    expect(doc.error.hint).toMatch(/clock/);
    expect(r.stderr).not.toContain('wrong-secret-value');
  });

  it('exits 3 in human mode too, with the hint', async () => {
    const r = await runCli(['create', '--name', 'nope'], { env: envFor(server, { NCLOUD_SECRET_KEY: 'wrong-secret-value' }) });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/hint: .*clock/);
  });

  it('exits 1 when the emulator answers 500', async () => {
    server.emulator.setFaults({ statusRates: { 500: 1 }, only: { method: 'POST' } });
    const r = await runCli(['create', '--name', 'boom', '--json'], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr).error.code).toBe('ERR_APIKEY_SERVER');
  });

  it('exits 1 when nothing listens on the port', async () => {
    const closed = await startEmulator();
    const url = closed.url;
    await closed.close();
    const r = await runCli(['show', 'abcdefghij', '--json'], { env: envFor(server, { NCLOUD_APIGW_ENDPOINT: url }) });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr).error.code).toMatch(/ERR_APIKEY_(NETWORK|TIMEOUT)/);
  });

  it('exits 1 with NOT_FOUND for an unknown id', async () => {
    const r = await runCli(['show', 'zzzzzzzzzz', '--json'], { env: env() });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr).error).toMatchObject({ code: 'ERR_APIKEY_NOT_FOUND', status: 404 });
  });

  it('exits 2 without credentials and says how to provide them', async () => {
    const r = await runCli(['list'], { env: { NCLOUD_APIGW_ENDPOINT: server.url } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/NCLOUD_ACCESS_KEY|apikey configure/);
    expect(seen()).toEqual([]);
  });

  it.each([
    [['list', '--bogus'], 'unknown flag (argument 2)'],
    [['create', '--name'], '--name needs a value'],
    [['list', '--limit', 'ten'], '--limit'],
    [['list', '--site', 'mars'], '--site'],
    [['rotate', 'abcdefghij', '--primary', '--secondary', '--yes'], '--primary and --secondary'],
    [['create', '--secret-key', 'x'], 'secrets never go in flags'],
    [['frobnicate'], 'unknown command (argument 1)'],
  ])('exits 2 on bad usage %j naming the problem', async (args, text) => {
    const r = await runCli(args, { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(text);
    expect(seen()).toEqual([]);
  });

  it('reports usage errors as JSON on stderr with --json', async () => {
    const r = await runCli(['create', '--json'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(JSON.parse(r.stderr)).toEqual({ error: { code: 'ERR_APIKEY_USAGE', message: expect.stringContaining('--name is required') } });
  });

  it('exits 130 when interrupted (SIGINT) while a request is in flight', async () => {
    server.emulator.setFaults({ latency: { fixedMs: 5000 } });
    // Interrupt once the request is on the wire (the emulator has it and has not answered).
    const inFlight = () => seen().some((q) => q.method === 'GET' && q.status === null);
    const r = await runCli(['list', '--json'], { env: env(), interruptWhen: inFlight });
    expect(r.code).toBe(130);
    expect(r.stdout).toBe('');
  });
});

describe('list, show, update, rotate, delete', () => {
  async function seed(names: string[]) {
    const c = createApiGatewayClient({ credentials: { accessKey: ACCESS_KEY, secretKey: SECRET_KEY }, endpoint: server.url });
    const out = [];
    for (const n of names) out.push(await c.createApiKey({ apiKeyName: n }));
    mark = server.emulator.inspect.requests().length;
    return out;
  }

  it('list --json returns every matching key across pages; --limit caps it; --all is accepted as a no-op', { timeout: 90_000 }, async () => {
    const prefix = `pg${Date.now() % 100000}`;
    const names = Array.from({ length: 230 }, (_, i) => `${prefix}-${String(i).padStart(3, '0')}`);
    // 230 keys: more than two of core's 100-key pages. Created 23 at a time to keep the set-up short.
    for (let i = 0; i < names.length; i += 23) await Promise.all(names.slice(i, i + 23).map((n) => seed([n])));
    mark = server.emulator.inspect.requests().length;
    for (const extra of [[], ['--all']]) {
      mark = server.emulator.inspect.requests().length;
      const r = await runCli(['list', '--name', prefix, '--json', ...extra], { env: env() });
      expect(r.code).toBe(0);
      const keys = JSON.parse(r.stdout) as { apiKeyName: string }[];
      expect(keys.map((k) => k.apiKeyName).sort()).toEqual(names);
      // More than one page went over the wire (core's iterator pages by 100).
      expect(seen().filter((q) => q.method === 'GET').length).toBe(3);
    }
    const capped = await runCli(['list', '--name', prefix, '--limit', '7', '--json'], { env: env() });
    expect((JSON.parse(capped.stdout) as unknown[]).length).toBe(7);
  });

  it('piped text output is one tab-separated row per key with no header and no footer', async () => {
    const prefix = `tsv${Date.now() % 100000}`;
    const keys = await seed([`${prefix}-a`, `${prefix}-b`, `${prefix}-c`]);
    const r = await runCli(['list', '--name', prefix], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n').filter(Boolean).sort()).toEqual(keys.map((k) => `${k.apiKeyId}\t${k.apiKeyName}\tyes\t`).sort());
    const capped = await runCli(['list', '--name', prefix, '--limit', '2'], { env: env() });
    expect(capped.stdout.split('\n').filter(Boolean)).toHaveLength(2);
    const none = await runCli(['list', '--name', 'no-such-prefix'], { env: env() });
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('No API keys match');
  });

  it('shows one key', async () => {
    const [k] = await seed(['show-me']);
    const r = await runCli(['show', k!.apiKeyId, '--json'], { env: env() });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ apiKeyId: k!.apiKeyId, apiKeyName: 'show-me' });
  });

  it('update with several flags reads once and writes once', async () => {
    const [k] = await seed(['before']);
    const r = await runCli(['update', k!.apiKeyId, '--name', 'after', '--disable', '--json'], { env: env() });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ apiKeyName: 'after', isEnabled: false });
    expect(seen().map((q) => q.method)).toEqual(['GET', 'PUT']);
    const stored = server.emulator.inspect.keys().find((x) => x.apiKeyId === k!.apiKeyId);
    expect(stored).toMatchObject({ apiKeyName: 'after', isEnabled: false });
  });

  it('update --enable alone keeps name and description', async () => {
    const [k] = await seed(['keep-name']);
    await runCli(['update', k!.apiKeyId, '--disable'], { env: env() });
    const r = await runCli(['update', k!.apiKeyId, '--enable', '--json'], { env: env() });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ apiKeyName: 'keep-name', isEnabled: true });
  });

  it('rotate needs --yes when piped, then regenerates only the chosen key', async () => {
    const [k] = await seed(['rot']);
    const refused = await runCli(['rotate', k!.apiKeyId, '--primary'], { env: env() });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');
    expect(seen()).toEqual([]);
    const r = await runCli(['rotate', k!.apiKeyId, '--primary', '--yes', '--json'], { env: env() });
    expect(r.code).toBe(0);
    const after = JSON.parse(r.stdout) as { primaryKey: string; secondaryKey: string };
    expect(after.primaryKey).not.toBe(k!.primaryKey);
    expect(after.secondaryKey).toBe(k!.secondaryKey);
  });

  it('delete needs --yes when piped, and nothing is deleted without it', async () => {
    const [k] = await seed(['del']);
    const refused = await runCli(['delete', k!.apiKeyId], { env: env() });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes is required');
    expect(seen()).toEqual([]);
    expect(server.emulator.inspect.keys().some((x) => x.apiKeyId === k!.apiKeyId)).toBe(true);
    const r = await runCli(['delete', k!.apiKeyId, '--yes', '--json'], { env: env() });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ apiKeyId: k!.apiKeyId, deleted: true });
    expect(server.emulator.inspect.keys().some((x) => x.apiKeyId === k!.apiKeyId)).toBe(false);
  });
});

describe('logging and basics', () => {
  it('--debug logs every request on stderr without the secret, signature or key values', async () => {
    const r = await runCli(['create', '--name', 'dbg', '--debug', '--json'], { env: env() });
    expect(r.code).toBe(0);
    const key = JSON.parse(r.stdout) as { primaryKey: string; secondaryKey: string };
    expect(r.stderr).toMatch(/debug: request POST \/api\/v1\/api-keys/);
    expect(r.stderr).toMatch(/debug: response POST .*status=201/);
    for (const secret of [SECRET_KEY, key.primaryKey, key.secondaryKey]) expect(r.stderr).not.toContain(secret);
    expect(r.stderr).not.toMatch(/[A-Za-z0-9+/]{43}=/); // a base64 HMAC-SHA256 signature
  });

  it('prints help when run with no command and no terminal, exit 0', async () => {
    const r = await runCli([], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: apikey');
  });

  it('has per-command help', async () => {
    const r = await runCli(['rotate', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('apikey rotate <apiKeyId> (--primary | --secondary)');
  });

  it('--version matches package.json', async () => {
    const pkg = JSON.parse(readFileSync(join(CLI_ROOT, 'package.json'), 'utf8')) as { version: string };
    const r = await runCli(['--version']);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('--sandbox works without credentials or network', async () => {
    const r = await runCli(['--sandbox', 'create', '--name', 'sbx', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).apiKeyName).toBe('sbx');
  });
});
