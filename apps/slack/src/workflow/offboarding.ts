// Offboarding: when a key owner's Slack account is deactivated (the user_change event, or the periodic sweep's
// users.info), their keys are marked once — the store's markOwnerGone makes the event, its retries, the sweep and
// a second replica mark (and notify) exactly once — and, in the same transaction, what policy
// `defaults.offboarding` asks is queued: a disable step per active key ('disable', the default) or nothing
// ('flag'), plus one message per approver channel listing the keys. Approvers then transfer a key to a new owner
// or disable it from that message. Transferring a key offboarding disabled is a handover (workflow/handover.ts).
import { buildOffboardingMessage, OFFBOARDING_KEYS_SHOWN, transferredDm } from '../blocks/offboarding.ts';
import { ruleFor } from '../policy.ts';
import type { RegisteredKey, RegisteredKeyPatch, RequestItems } from '../store/key-registry.ts';
import type { NewOutboxItem, OutboxItem } from '../store/request-store.ts';
import type { WorkflowContext } from './context.ts';
import { describeFailure } from './describe-error.ts';
import { disabledByOffboarding, handedOverKeys } from './handover.ts';
import { authoriseKeyAction } from './key-access.ts';
import { enqueueKeyNotice, enqueueRevokeKey, isMessageRef, postRevokedNotice, type KeyNoticePayload, type OffboardingMessageRef } from './revoke.ts';
import { enqueueRotateStep, stepPending } from './rotate.ts';

const NO_UNFURL = { unfurl_links: false, unfurl_media: false } as const;

type NoticePayload = { teamId: string; ownerId: string; channel: string; apiKeyIds: string[]; total: number; policy: 'disable' | 'flag' };

const enqueueOffboardingNotice = (p: NoticePayload, now: number): NewOutboxItem => ({ kind: 'offboarding_notice', payload: p, notBefore: now });

/** What markOwnerGone queues for the keys it marked: disables (policy 'disable'), then one notice per channel. */
export function offboardingSteps(ctx: WorkflowContext, keys: readonly RegisteredKey[], at: number): RequestItems[] {
  const policy = ctx.config.policy.defaults.offboarding;
  const batches: RequestItems[] = [];
  const byChannel = new Map<string, RegisteredKey[]>();
  for (const k of keys) {
    const channel = ruleFor(ctx.config.policy, k.productId).channel;
    byChannel.set(channel, [...(byChannel.get(channel) ?? []), k]);
  }
  if (policy === 'disable') {
    for (const group of byChannel.values()) {
      // The notice goes on the first key's request: a disable finishing after it was posted re-renders it.
      const noticeOn = group[0]?.requestId;
      for (const k of group) {
        if (k.state !== 'active') continue;
        const payload = { apiKeyId: k.apiKeyId, mode: 'disable' as const, actor: 'system', reason: 'offboarding' as const, ...(noticeOn !== undefined ? { noticeOn } : {}) };
        batches.push({ requestId: k.requestId, items: [enqueueRevokeKey(payload, `offboard:${k.apiKeyId}:${at}`, at)] });
      }
    }
  }
  for (const [channel, group] of byChannel) {
    const first = group[0];
    if (first === undefined) continue;
    // On the first key's request, after its disable: that key's row shows it disabled when posted.
    batches.push({
      requestId: first.requestId,
      items: [enqueueOffboardingNotice({
        teamId: first.teamId,
        ownerId: first.ownerId,
        channel,
        apiKeyIds: group.slice(0, OFFBOARDING_KEYS_SHOWN).map((k) => k.apiKeyId),
        total: group.length,
        policy,
      }, at)],
    });
  }
  return batches;
}

/** Marks `ownerId` gone in `teamId`; resolves the keys this call marked (none when already marked). */
export async function offboardOwner(ctx: WorkflowContext, teamId: string, ownerId: string, source: 'event' | 'sweep'): Promise<RegisteredKey[]> {
  const now = ctx.now();
  const marked = await ctx.store.markOwnerGone(teamId, ownerId, now, (keys) => offboardingSteps(ctx, keys, now));
  if (marked.length > 0) {
    ctx.logger.info(`owner ${ownerId} left Slack (${source}): ${marked.length} key(s) marked, policy ${ctx.config.policy.defaults.offboarding}`);
    ctx.wake();
  }
  return marked;
}

