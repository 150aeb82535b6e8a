// The tiny database seam the store logic is written against once: PGlite (embedded) and the `postgres`
// driver (shared server) each adapt to it, so the SQL and the state-machine logic exist in one place.

export type SqlRow = Record<string, unknown>;

export interface SqlQueryable {
  /** Runs one statement with $1… parameters; `undefined` parameters are sent as NULL. */
  query<T extends SqlRow = SqlRow>(sql: string, params?: readonly unknown[]): Promise<T[]>;
}

export interface SqlExecutor extends SqlQueryable {
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it rejects. */
  transaction<T>(fn: (tx: SqlQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export function toSqlParams(params: readonly unknown[] | undefined): unknown[] {
  return (params ?? []).map((p) => (p === undefined ? null : p));
}
