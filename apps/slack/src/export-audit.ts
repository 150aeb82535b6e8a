// `pnpm --silent audit:export > audit.jsonl`: writes the audit log as JSON lines, oldest first, one event a
// line with the request's key name and requester beside it. Reads the same store the app uses: DATABASE_URL
// (Postgres; safe while the app runs) or the embedded store in APIKEY_DATA_DIR (default ./data; the app must be
// stopped, as only one process may open that folder). Read-only; never prints key values (the store has none).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';
import { redact } from '@apikey/core';
import { createPgliteExecutor } from './store/pglite-executor.ts';
import { createPostgresExecutor } from './store/postgres-executor.ts';
import type { SqlExecutor } from './store/sql-executor.ts';

const USAGE = `usage: export-audit.ts [--request <req_id>] [--since <ISO date>]

Writes the audit log as JSON lines to stdout, oldest first. Store: DATABASE_URL, else APIKEY_DATA_DIR (default ./data).
`;
const PAGE = 1000;

type Row = { id: unknown; request_id: string; at: unknown; actor: string; type: string; detail: unknown; api_key_name: string | null; requester_id: string | null };

function parseArgs(argv: string[]): { request?: string; since?: number } {
  const out: { request?: string; since?: number } = {};
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--request' && value !== undefined && /^req_[a-z2-7]{20}$/.test(value)) {
      out.request = value;
      i++;
    } else if (flag === '--since' && value !== undefined && Number.isFinite(Date.parse(value))) {
      out.since = Date.parse(value);
      i++;
    } else {
      throw new Error(`bad argument ${JSON.stringify(flag)}${flag === '--request' || flag === '--since' ? ` (value ${JSON.stringify(value ?? '')})` : ''}\n${USAGE}`);
    }
  }
  return out;
}

async function open(env: NodeJS.ProcessEnv): Promise<SqlExecutor> {
  const url = env.DATABASE_URL?.trim() ?? '';
  if (url === '') {
    const dataDir = env.APIKEY_DATA_DIR?.trim() || './data';
    // Opening a folder that holds no store would create an empty one there and then fail on the missing tables.
    if (!existsSync(join(dataDir, 'pglite'))) throw new Error(`no embedded store in ${dataDir} (set APIKEY_DATA_DIR to the app's data folder, or DATABASE_URL for Postgres)`);
    return createPgliteExecutor(dataDir);
  }
  if (!/^postgres(ql)?:\/\//i.test(url)) throw new Error('DATABASE_URL must start with postgres:// or postgresql:// (or be unset for the embedded store)');
  return createPostgresExecutor(url, { maxConnections: 1 });
}

async function main(): Promise<number> {
  if (process.argv.includes('--help')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const args = parseArgs(process.argv.slice(2));
  const db = await open(process.env);
  try {
    let after = 0;
    for (;;) {
      const rows = await db.query<Row>(
        `SELECT e.id, e.request_id, e.at, e.actor, e.type, e.detail, r.api_key_name, r.requester_id
           FROM audit_events e LEFT JOIN requests r ON r.id = e.request_id
          WHERE e.id > $1 AND ($2::text IS NULL OR e.request_id = $2) AND ($3::bigint IS NULL OR e.at >= $3)
          ORDER BY e.id LIMIT ${PAGE}`,
        [after, args.request ?? null, args.since ?? null],
      );
      let chunk = '';
      for (const r of rows) {
        chunk += `${JSON.stringify({
          id: Number(r.id),
          at: new Date(Number(r.at)).toISOString(),
          requestId: r.request_id,
          type: r.type,
          actor: r.actor,
          apiKeyName: r.api_key_name,
          requesterId: r.requester_id,
          detail: typeof r.detail === 'string' ? JSON.parse(r.detail) : r.detail ?? null,
        })}\n`;
      }
      if (chunk !== '' && !process.stdout.write(chunk)) await new Promise((resolve) => process.stdout.once('drain', resolve));
      if (rows.length < PAGE) break;
      after = Number(rows[rows.length - 1]?.id);
    }
  } finally {
    await db.close();
  }
  return 0;
}

main().then((code) => process.exit(code), (err: unknown) => {
  process.stderr.write(`${redact(`audit export: ${err instanceof Error ? err.message : String(err)}`, [process.env.DATABASE_URL ?? ''])}\n`);
  process.exit(1);
});
