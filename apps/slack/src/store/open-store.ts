// Picks the RequestStore from configuration: no DATABASE_URL → embedded PGlite in a data folder (one replica);
// postgres:// or postgresql:// → the shared Postgres server (several replicas). Migrates before returning.

import { createPgliteExecutor } from './pglite-executor.ts';
import { createPostgresExecutor } from './postgres-executor.ts';
import type { RequestStore } from './request-store.ts';
import { migrate } from './schema.ts';
import type { SqlExecutor } from './sql-executor.ts';
import { createSqlRequestStore } from './sql-request-store.ts';

export type OpenRequestStoreOptions = {
  /** Unset/empty: embedded store. `postgres://…` / `postgresql://…`: shared Postgres. */
  databaseUrl?: string | undefined;
  /** Embedded store folder (default './data'); 'memory://' keeps it in memory (tests). */
  dataDir?: string | undefined;
};

export async function openRequestStore(opts: OpenRequestStoreOptions = {}): Promise<RequestStore> {
  const url = opts.databaseUrl?.trim() ?? '';
  let db: SqlExecutor;
  if (url === '') {
    db = await createPgliteExecutor(opts.dataDir?.trim() || './data');
  } else if (/^postgres(ql)?:\/\//i.test(url)) {
    db = await createPostgresExecutor(url);
  } else {
    // Never echo the URL: it may carry a password.
    throw new Error('DATABASE_URL must start with postgres:// or postgresql:// (or be unset for the embedded store)');
  }
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return createSqlRequestStore(db);
}
