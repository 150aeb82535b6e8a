// The key registry written once over SqlExecutor (PGlite and Postgres): registration, compare-and-set
// updates that audit and queue outbox items on the key's origin request in the same transaction, and the
// offboarding mark that several replicas (and Slack's event plus the periodic sweep) apply exactly once.
import type { KeyQuery, KeyRegistryStore, KeyState, NewRegisteredKey, RegisteredKey, RegisteredKeyPatch, RequestItems } from './key-registry.ts';
import {
  checkInt,
  checkLimit,
  checkText,
  insertAudit,
  insertOutbox,
  one,
  num,
  optNum,
  optText,
  validateAudit,
  validateEnqueue,
  withOptional,
} from './sql-common.ts';
import type { SqlExecutor, SqlQueryable, SqlRow } from './sql-executor.ts';

export const KEY_STATES = ['active', 'disabled', 'deleted'] as const;
export const ROTATION_STEPS = ['secondary', 'awaiting_primary', 'primary'] as const;
const KEY_PARTS = ['secondary', 'primary'] as const;

// Patchable fields → column and kind; anything else (ids, request, product, version, createdAt) is fixed.
const KEY_PATCH_COLUMNS = {
  ownerId: ['owner_id', 'text'],
  apiKeyName: ['api_key_name', 'text'],
  state: ['state', 'state'],
  rotatedAt: ['rotated_at', 'ms'],
  ownerGoneAt: ['owner_gone_at', 'ms'],
  remindedAt: ['reminded_at', 'ms'],
  rotationStep: ['rotation_step', 'step'],
  rotationBy: ['rotation_by', 'text'],
  rotationStartedAt: ['rotation_started_at', 'ms'],
  rotationFingerprint: ['rotation_fingerprint', 'text'],
  revealPart: ['reveal_part', 'part'],
  revealLeaseUntil: ['reveal_lease_until', 'ms'],
  revealedAt: ['revealed_at', 'ms'],
} as const satisfies Record<keyof RegisteredKeyPatch, readonly [string, 'text' | 'ms' | 'state' | 'step' | 'part']>;

// Fields that may not be cleared: a key always has an owner, a name and a state.
const REQUIRED_FIELDS = new Set(['ownerId', 'apiKeyName', 'state']);

