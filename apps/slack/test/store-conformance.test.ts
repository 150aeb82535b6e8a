// One conformance suite for every RequestStore implementation: embedded PGlite (in memory) and a real Postgres
// server (a throwaway database per run, two store instances with their own pools acting as two replicas).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openRequestStore } from '../src/store/open-store.ts';
import { createPgliteExecutor } from '../src/store/pglite-executor.ts';
import { createPostgresExecutor } from '../src/store/postgres-executor.ts';
import type { NewRegisteredKey } from '../src/store/key-registry.ts';
import type { KeyRequest, NewKeyRequest, OutboxItem, RequestStore } from '../src/store/request-store.ts';
import { migrate, migrations, SCHEMA_VERSION } from '../src/store/schema.ts';
import type { SqlExecutor } from '../src/store/sql-executor.ts';
import { createSqlRequestStore } from '../src/store/sql-request-store.ts';

const SETUP_TIMEOUT = 60_000;
const T0 = 1_780_000_000_000; // epoch ms well beyond 2^31, so BIGINT handling is exercised
const HOUR = 3_600_000;

type Harness = {
  /** Two store instances on the same database (two replicas on Postgres; one shared instance embedded). */
  a: RequestStore;
  b: RequestStore;
  /** Direct SQL on the same database, for what the store API deliberately cannot do. */
  raw: SqlExecutor;
  close(): Promise<void>;
};

type Backend = { name: string; open(): Promise<Harness> };

const pgAdminUrl = process.env.PG_TEST_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

