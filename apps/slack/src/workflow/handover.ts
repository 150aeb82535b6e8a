// Handover of a key its owner's departure disabled: transferring it regenerates both values for the new owner
// (rotation steps with `handover: true`, workflow/rotate.ts), delivers them like a rotation does, and only then
// enables it (the `enable_key` step here). The rule for which keys are handed over, the enable step, the
// delivery of both values and what is said when a handover step gives up live here.
import { handoverFailedMessage, handoverKeysDm, handoverRevealDm, type HandoverValues } from '../blocks/handover.ts';
import { ruleFor } from '../policy.ts';
import type { RegisteredKey, RegisteredKeyPatch } from '../store/key-registry.ts';
import type { NewOutboxItem, OutboxItem } from '../store/request-store.ts';
import type { WorkflowContext } from './context.ts';
import { describeFailure } from './describe-error.ts';
import { enqueueKeyNotice, isMessageRef, type OffboardingMessageRef } from './revoke.ts';

const NO_UNFURL = { unfurl_links: false, unfurl_media: false } as const;

export const ENABLE_STEP_KIND = 'enable_key' as const;

/** `since`: when the handover started (a revocation after it cancels the enable). */
type EnablePayload = { apiKeyId: string; since: number; message?: OffboardingMessageRef };

export const enqueueEnableKey = (now: number, apiKeyId: string, since: number, message?: OffboardingMessageRef): NewOutboxItem =>
  ({ kind: ENABLE_STEP_KIND, payload: { apiKeyId, since, ...(message !== undefined ? { message } : {}) } satisfies EnablePayload, notBefore: now });

const disabledEvents = async (ctx: WorkflowContext, key: RegisteredKey) =>
  (await ctx.store.listAudit(key.requestId)).filter((e) => e.detail?.['apiKeyId'] === key.apiKeyId);

/**
 * The rule: a transfer hands a key over (new values, then enabled) only when it is disabled BECAUSE its owner
 * left — its owner is marked gone (offboarding set ownerGoneAt; a transfer clears it) and its latest disable was
 * offboarding's (automatic, or the offboarding message's Disable button). A key disabled by a revocation stays
 * disabled whoever holds it.
 */
export async function disabledByOffboarding(ctx: WorkflowContext, key: RegisteredKey): Promise<boolean> {
  if (key.state !== 'disabled' || key.ownerGoneAt === undefined) return false;
  const last = (await disabledEvents(ctx, key)).filter((e) => e.type === 'key_disabled').at(-1);
  return last?.detail?.['reason'] === 'offboarding';
}

/** Was the key revoked (disabled by /apikey revoke or the Revoke button) at or after `since`? That ends a handover. */
export async function revokedSince(ctx: WorkflowContext, key: RegisteredKey, since: number): Promise<boolean> {
  return (await disabledEvents(ctx, key)).some((e) => e.type === 'key_disabled' && e.detail?.['reason'] === 'revoke' && e.at >= since);
}

/** Is this disabled key in a handover (transferred as one, its rotation fields set since)? */
export async function handoverInProgress(ctx: WorkflowContext, key: RegisteredKey): Promise<boolean> {
  if (key.state !== 'disabled' || key.rotationStartedAt === undefined) return false;
  return (await disabledEvents(ctx, key)).some((e) => e.type === 'key_transferred' && e.detail?.['handover'] === true && e.at >= (key.rotationStartedAt ?? 0));
}

/** The keys among `keys` handed over from `departed` (for the offboarding message's rows). */
export async function handedOverKeys(ctx: WorkflowContext, keys: readonly RegisteredKey[], departed: string): Promise<Set<string>> {
  const out = new Set<string>();
  for (const key of keys) {
    if (key.ownerId === departed) continue;
    const events = await disabledEvents(ctx, key);
    if (events.some((e) => e.type === 'key_transferred' && e.detail?.['handover'] === true && e.detail['from'] === departed)) out.add(key.apiKeyId);
  }
  return out;
}