export function createSqlKeyRegistry(db: SqlExecutor): KeyRegistryStore {
  return {
    async registerKey(input) {
      validateNewKey(input);
      return db.transaction(async (tx) => {
        const inserted = await tx.query(
          `INSERT INTO api_keys (api_key_id, team_id, owner_id, request_id, api_key_name, product_id, product_name, state, version, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', 1, $8)
           ON CONFLICT (api_key_id) DO NOTHING RETURNING *`,
          [input.apiKeyId, input.teamId, input.ownerId, input.requestId, input.apiKeyName, input.productId ?? null, input.productName ?? null, input.createdAt],
        );
        if (inserted[0] !== undefined) {
          await insertAudit(tx, {
            requestId: input.requestId,
            at: input.createdAt,
            actor: 'system',
            type: 'key_registered',
            detail: { apiKeyId: input.apiKeyId, ownerId: input.ownerId, ...(input.productId !== undefined ? { productId: input.productId } : {}) },
          });
          return toKey(inserted[0]);
        }
        return toKey(one(await tx.query(`SELECT * FROM api_keys WHERE api_key_id = $1`, [input.apiKeyId])));
      });
    },

    async getKey(apiKeyId) {
      checkText('apiKeyId', apiKeyId);
      const rows = await db.query(`SELECT * FROM api_keys WHERE api_key_id = $1`, [apiKeyId]);
      return rows[0] ? toKey(rows[0]) : undefined;
    },

    async listKeys(query, limit) {
      checkLimit(limit);
      const where = keyConditions(query);
      const rows = await db.query(
        `SELECT * FROM api_keys WHERE ${where.sql} ORDER BY created_at, api_key_id LIMIT $${where.params.length + 1}`,
        [...where.params, limit],
      );
      return rows.map(toKey);
    },

    async updateKey(apiKeyId, patch, options = {}) {
      checkText('apiKeyId', apiKeyId);
      if (options.expectedVersion !== undefined) checkInt('expectedVersion', options.expectedVersion);
      if (options.audit !== undefined) validateAudit(options.audit);
      const enqueue = options.enqueue ?? [];
      validateEnqueue(enqueue);
      const set = keyPatchAssignments(patch, 2);
      const params: unknown[] = [apiKeyId, ...set.params];
      let where = 'api_key_id = $1';
      if (options.expectedVersion !== undefined) {
        where += ` AND version = $${set.next}`;
        params.push(options.expectedVersion);
      }
      return db.transaction(async (tx) => {
        const rows = await tx.query(`UPDATE api_keys SET version = version + 1${set.sql} WHERE ${where} RETURNING *`, params);
        if (rows[0] === undefined) return undefined;
        const key = toKey(rows[0]);
        if (options.audit !== undefined) await insertAudit(tx, { ...options.audit, requestId: key.requestId });
        await insertOutbox(tx, key.requestId, enqueue);
        return key;
      });
    },

    async markOwnerGone(teamId, ownerId, at, onMarked) {
      checkText('teamId', teamId);
      checkText('ownerId', ownerId);
      checkInt('at', at);
      return db.transaction(async (tx) => {
        // The row locks taken by UPDATE make a concurrent marker wait and then re-check owner_gone_at, so each
        // key is marked by exactly one caller and the notice is queued once.
        const rows = await tx.query(
          `UPDATE api_keys SET owner_gone_at = $3, version = version + 1
           WHERE team_id = $1 AND owner_id = $2 AND state <> 'deleted' AND owner_gone_at IS NULL RETURNING *`,
          [teamId, ownerId, at],
        );
        const marked = rows.map(toKey).sort((a, b) => a.createdAt - b.createdAt || a.apiKeyId.localeCompare(b.apiKeyId));
        if (marked.length === 0) return [];
        for (const key of marked) {
          await insertAudit(tx, { requestId: key.requestId, at, actor: 'system', type: 'owner_gone', detail: { apiKeyId: key.apiKeyId, ownerId } });
        }
        await enqueueAll(tx, onMarked(marked));
        return marked;
      });
    },

    async listKeyOwners(options, limit) {
      checkLimit(limit);
      const states = options.states ?? ['active', 'disabled'];
      for (const s of states) checkKeyState(s);
      const params: unknown[] = [[...states]];
      let after = '';
      if (options.after !== undefined) {
        checkText('after.teamId', options.after.teamId);
        checkText('after.ownerId', options.after.ownerId);
        params.push(options.after.teamId, options.after.ownerId);
        after = ` AND (team_id, owner_id) > ($2, $3)`;
      }
      params.push(limit);
      const rows = await db.query(
        `SELECT DISTINCT team_id, owner_id FROM api_keys WHERE state = ANY($1::text[])${after}
         ORDER BY team_id, owner_id LIMIT $${params.length}`,
        params,
      );
      return rows.map((r) => ({ teamId: String(r.team_id), ownerId: String(r.owner_id) }));
    },
  };
}

async function enqueueAll(tx: SqlQueryable, batches: readonly RequestItems[]): Promise<void> {
  for (const batch of batches) {
    checkText('requestId', batch.requestId);
    validateEnqueue(batch.items);
    await insertOutbox(tx, batch.requestId, batch.items);
  }
}

