// Guards an embedded data folder against a second opener: PGlite has no lock of its own, and two processes
// writing one folder would corrupt it. The lock is a file holding the owner's pid; a lock whose pid is gone
// (a crash) is taken over.

import { open, readFile, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import process from 'node:process';

export const LOCK_FILE = 'store.lock';

// Folders this process holds, so a leftover lock carrying our own pid (a restarted container is often pid 1)
// counts as stale, while a second open in this process is still refused.
const heldHere = new Set<string>();

export type DataDirLock = { release(): Promise<void> };

export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  const dir = resolve(dataDir);
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    if (heldHere.has(dir)) throw inUse(dataDir, process.pid, path);
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      heldHere.add(dir);
      return {
        async release() {
          heldHere.delete(dir);
          await rm(path, { force: true });
        },
      };
    } catch (err) {
      if ((err as { code?: string }).code !== 'EEXIST') throw err;
    }
    const owner = Number.parseInt((await readFile(path, 'utf8').catch(() => '')).trim(), 10);
    if (Number.isSafeInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) throw inUse(dataDir, owner, path);
    await rm(path, { force: true });
  }
  throw new Error(`could not lock the data folder ${dataDir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}

function inUse(dataDir: string, pid: number, path: string): Error {
  return new Error(
    `the embedded store folder ${dataDir} is already open in process ${pid}; run one replica per folder, ` +
      `or set DATABASE_URL to a Postgres server for several (if that process is gone, delete ${path})`,
  );
}
