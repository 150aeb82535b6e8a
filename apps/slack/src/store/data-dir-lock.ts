// Guards an embedded data folder against a second opener: PGlite has no lock of its own, and two processes
// writing one folder corrupt it. Node 20 offers no flock without a native addon, so the lock is built from
// two things every file system here does atomically — exclusive creation (link(2) fails if the name exists)
// and rename — with Postgres-style owner records, and it holds across pid reuse, containers and races:
//
// - The lock is a folder `<dataDir>/store.lock/` of numbered owner files. The highest number is the lock.
//   Taking it means creating the NEXT number exclusively, so of any number of racers (for a free folder or
//   over a stale owner) exactly one creates it; the others see its file and re-judge. Numbers only grow:
//   a released lock stays as a tombstone, and a racer that creates a number after a higher one appeared
//   sees the higher one when it checks again and backs off.
// - An owner file records pid, host, boot id, pid namespace and the process's start time (Linux /proc), plus
//   a random token. An owner is gone only when that exact process is gone: same boot and pid namespace and
//   no process with that pid AND that start time. A container restarted as pid 1 therefore recognises its
//   predecessor's lock as stale, while a second container that is also pid 1 (another namespace, same
//   volume) cannot see the owner and falls back to the heartbeat.
// - The holder touches its file every `heartbeatMs`; an owner we cannot see is gone only after `staleMs`
//   without a heartbeat. The holder also checks on every beat that it still holds the highest number and
//   reports a loss through `onLost` (the store then refuses every query) rather than writing on.

import { link, mkdir, readFile, readdir, readlink, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import process from 'node:process';

/** The lock folder inside the data folder (a plain file of this name was the lock of earlier versions). */
export const LOCK_DIR = 'store.lock';

export type DataDirLock = { release(): Promise<void> };

/** Who holds (or held) the folder; the fields that identify one process on one kernel. */
export type LockOwner = {
  pid: number;
  host: string;
  bootId?: string | undefined;
  pidNs?: string | undefined;
  /** Process start time in clock ticks since boot (/proc/<pid>/stat field 22). */
  startTicks?: string | undefined;
};

type OwnerRecord = LockOwner & { v: 1; gen: number; token: string; since: string; released?: boolean };

export type LockOptions = {
  /** Heartbeat interval of the holder (default 10 s). */
  heartbeatMs?: number;
  /** An owner we cannot check directly is gone after this long without a heartbeat (default 30 s). */
  staleMs?: number;
  /** Called once if the lock is found taken by someone else while held (after a long freeze, or deletion). */
  onLost?: (why: string) => void;
  /** Replaces fields of this process's identity (tests simulating other hosts and namespaces). */
  identity?: Partial<LockOwner>;
};

// Folders this process holds: a second open in this process is refused even though the owner file names us.
const heldHere = new Set<string>();

const GEN_FILE = /^(\d{12})\.owner$/;
const genName = (gen: number) => `${String(gen).padStart(12, '0')}.owner`;

export async function lockDataDir(dataDir: string, opts: LockOptions = {}): Promise<DataDirLock> {
  const root = resolve(dataDir);
  const dir = join(root, LOCK_DIR);
  const heartbeatMs = opts.heartbeatMs ?? 10_000;
  const staleMs = opts.staleMs ?? 30_000;
  if (heldHere.has(root)) throw inUse(dataDir, 'this process', dir, staleMs);
  await ensureLockDir(dataDir, dir);
  const me: LockOwner = { ...(await currentIdentity()), ...opts.identity };

  for (let attempt = 0; attempt < 20; attempt++) {
    const top = (await generations(dir)).at(-1) ?? 0;
    if (top > 0) {
      const owner = await readOwner(dir, top);
      if (owner !== 'missing') {
        if (await isHeld(owner, me, staleMs)) {
          throw inUse(dataDir, owner.record === undefined ? 'an unknown process' : describeOwner(owner.record), dir, staleMs);
        }
      }
    }
    const gen = top + 1;
    const token = crypto.randomUUID();
    const record: OwnerRecord = { v: 1, gen, token, since: new Date().toISOString(), ...me };
    const tmp = join(dir, `.tmp-${token}`);
    await writeFile(tmp, `${JSON.stringify(record)}\n`, { flag: 'wx' });
    try {
      await link(tmp, join(dir, genName(gen)));
    } catch (err) {
      if (code(err) !== 'EEXIST') throw err;
      continue; // another opener took this number first: judge that one
    } finally {
      await unlink(tmp).catch(() => {});
    }
    if (((await generations(dir)).at(-1) ?? 0) > gen) {
      await unlink(join(dir, genName(gen))).catch(() => {});
      continue; // created a number someone already passed (we read an old listing): not ours
    }
    heldHere.add(root);
    for (const old of await generations(dir)) if (old < gen) await unlink(join(dir, genName(old))).catch(() => {});
    return holdLock(root, dir, gen, record, heartbeatMs, opts.onLost);
  }
  throw new Error(`could not lock the data folder ${dataDir}: too many concurrent openers`);
}

function holdLock(root: string, dir: string, gen: number, record: OwnerRecord, heartbeatMs: number, onLost?: (why: string) => void): DataDirLock {
  const path = join(dir, genName(gen));
  let lost = false;
  let beating: Promise<void> = Promise.resolve();
  const beat = async (): Promise<void> => {
    const mine = await readOwner(dir, gen);
    const top = (await generations(dir)).at(-1) ?? 0;
    if (mine === 'missing' || mine.record?.token !== record.token || top > gen) {
      lost = true;
      clearInterval(timer);
      heldHere.delete(root);
      onLost?.(`the lock on ${root} was taken over or removed while this process held it`);
      return;
    }
    const now = new Date();
    await utimes(path, now, now);
  };
  const timer = setInterval(() => { beating = beat().catch(() => {}); }, heartbeatMs);
  // The heartbeat alone must not keep a process alive that has nothing else to do.
  (timer as { unref?: () => void }).unref?.();
  return {
    async release() {
      clearInterval(timer);
      await beating;
      if (lost) return;
      heldHere.delete(root);
      // Leave a tombstone instead of deleting: numbers must never be reused (see the header).
      const tmp = join(dir, `.tmp-${record.token}`);
      await writeFile(tmp, `${JSON.stringify({ ...record, released: true })}\n`);
      await rename(tmp, path);
    },
  };
}

async function ensureLockDir(dataDir: string, dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (err) {
    if (code(err) !== 'EEXIST' && code(err) !== 'ENOTDIR') throw err;
  }
  const info = await stat(dir);
  if (!info.isDirectory()) {
    // Earlier versions kept a pid-only file here; its owner cannot be checked reliably (the fault this fixes).
    const pid = (await readFile(dir, 'utf8').catch(() => '')).trim();
    throw new Error(
      `the embedded store folder ${dataDir} has a lock file from an earlier version of this app (pid ${pid || '?'}); ` +
        `if no other process uses the folder, delete ${dir} and start again; for several replicas set DATABASE_URL`,
    );
  }
}

async function generations(dir: string): Promise<number[]> {
  const gens: number[] = [];
  for (const name of await readdir(dir)) {
    const m = GEN_FILE.exec(name);
    if (m?.[1] !== undefined) gens.push(Number(m[1]));
  }
  return gens.sort((a, b) => a - b);
}

type ReadOwner = { record: OwnerRecord | undefined; mtimeMs: number } | 'missing';

async function readOwner(dir: string, gen: number): Promise<ReadOwner> {
  const path = join(dir, genName(gen));
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    return { record: parseRecord(text), mtimeMs: info.mtimeMs };
  } catch (err) {
    if (code(err) === 'ENOENT') return 'missing';
    throw err;
  }
}