/** The `offboarding_notice` step: posts the one message listing the departed owner's keys as they are now. */
export async function handleOffboardingNotice(ctx: WorkflowContext, item: OutboxItem): Promise<void> {
  const p = item.payload as Partial<NoticePayload>;
  if (typeof p.ownerId !== 'string' || typeof p.channel !== 'string' || !Array.isArray(p.apiKeyIds)) throw new Error(`offboarding_notice item ${item.id} has a malformed payload`);
  const keys = (await Promise.all(p.apiKeyIds.map((id) => ctx.store.getKey(String(id))))).filter((k) => k !== undefined);
  const handedOver = await handedOverKeys(ctx, keys, p.ownerId);
  const message = buildOffboardingMessage({ ownerId: p.ownerId, keys, total: Number(p.total ?? keys.length), policy: p.policy === 'flag' ? 'flag' : 'disable', handedOver });
  const res = await ctx.client.chat.postMessage({ channel: p.channel, text: message.text, blocks: message.blocks, ...NO_UNFURL });
  const ref: OffboardingMessageRef = { channel: String(res.channel ?? p.channel), ts: String(res.ts ?? ''), ownerId: p.ownerId, total: Number(p.total ?? keys.length), apiKeyIds: keys.map((k) => k.apiKeyId) };
  // Disables finishing from now on find the message here and re-render it.
  await ctx.store.appendAudit({ requestId: item.requestId, at: ctx.now(), actor: 'system', type: 'offboarding_notice_posted', detail: ref });
  // One that finished while this was being posted is shown by a second render.
  const again = await renderOffboardingMessage(ctx, ref);
  if (JSON.stringify(again.blocks) !== JSON.stringify(message.blocks)) {
    await ctx.client.chat.update({ channel: ref.channel, ts: ref.ts, text: again.text, blocks: again.blocks });
  }
}

async function refreshOffboardingMessage(ctx: WorkflowContext, ref: OffboardingMessageRef): Promise<void> {
  const message = await renderOffboardingMessage(ctx, ref);
  await ctx.client.chat.update({ channel: ref.channel, ts: ref.ts, text: message.text, blocks: message.blocks });
}

/** Re-renders a posted offboarding message from the registry (after a transfer or a disable). */
export async function renderOffboardingMessage(ctx: WorkflowContext, o: { ownerId: string; total: number; apiKeyIds: readonly string[] }) {
  const keys = (await Promise.all(o.apiKeyIds.map((id) => ctx.store.getKey(id)))).filter((k) => k !== undefined);
  const handedOver = await handedOverKeys(ctx, keys, o.ownerId);
  return buildOffboardingMessage({ ownerId: o.ownerId, keys, total: o.total, policy: ctx.config.policy.defaults.offboarding, handedOver });
}

export type TransferResult = { ok: true; key: RegisteredKey } | { ok: false; message: string };

/**
 * An approver hands a key to a new owner: ownerId changes and the gone flag clears, audited, with a DM to the new
 * owner queued in the same transaction (compare-and-set on the key's version). A key offboarding disabled is
 * handed over in the same transaction: its rotation starts at the secondary with `handover: true` (new values
 * for the new owner, then enabled; `message` is re-rendered at the end). Refused: not an approver of its
 * product, a deleted key, the same owner, a new owner who is deactivated or a bot, or a rotation step of the key
 * still queued (it would end the handover).
 */
