// `apikey auth status` as a subprocess over real HTTP against the emulator: what is in use and where it came from,
// the clock skew read from NCP's Date header, one signed read call, exit 0/1/2/3 with the reason, and no secret
// ever printed.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clockSkewMs, describeSkew } from '../src/commands/auth-status.ts';
import { ACCESS_KEY, envFor, runCli, SECRET_KEY, startEmulator, tempHome, type Served } from './helpers.ts';

let server: Served;
let skewed: Served;
const SKEW_MS = 7 * 60_000;
beforeAll(async () => {
  server = await startEmulator();
  // NCP's clock 7 minutes ahead of ours.
  skewed = await startEmulator({ now: () => Date.now() + SKEW_MS });
});
afterAll(async () => {
  await server.close();
  await skewed.close();
});
beforeEach(() => {
  server.emulator.inspect.reset();
});

const noSecrets = (text: string) => {
  expect(text).not.toContain(SECRET_KEY);
  expect(text).not.toContain(SECRET_KEY.slice(-6));
  expect(text).not.toContain(ACCESS_KEY);
};

type Status = {
  profile: { value: string; source: string };
  site: { value: string; source: string };
  endpoint: { value: string; source: string };
  accessKey: { value: string; source: string };
  secretKey: { value: string; source: string };
  clockSkewMs: number | null;
  signedCall: { method: string; path: string; status: number } | null;
  authenticated: boolean;
  reason?: string;
  error?: { code: string };
};

describe('auth status', () => {
  it('shows what is in use and where each came from, the skew, and one signed GET /api-keys?limit=1; exit 0', async () => {
    const r = await runCli(['auth', 'status'], { env: envFor(server) });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Profile\s+DEFAULT\s+\(default\)$/m);
    expect(r.stdout).toMatch(/^Site\s+public\s+\(default\)$/m);
    expect(r.stdout).toContain(`${server.url}  (NCLOUD_APIGW_ENDPOINT)`);
    expect(r.stdout).toMatch(/^Access key\s+\*+6789\s+\(NCLOUD_ACCESS_KEY\)$/m);
    expect(r.stdout).toMatch(/^Secret key\s+set \(never shown\)\s+\(NCLOUD_SECRET_KEY\)$/m);
    expect(r.stdout).toMatch(/^Clock skew\s+under 1 s/m);
    expect(r.stdout).toMatch(/GET \/api\/v1\/api-keys\?limit=1 → HTTP 200/);
    expect(r.stdout).toContain('Authenticated');
    expect(server.emulator.inspect.requests().map((q) => [q.method, q.target, q.status])).toEqual([['GET', '/api/v1/api-keys?limit=1', 200]]);
    noSecrets(r.stdout + r.stderr);
  });

  it('names the profile section, the [DEFAULT] fallback, --site and the flag that set each', async () => {
    const home = tempHome();
    mkdirSync(join(home, '.ncloud'), { recursive: true });
    writeFileSync(join(home, '.ncloud', 'configure'), `[DEFAULT]\nncloud_secret_access_key=${SECRET_KEY}\n\n[ci]\nncloud_access_key_id=${ACCESS_KEY}\napikey_endpoint=${server.url}\n`, { mode: 0o600 });
    const r = await runCli(['auth', 'status', '-p', 'ci', '--site', 'gov', '--json'], { home });
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as Status;
    expect(s.profile).toEqual({ value: 'ci', source: '--profile' });
    expect(s.site).toEqual({ value: 'gov', source: '--site' });
    expect(s.endpoint).toEqual({ value: server.url, source: 'apikey_endpoint in [ci] of ~/.ncloud/configure' });
    expect(s.accessKey.source).toBe('ncloud_access_key_id in [ci] of ~/.ncloud/configure');
    expect(s.secretKey).toEqual({ value: 'set', source: 'ncloud_secret_access_key in [DEFAULT] of ~/.ncloud/configure' });
    expect(s.authenticated).toBe(true);
    expect(s.signedCall).toEqual({ method: 'GET', path: '/api/v1/api-keys?limit=1', status: 200 });
    expect(Math.abs(s.clockSkewMs as number)).toBeLessThan(1500);
    noSecrets(r.stdout + r.stderr);
  });

  it('exits 3 with the reason "wrong keys" when NCP refuses a wrong secret and the clock is in sync', async () => {
    const r = await runCli(['auth', 'status'], { env: envFor(server, { NCLOUD_SECRET_KEY: 'wrong-secret-value-0123456789' }) });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/HTTP 401/);
    expect(r.stdout).toMatch(/Not authenticated: NCP refused the signature although the clock is in sync: the access key or secret key is wrong/);
    expect(r.stderr).toMatch(/^error: /);
    expect(r.stdout + r.stderr).not.toContain('wrong-secret-value');
  });

  it('measures the skew from the Date header and exits 3 naming the clock when NCP is 7 minutes ahead', async () => {
    const r = await runCli(['auth', 'status'], { env: envFor(skewed) });
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/^Clock skew\s+7 min 0 s, your clock is behind NCP/m);
    expect(r.stdout).toMatch(/Not authenticated: your clock is 7 min 0 s behind NCP, more than the 5 minutes NCP allows/);
    const j = await runCli(['auth', 'status', '--json'], { env: envFor(skewed) });
    expect(j.code).toBe(3);
    const s = JSON.parse(j.stdout) as Status;
    expect(Math.abs((s.clockSkewMs as number) - SKEW_MS)).toBeLessThan(1500);
    expect(s).toMatchObject({ authenticated: false, signedCall: { status: 401 }, error: { code: 'ERR_APIKEY_AUTH' } });
    expect(s.reason).toMatch(/clock/);
    expect(j.stderr).toBe('');
  });

  it('exits 2 without credentials and sends nothing', async () => {
    const r = await runCli(['auth', 'status'], { env: { NCLOUD_APIGW_ENDPOINT: server.url } });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: No NCP access key and secret key found/);
    expect(server.emulator.inspect.requests()).toEqual([]);
  });

  it('exits 1 when NCP cannot be reached, naming the host and the variable that set it', async () => {
    const gone = await startEmulator();
    const url = gone.url;
    await gone.close();
    const r = await runCli(['auth', 'status'], { env: envFor(server, { NCLOUD_APIGW_ENDPOINT: url }) });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('NCP could not be reached');
    expect(r.stderr).toContain(`hint: could not reach ${new URL(url).host}; the endpoint ${url} was set by NCLOUD_APIGW_ENDPOINT`);
  }, 90_000);

  it('works on --sandbox without credentials', async () => {
    const r = await runCli(['auth', 'status', '--sandbox', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ authenticated: true, endpoint: { source: '--sandbox' }, signedCall: { status: 200 } });
  });
});

