// A create whose process dies mid-way is finished, not repeated, when the same command runs again: the real
// `apikey` binary against the emulator on a real port, killed (SIGKILL) while NCP holds the PUT that would set
// the real description — the key exists, carrying the run's marker. Plus the journal's own rules.
import { mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journalDir, journaledCreate, openCreateJournal, type CreateRequest } from '../src/commands/create-journal.ts';
import { envFor, runCli, startEmulator, tempHome, type Served } from './helpers.ts';

let server: Served;
beforeAll(async () => {
  server = await startEmulator();
});
afterAll(async () => {
  await server.close();
});

/** The journal's entries (not the temporary files of writes in progress). */
const entries = (env: Record<string, string>) => readdirSync(journalDir(env)).filter((n) => n.endsWith('.json'));
const keysNamed = (name: string) => server.emulator.inspect.keys().filter((k) => k.apiKeyName === name);

describe('apikey create after a crash', () => {
  it('the same command run again finishes the key the dead run made: one key, with the real description', async () => {
    // NCP may still apply the dead run's PUT after the process died (the emulator does, once the connection
    // closes): the re-run reads the key by the id the journal recorded and finds it done, or finishes it.
    const home = tempHome();
    const env = envFor(server, { XDG_STATE_HOME: join(home, 'state') });
    const args = ['create', '--name', 'crash-e2e', '--description', 'billing exports', '--json'];
    server.emulator.setFaults({ latency: { fixedMs: 120_000 }, only: { method: 'PUT' } });
    let dead;
    try {
      // Killed once NCP holds the key with this run's marker and the PUT is hanging.
      dead = await runCli(args, { env, home, killWhen: () => keysNamed('crash-e2e').some((k) => k.apiKeyDescription?.startsWith('apikey:')) });
    } finally {
      server.emulator.setFaults(undefined);
    }
    expect(dead.code).toBeNull();
    expect(keysNamed('crash-e2e')).toHaveLength(1);
    // One entry (a write the kill cut short may also have left its temporary file).
    expect(entries(env)).toHaveLength(1);

    const again = await runCli(args, { env, home });
    expect(again.stderr).toContain('An earlier run of this create did not finish');
    expect(again.code).toBe(0);
    const keys = keysNamed('crash-e2e');
    expect(keys).toHaveLength(1);
    expect(keys[0]?.apiKeyDescription).toBe('billing exports');
    expect(JSON.parse(again.stdout).apiKeyId).toBe(keys[0]?.apiKeyId);
    expect(readdirSync(journalDir(env))).toEqual([]);

    // A create that finished is never resumed: the same command again is a second key, as asked.
    const third = await runCli(args, { env, home });
    expect(third.code).toBe(0);
    expect(third.stderr).not.toContain('earlier run');
    expect(keysNamed('crash-e2e')).toHaveLength(2);
  }, 60_000);

  it('a run that died before NCP made anything makes the key on the next run, once', async () => {
    const home = tempHome();
    const env = envFor(server, { XDG_STATE_HOME: join(home, 'state') });
    const args = ['create', '--name', 'early-crash'];
    // Every POST is dropped before NCP commits anything.
    server.emulator.setFaults({ dropRate: 1, only: { method: 'POST' } });
    try {
      // Killed as soon as the journal holds the create, while its POSTs are being dropped.
      await runCli(args, { env, home, killWhen: () => { try { return entries(env).length > 0; } catch { return false; } } });
    } finally {
      server.emulator.setFaults(undefined);
    }
    const again = await runCli(args, { env, home });
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('An earlier run of this create did not finish');
    // No POST of the dead run committed: the next run made the one key.
    expect(keysNamed('early-crash').map((k) => k.apiKeyDescription)).toEqual(['']);
    expect(readdirSync(journalDir(env))).toEqual([]);
  }, 60_000);
});

describe('the create journal', () => {
  const request: CreateRequest = { endpoint: 'https://ncp.example/api/v1', name: 'web', description: 'd', products: ['b', 'a'] };
  const fresh = () => {
    const env = { XDG_STATE_HOME: mkdtempSync(join(tmpdir(), 'apikey-journal-')) };
    return { env, journal: openCreateJournal(env) };
  };

  it('resumes only the same request on the same endpoint (products in any order), newest first', () => {
    const { journal } = fresh();
    journal.begin({ ...request, operationId: 'op-old', startedAt: Date.now() - 60_000 });
    journal.begin({ ...request, operationId: 'op-new', startedAt: Date.now() });
    expect(journal.unfinished({ ...request, products: ['a', 'b', 'a'] })?.operationId).toBe('op-new');
    expect(journal.unfinished({ ...request, endpoint: 'https://other/api/v1' })).toBeUndefined();
    expect(journal.unfinished({ ...request, name: 'web2' })).toBeUndefined();
    expect(journal.unfinished({ ...request, description: '' })).toBeUndefined();
    expect(journal.unfinished({ ...request, products: ['a'] })).toBeUndefined();
    journal.finish('op-new');
    expect(journal.unfinished(request)?.operationId).toBe('op-old');
  });

  it('drops entries older than 30 days and files that are not entries', () => {
    const { env, journal } = fresh();
    journal.begin({ ...request, operationId: 'op-stale', startedAt: Date.now() - 31 * 24 * 3600_000 });
    const junk = join(journalDir(env), 'junk.json');
    writeFileSync(junk, '{"operationId": "../../etc"');
    utimesSync(junk, new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000));
    expect(journal.unfinished(request)).toBeUndefined();
    expect(readdirSync(journalDir(env))).toEqual([]);
  });

  it('keeps the entry when the create throws, and the next run resumes it with the same operation id', async () => {
    const { journal } = fresh();
    const notes: string[] = [];
    const ids: string[] = [];
    await expect(journaledCreate(journal, request, (m) => notes.push(m), async (id) => { ids.push(id); throw new Error('NCP timed out'); })).rejects.toThrow('NCP timed out');
    expect(journal.unfinished(request)?.operationId).toBe(ids[0]);
    const resumed = await journaledCreate(journal, request, (m) => notes.push(m), async (id, earlier) => { ids.push(id); return earlier; });
    expect(resumed?.operationId).toBe(ids[0]);
    expect(ids[1]).toBe(ids[0]);
    expect(notes).toHaveLength(1);
    expect(journal.unfinished(request)).toBeUndefined();
  });

  it('a create that died after NCP made its key resumes by that key\'s id', async () => {
    const { journal } = fresh();
    await expect(journaledCreate(journal, request, () => {}, async (_id, _earlier, committed) => {
      committed('key0000001');
      throw new Error('killed before the PUT answered');
    })).rejects.toThrow('killed');
    const earlier = await journaledCreate(journal, request, () => {}, async (_id, e) => e);
    expect(earlier?.apiKeyId).toBe('key0000001');
  });

  it('without a journal (the in-process sandbox) every create is new', async () => {
    const ids: string[] = [];
    await journaledCreate(undefined, request, () => {}, async (id, earlier) => { ids.push(`${id}:${earlier === undefined}`); });
    await journaledCreate(undefined, request, () => {}, async (id, earlier) => { ids.push(`${id}:${earlier === undefined}`); });
    expect(new Set(ids).size).toBe(2);
    expect(ids.every((x) => x.endsWith(':true'))).toBe(true);
  });
});
