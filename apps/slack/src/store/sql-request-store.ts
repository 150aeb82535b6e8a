// RequestStore written once over SqlExecutor: the compare-and-set transitions, the append-only audit log and
// the leased outbox, in SQL that PGlite and Postgres both accept. Row mapping turns BIGINT (strings from the
// `postgres` driver) back into JS numbers and JSONB into objects, whichever driver produced them.

import { redact } from '@apikey/core';
import type {
  Approval,
  KeyRequest,
  KeyRequestPatch,
  NewKeyRequest,
  OutboxItem,
  OutboxKind,
  RequestState,
  RequestStore,
} from './request-store.ts';
import { REQUEST_STATES } from './schema.ts';
import {
  checkInt,
  checkLimit,
  checkText,
  insertAudit,
  insertOutbox,
  json,
  num,
  one,
  optNum,
  optText,
  toAudit,
  validateAudit,
  validateEnqueue,
  withOptional,
} from './sql-common.ts';
import { createSqlKeyRegistry } from './sql-key-registry.ts';
import type { SqlExecutor, SqlQueryable, SqlRow } from './sql-executor.ts';

type TransitionResult = { ok: true; request: KeyRequest } | { ok: false; current: KeyRequest | undefined };

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** 'req_' + 20 base32 chars (100 random bits) from the platform CSPRNG. */
export function newRequestId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  let id = 'req_';
  for (const b of bytes) id += BASE32[b & 31];
  return id;
}

// Patchable fields → column and kind. Anything not listed here (id, teamId, requesterId, state, version,
// createdAt) cannot be changed by a patch.
const PATCH_COLUMNS = {
  apiKeyName: ['api_key_name', 'text'],
  apiKeyDescription: ['api_key_description', 'text'],
  justification: ['justification', 'text'],
  expiresAt: ['expires_at', 'ms'],
  decidedBy: ['decided_by', 'text'],
  decidedAt: ['decided_at', 'ms'],
  decisionComment: ['decision_comment', 'text'],
  apiKeyId: ['api_key_id', 'text'],
  createStartedAt: ['create_started_at', 'ms'],
  approvalChannel: ['approval_channel', 'text'],
  approvalTs: ['approval_ts', 'text'],
  requesterDmChannel: ['requester_dm_channel', 'text'],
  revealedAt: ['revealed_at', 'ms'],
  revealLeaseUntil: ['reveal_lease_until', 'ms'],
  remindedAt: ['reminded_at', 'ms'],
  attempts: ['attempts', 'int'],
  lastError: ['last_error', 'text'],
} as const satisfies Record<keyof KeyRequestPatch, readonly [string, 'text' | 'ms' | 'int']>;

const REQUIRED_TEXT = ['teamId', 'requesterId', 'apiKeyName'] as const;
const PRESENT_TEXT = ['apiKeyDescription', 'justification'] as const;

