// SQL helpers shared by the request store and the key registry: argument checks, row decoding (BIGINT from the
// `postgres` driver arrives as a string, JSONB as text or an object), and the audit and outbox inserts both
// write inside their transactions.

import { redact } from '@apikey/core';
import type { AuditEvent, NewOutboxItem } from './request-store.ts';
import type { SqlQueryable, SqlRow } from './sql-executor.ts';

type EnqueueItem = NewOutboxItem;

// Payloads and audit details are JSON the app builds: a field named like key material or a credential is a
// programming error and is refused; free text inside them (error messages quoting upstream replies) is masked.
export const SECRET_FIELD = /^(primary_?key|secondary_?key|secret_?key|secret_?access_?key|access_?key|secret|signing_?secret|signature|(bot_?|user_?|app_?|access_?)?token|authorization|password)$/i;

export async function insertAudit(q: SqlQueryable, e: Omit<AuditEvent, 'id'>): Promise<AuditEvent> {
  const rows = await q.query(
    `INSERT INTO audit_events (request_id, at, actor, type, detail) VALUES ($1, $2, $3, $4, ($5::text)::jsonb) RETURNING *`,
    [e.requestId, e.at, e.actor, e.type, e.detail === undefined ? null : safeJson(e.detail)],
  );
  return toAudit(one(rows));
}

export async function insertOutbox(q: SqlQueryable, requestId: string, items: readonly EnqueueItem[]): Promise<number> {
  let inserted = 0;
  for (const item of items) {
    const rows = await q.query(
      `INSERT INTO outbox (request_id, kind, payload, not_before, once_key) VALUES ($1, $2, ($3::text)::jsonb, $4, $5)
       ON CONFLICT (request_id, once_key) WHERE once_key IS NOT NULL DO NOTHING RETURNING id`,
      [requestId, item.kind, safeJson(item.payload), item.notBefore, item.onceKey ?? null],
    );
    inserted += rows.length;
  }
  return inserted;
}

export function validateAudit(e: Omit<AuditEvent, 'id' | 'requestId'>): void {
  if (e === null || typeof e !== 'object') throw new TypeError('audit event must be an object');
  checkInt('audit.at', e.at);
  checkText('audit.actor', e.actor);
  checkText('audit.type', e.type);
  if (e.detail !== undefined) checkNoSecrets('audit.detail', e.detail);
}

export function validateEnqueue(items: readonly EnqueueItem[]): void {
  if (!Array.isArray(items)) throw new TypeError('outbox items must be an array');
  for (const item of items) {
    checkText('outbox kind', item.kind);
    checkInt('outbox notBefore', item.notBefore);
    if (item.onceKey !== undefined) checkText('outbox onceKey', item.onceKey);
    if (item.payload === null || typeof item.payload !== 'object' || Array.isArray(item.payload)) {
      throw new TypeError('outbox payload must be an object');
    }
    checkNoSecrets('outbox payload', item.payload);
  }
}

export function checkNoSecrets(where: string, value: unknown): void {
  if (value === null || typeof value !== 'object') return;
  for (const [k, v] of Object.entries(value)) {
    if (SECRET_FIELD.test(k)) throw new TypeError(`${where}: field '${k}' looks secret; secrets are never stored`);
    checkNoSecrets(where, v);
  }
}

/** JSON text for a detail/payload with every string passed through redact. */
export function safeJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? redact(v) : v));
}

export function checkText(name: string, value: unknown): void {
  if (typeof value !== 'string' || value.length === 0) throw new TypeError(`${name} must be a non-empty string`);
}

export function checkInt(name: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw new TypeError(`${name} must be an integer (got ${String(value)})`);
}

export function checkLimit(limit: unknown): void {
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1) throw new TypeError(`limit must be a positive integer (got ${String(limit)})`);
}

export function one(rows: SqlRow[]): SqlRow {
  const row = rows[0];
  if (!row) throw new Error('expected the statement to return a row');
  return row;
}

export function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v);
}

export function optNum(v: unknown): number | undefined {
  return v === null || v === undefined ? undefined : num(v);
}

export function optText(v: unknown): string | undefined {
  return v === null || v === undefined ? undefined : String(v);
}

export function json(v: unknown): Record<string, unknown> | undefined {
  if (v === null || v === undefined) return undefined;
  return (typeof v === 'string' ? JSON.parse(v) : v) as Record<string, unknown>;
}

// Builds objects with absent optional fields (not `undefined`), as exactOptionalPropertyTypes expects.
export function withOptional<T extends object>(base: T, optional: Record<string, unknown>): T {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) out[k] = v;
  return out as T;
}

export function toAudit(r: SqlRow): AuditEvent {
  return withOptional<AuditEvent>(
    { id: num(r.id), requestId: String(r.request_id), at: num(r.at), actor: String(r.actor), type: String(r.type) },
    { detail: json(r.detail) },
  );
}