const backends: Backend[] = [
  {
    name: 'embedded PGlite (memory)',
    async open() {
      const raw = await createPgliteExecutor('memory://');
      await migrate(raw);
      const store = createSqlRequestStore(raw);
      return { a: store, b: store, raw, close: () => store.close() };
    },
  },
  {
    name: 'Postgres (127.0.0.1)',
    async open() {
      const database = `apikey_test_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`;
      const admin = postgres(pgAdminUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`CREATE DATABASE ${database}`);
      const url = databaseUrl(pgAdminUrl, database);
      // Both replicas start at once, as a deployment would, so the migration lock is exercised too.
      const [a, b] = await Promise.all([openRequestStore({ databaseUrl: url }), openRequestStore({ databaseUrl: url })]);
      const raw = await createPostgresExecutor(url, { maxConnections: 2 });
      return {
        a,
        b,
        raw,
        async close() {
          await Promise.all([a.close(), b.close(), raw.close()]);
          await admin.unsafe(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
          await admin.end({ timeout: 5 });
        },
      };
    },
  },
];

function newRequest(overrides: Partial<NewKeyRequest> = {}): NewKeyRequest {
  return {
    teamId: 'T001',
    requesterId: 'U_REQ',
    apiKeyName: 'billing-export',
    apiKeyDescription: 'nightly export',
    justification: 'finance needs the report',
    createdAt: T0,
    expiresAt: T0 + 72 * HOUR,
    ...overrides,
  };
}

async function count(raw: SqlExecutor, table: string): Promise<number> {
  const rows = await raw.query<{ n: unknown }>(`SELECT count(*) AS n FROM ${table}`);
  return Number(rows[0]?.n);
}

describe.each(backends)('RequestStore on $name', (backend) => {
  let h: Harness;
  let store: RequestStore;

  beforeAll(async () => {
    h = await backend.open();
    store = h.a;
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    await h?.close();
  }, SETUP_TIMEOUT);

  // Each test starts from empty tables. The append-only trigger is lifted only for this test-only reset.
  beforeEach(async () => {
    await h.raw.transaction(async (tx) => {
      await tx.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_truncate`);
      await tx.query(`TRUNCATE api_keys, approvals, outbox, audit_events, requests`);
      await tx.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_truncate`);
    });
  });

  describe('requests', () => {
    it('creates a pending request with an opaque id and reads it back unchanged', async () => {
      const created = await store.createRequest(newRequest(), 'U_REQ');
      expect(created.id).toMatch(/^req_[a-z2-7]{20}$/);
      expect(created).toMatchObject({ state: 'pending', version: 1, attempts: 0, createdAt: T0, expiresAt: T0 + 72 * HOUR });
      const read = await store.getRequest(created.id);
      expect(read).toEqual(created);
      expect(typeof read?.createdAt).toBe('number');
      // The other replica sees it too.
      expect(await h.b.getRequest(created.id)).toEqual(created);
      const audit = await store.listAudit(created.id);
      expect(audit).toMatchObject([{ requestId: created.id, type: 'requested', actor: 'U_REQ', at: T0 }]);
    });

    it('stores a request with its first outbox items in one transaction', async () => {
      const r = await store.createRequest(newRequest(), 'U_REQ', [
        { kind: 'update_approval_message', payload: {}, notBefore: T0 },
        { kind: 'notify', payload: { message: 'pending' }, notBefore: T0 },
      ]);
      expect((await store.listOutbox(r.id)).map((x) => x.kind)).toEqual(['update_approval_message', 'notify']);
    });

    it('leaves no pending request behind when its first outbox item cannot be stored', async () => {
      // A test-only constraint makes the second outbox insert fail inside createRequest's transaction.
      await h.raw.query(`ALTER TABLE outbox ADD CONSTRAINT test_refuse_boom CHECK (kind <> 'boom')`);
      try {
        await expect(store.createRequest(newRequest({ id: 'req_orphan_check' }), 'U_REQ', [
          { kind: 'update_approval_message', payload: {}, notBefore: T0 },
          { kind: 'boom' as never, payload: {}, notBefore: T0 },
        ])).rejects.toThrow(/test_refuse_boom/);
      } finally {
        await h.raw.query(`ALTER TABLE outbox DROP CONSTRAINT test_refuse_boom`);
      }
      expect(await store.getRequest('req_orphan_check')).toBeUndefined();
      expect(await store.listByState(['pending'], 10)).toEqual([]);
      expect(await count(h.raw, 'audit_events')).toBe(0);
      expect(await count(h.raw, 'outbox')).toBe(0);
    });

    it('gives every request a different id', async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 20; i++) ids.add((await store.createRequest(newRequest(), 'U_REQ')).id);
      expect(ids.size).toBe(20);
    });

    it('returns undefined for an unknown id', async () => {
      expect(await store.getRequest('req_doesnotexist')).toBeUndefined();
    });

    it('refuses malformed new requests with a clear message and stores nothing', async () => {
      await expect(store.createRequest(newRequest({ teamId: '' }), 'U_REQ')).rejects.toThrow(/teamId must be a non-empty string/);
      await expect(store.createRequest(newRequest({ createdAt: 1.5 }), 'U_REQ')).rejects.toThrow(/createdAt must be an integer/);
      await expect(store.createRequest(newRequest(), '')).rejects.toThrow(/actor/);
      expect(await count(h.raw, 'requests')).toBe(0);
      expect(await count(h.raw, 'audit_events')).toBe(0);
    });

    it('rejects a second request with the same explicit id and keeps the first', async () => {
      const first = await store.createRequest(newRequest({ id: 'req_fixedfixedfixedfixed' }), 'U_REQ');
      await expect(store.createRequest(newRequest({ id: first.id, apiKeyName: 'other' }), 'U_REQ')).rejects.toThrow();
      expect((await store.getRequest(first.id))?.apiKeyName).toBe('billing-export');
      expect(await store.listAudit(first.id)).toHaveLength(1);
    });
  });

  describe('transition (compare-and-set)', () => {
    it('moves the state, applies the patch, bumps the version and appends the audit event', async () => {
      const r = await store.createRequest(newRequest(), 'U_REQ');
      const result = await store.transition(
        r.id, 'pending', 'approved',
        { decidedBy: 'U_APP', decidedAt: T0 + 1000, decisionComment: 'ok' },
        { at: T0 + 1000, actor: 'U_APP', type: 'approved', detail: { comment: 'ok' } },
      );
      expect(result.ok).toBe(true);
      const expected = { ...r, state: 'approved', version: 2, decidedBy: 'U_APP', decidedAt: T0 + 1000, decisionComment: 'ok' };
      expect(result).toEqual({ ok: true, request: expected });
      expect(await store.getRequest(r.id)).toEqual(expected);
      expect((await store.listAudit(r.id)).map((e) => [e.type, e.actor, e.detail])).toEqual([
        ['requested', 'U_REQ', undefined],
        ['approved', 'U_APP', { comment: 'ok' }],
      ]);
    });

    it('refuses when the request is not in `from`, returning the current request and changing nothing', async () => {
      const r = await store.createRequest(newRequest(), 'U_REQ');
      await store.transition(r.id, 'pending', 'denied', { decidedBy: 'U_APP' });
      const refused = await store.transition(
        r.id, ['pending', 'failed'], 'approved', { decidedBy: 'U_OTHER' },
        { at: T0, actor: 'U_OTHER', type: 'approved' },
        [{ kind: 'create_key', payload: {}, notBefore: T0 }],
      );
      expect(refused.ok).toBe(false);
      if (refused.ok) return;
      expect(refused.current).toMatchObject({ id: r.id, state: 'denied', version: 2, decidedBy: 'U_APP' });
      expect(await store.getRequest(r.id)).toEqual(refused.current);
      expect((await store.listAudit(r.id)).map((e) => e.type)).toEqual(['requested']);
      expect(await store.listOutbox(r.id)).toEqual([]);
    });

    it('refuses with current undefined when the request does not exist', async () => {
      expect(await store.transition('req_missing', 'pending', 'approved')).toEqual({ ok: false, current: undefined });
    });

    it('accepts any of several `from` states', async () => {
      const r = await store.createRequest(newRequest(), 'U_REQ');
      await store.transition(r.id, 'pending', 'approved');
      await store.transition(r.id, 'approved', 'failed', { lastError: 'NCP 503' });
      const retried = await store.transition(r.id, ['approved', 'failed'], 'approved', { attempts: 1 });
      expect(retried).toMatchObject({ ok: true, request: { state: 'approved', version: 4, attempts: 1, lastError: 'NCP 503' } });
    });

    it('lets exactly one of 20 concurrent approvals win, across two store instances', async () => {
      const r = await store.createRequest(newRequest(), 'U_REQ');
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          (i % 2 === 0 ? h.a : h.b).transition(
            r.id, 'pending', 'approved', { decidedBy: `U_APP${i}` },
            { at: T0 + i, actor: `U_APP${i}`, type: 'approved' },
            [{ kind: 'create_key', payload: { by: i }, notBefore: T0 }],
          ),
        ),
      );
      const winners = results.filter((x) => x.ok);
      expect(winners).toHaveLength(1);
      const winner = winners[0];
      if (!winner?.ok) throw new Error('no winner');
      for (const loser of results.filter((x) => !x.ok)) {
        expect(loser).toMatchObject({ ok: false, current: { state: 'approved', decidedBy: winner.request.decidedBy } });
      }
      const final = await store.getRequest(r.id);
      expect(final).toMatchObject({ state: 'approved', version: 2, decidedBy: winner.request.decidedBy });
      expect((await store.listAudit(r.id)).filter((e) => e.type === 'approved')).toHaveLength(1);
      expect(await store.listOutbox(r.id)).toHaveLength(1);
    });

    it('refuses unknown states and protected patch fields before touching the database', async () => {
      const r = await store.createRequest(newRequest(), 'U_REQ');
      await expect(store.transition(r.id, 'pending', 'approvedd' as never)).rejects.toThrow(/unknown request state 'approvedd'/);
      await expect(store.transition(r.id, [], 'approved')).rejects.toThrow(/at least one state/);
      await expect(store.transition(r.id, 'pending', 'approved', { state: 'delivered' } as never)).rejects.toThrow(/'state' cannot be changed/);
      await expect(store.transition(r.id, 'pending', 'approved', { attempts: 'x' } as never)).rejects.toThrow(/attempts must be an integer/);
      expect(await store.getRequest(r.id)).toEqual(r);
    });
  });

  describe('approvals toward a quorum', () => {
    const APPROVED = [{ kind: 'create_key' as const, payload: {}, notBefore: T0 }];
    const RECORDED = [{ kind: 'update_approval_message' as const, payload: {}, notBefore: T0 }];

    it('stores the product id a request is for', async () => {
      const r = await store.createRequest(newRequest({ productId: 'pay1234567' }), 'U_REQ');
      expect(r.productId).toBe('pay1234567');
      expect(await h.b.getRequest(r.id)).toMatchObject({ productId: 'pay1234567' });
      expect((await store.createRequest(newRequest(), 'U_REQ')).productId).toBeUndefined();
    });

    it('counts distinct approvers; the quorum-th approval moves pending → approved with its outbox items', async () => {
      const r = await store.createRequest(newRequest(), 'U_REQ');
      const first = await store.recordApproval({ requestId: r.id, approverId: 'U_A', at: T0 + 1, quorum: 2, comment: 'fine by me' }, APPROVED, RECORDED);
      expect(first).toMatchObject({ ok: true, approved: false, request: { state: 'pending', version: 2 }, approvals: [{ approverId: 'U_A', at: T0 + 1, comment: 'fine by me' }] });
      const again = await h.b.recordApproval({ requestId: r.id, approverId: 'U_A', at: T0 + 2, quorum: 2 }, APPROVED, RECORDED);
      expect(again).toMatchObject({ ok: false, reason: 'already_approved', current: { state: 'pending' } });
      expect(again.approvals).toHaveLength(1);
      const second = await h.b.recordApproval({ requestId: r.id, approverId: 'U_B', at: T0 + 3, quorum: 2 }, APPROVED, RECORDED);
      expect(second).toMatchObject({ ok: true, approved: true, request: { state: 'approved', decidedBy: 'U_B', decidedAt: T0 + 3 } });
      expect(second.approvals.map((a) => a.approverId)).toEqual(['U_A', 'U_B']);
      const late = await store.recordApproval({ requestId: r.id, approverId: 'U_C', at: T0 + 4, quorum: 2 }, APPROVED, RECORDED);
      expect(late).toMatchObject({ ok: false, reason: 'not_pending', current: { state: 'approved' } });
      expect((await store.listAudit(r.id)).map((e) => [e.type, e.actor, e.detail])).toEqual([
        ['requested', 'U_REQ', undefined],
        ['approval_recorded', 'U_A', { approvals: 1, quorum: 2, comment: 'fine by me' }],
        ['approved', 'U_B', { approvals: 2, quorum: 2 }],
      ]);
      expect((await store.listOutbox(r.id)).map((x) => x.kind)).toEqual(['update_approval_message', 'create_key']);
      expect(await store.listApprovals(r.id)).toHaveLength(2);
    });

    it('a quorum of one approves on the first approval', async () => {
      const r = await store.createRequest(newRequest(), 'U_REQ');
      expect(await store.recordApproval({ requestId: r.id, approverId: 'U_A', at: T0, quorum: 1 }, APPROVED, RECORDED))
        .toMatchObject({ ok: true, approved: true, request: { state: 'approved', decidedBy: 'U_A' } });
    });

    it('records nothing on a denied or missing request', async () => {
      const r = await store.createRequest(newRequest(), 'U_REQ');
      await store.transition(r.id, 'pending', 'denied', { decidedBy: 'U_X' });
      expect(await store.recordApproval({ requestId: r.id, approverId: 'U_A', at: T0, quorum: 2 }, APPROVED, RECORDED))
        .toMatchObject({ ok: false, reason: 'not_pending', current: { state: 'denied' }, approvals: [] });
      expect(await store.recordApproval({ requestId: 'req_missing', approverId: 'U_A', at: T0, quorum: 2 }, APPROVED, RECORDED))
        .toMatchObject({ ok: false, reason: 'not_pending', current: undefined });
      expect(await count(h.raw, 'approvals')).toBe(0);
    });

    it('20 concurrent approvals (5 approvers, each 4 times, over two store instances) with quorum 3: exactly one approves, each approver counted once', async () => {
      const r = await store.createRequest(newRequest(), 'U_REQ');
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) =>
        (i % 2 === 0 ? h.a : h.b).recordApproval({ requestId: r.id, approverId: `U_APP${i % 5}`, at: T0 + i, quorum: 3 }, APPROVED, RECORDED)));
      expect(results.filter((x) => x.ok && x.approved)).toHaveLength(1);
      expect(results.filter((x) => x.ok && !x.approved)).toHaveLength(2);
      const approvals = await store.listApprovals(r.id);
      expect(approvals).toHaveLength(3);
      expect(new Set(approvals.map((a) => a.approverId)).size).toBe(3);
      expect(await store.getRequest(r.id)).toMatchObject({ state: 'approved' });
      expect((await store.listOutbox(r.id)).filter((x) => x.kind === 'create_key')).toHaveLength(1);
      expect((await store.listAudit(r.id)).filter((e) => e.type === 'approved')).toHaveLength(1);
    });

    it('an approval racing a deny: either the deny wins and nothing is approved, or the approval lands first and the deny still denies', async () => {
      const r = await store.createRequest(newRequest(), 'U_REQ');
      const [approval, deny] = await Promise.all([
        h.a.recordApproval({ requestId: r.id, approverId: 'U_A', at: T0, quorum: 1 }, APPROVED, RECORDED),
        h.b.transition(r.id, 'pending', 'denied', { decidedBy: 'U_D' }),
      ]);
      expect([approval.ok, deny.ok].filter(Boolean)).toHaveLength(1);
      expect((await store.getRequest(r.id))?.state).toBe(approval.ok ? 'approved' : 'denied');
    });
  });

  describe('updateRequest', () => {
    it('bumps the version on every write and honours expectedVersion', async () => {
      const r = await store.createRequest(newRequest(), 'U_REQ');
      const u1 = await store.updateRequest(r.id, { approvalChannel: 'C_APPROVERS', approvalTs: '1780000000.000100' });
      expect(u1).toMatchObject({ version: 2, state: 'pending', approvalChannel: 'C_APPROVERS', approvalTs: '1780000000.000100' });
      const u2 = await store.updateRequest(r.id, { remindedAt: T0 + 5 }, 2);
      expect(u2).toMatchObject({ version: 3, remindedAt: T0 + 5 });
      // A stale writer loses and changes nothing.
      expect(await store.updateRequest(r.id, { lastError: 'stale' }, 2)).toBeUndefined();
      expect(await store.getRequest(r.id)).toEqual(u2);
      const t = await store.transition(r.id, 'pending', 'approved');
      expect(t.ok && t.request.version).toBe(4);
    });

    it('clears a field when the patch names it with undefined', async () => {
      const r = await store.createRequest(newRequest(), 'U_REQ');
      await store.updateRequest(r.id, { lastError: 'DM refused' });
      const cleared = await store.updateRequest(r.id, { lastError: undefined } as never);
      expect(cleared).toBeDefined();
      expect(cleared && 'lastError' in cleared).toBe(false);
    });

    it('returns undefined for an unknown id', async () => {
      expect(await store.updateRequest('req_missing', { lastError: 'x' })).toBeUndefined();
    });
  });

  describe('listing', () => {
    it('lists one requester’s requests in their team, newest first, up to the limit', async () => {
      const mine = [];
      for (let i = 0; i < 4; i++) mine.push(await store.createRequest(newRequest({ createdAt: T0 + i * 1000 }), 'U_REQ'));
      await store.createRequest(newRequest({ requesterId: 'U_OTHER' }), 'U_OTHER');
      await store.createRequest(newRequest({ teamId: 'T_OTHER' }), 'U_REQ');
      const listed = await store.listByRequester('T001', 'U_REQ', 3);
      expect(listed.map((x) => x.id)).toEqual([mine[3]?.id, mine[2]?.id, mine[1]?.id]);
      expect(await store.listByRequester('T001', 'U_NOBODY', 10)).toEqual([]);
    });

    it('lists by state, only the states asked for', async () => {
      const p = await store.createRequest(newRequest(), 'U_REQ');
      const a = await store.createRequest(newRequest({ createdAt: T0 + 1 }), 'U_REQ');
      const d = await store.createRequest(newRequest({ createdAt: T0 + 2 }), 'U_REQ');
      await store.transition(a.id, 'pending', 'approved');
      await store.transition(d.id, 'pending', 'denied');
      expect((await store.listByState(['pending'], 10)).map((x) => x.id)).toEqual([p.id]);
      expect((await store.listByState(['approved', 'denied'], 10)).map((x) => x.id).sort()).toEqual([a.id, d.id].sort());
      expect(await store.listByState(['approved', 'denied'], 1)).toHaveLength(1);
      expect(await store.listByState(['delivered'], 10)).toEqual([]);
    });

    it('lists pending requests expiring at or before a time, soonest first', async () => {
      const soon = await store.createRequest(newRequest({ expiresAt: T0 + HOUR }), 'U_REQ');
      const sooner = await store.createRequest(newRequest({ expiresAt: T0 + HOUR / 2 }), 'U_REQ');
      const later = await store.createRequest(newRequest({ expiresAt: T0 + 10 * HOUR }), 'U_REQ');
      const decided = await store.createRequest(newRequest({ expiresAt: T0 }), 'U_REQ');
      await store.transition(decided.id, 'pending', 'denied');
      expect((await store.listExpiring(T0 + HOUR, 10)).map((x) => x.id)).toEqual([sooner.id, soon.id]);
      expect((await store.listExpiring(T0 + HOUR, 1)).map((x) => x.id)).toEqual([sooner.id]);
      expect((await store.listExpiring(T0 + 10 * HOUR, 10)).map((x) => x.id)).toContain(later.id);
      expect(await store.listExpiring(T0, 10)).toEqual([]);
    });

    it('refuses a non-positive limit', async () => {
      await expect(store.listByState(['pending'], 0)).rejects.toThrow(/limit must be a positive integer/);
    });
  });

  describe('audit log', () => {
    it('keeps events in append order with increasing ids', async () => {
      const r = await store.createRequest(newRequest(), 'U_REQ');
      for (const type of ['reminded', 'approved', 'key_created', 'delivered']) {
        await store.appendAudit({ requestId: r.id, at: T0 + 10, actor: 'system', type, detail: { step: type } });
      }
      const events = await store.listAudit(r.id);
      expect(events.map((e) => e.type)).toEqual(['requested', 'reminded', 'approved', 'key_created', 'delivered']);
      const ids = events.map((e) => e.id ?? 0);
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
      expect(new Set(ids).size).toBe(ids.length);
    });

    it('cannot be updated, deleted or truncated, even with direct SQL', async () => {
      const r = await store.createRequest(newRequest(), 'U_REQ');
      await expect(h.raw.query(`UPDATE audit_events SET actor = 'forged' WHERE request_id = $1`, [r.id])).rejects.toThrow(/append-only/);
      await expect(h.raw.query(`DELETE FROM audit_events WHERE request_id = $1`, [r.id])).rejects.toThrow(/append-only/);
      await expect(h.raw.query(`TRUNCATE audit_events CASCADE`)).rejects.toThrow(/append-only/);
      expect(await store.listAudit(r.id)).toMatchObject([{ type: 'requested', actor: 'U_REQ' }]);
    });

    it('rejects an event for an unknown request', async () => {
      await expect(store.appendAudit({ requestId: 'req_missing', at: T0, actor: 'system', type: 'reminded' })).rejects.toThrow();
      expect(await count(h.raw, 'audit_events')).toBe(0);
    });

    it('refuses secrets in audit details and outbox payloads', async () => {
      const r = await store.createRequest(newRequest(), 'U_REQ');
      await expect(store.appendAudit({ requestId: r.id, at: T0, actor: 'system', type: 'key_created', detail: { key: { primaryKey: 'x' } } }))
        .rejects.toThrow(/'primaryKey' looks secret/);
      await expect(store.transition(r.id, 'pending', 'approved', {}, undefined, [{ kind: 'deliver_key', payload: { secondaryKey: 'y' }, notBefore: T0 }]))
        .rejects.toThrow(/'secondaryKey' looks secret/);
      expect((await store.getRequest(r.id))?.state).toBe('pending');
      expect(await store.listAudit(r.id)).toHaveLength(1);
      expect(await store.listOutbox(r.id)).toEqual([]);
    });

    it('masks tokens and key values quoted in free text inside details and payloads', async () => {
      const r = await store.createRequest(newRequest(), 'U_REQ');
      const secret = 'ZyXwVuTsRqPoNmLkJiHgFeDcBa9876543210ZyXw';
      await store.appendAudit({ requestId: r.id, at: T0, actor: 'system', type: 'delivery_failed', detail: { error: `invalid_auth for xoxb-1111-2222-abcdef`, attempts: 2 } });
      await store.enqueue(r.id, [{ kind: 'notify', payload: { message: 'pending', note: [`{"secondaryKey":"${secret}"}`] }, notBefore: T0 }]);
      const [, event] = await store.listAudit(r.id);
      expect(event?.detail).toMatchObject({ error: expect.stringMatching(/^invalid_auth for /), attempts: 2 });
      expect(JSON.stringify(event)).not.toContain('xoxb-1111');
      const [item] = await store.listOutbox(r.id);
      expect(item?.payload.message).toBe('pending');
      expect(JSON.stringify(item)).not.toContain(secret);
    });
  });

  describe('error text', () => {
    it('masks key material and tokens in stored error messages', async () => {
      const r = await store.createRequest(newRequest(), 'U_REQ');
      const secret = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCd';
      const updated = await store.updateRequest(r.id, { lastError: `NCP said {"primaryKey":"${secret}"} via xoxb-1111-2222-abcdef` });
      expect(updated?.lastError).toContain('NCP said');
      expect(updated?.lastError).not.toContain(secret);
      expect(updated?.lastError).not.toContain('xoxb-1111');
      await store.enqueue(r.id, [{ kind: 'deliver_key', payload: { requestId: r.id }, notBefore: T0 }]);
      const [item] = await store.claimDue(T0, 1, 'w1', 1000);
      await store.failOutbox(item?.id ?? -1, 'w1', `chat.postMessage failed: secondaryKey=${secret}`, T0 + 1);
      const [after] = await store.listOutbox(r.id);
      expect(after?.lastError).toMatch(/^chat.postMessage failed: secondaryKey=/);
      expect(after?.lastError).not.toContain(secret);
      const dump = JSON.stringify([await h.raw.query(`SELECT * FROM requests`), await h.raw.query(`SELECT * FROM outbox`)]);
      expect(dump).not.toContain(secret);
    });
  });

  describe('outbox', () => {
    async function requestWithItems(n: number, notBefore = T0): Promise<KeyRequest> {
      const r = await store.createRequest(newRequest(), 'U_REQ');
      await store.enqueue(r.id, Array.from({ length: n }, (_, i) => ({ kind: 'notify' as const, payload: { i }, notBefore })));
      return r;
    }

    it('enqueues items in the same transaction as a transition', async () => {
      const r = await store.createRequest(newRequest(), 'U_REQ');
      await store.transition(r.id, 'pending', 'approved', {}, { at: T0, actor: 'U_APP', type: 'approved' }, [
        { kind: 'create_key', payload: { requestId: r.id }, notBefore: T0 },
        { kind: 'update_approval_message', payload: {}, notBefore: T0 },
      ]);
      expect(await store.listOutbox(r.id)).toMatchObject([
        { requestId: r.id, kind: 'create_key', payload: { requestId: r.id }, attempts: 0, notBefore: T0 },
        { requestId: r.id, kind: 'update_approval_message', payload: {}, attempts: 0, notBefore: T0 },
      ]);
    });

    it('rolls back the state change and audit event when the outbox insert fails', async () => {
      const r = await store.createRequest(newRequest(), 'U_REQ');
      // A test-only constraint makes the second outbox insert fail inside the transition's transaction.
      await h.raw.query(`ALTER TABLE outbox ADD CONSTRAINT test_refuse_boom CHECK (kind <> 'boom')`);
      try {
        await expect(store.transition(r.id, 'pending', 'approved', { decidedBy: 'U_APP' }, { at: T0, actor: 'U_APP', type: 'approved' }, [
          { kind: 'create_key', payload: {}, notBefore: T0 },
          { kind: 'boom' as never, payload: {}, notBefore: T0 },
        ])).rejects.toThrow(/test_refuse_boom/);
      } finally {
        await h.raw.query(`ALTER TABLE outbox DROP CONSTRAINT test_refuse_boom`);
      }
      expect(await store.getRequest(r.id)).toEqual(r);
      expect((await store.listAudit(r.id)).map((e) => e.type)).toEqual(['requested']);
      expect(await store.listOutbox(r.id)).toEqual([]);
    });

    it('never hands one item, or two steps of one request, to workers claiming at once from two store instances', async () => {
      const requests = [];
      for (let i = 0; i < 6; i++) requests.push(await requestWithItems(3));
      const claims = await Promise.all(
        Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? h.a : h.b).claimDue(T0, 3, `w${i}`, 60_000)),
      );
      const claimed = claims.flat();
      const ids = claimed.map((x) => x.id);
      expect(new Set(ids).size).toBe(ids.length);
      // One step per request at a time: each request's first item, never a later one.
      expect(new Set(claimed.map((x) => x.requestId)).size).toBe(claimed.length);
      for (const item of claimed) expect(item.payload).toEqual({ i: 0 });
      for (const [i, batch] of claims.entries()) {
        expect(batch.length).toBeLessThanOrEqual(3);
        for (const item of batch) expect(item.lockedBy).toBe(`w${i}`);
      }
      // Whatever was skipped while locked is still available; nothing is lost or double-leased.
      const rest = await store.claimDue(T0, 100, 'w_rest', 60_000);
      expect(new Set([...ids, ...rest.map((x) => x.id)]).size).toBe(6);
      expect(ids.length + rest.length).toBe(6);
    });

    it('runs the steps of one request one at a time and in order, a retrying step holding back the ones after it', async () => {
      const r = await requestWithItems(3);
      const [a] = await store.claimDue(T0, 10, 'w1', 60_000);
      expect(a?.payload).toEqual({ i: 0 });
      expect(await h.b.claimDue(T0, 10, 'w2', 60_000)).toEqual([]);
      await store.completeOutbox(a?.id ?? -1, 'w1', T0);
      const [b] = await h.b.claimDue(T0, 10, 'w2', 60_000);
      expect(b?.payload).toEqual({ i: 1 });
      await h.b.failOutbox(b?.id ?? -1, 'w2', 'ratelimited', T0 + 5000);
      expect(await store.claimDue(T0 + 4999, 10, 'w1', 60_000)).toEqual([]);
      expect((await store.claimDue(T0 + 5000, 10, 'w1', 60_000)).map((x) => x.payload)).toEqual([{ i: 1 }]);
      expect((await store.listOutbox(r.id)).filter((x) => x.lockedBy !== undefined && x.doneAt === undefined)).toHaveLength(1);
    });

    it('runs approval-message updates in a lane of their own: neither waiting for a key step nor holding one back, in order among themselves', async () => {
      const r = await store.createRequest(newRequest(), 'U_REQ');
      await store.enqueue(r.id, [
        { kind: 'update_approval_message', payload: { m: 1 }, notBefore: T0 },
        { kind: 'create_key', payload: {}, notBefore: T0 },
        { kind: 'update_approval_message', payload: { m: 2 }, notBefore: T0 },
        { kind: 'deliver_key', payload: {}, notBefore: T0 },
      ]);
      // The head of each lane, at once: the message update and the create.
      const first = await store.claimDue(T0, 10, 'w1', 60_000);
      expect(first.map((x) => x.kind).sort()).toEqual(['create_key', 'update_approval_message']);
      expect(first.find((x) => x.kind === 'update_approval_message')?.payload).toEqual({ m: 1 });
      // Both lanes are leased: nothing more until a step finishes.
      expect(await h.b.claimDue(T0, 10, 'w2', 60_000)).toEqual([]);
      const create = first.find((x) => x.kind === 'create_key')!;
      await store.completeOutbox(create.id, 'w1', T0);
      // The key lane moves on while the first message update is still running; the second update waits for it.
      expect((await h.b.claimDue(T0, 10, 'w2', 60_000)).map((x) => x.kind)).toEqual(['deliver_key']);
      const message = first.find((x) => x.kind === 'update_approval_message')!;
      await store.completeOutbox(message.id, 'w1', T0);
      expect((await h.b.claimDue(T0, 10, 'w2', 60_000)).map((x) => x.payload)).toEqual([{ m: 2 }]);
    });

    it('completeAndClaimNext completes a step and leases the next one of its request and lane to the same worker, once', async () => {
      const r = await store.createRequest(newRequest(), 'U_REQ');
      const other = await requestWithItems(1);
      await store.enqueue(r.id, [
        { kind: 'create_key', payload: {}, notBefore: T0 },
        { kind: 'update_approval_message', payload: {}, notBefore: T0 },
        { kind: 'subscribe_product', payload: { fresh: true }, notBefore: T0 },
        { kind: 'deliver_key', payload: {}, notBefore: T0 },
      ]);
      const [create] = (await store.claimDue(T0, 10, 'w1', 60_000)).filter((x) => x.requestId === r.id && x.kind === 'create_key');
      if (!create) throw new Error('create not claimed');
      const updated = await store.updateRequest(r.id, { apiKeyId: 'kid0000001', createStartedAt: T0 });
      const next = await store.completeAndClaimNext(create.id, 'w1', T0 + 5, 60_000);
      // The next key step, not the message update (another lane) nor another request's item; with its request as stored.
      expect(next?.item).toStrictEqual({
        id: expect.any(Number), requestId: r.id, kind: 'subscribe_product', payload: { fresh: true }, attempts: 1, notBefore: T0, lockedBy: 'w1', lockedUntil: T0 + 60_005,
      } satisfies OutboxItem);
      expect(next?.request).toStrictEqual(updated);
      expect((await store.listOutbox(r.id)).find((x) => x.id === create.id)).toMatchObject({ doneAt: T0 + 5 });
      // Leased: no other worker, on either instance, gets it; the request's deliver step waits behind it.
      expect((await h.b.claimDue(T0 + 5, 10, 'w2', 60_000)).filter((x) => x.requestId === r.id && x.kind !== 'update_approval_message')).toEqual([]);
      const last = await h.b.completeAndClaimNext(next!.item.id, 'w1', T0 + 6, 60_000);
      expect(last?.item).toMatchObject({ kind: 'deliver_key', lockedBy: 'w1' });
      // The lane is empty after the last step; the other request's item was never touched by these calls.
      expect(await store.completeAndClaimNext(last!.item.id, 'w1', T0 + 7, 60_000)).toBeUndefined();
      expect((await store.listOutbox(other.id)).map((x) => x.doneAt)).toEqual([undefined]);
    });

    it('completeAndClaimNext racing claimDue on the other store instance: each next step is leased to one worker only', async () => {
      const requests = [];
      for (let i = 0; i < 6; i++) requests.push(await requestWithItems(3));
      const heads = await store.claimDue(T0, 10, 'w1', 60_000);
      expect(heads).toHaveLength(6);
      const [chained, claimed] = await Promise.all([
        Promise.all(heads.map((x) => store.completeAndClaimNext(x.id, 'w1', T0, 60_000))),
        Promise.all(Array.from({ length: 4 }, (_, i) => h.b.claimDue(T0, 10, `w${i + 2}`, 60_000))),
      ]);
      const leased = [...chained.filter((x) => x !== undefined).map((x) => x.item), ...claimed.flat()];
      expect(new Set(leased.map((x) => x.id)).size).toBe(leased.length);
      // Only second steps are handed out (the third waits behind each), and every second step to someone.
      for (const x of leased) expect(x.payload).toEqual({ i: 1 });
      const rest = await store.claimDue(T0, 100, 'w_rest', 60_000);
      expect(leased.length + rest.length).toBe(6);
    });

    it('completeAndClaimNext leaves a next step that is not due, or leased elsewhere, to claimDue', async () => {
      const r = await store.createRequest(newRequest(), 'U_REQ');
      await store.enqueue(r.id, [
        { kind: 'update_approval_message', payload: { m: 1 }, notBefore: T0 },
        { kind: 'update_approval_message', payload: { m: 2 }, notBefore: T0 + 5000 },
      ]);
      const [m1] = await store.claimDue(T0, 10, 'w1', 60_000);
      expect(await store.completeAndClaimNext(m1?.id ?? -1, 'w1', T0, 60_000)).toBeUndefined();
      expect(await store.claimDue(T0 + 4999, 10, 'w2', 60_000)).toEqual([]);
      const [m2] = await store.claimDue(T0 + 5000, 10, 'w2', 60_000);
      expect(m2?.payload).toEqual({ m: 2 });

      // Completing a step whose successor another worker already leased (its lease of a stale item) hands out nothing.
      const s = await store.createRequest(newRequest(), 'U_REQ');
      await store.enqueue(s.id, [{ kind: 'create_key', payload: {}, notBefore: T0 }, { kind: 'deliver_key', payload: {}, notBefore: T0 }]);
      const [create] = await store.claimDue(T0, 10, 'w1', 1000);
      await h.raw.query(`UPDATE outbox SET locked_by = 'w3', locked_until = $2 WHERE request_id = $1 AND kind = 'deliver_key'`, [s.id, T0 + 60_000]);
      expect(await h.b.completeAndClaimNext(create?.id ?? -1, 'w1', T0 + 10, 60_000)).toBeUndefined();
      expect((await store.listOutbox(s.id)).map((x) => [x.kind, x.lockedBy, x.doneAt])).toEqual([['create_key', 'w1', T0 + 10], ['deliver_key', 'w3', undefined]]);
      await expect(store.completeAndClaimNext(987654, 'w1', T0, 1000)).rejects.toThrow(/no outbox item 987654/);
    });

    it('claims due items of different requests in notBefore order and respects notBefore', async () => {
      for (const [n, notBefore] of [['late', T0 + 5000], ['early', T0 - 10], ['now', T0]] as const) {
        const r = await store.createRequest(newRequest(), 'U_REQ');
        await store.enqueue(r.id, [{ kind: 'notify', payload: { n }, notBefore }]);
      }
      const first = await store.claimDue(T0, 10, 'w1', 60_000);
      expect(first.map((x) => x.payload.n)).toEqual(['early', 'now']);
      expect(first[0]).toMatchObject({ attempts: 1, lockedBy: 'w1', lockedUntil: T0 + 60_000 });
      expect(await store.claimDue(T0 + 4999, 10, 'w1', 60_000)).toEqual([]);
      expect((await store.claimDue(T0 + 5000, 10, 'w1', 60_000)).map((x) => x.payload.n)).toEqual(['late']);
    });

    it('respects the claim limit', async () => {
      for (let i = 0; i < 5; i++) await requestWithItems(1);
      expect(await store.claimDue(T0, 2, 'w1', 1000)).toHaveLength(2);
      expect(await store.claimDue(T0, 10, 'w2', 1000)).toHaveLength(3);
    });

    it('releaseOutbox gives a leased step back for anyone to claim at once; only its holder can', async () => {
      const r = await requestWithItems(1);
      const [item] = await store.claimDue(T0, 1, 'w1', 60_000);
      await store.releaseOutbox(item?.id ?? -1, 'w2');
      expect(await h.b.claimDue(T0, 1, 'w2', 60_000)).toEqual([]);
      await store.releaseOutbox(item?.id ?? -1, 'w1');
      expect(await h.b.claimDue(T0, 1, 'w2', 60_000)).toMatchObject([{ id: item?.id, lockedBy: 'w2' }]);
      expect(await store.listOutbox(r.id)).toHaveLength(1);
    });

    it('renewOutbox extends only its holder\'s lease, so a long step is not claimed by another worker meanwhile', async () => {
      await requestWithItems(1);
      const [item] = await store.claimDue(T0, 1, 'w1', 1000);
      const id = item?.id ?? -1;
      expect(await h.b.renewOutbox(id, 'w2', T0 + 10_000)).toBe(false);
      expect(await store.renewOutbox(id, 'w1', T0 + 10_000)).toBe(true);
      // Past the first lease, inside the renewed one: nobody else may take it.
      expect(await h.b.claimDue(T0 + 5000, 1, 'w2', 1000)).toEqual([]);
      // A renewal never shortens a lease.
      expect(await store.renewOutbox(id, 'w1', T0 + 2000)).toBe(true);
      expect(await h.b.claimDue(T0 + 5000, 1, 'w2', 1000)).toEqual([]);
      // Once the renewed lease lapses another worker takes it up, and the first can no longer renew it.
      expect(await h.b.claimDue(T0 + 10_000, 1, 'w2', 1000)).toMatchObject([{ id, lockedBy: 'w2' }]);
      expect(await store.renewOutbox(id, 'w1', T0 + 20_000)).toBe(false);
      await store.completeOutbox(id, 'w2', T0 + 10_500);
      expect(await h.b.renewOutbox(id, 'w2', T0 + 20_000)).toBe(false);
    });

    it('reports the depth of the outbox and since when its oldest due item waits', async () => {
      expect(await store.outboxStats(T0)).toEqual({ depth: 0 });
      const r1 = await requestWithItems(2, T0 - 7000);
      await requestWithItems(1, T0 + 60_000);
      expect(await store.outboxStats(T0)).toEqual({ depth: 3, oldestDueAt: T0 - 7000 });
      for (const x of await store.listOutbox(r1.id)) await store.completeOutbox(x.id, 'w1', T0);
      expect(await store.outboxStats(T0)).toEqual({ depth: 1 });
    });

    it('stores an item with a onceKey at most once per request', async () => {
      const r = await store.createRequest(newRequest(), 'U_REQ');
      const other = await store.createRequest(newRequest(), 'U_REQ');
      const remind = { kind: 'remind' as const, payload: {}, notBefore: T0, onceKey: 'remind' };
      const stored = await Promise.all([store.enqueue(r.id, [remind]), h.b.enqueue(r.id, [remind]), store.enqueue(other.id, [remind])]);
      expect(stored.sort()).toEqual([0, 1, 1]);
      expect(await store.listOutbox(r.id)).toMatchObject([{ kind: 'remind', onceKey: 'remind' }]);
      expect(await store.enqueue(r.id, [{ kind: 'notify', payload: {}, notBefore: T0 }])).toBe(1);
    });

    it('lets another worker take an item once the lease expires', async () => {
      const r = await requestWithItems(1);
      const [item] = await h.a.claimDue(T0, 1, 'w1', 1000);
      expect(item).toBeDefined();
      expect(await h.b.claimDue(T0 + 999, 1, 'w2', 1000)).toEqual([]);
      const [taken] = await h.b.claimDue(T0 + 1000, 1, 'w2', 1000);
      expect(taken).toMatchObject({ id: item?.id, lockedBy: 'w2', lockedUntil: T0 + 2000, attempts: 2 });
      // The worker that lost the lease cannot reschedule it under the new holder.
      await h.a.failOutbox(item?.id ?? -1, 'w1', 'late failure', T0 + 99_000);
      expect(await store.listOutbox(r.id)).toMatchObject([{ lockedBy: 'w2', notBefore: T0 }]);
    });

    it('failOutbox releases the lease, records the error and reschedules', async () => {
      const r = await requestWithItems(1);
      const [item] = await store.claimDue(T0, 1, 'w1', 60_000);
      if (!item) throw new Error('nothing claimed');
      await store.failOutbox(item.id, 'w1', 'chat.postMessage: ratelimited', T0 + 30_000);
      const [after] = await store.listOutbox(r.id);
      const { lockedBy: _by, lockedUntil: _until, ...unleased } = item;
      expect(after).toStrictEqual({ ...unleased, lastError: 'chat.postMessage: ratelimited', notBefore: T0 + 30_000 } satisfies OutboxItem);
      expect(await store.claimDue(T0 + 29_999, 1, 'w2', 60_000)).toEqual([]);
      expect(await store.claimDue(T0 + 30_000, 1, 'w2', 60_000)).toMatchObject([{ id: item.id, attempts: 2, lockedBy: 'w2', lastError: 'chat.postMessage: ratelimited' }]);
    });

    it('completeOutbox marks the item done so it is never claimed again', async () => {
      const r = await requestWithItems(1);
      const [item] = await store.claimDue(T0, 1, 'w1', 1000);
      if (!item) throw new Error('nothing claimed');
      await store.completeOutbox(item.id, 'w1', T0 + 10);
      expect(await store.claimDue(T0 + 10 * HOUR, 10, 'w2', 1000)).toEqual([]);
      expect(await store.listOutbox(r.id)).toMatchObject([{ id: item.id, doneAt: T0 + 10 }]);
    });

    it('refuses to complete or fail an unknown item', async () => {
      await expect(store.completeOutbox(987654, 'w1', T0)).rejects.toThrow(/no outbox item 987654/);
      await expect(store.failOutbox(987654, 'w1', 'x', T0)).rejects.toThrow(/no outbox item 987654/);
    });

    it('rejects items for an unknown request', async () => {
      await expect(store.enqueue('req_missing', [{ kind: 'notify', payload: {}, notBefore: T0 }])).rejects.toThrow();
      expect(await count(h.raw, 'outbox')).toBe(0);
    });
  });

  describe('key registry', () => {
    async function registered(overrides: Partial<NewRegisteredKey> = {}) {
      const request = await store.createRequest(newRequest({ requesterId: overrides.ownerId ?? 'U_REQ' }), 'U_REQ');
      const key: NewRegisteredKey = {
        apiKeyId: `key${Math.random().toString(36).slice(2, 9)}`,
        teamId: 'T001',
        ownerId: 'U_REQ',
        requestId: request.id,
        apiKeyName: request.apiKeyName,
        createdAt: T0,
        ...overrides,
      };
      return store.registerKey(key);
    }

    it('registers a key once: a second registration returns the stored row unchanged and is not audited again', async () => {
      const request = await store.createRequest(newRequest(), 'U_REQ');
      const input = { apiKeyId: 'k1', teamId: 'T001', ownerId: 'U_REQ', requestId: request.id, apiKeyName: 'billing-export', createdAt: T0, productId: 'weatherpub', productName: 'Weather <b>' };
      const first = await store.registerKey(input);
      expect(first).toEqual({ ...input, state: 'active', version: 1 });
      const again = await h.b.registerKey({ ...input, ownerId: 'U_OTHER', createdAt: T0 + HOUR });
      expect(again).toEqual(first);
      expect(await store.getKey('k1')).toEqual(first);
      expect((await store.listAudit(request.id)).map((e) => e.type)).toEqual(['requested', 'key_registered']);
    });

    it('refuses a key of an unknown request and malformed input, storing nothing', async () => {
      await expect(store.registerKey({ apiKeyId: 'k1', teamId: 'T001', ownerId: 'U', requestId: 'req_missing', apiKeyName: 'n', createdAt: T0 })).rejects.toThrow();
      await expect(store.registerKey({ apiKeyId: '', teamId: 'T001', ownerId: 'U', requestId: 'req_x', apiKeyName: 'n', createdAt: T0 })).rejects.toThrow(/apiKeyId must be a non-empty string/);
      expect(await count(h.raw, 'api_keys')).toBe(0);
      expect(await store.getKey('k1')).toBeUndefined();
    });

    it('lists keys by owner, team, state, offboarding mark, rotation age and reminder, oldest first', async () => {
      const a = await registered({ apiKeyId: 'ka', createdAt: T0 });
      const b = await registered({ apiKeyId: 'kb', createdAt: T0 + 1 });
      const c = await registered({ apiKeyId: 'kc', ownerId: 'U_OTHER', createdAt: T0 + 2 });
      await registered({ apiKeyId: 'kd', teamId: 'T002', createdAt: T0 + 3 });
      await store.updateKey('kb', { state: 'disabled', rotatedAt: T0 + 10 * HOUR, remindedAt: T0 + HOUR });
      await store.updateKey('kc', { ownerGoneAt: T0 + 5 });
      const ids = (keys: { apiKeyId: string }[]) => keys.map((k) => k.apiKeyId);
      expect(ids(await store.listKeys({ teamId: 'T001', ownerId: 'U_REQ' }, 10))).toEqual(['ka', 'kb']);
      expect(ids(await store.listKeys({ states: ['active'] }, 10))).toEqual(['ka', 'kc', 'kd']);
      expect(ids(await store.listKeys({ ownerGone: true }, 10))).toEqual(['kc']);
      expect(ids(await store.listKeys({ teamId: 'T001', ownerGone: false }, 10))).toEqual(['ka', 'kb']);
      // kb was rotated later, so it is not due; ka and kc are judged by their creation time.
      expect(ids(await store.listKeys({ lastRotatedBefore: T0 + 5 * HOUR, teamId: 'T001' }, 10))).toEqual(['ka', 'kc']);
      expect(ids(await store.listKeys({ notRemindedSince: T0 }, 10))).toEqual(['ka', 'kc', 'kd']);
      expect(ids(await store.listKeys({}, 2))).toEqual(['ka', 'kb']);
      expect(a.state).toBe('active');
      expect(b.ownerId).toBe('U_REQ');
      expect(c.ownerId).toBe('U_OTHER');
      await expect(store.listKeys({ states: ['gone' as never] }, 10)).rejects.toThrow(/unknown key state 'gone'/);
      await expect(store.listKeys({}, 0)).rejects.toThrow(/limit must be a positive integer/);
    });

    it('updateKey applies a patch, its audit event and its outbox items together on the key\'s request', async () => {
      const key = await registered();
      const updated = await store.updateKey(key.apiKeyId, { rotationStep: 'secondary', rotationBy: 'U_REQ', rotationStartedAt: T0 + 1 }, {
        expectedVersion: key.version,
        audit: { at: T0 + 1, actor: 'U_REQ', type: 'rotation_started', detail: { apiKeyId: key.apiKeyId } },
        enqueue: [{ kind: 'notify', payload: { apiKeyId: key.apiKeyId }, notBefore: T0 + 1 }],
      });
      expect(updated).toMatchObject({ rotationStep: 'secondary', rotationBy: 'U_REQ', rotationStartedAt: T0 + 1, version: key.version + 1 });
      expect((await store.listAudit(key.requestId)).map((e) => e.type)).toContain('rotation_started');
      expect((await store.listOutbox(key.requestId)).map((i) => i.payload)).toEqual([{ apiKeyId: key.apiKeyId }]);
      // A field given as undefined is cleared.
      const cleared = await store.updateKey(key.apiKeyId, { rotationStep: undefined, rotationBy: undefined, rotationStartedAt: undefined, rotatedAt: T0 + 2 });
      expect(cleared?.rotationStep).toBeUndefined();
      expect(cleared?.rotationBy).toBeUndefined();
      expect(cleared?.rotatedAt).toBe(T0 + 2);
    });

    it('updateKey with a stale version changes nothing: no patch, no audit event, no outbox item', async () => {
      const key = await registered();
      await store.updateKey(key.apiKeyId, { remindedAt: T0 });
      const audits = (await store.listAudit(key.requestId)).length;
      const stale = await store.updateKey(key.apiKeyId, { state: 'disabled' }, {
        expectedVersion: key.version,
        audit: { at: T0, actor: 'U', type: 'revoked' },
        enqueue: [{ kind: 'notify', payload: {}, notBefore: T0 }],
      });
      expect(stale).toBeUndefined();
      expect((await store.getKey(key.apiKeyId))?.state).toBe('active');
      expect(await store.listAudit(key.requestId)).toHaveLength(audits);
      expect(await store.listOutbox(key.requestId)).toEqual([]);
      expect(await store.updateKey('k_missing', { state: 'disabled' })).toBeUndefined();
    });

    it('updateKey refuses fields it may not change or clear, and values of the wrong kind', async () => {
      const key = await registered();
      await expect(store.updateKey(key.apiKeyId, { requestId: 'req_x' } as never)).rejects.toThrow(/field 'requestId' cannot be changed/);
      await expect(store.updateKey(key.apiKeyId, { ownerId: undefined as never })).rejects.toThrow(/ownerId cannot be cleared/);
      await expect(store.updateKey(key.apiKeyId, { state: 'revoked' as never })).rejects.toThrow(/unknown key state/);
      await expect(store.updateKey(key.apiKeyId, { rotationStep: 'tertiary' as never })).rejects.toThrow(/unknown rotation step/);
      await expect(store.updateKey(key.apiKeyId, { revealPart: 'both' as never })).rejects.toThrow(/unknown key part/);
      await expect(store.updateKey(key.apiKeyId, { rotatedAt: 1.5 })).rejects.toThrow(/integer/);
      await expect(store.updateKey(key.apiKeyId, { remindedAt: T0 }, { enqueue: [{ kind: 'notify', payload: { primaryKey: 'x' }, notBefore: T0 }] })).rejects.toThrow(/looks secret/);
      expect(await store.getKey(key.apiKeyId)).toEqual(key);
    });

    it('of concurrent compare-and-set updates on two replicas exactly one wins', async () => {
      const key = await registered();
      const results = await Promise.all(Array.from({ length: 12 }, (_, i) =>
        (i % 2 === 0 ? h.a : h.b).updateKey(key.apiKeyId, { rotationStep: 'secondary', rotationBy: `U${i}` }, {
          expectedVersion: key.version,
          enqueue: [{ kind: 'notify', payload: { by: `U${i}` }, notBefore: T0 }],
        })));
      expect(results.filter((r) => r !== undefined)).toHaveLength(1);
      expect(await store.listOutbox(key.requestId)).toHaveLength(1);
    });

    it('marks a departed owner\'s keys once, whoever marks them and however often, and queues the notice once', async () => {
      await registered({ apiKeyId: 'k1', ownerId: 'U_GONE', createdAt: T0 });
      await registered({ apiKeyId: 'k2', ownerId: 'U_GONE', createdAt: T0 + 1 });
      const deleted = await registered({ apiKeyId: 'k3', ownerId: 'U_GONE', createdAt: T0 + 2 });
      await store.updateKey(deleted.apiKeyId, { state: 'deleted' });
      await registered({ apiKeyId: 'k4', ownerId: 'U_STAYS' });
      await registered({ apiKeyId: 'k5', ownerId: 'U_GONE', teamId: 'T002' });
      const notices: string[][] = [];
      const onMarked = (keys: readonly { apiKeyId: string; requestId: string }[]) => {
        notices.push(keys.map((k) => k.apiKeyId));
        const first = keys[0];
        return first === undefined ? [] : [{ requestId: first.requestId, items: [{ kind: 'notify' as const, payload: { keys: keys.map((k) => k.apiKeyId) }, notBefore: T0 }] }];
      };
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 === 0 ? h.a : h.b).markOwnerGone('T001', 'U_GONE', T0 + 100 + i, onMarked)));
      const winners = results.filter((r) => r.length > 0);
      expect(winners).toHaveLength(1);
      expect(winners[0]?.map((k) => k.apiKeyId)).toEqual(['k1', 'k2']);
      expect(notices.filter((n) => n.length > 0)).toEqual([['k1', 'k2']]);
      const k1 = await store.getKey('k1');
      expect(k1?.ownerGoneAt).toBeGreaterThanOrEqual(T0 + 100);
      expect((await store.listOutbox(k1?.requestId ?? '')).map((i) => i.payload)).toEqual([{ keys: ['k1', 'k2'] }]);
      expect((await store.listAudit(k1?.requestId ?? '')).filter((e) => e.type === 'owner_gone')).toHaveLength(1);
      expect((await store.getKey('k3'))?.ownerGoneAt).toBeUndefined();
      expect((await store.getKey('k4'))?.ownerGoneAt).toBeUndefined();
      expect((await store.getKey('k5'))?.ownerGoneAt).toBeUndefined();
      expect(await store.markOwnerGone('T001', 'U_GONE', T0 + 999, onMarked)).toEqual([]);
    });

    it('lists the owners holding keys, distinct and paged', async () => {
      await registered({ apiKeyId: 'k1', ownerId: 'U_B' });
      await registered({ apiKeyId: 'k2', ownerId: 'U_A' });
      await registered({ apiKeyId: 'k3', ownerId: 'U_A' });
      const gone = await registered({ apiKeyId: 'k4', ownerId: 'U_C' });
      await store.updateKey(gone.apiKeyId, { state: 'deleted' });
      await registered({ apiKeyId: 'k5', ownerId: 'U_A', teamId: 'T002' });
      const page1 = await store.listKeyOwners({}, 2);
      expect(page1).toEqual([{ teamId: 'T001', ownerId: 'U_A' }, { teamId: 'T001', ownerId: 'U_B' }]);
      const page2 = await store.listKeyOwners({ after: { teamId: 'T001', ownerId: 'U_B' } }, 2);
      expect(page2).toEqual([{ teamId: 'T002', ownerId: 'U_A' }]);
      expect(await store.listKeyOwners({ states: ['deleted'] }, 10)).toEqual([{ teamId: 'T001', ownerId: 'U_C' }]);
    });

    it('the registry migration registers the keys of requests made before it, once', async () => {
      const r = await store.createRequest(newRequest(), 'U_REQ');
      await store.updateRequest(r.id, { apiKeyId: 'k_old', decidedAt: T0 + 5 });
      await h.raw.query(`UPDATE requests SET state = 'delivered' WHERE id = $1`, [r.id]);
      await h.raw.query(`DELETE FROM schema_version WHERE version = 4`);
      await migrate(h.raw);
      await migrate(h.raw);
      expect(await store.getKey('k_old')).toEqual({
        apiKeyId: 'k_old', teamId: 'T001', ownerId: 'U_REQ', requestId: r.id, apiKeyName: 'billing-export', state: 'active', version: 1, createdAt: T0 + 5,
      });
    });
  });

  describe('schema', () => {
    it('has no column that could hold key material or tokens', async () => {
      const columns = await h.raw.query<{ table_name: string; column_name: string }>(
        `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()`,
      );
      const names = columns.map((c) => `${c.table_name}.${c.column_name}`);
      expect(names).toContain('requests.api_key_id');
      expect(names.filter((n) => /primary|secondary|secret|token|signature|password/i.test(n))).toEqual([]);
    });

    it('keeps the product a request names (id and NCP\'s name), and none when it names none', async () => {
      const withProduct = await store.createRequest({ ...newRequest(), productId: 'weatherpub', productName: 'weather <b>' }, 'U_REQ');
      expect(await store.getRequest(withProduct.id)).toMatchObject({ productId: 'weatherpub', productName: 'weather <b>' });
      const without = await store.createRequest(newRequest(), 'U_REQ');
      const read = await store.getRequest(without.id);
      expect(read?.productId).toBeUndefined();
      expect(read?.productName).toBeUndefined();
      await expect(store.createRequest({ ...newRequest(), productId: '' }, 'U_REQ')).rejects.toThrow(/productId must be a non-empty string/);
    });

    it('re-running the migrations changes nothing', async () => {
      const r = await store.createRequest(newRequest(), 'U_REQ');
      await migrate(h.raw);
      await migrate(h.raw);
      expect(await store.getRequest(r.id)).toEqual(r);
      expect(await h.raw.query(`SELECT version FROM schema_version ORDER BY version`)).toEqual(migrations.map((m) => ({ version: m.version })));
    });

    it('refuses to run against a database migrated by a newer app', async () => {
      await h.raw.query(`INSERT INTO schema_version (version, applied_at) VALUES (99, 0)`);
      try {
        await expect(migrate(h.raw)).rejects.toThrow(`schema version 99 is newer than this app supports (${SCHEMA_VERSION})`);
      } finally {
        await h.raw.query(`DELETE FROM schema_version WHERE version = 99`);
      }
    });
  });
});