function parseRecord(text: string): OwnerRecord | undefined {
  try {
    const r = JSON.parse(text) as Partial<OwnerRecord>;
    if (r.v === 1 && typeof r.pid === 'number' && typeof r.token === 'string' && typeof r.host === 'string') return r as OwnerRecord;
  } catch {
    // unreadable: judged by its heartbeat alone
  }
  return undefined;
}

/** True while the recorded owner may still be running (so the folder is not ours to take). */
async function isHeld(owner: { record: OwnerRecord | undefined; mtimeMs: number }, me: LockOwner, staleMs: number): Promise<boolean> {
  const r = owner.record;
  if (r?.released === true) return false;
  if (r !== undefined && sameKernelAndNamespace(r, me)) {
    // We see the owner's process table: it is gone exactly when no process has its pid and start time.
    return (await startTicksOf(r.pid)) === r.startTicks;
  }
  // Another host, container or kernel (or no /proc): only the heartbeat can tell.
  return Date.now() - owner.mtimeMs < staleMs;
}

function sameKernelAndNamespace(r: LockOwner, me: LockOwner): boolean {
  return r.bootId !== undefined && r.pidNs !== undefined && r.startTicks !== undefined &&
    r.bootId === me.bootId && r.pidNs === me.pidNs && r.host === me.host;
}

async function currentIdentity(): Promise<LockOwner> {
  const [bootId, pidNs, startTicks] = await Promise.all([
    readFile('/proc/sys/kernel/random/boot_id', 'utf8').then((s) => s.trim(), () => undefined),
    readlink('/proc/self/ns/pid').catch(() => undefined),
    startTicksOf(process.pid),
  ]);
  return { pid: process.pid, host: hostname(), bootId, pidNs, startTicks };
}

/** Field 22 of /proc/<pid>/stat; undefined when there is no such process (or no /proc). */
async function startTicksOf(pid: number): Promise<string | undefined> {
  const text = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  // The command name (field 2) may contain spaces and parentheses; fields after its closing ')' are plain.
  return text.slice(text.lastIndexOf(')') + 2).split(' ')[19];
}

function describeOwner(r: OwnerRecord): string {
  return `process ${r.pid} on ${r.host} (since ${r.since})`;
}

function code(err: unknown): string | undefined {
  return (err as { code?: string }).code;
}

function inUse(dataDir: string, who: string, dir: string, staleMs: number): Error {
  return new Error(
    `the embedded store folder ${dataDir} is already open in ${who}; run one replica per folder, or set ` +
      `DATABASE_URL to a Postgres server for several (a crashed owner's lock is taken over once that exact ` +
      `process is gone, or after ${Math.round(staleMs / 1000)} s without its heartbeat when it ran in another container or host; ${dir} holds the owner)`,
  );
}
