// The one SQL schema shared by PGlite and Postgres, and the migration runner that applies it on open.
// Migrations are append-only lists of single statements (both drivers run them through the same
// extended-protocol `query`), recorded in schema_version; re-running is a no-op.

import type { SqlExecutor } from './sql-executor.ts';

export const REQUEST_STATES = ['pending', 'approved', 'created', 'delivered', 'denied', 'expired', 'failed'] as const;

// Serialises concurrent migrators (several replicas starting at once against one Postgres).
const MIGRATION_LOCK_ID = 7_301_442_019;

export const migrations: readonly { version: number; statements: readonly string[] }[] = [
  {
    version: 1,
    statements: [
      `CREATE TABLE IF NOT EXISTS requests (
        id text PRIMARY KEY,
        team_id text NOT NULL,
        requester_id text NOT NULL,
        api_key_name text NOT NULL,
        api_key_description text NOT NULL,
        justification text NOT NULL,
        state text NOT NULL CHECK (state IN (${REQUEST_STATES.map((s) => `'${s}'`).join(', ')})),
        version integer NOT NULL DEFAULT 1,
        created_at bigint NOT NULL,
        expires_at bigint NOT NULL,
        decided_by text,
        decided_at bigint,
        decision_comment text,
        api_key_id text,
        create_started_at bigint,
        approval_channel text,
        approval_ts text,
        requester_dm_channel text,
        revealed_at bigint,
        reminded_at bigint,
        attempts integer NOT NULL DEFAULT 0,
        last_error text
      )`,
      `CREATE INDEX IF NOT EXISTS requests_by_requester ON requests (team_id, requester_id, created_at DESC)`,
      `CREATE INDEX IF NOT EXISTS requests_by_state ON requests (state, expires_at)`,
      `CREATE TABLE IF NOT EXISTS audit_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        request_id text NOT NULL REFERENCES requests (id),
        at bigint NOT NULL,
        actor text NOT NULL,
        type text NOT NULL,
        detail jsonb
      )`,
      `CREATE INDEX IF NOT EXISTS audit_events_by_request ON audit_events (request_id, id)`,
      `CREATE OR REPLACE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_events is append-only: % is not allowed', TG_OP;
      END
      $$`,
      `DROP TRIGGER IF EXISTS audit_events_no_change ON audit_events`,
      `CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
        FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`,
      `DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events`,
      `CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
        FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only()`,
      `CREATE TABLE IF NOT EXISTS outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        request_id text NOT NULL REFERENCES requests (id),
        kind text NOT NULL,
        payload jsonb NOT NULL,
        attempts integer NOT NULL DEFAULT 0,
        not_before bigint NOT NULL,
        locked_by text,
        locked_until bigint,
        last_error text,
        done_at bigint
      )`,
      `CREATE INDEX IF NOT EXISTS outbox_due ON outbox (not_before, id) WHERE done_at IS NULL`,
      `CREATE INDEX IF NOT EXISTS outbox_by_request ON outbox (request_id, id)`,
    ],
  },
  {
    version: 2,
    statements: [
      // Steps that must be queued at most once per request (the expiry reminder), whoever queues them.
      `ALTER TABLE outbox ADD COLUMN IF NOT EXISTS once_key text`,
      `CREATE UNIQUE INDEX IF NOT EXISTS outbox_once ON outbox (request_id, once_key) WHERE once_key IS NOT NULL`,
      // Reveal delivery: who is showing the keys right now (a short lease), so revealedAt is set only once shown.
      `ALTER TABLE requests ADD COLUMN IF NOT EXISTS reveal_lease_until bigint`,
    ],
  },
  {
    version: 3,
    statements: [
      // The NCP product a request is for: its id (what the key subscribes to) and the name shown to people.
      `ALTER TABLE requests ADD COLUMN IF NOT EXISTS product_id text`,
      `ALTER TABLE requests ADD COLUMN IF NOT EXISTS product_name text`,
      // Approvals toward a quorum: one row per (request, approver), so an approver counts once whoever retries.
      `CREATE TABLE IF NOT EXISTS approvals (
        request_id text NOT NULL REFERENCES requests (id),
        approver_id text NOT NULL,
        at bigint NOT NULL,
        comment text,
        PRIMARY KEY (request_id, approver_id)
      )`,
    ],
  },
  {
    version: 4,
    statements: [
      // The key registry: every key the app created, its owner, product and origin request — never a key value.
      `CREATE TABLE IF NOT EXISTS api_keys (
        api_key_id text PRIMARY KEY,
        team_id text NOT NULL,
        owner_id text NOT NULL,
        request_id text NOT NULL REFERENCES requests (id),
        api_key_name text NOT NULL,
        product_id text,
        product_name text,
        state text NOT NULL CHECK (state IN ('active', 'disabled', 'deleted')),
        version integer NOT NULL DEFAULT 1,
        created_at bigint NOT NULL,
        rotated_at bigint,
        owner_gone_at bigint,
        reminded_at bigint,
        rotation_step text CHECK (rotation_step IN ('secondary', 'awaiting_primary', 'primary')),
        rotation_by text,
        rotation_started_at bigint,
        rotation_fingerprint text,
        reveal_part text CHECK (reveal_part IN ('secondary', 'primary')),
        reveal_lease_until bigint,
        revealed_at bigint
      )`,
      `CREATE INDEX IF NOT EXISTS api_keys_by_owner ON api_keys (team_id, owner_id, created_at)`,
      // Keys created before the registry existed: their requests already name key, owner and product.
      `INSERT INTO api_keys (api_key_id, team_id, owner_id, request_id, api_key_name, product_id, product_name, state, version, created_at)
       SELECT api_key_id, team_id, requester_id, id, api_key_name, product_id, product_name, 'active', 1, COALESCE(decided_at, created_at)
       FROM requests WHERE api_key_id IS NOT NULL AND state IN ('created', 'delivered')
       ON CONFLICT (api_key_id) DO NOTHING`,
    ],
  },
];

export const SCHEMA_VERSION = migrations[migrations.length - 1]?.version ?? 0;

/** Brings the database up to SCHEMA_VERSION; safe to call on every open and from several processes. */
export async function migrate(db: SqlExecutor): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`);
    await tx.query(`CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, applied_at bigint NOT NULL)`);
    const rows = await tx.query<{ v: unknown }>(`SELECT max(version) AS v FROM schema_version`);
    const current = Number(rows[0]?.v ?? 0);
    if (current > SCHEMA_VERSION) {
      throw new Error(`database schema version ${current} is newer than this app supports (${SCHEMA_VERSION}); upgrade the app`);
    }
    for (const m of migrations) {
      if (m.version <= current) continue;
      for (const statement of m.statements) await tx.query(statement);
      await tx.query(`INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)`, [m.version, Date.now()]);
    }
  });
}