describe('clock skew from a Date header', () => {
  const at = (date: string, sentAt: number, receivedAt: number) => ({ method: 'GET', path: '/', status: 200, date, sentAt, receivedAt });

  it('takes the middle of the whole second the header names against the middle of our round trip', () => {
    const t = Date.parse('Sun, 29 Nov 2026 18:00:00 GMT');
    expect(clockSkewMs(at('Sun, 29 Nov 2026 18:00:00 GMT', t + 100, t + 300))).toBe(300);
    expect(clockSkewMs(at('Sun, 29 Nov 2026 18:07:00 GMT', t, t))).toBe(7 * 60_000 + 500);
    expect(clockSkewMs(at('Sun, 29 Nov 2026 17:58:00 GMT', t, t))).toBe(-2 * 60_000 + 500);
    expect(clockSkewMs({ ...at('', t, t), date: undefined })).toBeUndefined();
    expect(clockSkewMs(at('not a date', t, t))).toBeUndefined();
  });

  it('says which way the clock is off, in whole seconds, and "under 1 s" when in sync', () => {
    expect(describeSkew(400)).toBe('under 1 s');
    expect(describeSkew(-400)).toBe('under 1 s');
    expect(describeSkew(59_600)).toBe('1 min 0 s, your clock is behind NCP');
    expect(describeSkew(-(7 * 60_000 + 499))).toBe('7 min 0 s, your clock is ahead of NCP');
    expect(describeSkew(3_200)).toBe('3 s, your clock is behind NCP');
  });
});