export async function transferKey(ctx: WorkflowContext, o: { apiKeyId: string; userId: string; newOwnerId: string; message?: OffboardingMessageRef }): Promise<TransferResult> {
  const key = await ctx.store.getKey(o.apiKeyId);
  if (key === undefined) return { ok: false, message: 'No key with that id is registered with this app.' };
  const refusal = await authoriseKeyAction(ctx, key, o.userId, 'transfer');
  if (refusal !== undefined) {
    ctx.logger.warn(`user ${o.userId} was refused to transfer key ${key.apiKeyId}`);
    return { ok: false, message: refusal };
  }
  if (key.state === 'deleted') return { ok: false, message: 'This key was deleted; there is nothing to transfer.' };
  if (o.newOwnerId === key.ownerId) return { ok: false, message: `<@${key.ownerId}> already holds this key.` };
  let target;
  try {
    target = (await ctx.client.users.info({ user: o.newOwnerId })).user;
  } catch (err) {
    ctx.logger.warn(`users.info for transfer target ${o.newOwnerId} failed: ${describeFailure(err).message}`);
    return { ok: false, message: 'Could not check that person with Slack right now. Try again in a moment.' };
  }
  if (target === undefined || target.deleted === true) return { ok: false, message: `<@${o.newOwnerId}> is deactivated; pick someone else.` };
  if (target.is_bot === true || target.is_app_user === true) return { ok: false, message: 'A key cannot be given to a bot or an app; pick a person.' };
  const handover = await disabledByOffboarding(ctx, key);
  if (handover && await stepPending(ctx, key)) return { ok: false, message: 'A rotation step of this key is still queued; try again in a minute.' };
  const now = ctx.now();
  const notice: KeyNoticePayload = { apiKeyId: key.apiKeyId, notice: 'transferred', actor: o.userId, from: key.ownerId, ...(handover ? { handover } : {}) };
  const patch: RegisteredKeyPatch = { ownerId: o.newOwnerId, ownerGoneAt: undefined };
  const rotation: RegisteredKeyPatch = {
    rotationStep: 'secondary', rotationBy: o.userId, rotationStartedAt: now, rotationFingerprint: undefined,
    revealPart: undefined, revealedAt: undefined, revealLeaseUntil: undefined,
  };
  const updated = await ctx.store.updateKey(key.apiKeyId, handover ? { ...patch, ...rotation } : patch, {
    expectedVersion: key.version,
    audit: { at: now, actor: o.userId, type: 'key_transferred', detail: { apiKeyId: key.apiKeyId, from: key.ownerId, to: o.newOwnerId, ...(handover ? { handover } : {}) } },
    enqueue: [
      enqueueKeyNotice(notice, now),
      ...(handover ? [enqueueRotateStep(now, key.apiKeyId, 'secondary', { handover: true, ...(o.message !== undefined ? { message: o.message } : {}) })] : []),
    ],
  });
  if (updated === undefined) return { ok: false, message: 'This key changed a moment ago (someone else acted on it). Look again and retry if still needed.' };
  if (handover) await ctx.store.appendAudit({ requestId: key.requestId, at: now, actor: o.userId, type: 'handover_started', detail: { apiKeyId: key.apiKeyId, to: o.newOwnerId } });
  ctx.logger.info(`key ${key.apiKeyId} transferred from ${key.ownerId} to ${o.newOwnerId} by ${o.userId}${handover ? '; handover: new values, then enabled' : ''}`);
  ctx.wake();
  return { ok: true, key: updated };
}

/** The `key_notice` step: the approver channel's revocation notice, or the new owner's transfer DM. */
export async function handleKeyNotice(ctx: WorkflowContext, item: OutboxItem): Promise<void> {
  const p = item.payload as Partial<KeyNoticePayload>;
  if (typeof p.apiKeyId !== 'string' || typeof p.actor !== 'string') throw new Error(`key_notice item ${item.id} has a malformed payload`);
  const key = await ctx.store.getKey(p.apiKeyId);
  if (key === undefined) return;
  if (p.notice === 'revoked') return postRevokedNotice(ctx, key, p.actor);
  if (p.notice === 'offboarding_refresh') return isMessageRef(p.message) ? refreshOffboardingMessage(ctx, p.message) : undefined;
  if (p.notice === 'transferred') {
    const message = transferredDm(key, { from: p.from ?? 'unknown', by: p.actor, handover: p.handover === true });
    await ctx.client.chat.postMessage({ channel: key.ownerId, text: message.text, blocks: message.blocks, ...NO_UNFURL });
    return;
  }
  throw new Error(`unknown key notice '${String(p.notice)}'`);
}
