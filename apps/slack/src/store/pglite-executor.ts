// Embedded SqlExecutor over PGlite (Postgres compiled to WASM): no server, one process, data in a folder
// (or 'memory://' for tests). PGlite serialises queries and transactions itself, so one instance is safe
// to share across concurrent async callers; two processes must not open the same folder.

import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { toSqlParams, type SqlExecutor, type SqlQueryable, type SqlRow } from './sql-executor.ts';

export async function createPgliteExecutor(dataDir: string): Promise<SqlExecutor> {
  const inMemory = dataDir.startsWith('memory://');
  if (!inMemory) await mkdir(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir);
  const wrap = (q: { query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }> }): SqlQueryable => ({
    async query<T extends SqlRow = SqlRow>(sql: string, params?: readonly unknown[]): Promise<T[]> {
      const result = await q.query<T>(sql, toSqlParams(params));
      return result.rows;
    },
  });
  return {
    ...wrap(db),
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    close: () => db.close(),
  };
}
