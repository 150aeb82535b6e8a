// Embedded SqlExecutor over PGlite (Postgres compiled to WASM): no server, one process, data in a folder
// (its database files in <dataDir>/pglite, beside the lock file; or 'memory://' for tests). PGlite serialises queries and transactions itself, so one instance is safe
// to share across concurrent async callers; a lock file keeps a second opener out of the same folder.

import { access, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { lockDataDir, type DataDirLock } from './data-dir-lock.ts';
import { toSqlParams, type SqlExecutor, type SqlQueryable, type SqlRow } from './sql-executor.ts';

export async function createPgliteExecutor(dataDir: string): Promise<SqlExecutor> {
  const inMemory = dataDir.startsWith('memory://');
  let lock: DataDirLock | undefined;
  // Set when another process took the folder over (only after this one stopped beating for a long time):
  // from then on nothing is written, so two processes never write one folder.
  let lost: string | undefined;
  if (!inMemory) {
    await mkdir(dataDir, { recursive: true });
    lock = await lockDataDir(dataDir, { onLost: (why) => { lost = why; } });
  }
  let db: PGlite;
  try {
    db = inMemory ? await createInMemory() : await createOnDisk(join(dataDir, 'pglite'));
  } catch (err) {
    await lock?.release();
    throw err;
  }
  const wrap = (q: { query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }> }): SqlQueryable => ({
    async query<T extends SqlRow = SqlRow>(sql: string, params?: readonly unknown[]): Promise<T[]> {
      if (lost !== undefined) throw new Error(`embedded store unusable: ${lost}`);
      const result = await q.query<T>(sql, toSqlParams(params));
      return result.rows;
    },
  });
  return {
    ...wrap(db),
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    async close() {
      try {
        await db.close();
      } finally {
        await lock?.release();
      }
    },
  };
}

// initdb costs seconds; cloning a pristine cluster image costs a fraction of that. Tests open many in-memory
// stores, so the first one in a process leaves its freshly initialised image behind for the rest (and a new
// data folder opened later in the same process starts from it too).
let pristineImage: Promise<Blob> | undefined;

async function createInMemory(): Promise<PGlite> {
  if (pristineImage !== undefined) {
    const image = await pristineImage.catch(() => undefined);
    if (image !== undefined) return PGlite.create({ loadDataDir: image });
  }
  const db = await PGlite.create('memory://');
  if (pristineImage === undefined) {
    const dump = db.dumpDataDir('none');
    pristineImage = dump;
    // A failed dump only costs later opens a fresh initdb.
    await dump.catch(() => {
      if (pristineImage === dump) pristineImage = undefined;
    });
  }
  return db;
}

async function createOnDisk(pgdata: string): Promise<PGlite> {
  const image = await pristineImage?.catch(() => undefined);
  const exists = await access(join(pgdata, 'PG_VERSION')).then(() => true, () => false);
  return image !== undefined && !exists ? PGlite.create(pgdata, { loadDataDir: image }) : PGlite.create(pgdata);
}