function keyConditions(q: KeyQuery): { sql: string; params: unknown[] } {
  if (q === null || typeof q !== 'object') throw new TypeError('listKeys: query must be an object');
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (n: number) => string, value: unknown) => {
    params.push(value);
    parts.push(sql(params.length));
  };
  if (q.teamId !== undefined) {
    checkText('teamId', q.teamId);
    add((n) => `team_id = $${n}`, q.teamId);
  }
  if (q.ownerId !== undefined) {
    checkText('ownerId', q.ownerId);
    add((n) => `owner_id = $${n}`, q.ownerId);
  }
  if (q.states !== undefined) {
    for (const s of q.states) checkKeyState(s);
    add((n) => `state = ANY($${n}::text[])`, [...q.states]);
  }
  if (q.ownerGone !== undefined) parts.push(q.ownerGone ? 'owner_gone_at IS NOT NULL' : 'owner_gone_at IS NULL');
  if (q.lastRotatedBefore !== undefined) {
    checkInt('lastRotatedBefore', q.lastRotatedBefore);
    add((n) => `COALESCE(rotated_at, created_at) < $${n}`, q.lastRotatedBefore);
  }
  if (q.notRemindedSince !== undefined) {
    checkInt('notRemindedSince', q.notRemindedSince);
    add((n) => `(reminded_at IS NULL OR reminded_at < $${n})`, q.notRemindedSince);
  }
  return { sql: parts.length > 0 ? parts.join(' AND ') : 'TRUE', params };
}

function keyPatchAssignments(patch: RegisteredKeyPatch, firstParam: number): { sql: string; params: unknown[]; next: number } {
  if (patch === null || typeof patch !== 'object') throw new TypeError('patch must be an object');
  let sql = '';
  const params: unknown[] = [];
  let n = firstParam;
  for (const [field, value] of Object.entries(patch)) {
    const column = (KEY_PATCH_COLUMNS as Record<string, readonly [string, string]>)[field];
    if (!column) throw new TypeError(`patch: field '${field}' cannot be changed here`);
    const [name, kind] = column;
    if (value === undefined || value === null) {
      if (REQUIRED_FIELDS.has(field)) throw new TypeError(`patch: ${field} cannot be cleared`);
    } else if (kind === 'ms') {
      checkInt(`patch.${field}`, value);
    } else if (kind === 'state') {
      checkKeyState(value);
    } else if (kind === 'step') {
      if (!(ROTATION_STEPS as readonly unknown[]).includes(value)) throw new TypeError(`patch: unknown rotation step '${String(value)}'`);
    } else if (kind === 'part') {
      if (!(KEY_PARTS as readonly unknown[]).includes(value)) throw new TypeError(`patch: unknown key part '${String(value)}'`);
    } else {
      checkText(`patch.${field}`, value);
    }
    sql += `, ${name} = $${n++}`;
    params.push(value ?? null);
  }
  return { sql, params, next: n };
}

function validateNewKey(input: NewRegisteredKey): void {
  if (input === null || typeof input !== 'object') throw new TypeError('registerKey: input must be an object');
  for (const k of ['apiKeyId', 'teamId', 'ownerId', 'requestId', 'apiKeyName'] as const) checkText(k, input[k]);
  checkInt('createdAt', input.createdAt);
  if (input.productId !== undefined) checkText('productId', input.productId);
  if (input.productName !== undefined && typeof input.productName !== 'string') throw new TypeError('registerKey: productName must be a string');
}

function checkKeyState(s: unknown): asserts s is KeyState {
  if (!(KEY_STATES as readonly unknown[]).includes(s)) throw new TypeError(`unknown key state '${String(s)}'`);
}

function toKey(r: SqlRow): RegisteredKey {
  return withOptional<RegisteredKey>(
    {
      apiKeyId: String(r.api_key_id),
      teamId: String(r.team_id),
      ownerId: String(r.owner_id),
      requestId: String(r.request_id),
      apiKeyName: String(r.api_key_name),
      state: r.state as KeyState,
      version: num(r.version),
      createdAt: num(r.created_at),
    },
    {
      productId: optText(r.product_id),
      productName: optText(r.product_name),
      rotatedAt: optNum(r.rotated_at),
      ownerGoneAt: optNum(r.owner_gone_at),
      remindedAt: optNum(r.reminded_at),
      rotationStep: optText(r.rotation_step),
      rotationBy: optText(r.rotation_by),
      rotationStartedAt: optNum(r.rotation_started_at),
      rotationFingerprint: optText(r.rotation_fingerprint),
      revealPart: optText(r.reveal_part),
      revealLeaseUntil: optNum(r.reveal_lease_until),
      revealedAt: optNum(r.revealed_at),
    },
  );
}
