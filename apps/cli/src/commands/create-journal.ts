// Owns the record of creates in progress, so a create whose process died — after NCP made the key but before the
// PUT that sets its real description, or before NCP answered at all — is finished, not repeated, when the same
// command runs again. Core's exact create does the finishing: run again with the same operation id it adopts
// only the key carrying that run's marker, or posts when there is none (docs/idempotency.md).
//
// One JSON file per create under $XDG_STATE_HOME/apikey/creates (default ~/.local/state/apikey/creates), written
// before the first request, given the key's id as soon as NCP made it, and removed once the create returned. It
// holds the operation id, the endpoint, what was asked for (name, description, products) and that id: never
// credentials or key values. With the id a re-run can tell a key whose final PUT landed after the crash (done:
// it is printed, not made again) from one still carrying the marker (finished now). A run that asks for the same
// thing on the same endpoint resumes the newest unfinished one; anything else is a new create, so two keys with
// one name are still two keys when both runs finished.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { ApiGatewayClient, ApiKey } from '@apikey/core';
import type { Io } from '../io.ts';

export type CreateRequest = { endpoint: string; name: string; description: string; products: readonly string[] };
export type PendingCreate = CreateRequest & { operationId: string; startedAt: number; apiKeyId?: string };

/** Entries older than this are dropped on open: whoever ran them has long moved on. */
const FORGET_AFTER_MS = 30 * 24 * 3600_000;

export function journalDir(env: Record<string, string | undefined>): string {
  const state = env.XDG_STATE_HOME || join(env.HOME || homedir(), '.local', 'state');
  return join(state, 'apikey', 'creates');
}

export type CreateJournal = {
  /** The newest unfinished create of exactly this request, if an earlier run left one. */
  unfinished(request: CreateRequest): PendingCreate | undefined;
  /** Records a create about to start (written before any request is sent). */
  begin(pending: PendingCreate): void;
  /** Records the id of the key NCP made for this create (before the PUT that finishes it). */
  committed(pending: PendingCreate, apiKeyId: string): void;
  /** Forgets a create that returned. */
  finish(operationId: string): void;
};

export function openCreateJournal(env: Record<string, string | undefined>, now: () => number = Date.now): CreateJournal {
  const dir = journalDir(env);
  const fileOf = (operationId: string) => join(dir, `${operationId}.json`);
  const sameRequest = (a: CreateRequest, b: CreateRequest) =>
    a.endpoint === b.endpoint && a.name === b.name && a.description === b.description && sorted(a.products) === sorted(b.products);

  const readAll = (): PendingCreate[] => {
    let all: string[];
    try {
      all = readdirSync(dir);
    } catch {
      return []; // no journal yet
    }
    // Temporary files of writes a crash cut short: the entry they would have replaced is still there.
    for (const name of all.filter((n) => n.endsWith('.tmp'))) {
      const path = join(dir, name);
      if (now() - statSync(path).mtimeMs > 60_000) rmSync(path, { force: true });
    }
    const names = all.filter((n) => n.endsWith('.json'));
    const out: PendingCreate[] = [];
    for (const name of names) {
      const path = join(dir, name);
      const entry = parseEntry(path);
      if (entry === undefined || now() - entry.startedAt > FORGET_AFTER_MS) {
        // Unreadable (a write cut short) or stale: nothing can be resumed from it.
        if (entry !== undefined || now() - statSync(path).mtimeMs > 60_000) rmSync(path, { force: true });
        continue;
      }
      out.push(entry);
    }
    return out;
  };

  const write = (pending: PendingCreate) => {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    // Written whole or not at all: a temporary file renamed into place.
    const tmp = `${fileOf(pending.operationId)}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(pending)}\n`, { mode: 0o600 });
    renameSync(tmp, fileOf(pending.operationId));
  };

  return {
    unfinished(request) {
      return readAll().filter((e) => sameRequest(e, request)).sort((a, b) => b.startedAt - a.startedAt)[0];
    },
    begin: write,
    committed(pending, apiKeyId) {
      write({ ...pending, apiKeyId });
    },
    finish(operationId) {
      rmSync(fileOf(operationId), { force: true });
      // A write cut short by a crash leaves its temporary file behind.
      rmSync(`${fileOf(operationId)}.tmp`, { force: true });
    },
  };
}

