// Start-up: the environment is validated once and a bad value stops start-up with a message naming the
// variable (and never echoing a secret); the real entry point runs on Node, serves /healthz, completes the
// flow and shuts down on SIGTERM.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { redact } from '@apikey/core';
import { ConfigError, loadConfig, loadEnvironment, parseDuration } from '../src/config.ts';
import { REPO_ROOT, runMainE2E } from '../test-deno/main-e2e.ts';

const BASE = {
  SLACK_BOT_TOKEN: 'xoxb-1-abcdef',
  SLACK_SIGNING_SECRET: 'signing-secret-value',
  APIKEY_APPROVER_CHANNEL: 'C0APPROVE',
  APIKEY_APPROVERS: 'U0APP1,S0GROUP',
};

function problemsOf(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('loadConfig accepted an invalid environment');
}

describe('configuration', () => {
  it('applies the documented defaults', () => {
    const c = loadConfig(BASE);
    expect(c).toMatchObject({
      port: 3000, allowSelfApproval: false, requestTtlMs: 72 * 3_600_000, delivery: 'dm', databaseUrl: undefined, dataDir: './data',
      approvers: { users: ['U0APP1'], groups: ['S0GROUP'] },
    });
    expect(c.reminderBeforeMs).toBe(18 * 3_600_000);
  });

  it('parses TTLs like 72h, 30m and 3d', () => {
    expect(parseDuration('72h')).toBe(259_200_000);
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('3d')).toBe(259_200_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('72')).toBeUndefined();
    expect(parseDuration('0h')).toBeUndefined();
    expect(loadConfig({ ...BASE, APIKEY_REQUEST_TTL: '30m' }).requestTtlMs).toBe(1_800_000);
  });

  it.each([
    [{ SLACK_BOT_TOKEN: undefined }, 'SLACK_BOT_TOKEN', 'is required'],
    [{ SLACK_BOT_TOKEN: 'xoxp-user-token' }, 'SLACK_BOT_TOKEN', 'xoxb-'],
    [{ SLACK_SIGNING_SECRET: undefined }, 'SLACK_SIGNING_SECRET', 'HTTP mode'],
    [{ APIKEY_REQUEST_TTL: 'forever' }, 'APIKEY_REQUEST_TTL', '72h'],
    [{ APIKEY_DELIVERY: 'email' }, 'APIKEY_DELIVERY', 'dm or reveal'],
    [{ APIKEY_APPROVERS: 'alice,U0OK' }, 'APIKEY_APPROVERS', 'alice'],
    [{ APIKEY_APPROVERS: ' , ' }, 'APIKEY_APPROVERS', 'is required'],
    [{ APIKEY_APPROVER_CHANNEL: '#approvals' }, 'APIKEY_APPROVER_CHANNEL', 'channel id'],
    [{ APIKEY_ALLOW_SELF_APPROVAL: 'maybe' }, 'APIKEY_ALLOW_SELF_APPROVAL', 'true or false'],
    [{ PORT: '70000' }, 'PORT', '65535'],
    [{ SLACK_API_URL: 'not a url' }, 'SLACK_API_URL', 'URL'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL', 'postgres://'],
    [{ APIKEY_REMINDER_BEFORE: '80h' }, 'APIKEY_REMINDER_BEFORE', 'shorter'],
  ])('%j is refused naming %s', (patch, variable, hint) => {
    const err = problemsOf({ ...BASE, ...patch });
    expect(err.variables).toContain(variable);
    expect(err.message).toContain(`  - ${variable} `);
    expect(err.message).toContain(hint);
    // Start-up output goes through redact; it must not swallow any word of the explanation.
    expect(redact(err.message, ['signing-secret-value'])).toBe(err.message);
  });

  it('reports every bad variable at once', () => {
    const err = problemsOf({ ...BASE, SLACK_SIGNING_SECRET: undefined, APIKEY_DELIVERY: 'email', APIKEY_APPROVER_CHANNEL: undefined });
    expect(err.variables.sort()).toEqual(['APIKEY_APPROVER_CHANNEL', 'APIKEY_DELIVERY', 'SLACK_SIGNING_SECRET']);
  });

  it('reports Slack and NCP problems together, each line naming its variable in words redaction leaves intact', () => {
    const err = (() => {
      try {
        loadEnvironment({ SLACK_SIGNING_SECRET: 's3cret-value', APIKEY_APPROVERS: 'U0APP1', NCLOUD_SITE: 'mars', NCLOUD_APIGW_ENDPOINT: 'ftp://x' });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('accepted');
    })();
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.variables.sort()).toEqual(['APIKEY_APPROVER_CHANNEL', 'NCLOUD_ACCESS_KEY', 'NCLOUD_APIGW_ENDPOINT', 'NCLOUD_SECRET_KEY', 'NCLOUD_SITE', 'SLACK_BOT_TOKEN']);
    expect(err.message).toContain('Invalid configuration (6 problems)');
    expect(err.message).toContain('  - SLACK_BOT_TOKEN is required');
    expect(err.message).toContain('  - NCLOUD_SECRET_KEY is required (the NCP secret key');
    expect(err.message).toContain('  - NCLOUD_SITE must be public, gov or fin');
    expect(redact(err.message, ['s3cret-value'])).toBe(err.message);
  });

  it('accepts a complete environment with the NCP alternatives and normalises the endpoint', () => {
    // NCLOUD_PROFILE names a section of ~/.ncloud/configure, which the server never reads: ignored, not an error.
    const { config, ncp } = loadEnvironment({ ...BASE, NCLOUD_PROFILE: 'other', NCLOUD_ACCESS_KEY_ID: 'AK', NCLOUD_SECRET_ACCESS_KEY: 'SK', NCLOUD_SITE: 'GOV', NCLOUD_APIGW_ENDPOINT: 'http://127.0.0.1:9/api/v1/' });
    expect(config.approverChannel).toBe('C0APPROVE');
    expect(ncp).toMatchObject({ credentials: { accessKey: 'AK', secretKey: 'SK' }, site: 'gov', endpoint: 'http://127.0.0.1:9/api/v1' });
  });

  it('never echoes a secret in its message', () => {
    const err = problemsOf({ ...BASE, SLACK_BOT_TOKEN: 'xoxp-very-secret-user-token', SLACK_APP_TOKEN: 'xoxb-wrong-kind-secret' });
    expect(err.variables).toEqual(expect.arrayContaining(['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN']));
    expect(err.message).not.toContain('very-secret');
    expect(err.message).not.toContain('wrong-kind-secret');
  });

  it('Socket Mode needs no signing secret', () => {
    expect(loadConfig({ ...BASE, SLACK_SIGNING_SECRET: undefined, SLACK_APP_TOKEN: 'xapp-1-abc' }).appToken).toBe('xapp-1-abc');
  });
});

describe('entry point on Node', () => {
  it('stops start-up with exit code 2 and names the bad variable', () => {
    const res = spawnSync(process.execPath, ['--import', 'tsx', 'apps/slack/src/main.ts'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', ...BASE, SLACK_BOT_TOKEN: 'xoxb-topsecret-token', APIKEY_REQUEST_TTL: 'soon' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('APIKEY_REQUEST_TTL');
    expect(res.stderr).not.toContain('topsecret');
  });

  it('names missing NCP credentials', () => {
    const res = spawnSync(process.execPath, ['--import', 'tsx', 'apps/slack/src/main.ts'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', ...BASE },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(res.status).toBe(2);
    expect(res.stderr).toContain('NCLOUD_ACCESS_KEY');
  });

  it('serves /healthz, completes create → approve → DM and the product flow, exits 0 on SIGTERM, and writes no secret', async () => {
    const { results } = await runMainE2E({ command: process.execPath, args: ['--import', 'tsx', 'apps/slack/src/main.ts'], label: 'node' });
    // A failed step's error carries the app's output.
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(results).toHaveLength(6);
  }, 180_000);
});
