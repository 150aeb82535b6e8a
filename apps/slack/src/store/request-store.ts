// The storage contract of the Slack app: key requests and their state machine, the append-only audit log,
// and the delivery outbox. Two implementations (embedded PGlite, shared Postgres) pass one conformance suite.
//
// Nothing secret is ever stored: no primaryKey/secondaryKey, no tokens. Keys are fetched from NCP by
// apiKeyId at delivery/reveal time.

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
  revealedAt?: number;           // reveal mode: the one-time reveal was used
  remindedAt?: number;           // expiry reminder sent
  attempts: number;              // key-creation / delivery attempts so far
  lastError?: string;            // redacted, for the approver and /apikey list
};

export type NewKeyRequest = Pick<KeyRequest, 'teamId' | 'requesterId' | 'apiKeyName' | 'apiKeyDescription' | 'justification' | 'expiresAt'> & {
  id?: string;
  createdAt: number;
};

/** Fields that may change together with a state transition or in a plain update. */
export type KeyRequestPatch = Partial<Omit<KeyRequest, 'id' | 'teamId' | 'requesterId' | 'state' | 'version' | 'createdAt'>>;

export type AuditEvent = {
  id?: number;
  requestId: string;
  at: number;
  actor: string;                 // Slack user id, or 'system'
  type: string;                  // 'requested' | 'approved' | 'denied' | 'expired' | 'key_created' | 'delivered' | 'delivery_failed' | 'creation_failed' | 'revealed' | 'reminded' | …
  detail?: Record<string, unknown>; // never secrets
};

export type OutboxKind = 'create_key' | 'deliver_key' | 'notify' | 'update_approval_message';

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
};

export interface RequestStore {
  /** Inserts a new pending request and its 'requested' audit event in one transaction. */
  createRequest(input: NewKeyRequest, actor: string): Promise<KeyRequest>;
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
    enqueue?: readonly Pick<OutboxItem, 'kind' | 'payload' | 'notBefore'>[],
  ): Promise<{ ok: true; request: KeyRequest } | { ok: false; current: KeyRequest | undefined }>;
  /** Updates non-state fields (approvalTs, lastError, …); optional CAS on `expectedVersion`. */
  updateRequest(id: string, patch: KeyRequestPatch, expectedVersion?: number): Promise<KeyRequest | undefined>;
  listByRequester(teamId: string, requesterId: string, limit: number): Promise<KeyRequest[]>;
  listByState(states: readonly RequestState[], limit: number): Promise<KeyRequest[]>;
  /** Pending requests whose expiresAt <= before. */
  listExpiring(before: number, limit: number): Promise<KeyRequest[]>;

  appendAudit(event: Omit<AuditEvent, 'id'>): Promise<AuditEvent>;
  listAudit(requestId: string): Promise<AuditEvent[]>;

  enqueue(requestId: string, items: readonly Pick<OutboxItem, 'kind' | 'payload' | 'notBefore'>[]): Promise<void>;
  /** Leases up to `limit` due items (notBefore <= now, not done, lease free or expired) to `worker` for `leaseMs`. Never hands one item to two workers at once. */
  claimDue(now: number, limit: number, worker: string, leaseMs: number): Promise<OutboxItem[]>;
  completeOutbox(id: number, worker: string, now: number): Promise<void>;
  /** Releases the lease, records the error and reschedules at retryAt. */
  failOutbox(id: number, worker: string, error: string, retryAt: number): Promise<void>;
  listOutbox(requestId: string): Promise<OutboxItem[]>;

  close(): Promise<void>;
}