export function createSqlRequestStore(db: SqlExecutor): RequestStore {
  return {
    ...createSqlKeyRegistry(db),
    async createRequest(input, actor, enqueue = []) {
      validateNewRequest(input);
      checkText('actor', actor);
      validateEnqueue(enqueue);
      const id = input.id ?? newRequestId();
      return db.transaction(async (tx) => {
        const rows = await tx.query(
          `INSERT INTO requests (id, team_id, requester_id, api_key_name, api_key_description, justification,
             state, version, created_at, expires_at, attempts, product_id, product_name)
           VALUES ($1, $2, $3, $4, $5, $6, 'pending', 1, $7, $8, 0, $9, $10) RETURNING *`,
          [id, input.teamId, input.requesterId, input.apiKeyName, input.apiKeyDescription, input.justification,
            input.createdAt, input.expiresAt, input.productId ?? null, input.productName ?? null],
        );
        await insertAudit(tx, { requestId: id, at: input.createdAt, actor, type: 'requested' });
        await insertOutbox(tx, id, enqueue);
        return toRequest(one(rows));
      });
    },

    async getRequest(id) {
      checkText('id', id);
      const rows = await db.query(`SELECT * FROM requests WHERE id = $1`, [id]);
      return rows[0] ? toRequest(rows[0]) : undefined;
    },

    async transition(id, from, to, patch = {}, audit, enqueue = []) {
      checkText('id', id);
      const fromStates: readonly RequestState[] = typeof from === 'string' ? [from] : from;
      if (fromStates.length === 0) throw new TypeError('transition: `from` must name at least one state');
      for (const s of [...fromStates, to]) checkState(s);
      const set = patchAssignments(patch, 3);
      if (audit) validateAudit(audit);
      validateEnqueue(enqueue);
      return db.transaction(async (tx): Promise<TransitionResult> => {
        const rows = await tx.query(
          `UPDATE requests SET state = $2, version = version + 1${set.sql}
           WHERE id = $1 AND state = ANY($${set.next}::text[]) RETURNING *`,
          [id, to, ...set.params, [...fromStates]],
        );
        const updated = rows[0];
        if (!updated) {
          const current = await tx.query(`SELECT * FROM requests WHERE id = $1`, [id]);
          return { ok: false, current: current[0] ? toRequest(current[0]) : undefined };
        }
        if (audit) await insertAudit(tx, { ...audit, requestId: id });
        await insertOutbox(tx, id, enqueue);
        return { ok: true, request: toRequest(updated) };
      });
    },

    async updateRequest(id, patch, expectedVersion) {
      checkText('id', id);
      if (expectedVersion !== undefined) checkInt('expectedVersion', expectedVersion);
      const set = patchAssignments(patch, 2);
      const params: unknown[] = [id, ...set.params];
      let where = 'id = $1';
      if (expectedVersion !== undefined) {
        where += ` AND version = $${set.next}`;
        params.push(expectedVersion);
      }
      const rows = await db.query(`UPDATE requests SET version = version + 1${set.sql} WHERE ${where} RETURNING *`, params);
      return rows[0] ? toRequest(rows[0]) : undefined;
    },

    async listByRequester(teamId, requesterId, limit) {
      checkText('teamId', teamId);
      checkText('requesterId', requesterId);
      checkLimit(limit);
      const rows = await db.query(
        `SELECT * FROM requests WHERE team_id = $1 AND requester_id = $2 ORDER BY created_at DESC, id LIMIT $3`,
        [teamId, requesterId, limit],
      );
      return rows.map(toRequest);
    },

    async listByState(states, limit) {
      for (const s of states) checkState(s);
      checkLimit(limit);
      if (states.length === 0) return [];
      const rows = await db.query(
        `SELECT * FROM requests WHERE state = ANY($1::text[]) ORDER BY created_at, id LIMIT $2`,
        [[...states], limit],
      );
      return rows.map(toRequest);
    },

    async listExpiring(before, limit) {
      checkInt('before', before);
      checkLimit(limit);
      const rows = await db.query(
        `SELECT * FROM requests WHERE state = 'pending' AND expires_at <= $1 ORDER BY expires_at, id LIMIT $2`,
        [before, limit],
      );
      return rows.map(toRequest);
    },

    async recordApproval(input, onApproved, onRecorded) {
      checkText('requestId', input.requestId);
      checkText('approverId', input.approverId);
      checkInt('at', input.at);
      checkInt('quorum', input.quorum);
      if (input.quorum < 1) throw new TypeError('recordApproval: quorum must be at least 1');
      if (input.comment !== undefined && typeof input.comment !== 'string') throw new TypeError('recordApproval: comment must be a string');
      validateEnqueue(onApproved);
      validateEnqueue(onRecorded);
      return db.transaction(async (tx) => {
        // The row lock serialises every approval, deny and expiry of this request (on any replica), so the
        // count below is exact and only one approval can be the quorum-th.
        const locked = await tx.query(`SELECT * FROM requests WHERE id = $1 FOR UPDATE`, [input.requestId]);
        const current = locked[0] ? toRequest(locked[0]) : undefined;
        if (current === undefined || current.state !== 'pending') {
          return { ok: false, reason: 'not_pending', current, approvals: await selectApprovals(tx, input.requestId) };
        }
        const inserted = await tx.query(
          `INSERT INTO approvals (request_id, approver_id, at, comment) VALUES ($1, $2, $3, $4)
           ON CONFLICT (request_id, approver_id) DO NOTHING RETURNING request_id`,
          [input.requestId, input.approverId, input.at, input.comment ?? null],
        );
        const approvals = await selectApprovals(tx, input.requestId);
        if (inserted.length === 0) return { ok: false, reason: 'already_approved', current, approvals };
        const approved = approvals.length >= input.quorum;
        const rows = approved
          ? await tx.query(
              `UPDATE requests SET state = 'approved', version = version + 1, decided_by = $2, decided_at = $3, decision_comment = $4
               WHERE id = $1 AND state = 'pending' RETURNING *`,
              [input.requestId, input.approverId, input.at, input.comment ?? null],
            )
          : await tx.query(`UPDATE requests SET version = version + 1 WHERE id = $1 RETURNING *`, [input.requestId]);
        const detail = { approvals: approvals.length, quorum: input.quorum, ...(input.comment ? { comment: input.comment } : {}) };
        await insertAudit(tx, { requestId: input.requestId, at: input.at, actor: input.approverId, type: approved ? 'approved' : 'approval_recorded', detail });
        await insertOutbox(tx, input.requestId, approved ? onApproved : onRecorded);
        return { ok: true, approved, request: toRequest(one(rows)), approvals };
      });
    },

    async listApprovals(requestId) {
      checkText('requestId', requestId);
      return selectApprovals(db, requestId);
    },

    async appendAudit(event) {
      validateAudit(event);
      checkText('requestId', event.requestId);
      return insertAudit(db, event);
    },

    async listAudit(requestId) {
      checkText('requestId', requestId);
      const rows = await db.query(`SELECT * FROM audit_events WHERE request_id = $1 ORDER BY id`, [requestId]);
      return rows.map(toAudit);
    },

    async enqueue(requestId, items) {
      checkText('requestId', requestId);
      validateEnqueue(items);
      if (items.length === 0) return 0;
      return db.transaction((tx) => insertOutbox(tx, requestId, items));
    },

    async claimDue(now, limit, worker, leaseMs) {
      checkInt('now', now);
      checkLimit(limit);
      checkText('worker', worker);
      checkInt('leaseMs', leaseMs);
      if (leaseMs <= 0) throw new TypeError('claimDue: leaseMs must be positive');
      // Only the head of each request's queue in its lane (no unfinished item of the lane with a lower id) is
      // claimable, and a leased head blocks the rest of its lane: one step per request and lane at a time, in
      // order. SKIP LOCKED lets concurrent claimers on Postgres pass over rows another claimer is leasing right
      // now; a row someone leased and committed meanwhile is re-checked against the WHERE and the outer
      // locked_until test. A CTE, not `id IN (subquery)`: the planner may re-run an IN-subquery and exceed the LIMIT.
      const rows = await db.query(
        `WITH due AS (
           SELECT o.id FROM outbox o
           WHERE o.done_at IS NULL AND o.not_before <= $1 AND (o.locked_until IS NULL OR o.locked_until <= $1)
             AND NOT EXISTS (
               SELECT 1 FROM outbox p WHERE p.request_id = o.request_id AND p.done_at IS NULL AND p.id < o.id
                 AND ${sameLane('p', 'o')}
             )
           ORDER BY o.not_before, o.id
           LIMIT $2
           FOR UPDATE OF o SKIP LOCKED
         )
         UPDATE outbox SET locked_by = $3, locked_until = $4, attempts = outbox.attempts + 1
         FROM due
         WHERE outbox.id = due.id AND outbox.done_at IS NULL
           AND (outbox.locked_until IS NULL OR outbox.locked_until <= $1)
         RETURNING outbox.*`,
        [now, limit, worker, now + leaseMs],
      );
      return rows.map(toOutbox).sort((a, b) => a.notBefore - b.notBefore || a.id - b.id);
    },

    async completeOutbox(id, worker, now) {
      checkInt('id', id);
      checkText('worker', worker);
      checkInt('now', now);
      // The work is done whoever leased it last, so completion does not require still holding the lease.
      const rows = await db.query(
        `UPDATE outbox SET done_at = COALESCE(done_at, $3), locked_by = $2, locked_until = NULL
         WHERE id = $1 RETURNING id`,
        [id, worker, now],
      );
      if (rows.length === 0) throw new Error(`completeOutbox: no outbox item ${id}`);
    },

    async completeAndClaimNext(id, worker, now, leaseMs) {
      checkInt('id', id);
      checkText('worker', worker);
      checkInt('now', now);
      checkInt('leaseMs', leaseMs);
      if (leaseMs <= 0) throw new TypeError('completeAndClaimNext: leaseMs must be positive');
      // One statement (one round trip on Postgres): complete the item as completeOutbox does, then lease its
      // request's next step in the same lane on claimDue's terms — the lane's head, due, leased by nobody. The
      // sub-statements share one snapshot, so the completed row still looks unfinished to `next`: it is left
      // out by id. The completion is committed with the lease, so a crash after this resumes at the next step.
      // The next step's request is read in the same statement, sparing the worker its own read.
      const rows = await db.query(
        `WITH done AS (
           UPDATE outbox SET done_at = COALESCE(done_at, $3), locked_by = $2, locked_until = NULL
           WHERE id = $1 RETURNING id, request_id, kind
         ), next AS (
           SELECT o.id FROM outbox o JOIN done d ON o.request_id = d.request_id AND o.id <> d.id
           WHERE o.done_at IS NULL AND o.not_before <= $3 AND (o.locked_until IS NULL OR o.locked_until <= $3)
             AND ${sameLane('o', 'd')}
             AND NOT EXISTS (
               SELECT 1 FROM outbox p WHERE p.request_id = o.request_id AND p.done_at IS NULL AND p.id < o.id
                 AND p.id <> d.id AND ${sameLane('p', 'o')}
             )
           ORDER BY o.id
           LIMIT 1
           FOR UPDATE OF o SKIP LOCKED
         ), leased AS (
           UPDATE outbox SET locked_by = $2, locked_until = $4, attempts = outbox.attempts + 1
           FROM next
           WHERE outbox.id = next.id
           RETURNING outbox.*
         )
         SELECT (SELECT count(*) FROM done) AS completed, to_jsonb(leased.*) AS item, to_jsonb(r.*) AS request
         FROM (SELECT 1) AS one LEFT JOIN leased ON true LEFT JOIN requests r ON r.id = leased.request_id`,
        [id, worker, now, now + leaseMs],
      );
      const row = one(rows);
      if (num(row.completed) === 0) throw new Error(`completeAndClaimNext: no outbox item ${id}`);
      const item = json(row.item);
      const request = json(row.request);
      // An item's request always exists (foreign key); both come from the same statement.
      return item === undefined || request === undefined ? undefined : { item: toOutbox(item), request: toRequest(request) };
    },

    async failOutbox(id, worker, error, retryAt) {
      checkInt('id', id);
      checkText('worker', worker);
      checkInt('retryAt', retryAt);
      if (typeof error !== 'string') throw new TypeError('failOutbox: error must be a string');
      // Only the current lease holder reschedules; if the lease passed to another worker, its outcome wins.
      const rows = await db.query(
        `UPDATE outbox SET locked_by = NULL, locked_until = NULL, last_error = $3, not_before = $4
         WHERE id = $1 AND locked_by = $2 AND done_at IS NULL RETURNING id`,
        [id, worker, redact(error), retryAt],
      );
      if (rows.length === 0) {
        const exists = await db.query(`SELECT id FROM outbox WHERE id = $1`, [id]);
        if (exists.length === 0) throw new Error(`failOutbox: no outbox item ${id}`);
      }
    },

    async renewOutbox(id, worker, until) {
      checkInt('id', id);
      checkText('worker', worker);
      checkInt('until', until);
      const rows = await db.query(
        `UPDATE outbox SET locked_until = GREATEST(locked_until, $3)
         WHERE id = $1 AND locked_by = $2 AND done_at IS NULL AND locked_until IS NOT NULL RETURNING id`,
        [id, worker, until],
      );
      return rows.length > 0;
    },

    async releaseOutbox(id, worker) {
      checkInt('id', id);
      checkText('worker', worker);
      await db.query(
        `UPDATE outbox SET locked_by = NULL, locked_until = NULL WHERE id = $1 AND locked_by = $2 AND done_at IS NULL`,
        [id, worker],
      );
    },

    async outboxStats(now) {
      checkInt('now', now);
      const rows = await db.query(
        `SELECT count(*) AS depth, min(not_before) FILTER (WHERE not_before <= $1) AS oldest_due
         FROM outbox WHERE done_at IS NULL`,
        [now],
      );
      const row = one(rows);
      return withOptional({ depth: num(row.depth) }, { oldestDueAt: optNum(row.oldest_due) });
    },

    async listOutbox(requestId) {
      checkText('requestId', requestId);
      const rows = await db.query(`SELECT * FROM outbox WHERE request_id = $1 ORDER BY id`, [requestId]);
      return rows.map(toOutbox);
    },

    async countByState() {
      const rows = await db.query<{ state: RequestState; n: unknown }>(`SELECT state, count(*) AS n FROM requests GROUP BY state`);
      return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)]));
    },

    close: () => db.close(),
  };
}

