// The storage contract of the Slack app: key requests and their state machine, the append-only audit log,
// and the delivery outbox. Two implementations (embedded PGlite, shared Postgres) pass one conformance suite.
//
// The key registry (key-registry.ts) is part of the same store and contract.
//
// Nothing secret is ever stored: no primaryKey/secondaryKey, no tokens. Keys are fetched from NCP by
// apiKeyId at delivery/reveal time.

import type { KeyRegistryStore } from './key-registry.ts';

/**
 * pending ──approve──▶ approved ──key created──▶ created ──DM sent──▶ delivered
 *    │                    │                          │
 *    ├──deny──▶ denied     └──gave up──▶ failed ◀─────┘   (failed → approved again on an operator retry)
 *    └──TTL──▶ expired
 */
export type RequestState = 'pending' | 'approved' | 'created' | 'delivered' | 'denied' | 'expired' | 'failed';

export type KeyRequest = {
  id: string;                    // opaque, unguessable (e.g. 'req_' + 20 random base32 chars); safe in button values
  teamId: string;
  requesterId: string;           // Slack user id
  apiKeyName: string;
  apiKeyDescription: string;
  justification: string;
  productId?: string;            // the NCP product the key is for (optional unless policy requires one; none: the policy's defaults govern it)
  productName?: string;          // its name as NCP gave it when requested (untrusted text: print through the escaping helpers)
  state: RequestState;
  version: number;               // bumped on every write; compare-and-set token
  createdAt: number;             // epoch ms
  expiresAt: number;             // epoch ms (createdAt + APIKEY_REQUEST_TTL)
  decidedBy?: string;            // approver/denier user id
  decidedAt?: number;
  decisionComment?: string;      // approve comment or deny reason
  apiKeyId?: string;             // set when state reaches 'created'
  createStartedAt?: number;      // set just before calling NCP create; lets recovery adopt instead of duplicating
  approvalChannel?: string;      // where the approval message was posted
  approvalTs?: string;           // its ts, for chat.update
  requesterDmChannel?: string;
  revealedAt?: number;           // reveal mode: the one-time reveal was used (set only after the keys were shown)
  revealLeaseUntil?: number;     // reveal mode: a reveal is showing the keys right now (until this time)
  remindedAt?: number;           // expiry reminder sent
  attempts: number;              // key-creation / delivery attempts so far
  lastError?: string;            // redacted, for the approver and /apikey list
};

export type NewKeyRequest = Pick<KeyRequest, 'teamId' | 'requesterId' | 'apiKeyName' | 'apiKeyDescription' | 'justification' | 'expiresAt'> & {
  productId?: string;
  productName?: string;
  id?: string;
  createdAt: number;
};

/** Fields that may change together with a state transition or in a plain update. */
export type KeyRequestPatch = Partial<Omit<KeyRequest, 'id' | 'teamId' | 'requesterId' | 'state' | 'version' | 'createdAt' | 'productId' | 'productName'>>;

export type AuditEvent = {
  id?: number;
  requestId: string;
  at: number;
  actor: string;                 // Slack user id, or 'system'
  type: string;                  // 'requested' | 'approved' | 'denied' | 'expired' | 'key_created' | 'delivered' | 'delivery_failed' | 'creation_failed' | 'revealed' | 'reminded' | …
  detail?: Record<string, unknown>; // never secrets
};

/** One approver's approval toward a request's quorum; (requestId, approverId) is unique. */
export type Approval = { requestId: string; approverId: string; at: number; comment?: string };

export type RecordApprovalResult =
  /** Recorded; `approved` when it was the quorum-th distinct approval and moved the request to 'approved'. */
  | { ok: true; approved: boolean; request: KeyRequest; approvals: Approval[] }
  /** Nothing changed: the request is not pending (or missing), or this approver already approved it. */
  | { ok: false; reason: 'not_pending' | 'already_approved'; current: KeyRequest | undefined; approvals: Approval[] };

/**
 * An approved request runs create_key → subscribe_product (when it names a product) → accept_subscription (when
 * policy accepts for that product) → deliver_key, one step at a time, each resumable on its own.
 */
export type OutboxKind = 'create_key' | 'subscribe_product' | 'accept_subscription' | 'deliver_key' | 'notify' | 'update_approval_message' | 'remind'
  // Key lifecycle (queued on the key's origin request; never fail the request when they give up):
  | 'revoke_key' | 'key_notice' | 'offboarding_notice' | 'rotation_reminder'
  | 'rotate_key' // one regeneration of a registered key (workflow/rotate.ts), queued on the key's origin request
  | 'enable_key'; // a handed-over key enabled once its new values were delivered (workflow/handover.ts)

export type OutboxItem = {
  id: number;
  requestId: string;
  kind: OutboxKind;
  payload: Record<string, unknown>;  // never secrets
  attempts: number;
  notBefore: number;             // epoch ms; not claimable earlier
  lockedBy?: string;
  lockedUntil?: number;
  lastError?: string;
  doneAt?: number;
  /** At most one item per request carries a given onceKey: enqueueing it again is a no-op. */
  onceKey?: string;
};

/** What a caller enqueues; the store assigns id, attempts and the lease. */
export type NewOutboxItem = Pick<OutboxItem, 'kind' | 'payload' | 'notBefore'> & { onceKey?: string };