/** What a create needs to use the journal: none for the in-process sandbox, whose keys die with the process. */
export type CreateJournalUse = { journal: CreateJournal | undefined; endpoint: string; note: (message: string) => void };

/** The journal for a client: none on the in-process sandbox. Notes go to stderr, away from --json output. */
export function createJournalFor(setup: { endpoint: string; sandbox: boolean }, io: Pick<Io, 'env' | 'err'>): CreateJournalUse {
  return { journal: setup.sandbox ? undefined : openCreateJournal(io.env), endpoint: setup.endpoint, note: (m) => io.err(`${m}\n`) };
}

/** A plain key (no products), created under the journal: what `apikey create` and the wizard both run. */
export function createPlainKey(
  client: Pick<ApiGatewayClient, 'createApiKey'>,
  input: { apiKeyName: string; apiKeyDescription: string },
  signal: AbortSignal,
  journal: CreateJournalUse | undefined,
): Promise<ApiKey> {
  return journaledCreate(
    journal?.journal,
    { endpoint: journal?.endpoint ?? '', name: input.apiKeyName, description: input.apiKeyDescription, products: [] },
    journal?.note ?? (() => {}),
    (operationId, earlier, committed) => client.createApiKey(input, {
      signal,
      operationId,
      // The key's id, when the dead run learnt it, tells whether its PUT landed; without it, look for the marker.
      ...(earlier?.apiKeyId !== undefined ? { resume: { apiKeyId: earlier.apiKeyId } } : earlier !== undefined ? { resume: true as const } : {}),
      onCommitted: (key) => committed(key.apiKeyId),
    }),
  );
}

/**
 * Runs a create under the journal: resumes the unfinished identical create an earlier run left (telling the user
 * through `note`), or begins a new one. The entry is removed once `create` resolves; when it throws, it stays, so
 * the next identical run finishes that key instead of making another.
 */
export async function journaledCreate<T>(
  journal: CreateJournal | undefined,
  request: CreateRequest,
  note: (message: string) => void,
  create: (operationId: string, earlier: PendingCreate | undefined, committed: (apiKeyId: string) => void) => Promise<T>,
  newOperationId: () => string = () => crypto.randomUUID(),
): Promise<T> {
  if (journal === undefined) return create(newOperationId(), undefined, () => {});
  const earlier = journal.unfinished(request);
  const pending = earlier ?? { ...request, products: [...request.products], operationId: newOperationId(), startedAt: Date.now() };
  if (earlier !== undefined) {
    note(`An earlier run of this create did not finish (started ${new Date(earlier.startedAt).toISOString()}); finishing it instead of making a second key.`);
  } else {
    journal.begin(pending);
  }
  const result = await create(pending.operationId, earlier, (apiKeyId) => journal.committed(pending, apiKeyId));
  journal.finish(pending.operationId);
  return result;
}

function sorted(products: readonly string[]): string {
  return JSON.stringify([...new Set(products)].sort());
}

function parseEntry(path: string): PendingCreate | undefined {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8')) as Partial<PendingCreate>;
    const ok = typeof v.operationId === 'string' && /^[A-Za-z0-9_-]{1,43}$/.test(v.operationId) && typeof v.endpoint === 'string'
      && typeof v.name === 'string' && typeof v.description === 'string' && Array.isArray(v.products)
      && v.products.every((p) => typeof p === 'string') && typeof v.startedAt === 'number' && (v.apiKeyId === undefined || typeof v.apiKeyId === 'string');
    return ok ? (v as PendingCreate) : undefined;
  } catch {
    return undefined;
  }
}