// Approval-message updates form a lane of their own in each request's queue: they run in order among
// themselves but neither wait for nor hold back the key steps and DMs (the other lane). Each renders the
// request's state as it is when it runs, so the last update of the lane shows the final state; only the
// order of the key steps is what keeps them exact. Kept in SQL so every replica agrees on the lanes.
const MESSAGE_LANE = `'update_approval_message'`;

/** SQL: items `a` and `b` are in the same lane. */
function sameLane(a: string, b: string): string {
  return `(${a}.kind = ${MESSAGE_LANE}) = (${b}.kind = ${MESSAGE_LANE})`;
}

async function selectApprovals(q: SqlQueryable, requestId: string): Promise<Approval[]> {
  const rows = await q.query(`SELECT * FROM approvals WHERE request_id = $1 ORDER BY at, approver_id`, [requestId]);
  return rows.map((r) => withOptional<Approval>(
    { requestId: String(r.request_id), approverId: String(r.approver_id), at: num(r.at) },
    { comment: optText(r.comment) },
  ));
}

function patchAssignments(patch: KeyRequestPatch, firstParam: number): { sql: string; params: unknown[]; next: number } {
  if (patch === null || typeof patch !== 'object') throw new TypeError('patch must be an object');
  let sql = '';
  const params: unknown[] = [];
  let n = firstParam;
  for (const [key, value] of Object.entries(patch)) {
    const column = (PATCH_COLUMNS as Record<string, readonly [string, string]>)[key];
    if (!column) throw new TypeError(`patch: field '${key}' cannot be changed here`);
    const [name, kind] = column;
    // A key present with `undefined` clears the column (e.g. lastError after a success).
    if (value !== undefined && value !== null) {
      if (kind === 'text' && typeof value !== 'string') throw new TypeError(`patch: ${key} must be a string`);
      if (kind !== 'text') checkInt(`patch.${key}`, value);
    }
    sql += `, ${name} = $${n++}`;
    // Error text often quotes upstream responses; mask anything key- or token-shaped before it is kept.
    params.push(key === 'lastError' && typeof value === 'string' ? redact(value) : (value ?? null));
  }
  return { sql, params, next: n };
}

