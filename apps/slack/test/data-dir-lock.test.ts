// The embedded store's data-folder lock, raced by real child processes: of many openers of a free folder or of
// one left by a dead process exactly one gets it; a live owner is never robbed — not by pid reuse (a restarted
// container is pid 1 again) and not by a second container that is also pid 1 on the same volume.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, utimes, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOCK_DIR, lockDataDir, type LockOptions } from '../src/store/data-dir-lock.ts';

const CHILD = new URL('./helpers/lock-child.ts', import.meta.url).pathname;
// The children run on the runtime running this suite (test:deno runs it under Deno too).
const isDeno = 'Deno' in globalThis;
const childArgs = (...rest: string[]) => (isDeno ? ['run', '-A', '--no-prompt', CHILD, ...rest] : ['--import', 'tsx', CHILD, ...rest]);

type Outcome = { got: boolean; error?: string };

/** Starts `n` lock-child processes and, once all are loaded, lets them try at the same instant. */
async function race(dir: string, n: number, o: { options?: LockOptions; holdMs?: number } = {}): Promise<Outcome[]> {
  const children = Array.from({ length: n }, () => {
    const child = spawn(process.execPath, childArgs(dir, JSON.stringify(o.options ?? {}), String(o.holdMs ?? 3000)), {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    const ready = new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (c: Buffer) => { out += c.toString(); if (out.startsWith('ready\n')) resolve(); });
      child.on('exit', () => reject(new Error(`lock child exited before it was ready: ${err}`)));
    });
    child.stderr.on('data', (c: Buffer) => { err += c.toString(); });
    const outcome = new Promise<Outcome>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', () => {
        const line = out.split('\n')[1];
        if (line === undefined || line === '') reject(new Error(`lock child printed no outcome: ${err}`));
        else resolve(JSON.parse(line) as Outcome);
      });
    });
    return { child, ready, outcome };
  });
  await Promise.all(children.map((c) => c.ready));
  for (const c of children) c.child.stdin.write('go\n');
  return Promise.all(children.map((c) => c.outcome));
}

async function ownerFiles(dir: string): Promise<string[]> {
  return (await readdir(join(dir, LOCK_DIR))).filter((f) => f.endsWith('.owner')).sort();
}

/** Writes an owner record as another process (or host, or container) would have left it. */
async function plantOwner(dir: string, gen: number, owner: Record<string, unknown>, ageMs = 0): Promise<void> {
  await mkdir(join(dir, LOCK_DIR), { recursive: true });
  const path = join(dir, LOCK_DIR, `${String(gen).padStart(12, '0')}.owner`);
  await writeFile(path, JSON.stringify({ v: 1, gen, token: crypto.randomUUID(), since: new Date().toISOString(), ...owner }));
  const t = new Date(Date.now() - ageMs);
  await utimes(path, t, t);
}

