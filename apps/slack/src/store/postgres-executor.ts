// SqlExecutor over a shared Postgres server via the `postgres` driver (porsager; runs on Node and Deno).
// A connection pool, so several concurrent callers — and several replicas — really contend in the database.

import postgres from 'postgres';
import { toSqlParams, type SqlExecutor, type SqlQueryable, type SqlRow } from './sql-executor.ts';

export type PostgresExecutorOptions = { maxConnections?: number };

export async function createPostgresExecutor(url: string, opts: PostgresExecutorOptions = {}): Promise<SqlExecutor> {
  const sql = postgres(url, {
    max: opts.maxConnections ?? 10,
    onnotice: () => {},
  });
  // Fail fast on a bad URL or unreachable server instead of on the first request.
  try {
    await sql`SELECT 1`;
  } catch (err) {
    await sql.end({ timeout: 0 });
    throw err;
  }
  const wrap = (q: postgres.Sql | postgres.TransactionSql): SqlQueryable => ({
    async query<T extends SqlRow = SqlRow>(text: string, params?: readonly unknown[]): Promise<T[]> {
      const rows = await q.unsafe(text, toSqlParams(params) as postgres.ParameterOrJSON<never>[]);
      return rows as unknown as T[];
    },
  });
  return {
    ...wrap(sql),
    transaction: async <T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T> => {
      const result = await sql.begin((tx) => fn(wrap(tx)));
      return result as T;
    },
    close: () => sql.end({ timeout: 5 }),
  };
}