function validateNewRequest(input: NewKeyRequest): void {
  if (input === null || typeof input !== 'object') throw new TypeError('createRequest: input must be an object');
  for (const k of REQUIRED_TEXT) checkText(k, input[k]);
  for (const k of PRESENT_TEXT) {
    if (typeof input[k] !== 'string') throw new TypeError(`createRequest: ${k} must be a string`);
  }
  checkInt('createdAt', input.createdAt);
  checkInt('expiresAt', input.expiresAt);
  if (input.id !== undefined) checkText('id', input.id);
  if (input.productId !== undefined) checkText('productId', input.productId);
  if (input.productName !== undefined && typeof input.productName !== 'string') throw new TypeError('createRequest: productName must be a string');
}

function checkState(s: unknown): asserts s is RequestState {
  if (!(REQUEST_STATES as readonly unknown[]).includes(s)) throw new TypeError(`unknown request state '${String(s)}'`);
}

function toRequest(r: SqlRow): KeyRequest {
  return withOptional<KeyRequest>(
    {
      id: String(r.id),
      teamId: String(r.team_id),
      requesterId: String(r.requester_id),
      apiKeyName: String(r.api_key_name),
      apiKeyDescription: String(r.api_key_description),
      justification: String(r.justification),
      state: r.state as RequestState,
      version: num(r.version),
      createdAt: num(r.created_at),
      expiresAt: num(r.expires_at),
      attempts: num(r.attempts),
    },
    {
      productId: optText(r.product_id),
      productName: optText(r.product_name),
      decidedBy: optText(r.decided_by),
      decidedAt: optNum(r.decided_at),
      decisionComment: optText(r.decision_comment),
      apiKeyId: optText(r.api_key_id),
      createStartedAt: optNum(r.create_started_at),
      approvalChannel: optText(r.approval_channel),
      approvalTs: optText(r.approval_ts),
      requesterDmChannel: optText(r.requester_dm_channel),
      revealedAt: optNum(r.revealed_at),
      revealLeaseUntil: optNum(r.reveal_lease_until),
      remindedAt: optNum(r.reminded_at),
      lastError: optText(r.last_error),
    },
  );
}

function toOutbox(r: SqlRow): OutboxItem {
  return withOptional<OutboxItem>(
    {
      id: num(r.id),
      requestId: String(r.request_id),
      kind: r.kind as OutboxKind,
      payload: json(r.payload) ?? {},
      attempts: num(r.attempts),
      notBefore: num(r.not_before),
    },
    {
      lockedBy: optText(r.locked_by),
      lockedUntil: optNum(r.locked_until),
      lastError: optText(r.last_error),
      doneAt: optNum(r.done_at),
      onceKey: optText(r.once_key),
    },
  );
}
