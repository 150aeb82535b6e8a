// The key registry's contract: every key the app created, with its owner, product and origin request, so the
// app can list a person's keys, rotate and revoke them, and act when their owner leaves. It holds no key
// values. During a rotation it holds a fingerprint (SHA-256) of the value being replaced, which is what lets a
// retried rotation step tell whether its regenerate call already landed — NCP's regenerate is not idempotent.
//
// Every change of a key is audited on its origin request's audit log, and the outbox items a change needs are
// queued on that request too: a key's steps then run one at a time, in order, like its request's.
import type { AuditEvent, NewOutboxItem } from './request-store.ts';

/** active: enabled on NCP · disabled: revoked or offboarded (PUT isEnabled false) · deleted: gone from NCP. */
export type KeyState = 'active' | 'disabled' | 'deleted';

/**
 * A rotation in progress: the secondary value is being regenerated ('secondary'), was delivered and waits for
 * the owner to confirm their clients use it ('awaiting_primary'), or the primary is being regenerated ('primary').
 */
export type RotationStep = 'secondary' | 'awaiting_primary' | 'primary';

export type KeyPart = 'secondary' | 'primary';

export type RegisteredKey = {
  apiKeyId: string;
  teamId: string;
  ownerId: string;               // Slack user id of who holds the key (the requester, or whom it was transferred to)
  requestId: string;             // the approved request that created it
  apiKeyName: string;
  productId?: string;
  productName?: string;          // as NCP named it when requested (untrusted text: print through the escaping helpers)
  state: KeyState;
  version: number;               // bumped on every write; compare-and-set token
  createdAt: number;             // epoch ms
  rotatedAt?: number;            // last regeneration that completed (either value)
  ownerGoneAt?: number;          // offboarding saw the owner deactivated; cleared when the key is transferred
  remindedAt?: number;           // the last rotation reminder was queued then
  rotationStep?: RotationStep;
  rotationBy?: string;           // who started the rotation in progress
  rotationStartedAt?: number;
  rotationFingerprint?: string;  // hex SHA-256 of the value being replaced, recorded just before regenerating it
  revealPart?: KeyPart;          // reveal delivery: the rotated value waiting to be revealed once
  revealLeaseUntil?: number;     // a reveal is showing it right now (until this time)
  revealedAt?: number;           // the rotated value was revealed (set only after it was shown)
};

export type NewRegisteredKey = Pick<RegisteredKey, 'apiKeyId' | 'teamId' | 'ownerId' | 'requestId' | 'apiKeyName' | 'createdAt'> & {
  productId?: string;
  productName?: string;
};

/** Fields a plain update may change; a key present with `undefined` clears that field. */
export type RegisteredKeyPatch = {
  [F in keyof Omit<RegisteredKey, 'apiKeyId' | 'teamId' | 'requestId' | 'version' | 'createdAt' | 'productId' | 'productName'>]?: RegisteredKey[F] | undefined;
};

export type KeyQuery = {
  teamId?: string;
  ownerId?: string;
  /** Default: every state. */
  states?: readonly KeyState[];
  /** true: only keys whose owner was seen gone; false: only the others. */
  ownerGone?: boolean;
  /** Only keys last rotated (or, never rotated, created) before this time. */
  lastRotatedBefore?: number;
  /** Only keys with no rotation reminder queued at or after this time. */
  notRemindedSince?: number;
};

export type KeyUpdateOptions = {
  /** Applies the patch only while the key still has this version. */
  expectedVersion?: number;
  /** Appended to the key's request's audit log in the same transaction. */
  audit?: Omit<AuditEvent, 'requestId' | 'id'>;
  /** Queued on the key's request in the same transaction. */
  enqueue?: readonly NewOutboxItem[];
};

/** Outbox items to queue on one request (a key's origin request). */
export type RequestItems = { requestId: string; items: readonly NewOutboxItem[] };

export interface KeyRegistryStore {
  /**
   * Records a key the app created. Idempotent: when the key is already registered, the stored row is returned
   * unchanged (a retried create step registers it again). Audits 'key_registered' on first insert only.
   */
  registerKey(input: NewRegisteredKey): Promise<RegisteredKey>;
  getKey(apiKeyId: string): Promise<RegisteredKey | undefined>;
  /** Keys matching every given condition, oldest first. */
  listKeys(query: KeyQuery, limit: number): Promise<RegisteredKey[]>;
  /**
   * Updates one key, appends the audit event and queues the outbox items on its request, in one transaction.
   * Resolves undefined (and changes nothing) when the key does not exist or no longer has `expectedVersion`.
   */
  updateKey(apiKeyId: string, patch: RegisteredKeyPatch, options?: KeyUpdateOptions): Promise<RegisteredKey | undefined>;
  /**
   * Offboarding: marks every not-deleted key of the owner not yet marked (ownerGoneAt = at), appends an
   * 'owner_gone' audit event for each, and queues what `onMarked` returns for the keys it marked — in one
   * transaction, so the event, the periodic sweep and a second replica together mark (and notify) once.
   * Resolves the keys it marked: none when they were marked already.
   */
  markOwnerGone(teamId: string, ownerId: string, at: number, onMarked: (keys: readonly RegisteredKey[]) => readonly RequestItems[]): Promise<RegisteredKey[]>;
  /** Owners holding keys in `states` (default: active and disabled), ordered by (teamId, ownerId), after the given one. */
  listKeyOwners(
    options: { states?: readonly KeyState[]; after?: { teamId: string; ownerId: string } },
    limit: number,
  ): Promise<{ teamId: string; ownerId: string }[]>;
}