export type OutboxStats = {
  /** Unfinished items (due or scheduled for later). */
  depth: number;
  /** notBefore of the oldest unfinished item that is due at `now` (undefined when none is due). */
  oldestDueAt?: number;
};

export interface RequestStore extends KeyRegistryStore {
  /**
   * Inserts a new pending request, its 'requested' audit event and its first outbox items in one transaction:
   * either all of them are stored or none (no pending request that nobody is ever told about).
   */
  createRequest(input: NewKeyRequest, actor: string, enqueue?: readonly NewOutboxItem[]): Promise<KeyRequest>;
  getRequest(id: string): Promise<KeyRequest | undefined>;
  /**
   * Atomic compare-and-set: moves the request from one of `from` to `to`, applying `patch` and appending
   * `audit` (if given) in the same transaction, and optionally enqueueing outbox items in it too.
   * Resolves `{ ok: true, request }`, or `{ ok: false, current }` when the request is not in `from`
   * (current is undefined when it does not exist). Two concurrent callers: exactly one gets ok.
   */
  transition(
    id: string,
    from: RequestState | readonly RequestState[],
    to: RequestState,
    patch?: KeyRequestPatch,
    audit?: Omit<AuditEvent, 'requestId' | 'id'>,
    enqueue?: readonly NewOutboxItem[],
  ): Promise<{ ok: true; request: KeyRequest } | { ok: false; current: KeyRequest | undefined }>;
  /** Updates non-state fields (approvalTs, lastError, …); optional CAS on `expectedVersion`. */
  updateRequest(id: string, patch: KeyRequestPatch, expectedVersion?: number): Promise<KeyRequest | undefined>;
  listByRequester(teamId: string, requesterId: string, limit: number): Promise<KeyRequest[]>;
  listByState(states: readonly RequestState[], limit: number): Promise<KeyRequest[]>;
  /** Pending requests whose expiresAt <= before. */
  listExpiring(before: number, limit: number): Promise<KeyRequest[]>;

  /**
   * Records `approverId`'s approval of a pending request and, when it is the `quorum`-th distinct one, moves
   * the request pending → approved (decidedBy = this approver) — all in one transaction holding the request's
   * row, so concurrent approvals on any replica are counted exactly and exactly one of them approves. An
   * approver counts once. Appends an 'approval_recorded' or 'approved' audit event and enqueues `onApproved`
   * or `onRecorded` in the same transaction.
   */
  recordApproval(
    input: { requestId: string; approverId: string; at: number; quorum: number; comment?: string },
    onApproved: readonly NewOutboxItem[],
    onRecorded: readonly NewOutboxItem[],
  ): Promise<RecordApprovalResult>;
  /** The request's approvals, oldest first. */
  listApprovals(requestId: string): Promise<Approval[]>;

  appendAudit(event: Omit<AuditEvent, 'id'>): Promise<AuditEvent>;
  listAudit(requestId: string): Promise<AuditEvent[]>;

  /** Resolves with the number of items stored (an item whose onceKey the request already has is skipped). */
  enqueue(requestId: string, items: readonly NewOutboxItem[]): Promise<number>;
  /**
   * Leases up to `limit` due items to `worker` for `leaseMs`: per request and lane only the lane's oldest
   * unfinished item (lowest id), and only while no item of that lane is leased, so the steps of one request
   * run one at a time and in order while different requests proceed independently. Two lanes: approval-message
   * updates (`update_approval_message`), and everything else (key steps, DMs, reminders) — a message update
   * never waits for a key step nor holds one back. Never hands one item to two workers.
   */
  claimDue(now: number, limit: number, worker: string, leaseMs: number): Promise<OutboxItem[]>;
  completeOutbox(id: number, worker: string, now: number): Promise<void>;
  /**
   * completeOutbox, and in the same atomic write leases to `worker` the next item of the same request and lane
   * when claimDue would hand it out now (the lane's head, due, not leased). Resolves with it and its request as
   * stored now, or undefined. Lets a worker run a request's steps back to back without a claim or a read round
   * trip, each step still recorded as done before the next starts.
   */
  completeAndClaimNext(id: number, worker: string, now: number, leaseMs: number): Promise<{ item: OutboxItem; request: KeyRequest } | undefined>;
  /** Releases the lease, records the error and reschedules at retryAt. */
  failOutbox(id: number, worker: string, error: string, retryAt: number): Promise<void>;
  /** Gives a leased item back unfinished (a worker stopping), so any worker may claim it again at once. Only the lease holder can. */
  releaseOutbox(id: number, worker: string): Promise<void>;
  /**
   * Extends the lease of an item `worker` still holds to at least `until` (a step that runs long renews it, so
   * no other worker takes it up meanwhile). Resolves false, changing nothing, when the worker no longer holds it.
   */
  renewOutbox(id: number, worker: string, until: number): Promise<boolean>;
  outboxStats(now: number): Promise<OutboxStats>;
  listOutbox(requestId: string): Promise<OutboxItem[]>;
  /** How many requests are in each state (states with none are left out); for metrics. */
  countByState(): Promise<Partial<Record<RequestState, number>>>;

  close(): Promise<void>;
}