const ownIdentity = async () => ({
  bootId: (await readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim(),
  pidNs: await import('node:fs/promises').then((fs) => fs.readlink('/proc/self/ns/pid')),
  host: (await import('node:os')).hostname(),
});

const linux = process.platform === 'linux';

describe('data folder lock', () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'apikey-lock-')); });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  it('of six processes opening a free folder at once, exactly one gets it', async () => {
    const outcomes = await race(dir, 6);
    expect(outcomes.filter((o) => o.got)).toHaveLength(1);
    for (const o of outcomes.filter((x) => !x.got)) expect(o.error).toMatch(/already open in process \d+/);
  }, 60_000);

  it.runIf(linux)('of six processes racing over a lock left by a dead process, exactly one takes it over', async () => {
    const me = await ownIdentity();
    // A process of this namespace that is gone: no process has this start time.
    await plantOwner(dir, 1, { pid: 999_999, startTicks: '1', ...me });
    const outcomes = await race(dir, 6);
    expect(outcomes.filter((o) => o.got)).toHaveLength(1);
    expect(await ownerFiles(dir)).toEqual(['000000000002.owner']);
  }, 60_000);

  it.runIf(linux)('a process killed while holding the folder leaves a lock the next opener takes at once', async () => {
    const [first] = await race(dir, 1, { holdMs: 0 }); // exits without releasing, as after a crash
    expect(first?.got).toBe(true);
    const lock = await lockDataDir(dir);
    await lock.release();
  }, 60_000);

  it.runIf(linux)('a restarted container that is pid 1 again takes over its predecessor\'s lock (pid reused, start time differs)', async () => {
    const me = await ownIdentity();
    await plantOwner(dir, 1, { pid: process.pid, startTicks: '1', ...me });
    const lock = await lockDataDir(dir);
    await lock.release();
  });

  it.runIf(linux)('a live process with the recorded pid and start time keeps the folder, even when it is pid 1', async () => {
    const me = await ownIdentity();
    const stat = await readFile('/proc/1/stat', 'utf8');
    const startTicks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    await plantOwner(dir, 1, { pid: 1, startTicks, ...me }, 10 * 60_000); // no heartbeat for 10 minutes: irrelevant here
    await expect(lockDataDir(dir)).rejects.toThrow(/already open in process 1 /);
  });

  it('a second container that is also pid 1 on the same volume refuses instead of stealing', async () => {
    const containerA: LockOptions = { identity: { pid: 1, pidNs: 'pid:[4026530001]', startTicks: '77', host: 'container-a' } };
    const containerB: LockOptions = { identity: { pid: 1, pidNs: 'pid:[4026530002]', startTicks: '77', host: 'container-b' } };
    const holding = race(dir, 1, { options: containerA, holdMs: 10_000 });
    for (;;) { // B starts once A holds the folder
      if ((await ownerFiles(dir).catch(() => [])).length > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    const second = await race(dir, 1, { options: containerB });
    const holder = await holding;
    expect(holder[0]?.got).toBe(true);
    expect(second[0]).toMatchObject({ got: false, error: expect.stringMatching(/already open in process 1 on container-a/) });
    expect(await ownerFiles(dir)).toEqual(['000000000001.owner']);
  }, 60_000);

  it('an owner in another container or host is taken over only after its heartbeat stopped', async () => {
    const elsewhere = { pid: 1, host: 'other-host', bootId: 'another-boot', pidNs: 'pid:[1]', startTicks: '5' };
    await plantOwner(dir, 1, elsewhere, 5_000);
    await expect(lockDataDir(dir, { staleMs: 30_000 })).rejects.toThrow(/already open in process 1 on other-host/);
    await plantOwner(dir, 1, elsewhere, 31_000);
    const lock = await lockDataDir(dir, { staleMs: 30_000 });
    await lock.release();
  });

  it('a holder keeps its heartbeat fresh, so a long-running owner in another container is never judged stale', async () => {
    const lock = await lockDataDir(dir, { heartbeatMs: 50, identity: { pidNs: 'pid:[9]', host: 'container-a' } });
    try {
      await new Promise((r) => setTimeout(r, 400));
      // staleMs 300 ms, but the holder beat every 50 ms: still held.
      await expect(lockDataDir(dir, { staleMs: 300, identity: { pidNs: 'pid:[8]', host: 'container-b' } })).rejects.toThrow(/already open/);
    } finally {
      await lock.release();
    }
  });

  it('a holder whose lock was taken over reports the loss instead of writing on', async () => {
    let lost: string | undefined;
    const lock = await lockDataDir(dir, { heartbeatMs: 30, onLost: (why) => { lost = why; } });
    await plantOwner(dir, 2, { pid: 1, host: 'someone-else' });
    await new Promise((r) => setTimeout(r, 200));
    expect(lost).toMatch(/taken over or removed/);
    await lock.release(); // must not touch the new owner's file
    expect(await ownerFiles(dir)).toContain('000000000002.owner');
  });

  it('a released lock stays as a tombstone so numbers are never reused, and the next opener takes the next one', async () => {
    const a = await lockDataDir(dir);
    await expect(lockDataDir(dir)).rejects.toThrow(/already open in this process/);
    await a.release();
    const b = await lockDataDir(dir);
    expect(await ownerFiles(dir)).toEqual(['000000000002.owner']);
    await b.release();
    expect(JSON.parse(await readFile(join(dir, LOCK_DIR, '000000000002.owner'), 'utf8'))).toMatchObject({ released: true });
  });

  it('refuses a pid-only lock file left by an earlier version and says how to clear it', async () => {
    await writeFile(join(dir, LOCK_DIR), '12345\n');
    await expect(lockDataDir(dir)).rejects.toThrow(/earlier version.*pid 12345.*delete/);
  });
});
