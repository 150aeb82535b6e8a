// Revocation of a registered key: the request (authorised, then a compare-and-set on the key's version that
// audits it and queues the `revoke_key` step on the key's origin request in one transaction — two clicks at once
// revoke once), the step itself (NCP disable, read-modify-write, or delete; both safe to repeat), and the notices
// around it. Offboarding's disables use the same step.
import { NotFoundError } from '@apikey/core';
import { revokedNotice, revokeFailedDm, type RevokeMode } from '../blocks/revoke.ts';
import { ruleFor } from '../policy.ts';
import type { RegisteredKey } from '../store/key-registry.ts';
import type { NewOutboxItem, OutboxItem } from '../store/request-store.ts';
import type { WorkflowContext } from './context.ts';
import { authoriseKeyAction } from './key-access.ts';

const NO_UNFURL = { unfurl_links: false, unfurl_media: false } as const;

/** Why a key is being disabled/deleted: someone revoked it, or its owner left. */
export type RevokeReason = 'revoke' | 'offboarding';

/** A posted offboarding message to re-render once the key is disabled (what it lists, where it is). */
export type OffboardingMessageRef = { channel: string; ts: string; ownerId: string; total: number; apiKeyIds: string[] };

/**
 * `noticeOn`: the request whose `offboarding_notice` step posts (posted) the message listing this key; `message`:
 * that message, when the Disable button on it was pressed.
 */
export type RevokePayload = { apiKeyId: string; mode: RevokeMode; actor: string; reason: RevokeReason; noticeOn?: string; message?: OffboardingMessageRef };

/**
 * `onceKey`: at most one such step per request — a revocation per key version (a second click on the same
 * version loses the CAS before it gets here), an offboarding disable per time the owner was seen gone.
 */
export const enqueueRevokeKey = (p: RevokePayload, onceKey: string, now: number): NewOutboxItem => ({
  kind: 'revoke_key',
  payload: p,
  notBefore: now,
  onceKey,
});

export type KeyNoticePayload = { apiKeyId: string; notice: 'revoked' | 'transferred' | 'offboarding_refresh'; actor: string; from?: string; handover?: boolean; message?: OffboardingMessageRef };

export const enqueueKeyNotice = (p: KeyNoticePayload, now: number): NewOutboxItem => ({
  kind: 'key_notice',
  payload: p,
  notBefore: now,
});

/** What revoking does to this key under the policy of its product. */
export const revokeModeOf = (ctx: WorkflowContext, key: Pick<RegisteredKey, 'productId'>): RevokeMode => ruleFor(ctx.config.policy, key.productId).revoke;

/** undefined when `key` can still be revoked in `mode`, else why not. */
export function alreadyRevoked(key: RegisteredKey, mode: RevokeMode): string | undefined {
  if (key.state === 'deleted') return 'This key was already deleted.';
  if (key.state === 'disabled' && mode === 'disable') return 'This key is already disabled.';
  return undefined;
}

/**
 * Is this disabled key being handed over (its rotation fields set, or a handover step still queued)? Its steps
 * would enable it, so revoking it still means something: the revocation is recorded and stops the handover.
 */
async function handoverPending(ctx: WorkflowContext, key: RegisteredKey): Promise<boolean> {
  if (key.state !== 'disabled') return false;
  if (key.rotationStep !== undefined) return true;
  const items = await ctx.store.listOutbox(key.requestId);
  return items.some((i) => i.doneAt === undefined && i.payload.apiKeyId === key.apiKeyId && ((i.kind === 'rotate_key' && i.payload.handover === true) || i.kind === 'enable_key'));
}

/** alreadyRevoked, except that a key being handed over can still be revoked (disabled), which stops the handover. */
export async function revokeRefusal(ctx: WorkflowContext, key: RegisteredKey, mode: RevokeMode): Promise<string | undefined> {
  const done = alreadyRevoked(key, mode);
  return done !== undefined && key.state === 'disabled' && (await handoverPending(ctx, key)) ? undefined : done;
}