describe('openRequestStore', () => {
  it('keeps embedded data across a restart from the same data folder, and refuses a second opener meanwhile', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'apikey-store-'));
    try {
      const first = await openRequestStore({ dataDir: dir });
      const r = await first.createRequest(newRequest(), 'U_REQ');
      await first.transition(r.id, 'pending', 'approved', { decidedBy: 'U_APP' }, { at: T0, actor: 'U_APP', type: 'approved' },
        [{ kind: 'create_key', payload: { requestId: r.id }, notBefore: T0 }]);
      await expect(openRequestStore({ dataDir: dir })).rejects.toThrow(/already open in this process.*DATABASE_URL/);
      await first.close();

      const second = await openRequestStore({ dataDir: dir });
      try {
        expect(await second.getRequest(r.id)).toMatchObject({ state: 'approved', version: 2, decidedBy: 'U_APP' });
        expect((await second.listAudit(r.id)).map((e) => e.type)).toEqual(['requested', 'approved']);
        expect(await second.claimDue(T0, 10, 'w1', 1000)).toMatchObject([{ kind: 'create_key', payload: { requestId: r.id } }]);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, SETUP_TIMEOUT);

  it('gives every in-memory store its own empty database', async () => {
    const first = await openRequestStore({ dataDir: 'memory://' });
    const second = await openRequestStore({ dataDir: 'memory://' });
    try {
      const r = await first.createRequest(newRequest(), 'U_REQ');
      expect(await second.getRequest(r.id)).toBeUndefined();
      expect(await second.listByState(['pending'], 10)).toEqual([]);
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  }, SETUP_TIMEOUT);

  it('fails to open an unreachable Postgres without revealing the password', async () => {
    const err = await openRequestStore({ databaseUrl: 'postgres://apikey:hunter2@127.0.0.1:1/keys' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(`${String(err)} ${JSON.stringify(err)}`).not.toContain('hunter2');
  });

  it('refuses a DATABASE_URL that is not Postgres without echoing it', async () => {
    const err = await openRequestStore({ databaseUrl: 'mysql://admin:hunter2@db.internal/keys' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/must start with postgres:\/\//);
    expect((err as Error).message).not.toContain('hunter2');
  });
});