/** Sends both new values to the (new) owner; resolves the registry patch that reveal delivery needs. */
export async function deliverHandover(ctx: WorkflowContext, key: RegisteredKey, values: HandoverValues): Promise<RegisteredKeyPatch> {
  const reveal = ctx.config.delivery === 'reveal';
  const message = reveal ? handoverRevealDm(key, key.rotationBy) : handoverKeysDm(key, values, key.rotationBy);
  await ctx.client.chat.postMessage({ channel: key.ownerId, text: message.text, blocks: message.blocks, ...NO_UNFURL });
  // One reveal of both values: the registry's reveal slot is the primary's (the last one regenerated).
  return reveal ? { revealPart: 'primary', revealedAt: undefined, revealLeaseUntil: undefined } : {};
}

function payloadOf(item: OutboxItem): EnablePayload {
  const { apiKeyId, since, message } = item.payload;
  if (typeof apiKeyId !== 'string' || typeof since !== 'number') throw new Error(`enable_key item ${item.id} has a malformed payload`);
  return { apiKeyId, since, ...(isMessageRef(message) ? { message } : {}) };
}

/**
 * The `enable_key` step, queued once both new values were delivered: NCP enable (read-modify-write PUT, safe to
 * repeat), then state `active` (compare-and-set: a key deleted meanwhile stays deleted), audited, and the
 * offboarding message re-rendered. A key no longer disabled, or again in a rotation, is left alone; one revoked
 * since the handover started stays disabled.
 */
export async function handleEnableKey(ctx: WorkflowContext, item: OutboxItem): Promise<void> {
  const p = payloadOf(item);
  let key = await ctx.store.getKey(p.apiKeyId);
  if (key === undefined || key.state !== 'disabled' || key.rotationStep !== undefined) return;
  if (await revokedSince(ctx, key, p.since)) {
    await ctx.store.appendAudit({ requestId: key.requestId, at: ctx.now(), actor: 'system', type: 'handover_cancelled', detail: { apiKeyId: key.apiKeyId, reason: 'revoked' } });
    ctx.logger.info(`key ${key.apiKeyId}: revoked during its handover; it stays disabled`);
    return;
  }
  await ctx.ncp.setApiKeyEnabled(key.apiKeyId, true);
  for (let attempt = 0; attempt < 5 && key !== undefined && key.state === 'disabled'; attempt++) {
    const now = ctx.now();
    const enabled = await ctx.store.updateKey(key.apiKeyId, { state: 'active' }, {
      expectedVersion: key.version,
      audit: { at: now, actor: 'system', type: 'key_enabled', detail: { apiKeyId: key.apiKeyId, reason: 'handover' } },
      enqueue: p.message !== undefined ? [enqueueKeyNotice({ apiKeyId: key.apiKeyId, notice: 'offboarding_refresh', actor: 'system', message: p.message }, now)] : [],
    });
    if (enabled !== undefined) {
      await ctx.store.appendAudit({ requestId: key.requestId, at: ctx.now(), actor: 'system', type: 'handover_done', detail: { apiKeyId: key.apiKeyId, ownerId: key.ownerId } });
      ctx.logger.info(`key ${key.apiKeyId}: enabled; handover to ${key.ownerId} done`);
      return;
    }
    key = await ctx.store.getKey(p.apiKeyId);
  }
}

/** A handover step gave up: audited, the new owner and the approver channel told; the key stays disabled. */
export async function handoverFailedNotice(ctx: WorkflowContext, key: RegisteredKey, what: string, error: string, attempts: number): Promise<void> {
  await ctx.store.appendAudit({ requestId: key.requestId, at: ctx.now(), actor: 'system', type: 'handover_failed', detail: { apiKeyId: key.apiKeyId, at: what, error, attempts } });
  ctx.logger.error(`key ${key.apiKeyId}: handover gave up at ${what} after ${attempts} attempts: ${error}`);
  const message = handoverFailedMessage(key, what, error);
  for (const channel of [key.ownerId, ruleFor(ctx.config.policy, key.productId).channel]) {
    await ctx.client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, ...NO_UNFURL })
      .catch((err: unknown) => ctx.logger.warn(`could not tell ${channel} the handover of ${key.apiKeyId} stopped: ${describeFailure(err).message}`));
  }
}

export async function enableGaveUp(ctx: WorkflowContext, item: OutboxItem, error: string, attempts: number): Promise<void> {
  const key = await ctx.store.getKey(payloadOf(item).apiKeyId);
  if (key !== undefined) await handoverFailedNotice(ctx, key, 'enabling', error, attempts);
}