/** Has a revoke step for this key been queued and not run yet? */
async function revokePending(ctx: WorkflowContext, key: RegisteredKey): Promise<boolean> {
  const items = await ctx.store.listOutbox(key.requestId);
  return items.some((i) => i.kind === 'revoke_key' && i.doneAt === undefined && i.payload.apiKeyId === key.apiKeyId);
}

export type RevokeResult = { ok: true; key: RegisteredKey; mode: RevokeMode } | { ok: false; message: string };

/**
 * Authorises `userId` and queues the revocation. `action` 'disable' is the offboarding message's button
 * (approvers only, always disables); 'revoke' follows the product's policy. Nothing changes on a refusal.
 */
export async function requestRevoke(ctx: WorkflowContext, o: { apiKeyId: string; userId: string; action: 'revoke' | 'disable'; message?: OffboardingMessageRef }): Promise<RevokeResult> {
  const key = await ctx.store.getKey(o.apiKeyId);
  if (key === undefined) return { ok: false, message: 'No key with that id is registered with this app.' };
  const refusal = await authoriseKeyAction(ctx, key, o.userId, o.action);
  if (refusal !== undefined) {
    ctx.logger.warn(`user ${o.userId} was refused to ${o.action} key ${key.apiKeyId}`);
    return { ok: false, message: refusal };
  }
  const mode: RevokeMode = o.action === 'disable' ? 'disable' : revokeModeOf(ctx, key);
  const done = await revokeRefusal(ctx, key, mode);
  if (done !== undefined) return { ok: false, message: done };
  if (await revokePending(ctx, key)) return { ok: false, message: 'This key is already being revoked.' };
  const now = ctx.now();
  const updated = await ctx.store.updateKey(key.apiKeyId, {}, {
    expectedVersion: key.version,
    audit: { at: now, actor: o.userId, type: 'revoke_requested', detail: { apiKeyId: key.apiKeyId, mode } },
    enqueue: [enqueueRevokeKey({
      apiKeyId: key.apiKeyId,
      mode,
      actor: o.userId,
      reason: o.action === 'disable' ? 'offboarding' : 'revoke',
      ...(o.message !== undefined ? { message: o.message } : {}),
    }, `revoke:${key.apiKeyId}:${key.version}`, now)],
  });
  if (updated === undefined) return { ok: false, message: 'This key changed a moment ago (someone else acted on it). Look again and retry if still needed.' };
  ctx.logger.info(`key ${key.apiKeyId}: ${mode} requested by ${o.userId}`);
  ctx.wake();
  return { ok: true, key: updated, mode };
}

function payloadOf(item: OutboxItem): RevokePayload {
  const p = item.payload;
  if (typeof p.apiKeyId !== 'string' || (p.mode !== 'disable' && p.mode !== 'delete') || typeof p.actor !== 'string') {
    throw new Error(`revoke_key item ${item.id} has a malformed payload`);
  }
  return {
    apiKeyId: p.apiKeyId,
    mode: p.mode,
    actor: p.actor,
    reason: p.reason === 'offboarding' ? 'offboarding' : 'revoke',
    ...(typeof p.noticeOn === 'string' ? { noticeOn: p.noticeOn } : {}),
    ...(isMessageRef(p.message) ? { message: p.message } : {}),
  };
}

export function isMessageRef(v: unknown): v is OffboardingMessageRef {
  const m = v as Partial<OffboardingMessageRef> | undefined;
  return typeof m === 'object' && m !== null && typeof m.channel === 'string' && typeof m.ts === 'string' && typeof m.ownerId === 'string'
    && typeof m.total === 'number' && Array.isArray(m.apiKeyIds) && m.apiKeyIds.every((id) => typeof id === 'string');
}

