// `pnpm --silent audit:export` writes the audit log as JSON lines, oldest first, from the embedded store and
// from Postgres alike; --request and --since narrow it; bad arguments are refused before anything is read.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRequestStore } from '../src/store/open-store.ts';
import type { RequestStore } from '../src/store/request-store.ts';
import { REPO_ROOT } from '../test-deno/main-e2e.ts';

const T = Date.parse('2026-03-01T10:00:00Z');
const ADMIN_URL = process.env.APIKEY_TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const DB_NAME = `apikey_audit_export_${process.pid}_${Date.now().toString(36)}`;
const DB_URL = ADMIN_URL.replace(/\/[^/]*$/, `/${DB_NAME}`);

let dataDir: string;
let admin: ReturnType<typeof postgres>;

/** Two requests: one approved (requested, approved), one denied a day later (requested, denied). */
async function seed(store: RequestStore): Promise<string[]> {
  const a = await store.createRequest({ teamId: 'T1', requesterId: 'U0REQ1', apiKeyName: 'billing', apiKeyDescription: '', justification: 'x', createdAt: T, expiresAt: T + 3_600_000 }, 'U0REQ1');
  await store.transition(a.id, 'pending', 'approved', { decidedBy: 'U0APP1', decidedAt: T + 60_000 }, { at: T + 60_000, actor: 'U0APP1', type: 'approved', detail: { comment: 'ok' } });
  const b = await store.createRequest({ teamId: 'T1', requesterId: 'U0REQ2', apiKeyName: 'scratch', apiKeyDescription: '', justification: 'y', createdAt: T + 86_400_000, expiresAt: T + 90_000_000 }, 'U0REQ2');
  await store.transition(b.id, 'pending', 'denied', { decidedBy: 'U0APP1' }, { at: T + 86_460_000, actor: 'U0APP1', type: 'denied', detail: { reason: 'no' } });
  return [a.id, b.id];
}

function exportAudit(env: Record<string, string>, args: string[] = []) {
  const res = spawnSync('pnpm', ['--silent', 'audit:export', ...args], { cwd: REPO_ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env }, encoding: 'utf8', timeout: 90_000 });
  return { ...res, events: res.status === 0 ? res.stdout.trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Record<string, unknown>) : [] };
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'apikey-audit-'));
  admin = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${DB_NAME}`);
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)`);
  await admin.end();
});

describe.each([
  ['the embedded store', () => ({ APIKEY_DATA_DIR: dataDir }), () => openRequestStore({ dataDir })],
  ['Postgres', () => ({ DATABASE_URL: DB_URL }), () => openRequestStore({ databaseUrl: DB_URL })],
])('audit export from %s', (_label, env, open) => {
  let ids: string[] = [];
  beforeAll(async () => {
    const store = await open();
    ids = await seed(store);
    await store.close();
  }, 180_000);

  it('prints every event as one JSON object a line, oldest first, with the request it belongs to', () => {
    const res = exportAudit(env());
    expect(res.status, res.stderr).toBe(0);
    expect(res.events.map((e) => [e['requestId'], e['type'], e['actor']])).toEqual([
      [ids[0], 'requested', 'U0REQ1'],
      [ids[0], 'approved', 'U0APP1'],
      [ids[1], 'requested', 'U0REQ2'],
      [ids[1], 'denied', 'U0APP1'],
    ]);
    expect(res.events[1]).toMatchObject({ at: '2026-03-01T10:01:00.000Z', apiKeyName: 'billing', requesterId: 'U0REQ1', detail: { comment: 'ok' } });
    expect(res.events.map((e) => e['id'])).toEqual([...res.events.map((e) => e['id'] as number)].sort((x, y) => x - y));
  }, 90_000);

  it('--request and --since narrow the export', () => {
    expect(exportAudit(env(), ['--request', ids[1]!]).events.map((e) => e['type'])).toEqual(['requested', 'denied']);
    expect(exportAudit(env(), ['--since', '2026-03-02T00:00:00Z']).events.map((e) => e['requestId'])).toEqual([ids[1], ids[1]]);
  }, 90_000);
});

describe('audit export arguments', () => {
  it('refuses a malformed request id or date, exits 1 and prints usage', () => {
    for (const args of [['--request', "x' OR 1=1"], ['--since', 'yesterday'], ['--format', 'csv']]) {
      const res = exportAudit({ APIKEY_DATA_DIR: dataDir }, args);
      expect(res.status).toBe(1);
      expect(res.stderr).toContain('usage: export-audit.ts');
      expect(res.stdout).toBe('');
    }
  }, 120_000);

  it('refuses a folder that holds no store, and leaves no empty store behind', () => {
    const empty = mkdtempSync(join(tmpdir(), 'apikey-no-store-'));
    try {
      const res = exportAudit({ APIKEY_DATA_DIR: empty });
      expect(res.status).toBe(1);
      expect(res.stderr).toContain(`no embedded store in ${empty}`);
      expect(readdirSync(empty)).toEqual([]);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  }, 90_000);
});