/** Where the offboarding message listing this key is, if it was posted already (its step audits it). */
async function offboardingMessageOf(ctx: WorkflowContext, p: RevokePayload): Promise<OffboardingMessageRef | undefined> {
  if (p.message !== undefined) return p.message;
  if (p.noticeOn === undefined) return undefined;
  const posted = (await ctx.store.listAudit(p.noticeOn)).filter((e) => e.type === 'offboarding_notice_posted').at(-1)?.detail;
  return isMessageRef(posted) && posted.apiKeyIds.includes(p.apiKeyId) ? posted : undefined;
}

/**
 * The `revoke_key` step. Disabling is a read-modify-write PUT (isEnabled false), deleting is a DELETE; either may
 * run again after a crash: a key already disabled is disabled again, a 404 means it is gone. The registry's
 * state, the audit event and the channel notice are written only after NCP answered.
 */
export async function handleRevokeKey(ctx: WorkflowContext, item: OutboxItem): Promise<void> {
  const p = payloadOf(item);
  const key = await ctx.store.getKey(p.apiKeyId);
  if (key === undefined || (await revokeRefusal(ctx, key, p.mode)) !== undefined) return;
  // Offboarding's automatic disable, overtaken by an approver handing the key to someone new: leave it working.
  if (p.reason === 'offboarding' && p.actor === 'system' && key.ownerGoneAt === undefined) return;
  let gone = false;
  try {
    if (p.mode === 'delete') await ctx.ncp.deleteApiKey(key.apiKeyId);
    else await ctx.ncp.setApiKeyEnabled(key.apiKeyId, false);
  } catch (err) {
    // Not on NCP (deleted by a retried DELETE that landed, or by someone else): what revoking wants.
    if (!(err instanceof NotFoundError)) throw err;
    gone = true;
  }
  const state = gone || p.mode === 'delete' ? 'deleted' : 'disabled';
  const now = ctx.now();
  // Offboarding has its own (one) channel message, re-rendered once posted; a revocation gets a notice of its own.
  const message = p.reason === 'offboarding' ? await offboardingMessageOf(ctx, p) : undefined;
  const notice: KeyNoticePayload | undefined = p.reason === 'revoke'
    ? { apiKeyId: key.apiKeyId, notice: 'revoked', actor: p.actor }
    : message !== undefined ? { apiKeyId: key.apiKeyId, notice: 'offboarding_refresh', actor: p.actor, message } : undefined;
  await ctx.store.updateKey(key.apiKeyId, { state }, {
    audit: { at: now, actor: p.actor, type: state === 'deleted' ? 'key_deleted' : 'key_disabled', detail: { apiKeyId: key.apiKeyId, reason: p.reason, ...(gone ? { alreadyGone: true } : {}) } },
    enqueue: notice !== undefined ? [enqueueKeyNotice(notice, now)] : [],
  });
  ctx.logger.info(`key ${key.apiKeyId}: ${state} (${p.reason})`);
}

/** Posts a revocation notice in the approver channel of the key's product. */
export async function postRevokedNotice(ctx: WorkflowContext, key: RegisteredKey, actor: string): Promise<void> {
  const message = revokedNotice(key, actor, key.state === 'deleted' ? 'deleted' : 'disabled');
  await ctx.client.chat.postMessage({ channel: ruleFor(ctx.config.policy, key.productId).channel, text: message.text, blocks: message.blocks, ...NO_UNFURL });
}

/** A `revoke_key` step gave up: the person who asked hears it (the key may still work). */
export async function revokeGaveUp(ctx: WorkflowContext, item: OutboxItem, error: string): Promise<void> {
  const p = payloadOf(item);
  const key = await ctx.store.getKey(p.apiKeyId);
  if (key === undefined) return;
  const to = p.actor !== 'system' ? p.actor : undefined;
  const message = revokeFailedDm(key, error);
  await ctx.client.chat.postMessage({ channel: to ?? ruleFor(ctx.config.policy, key.productId).channel, text: message.text, blocks: message.blocks, ...NO_UNFURL });
}
