// Key rotation: the owner (or an approver of the key's product) starts it; the secondary value is regenerated
// and delivered first; once the owner confirms their clients use it, the primary is regenerated and delivered.
// Each regeneration is one outbox step ('rotate_key', payload { apiKeyId, part }) queued on the key's origin
// request, so a key's steps run one at a time on whichever replica, and resume after a crash.
//
// NCP's regenerate (PATCH) is not idempotent, so a step is exact by construction: it reads the key, records a
// SHA-256 fingerprint of the value it is about to replace (compare-and-set) BEFORE sending the PATCH, and a
// retried step whose read shows a different value knows the PATCH landed: it delivers that value instead of
// regenerating again. docs/rotation.md has the crash table and the one edge case left.
//
// A handover (workflow/handover.ts: a key offboarding disabled, transferred to a new owner) runs the same steps
// with `handover: true`: on the disabled key, secondary then primary without a confirmation, both values
// delivered to the new owner after the primary, then an enable step.
import type { ApiKey } from '@apikey/core';
import {
  type RotationOutcome,
  keyLabel,
  rotatedKeyDm,
  rotatedRevealDm,
  rotationFailedDm,
} from '../blocks/rotation.ts';
import type { KeyPart, RegisteredKey, RegisteredKeyPatch } from '../store/key-registry.ts';
import type { NewOutboxItem, OutboxItem } from '../store/request-store.ts';
import { slackDate, userText } from '../blocks/format.ts';
import type { WorkflowContext } from './context.ts';
import { describeFailure } from './describe-error.ts';
import { deliverHandover, enqueueEnableKey, handoverFailedNotice, handoverInProgress, revokedSince } from './handover.ts';
import { authoriseKeyAction } from './key-access.ts';
import { isMessageRef, type OffboardingMessageRef } from './revoke.ts';

export const ROTATE_STEP_KIND = 'rotate_key' as const;

/** `handover`: the step of a handover (runs on the disabled key, no confirmation); `message`: its offboarding message. */
export type HandoverMark = { handover?: true; message?: OffboardingMessageRef };

export const enqueueRotateStep = (now: number, apiKeyId: string, part: KeyPart, mark: HandoverMark = {}): NewOutboxItem =>
  ({ kind: ROTATE_STEP_KIND, payload: { apiKeyId, part, ...mark }, notBefore: now });

/** NCP key ids (core's rule): anything else is refused before it reaches the store or a message. */
const KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function isKeyId(text: string): boolean {
  return KEY_ID.test(text);
}

/** Hex SHA-256 of a key value (WebCrypto: the same on Node and Deno). Never logged, never shown. */
export async function fingerprintOf(value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

const CLEAR_ROTATION: RegisteredKeyPatch = { rotationStep: undefined, rotationBy: undefined, rotationStartedAt: undefined, rotationFingerprint: undefined };

const NO_UNFURL = { unfurl_links: false, unfurl_media: false } as const;

export type KeyActor = { teamId: string; userId: string; apiKeyId: string };

type Found = { key: RegisteredKey } | { outcome: RotationOutcome };

/** The key, if it exists in the actor's workspace, the actor may rotate it and it is still active. */
async function findRotatable(ctx: WorkflowContext, who: KeyActor): Promise<Found> {
  if (!isKeyId(who.apiKeyId)) {
    return { outcome: { title: 'Not a key id', text: `\`${userText(who.apiKeyId, 80)}\` is not an API key id. Key ids are letters, digits, \`-\` and \`_\`; \`/apikey keys\` lists yours.` } };
  }
  const key = await ctx.store.getKey(who.apiKeyId);
  if (key === undefined || key.teamId !== who.teamId) {
    return { outcome: { title: 'Unknown key', text: `No key with id \`${who.apiKeyId}\` was issued through this app. \`/apikey keys\` lists yours.` } };
  }
  const refusal = await authoriseKeyAction(ctx, key, who.userId, 'rotate');
  if (refusal !== undefined) {
    ctx.logger.warn(`user ${who.userId} may not rotate key ${key.apiKeyId}`);
    return { outcome: { title: 'Not allowed', text: refusal } };
  }
  if (key.state !== 'active' && !(key.rotationStep !== undefined && await handoverInProgress(ctx, key))) {
    return { outcome: { title: 'Cannot rotate', text: `${keyLabel(key)} is ${key.state}; only an active key can be rotated.` } };
  }
  if (key.ownerGoneAt !== undefined) {
    // The new values would go to a deactivated account nobody reads.
    return { outcome: { title: 'Owner has left', text: `The owner of ${keyLabel(key)}, <@${key.ownerId}>, has left. An approver should transfer the key to a new owner first.` } };
  }
  return { key };
}

/** Is a step of this key's rotation queued or running (not finished, not given up)? */
export async function stepPending(ctx: WorkflowContext, key: RegisteredKey): Promise<boolean> {
  const items = await ctx.store.listOutbox(key.requestId);
  return items.some((i) => i.kind === ROTATE_STEP_KIND && i.doneAt === undefined && i.payload['apiKeyId'] === key.apiKeyId);
}

const CHANGED: RotationOutcome = { title: 'Try again', text: 'The key changed while this was being decided. Try again in a moment.' };

/**
 * /apikey rotate and the Rotate button. Starts a rotation (compare-and-set on the key's version, so two clicks
 * or two replicas start one), points at the confirm button when one waits for it, and continues a rotation whose
 * step gave up. Resolves what to tell the person; nothing changes when the answer is a refusal.
 */
export async function startRotation(ctx: WorkflowContext, who: KeyActor): Promise<RotationOutcome> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const found = await findRotatable(ctx, who);
    if ('outcome' in found) return found.outcome;
    const key = found.key;
    const label = keyLabel(key);
    const now = ctx.now();
    if (key.rotationStep === 'awaiting_primary') {
      return {
        title: 'Waiting for confirmation',
        text: `The new secondary key of ${label} was delivered to <@${key.ownerId}>${key.rotatedAt !== undefined ? ` ${slackDate(key.rotatedAt)}` : ''}. Once every client uses it, press *Clients use the new secondary* to regenerate the primary.`,
        confirmKeyId: key.apiKeyId,
      };
    }
    if (key.rotationStep === 'secondary' || key.rotationStep === 'primary') {
      if (await stepPending(ctx, key)) {
        return { title: 'Already rotating', text: `${label} is being rotated right now (the ${key.rotationStep} key${key.rotationBy !== undefined ? `, started by <@${key.rotationBy}>` : ''}). The new value goes to <@${key.ownerId}> by DM.` };
      }
      // The step gave up earlier: queue it again. It finds out whether its regenerate landed (fingerprint).
      const mark: HandoverMark = key.state === 'disabled' ? { handover: true } : {};
      const resumed = await ctx.store.updateKey(key.apiKeyId, {}, {
        expectedVersion: key.version,
        audit: { at: now, actor: who.userId, type: 'rotation_resumed', detail: { apiKeyId: key.apiKeyId, part: key.rotationStep } },
        enqueue: [enqueueRotateStep(now, key.apiKeyId, key.rotationStep, mark)],
      });
      if (resumed === undefined) continue;
      ctx.wake();
      ctx.logger.info(`key ${key.apiKeyId}: rotation resumed at the ${key.rotationStep} step by ${who.userId}`);
      return { title: 'Rotation continues', text: `Continuing the rotation of ${label} at the *${key.rotationStep}* key. The value goes to <@${key.ownerId}> by DM.` };
    }
    if (key.revealPart === 'primary' && key.revealedAt === undefined) {
      return { title: 'Reveal first', text: `The new primary key of ${label} from the last rotation was never revealed. <@${key.ownerId}> should reveal it and move clients to it first: a new rotation regenerates the secondary.` };
    }
    const started = await ctx.store.updateKey(key.apiKeyId, { ...CLEAR_ROTATION, rotationStep: 'secondary', rotationBy: who.userId, rotationStartedAt: now }, {
      expectedVersion: key.version,
      audit: { at: now, actor: who.userId, type: 'rotation_started', detail: { apiKeyId: key.apiKeyId } },
      enqueue: [enqueueRotateStep(now, key.apiKeyId, 'secondary')],
    });
    if (started === undefined) continue; // someone else changed it (maybe started it): look again
    ctx.wake();
    ctx.logger.info(`key ${key.apiKeyId}: rotation started by ${who.userId}`);
    return {
      title: 'Rotation started',
      text: `Rotating ${label}: the secondary key is regenerated first and delivered to <@${key.ownerId}> by DM. The primary keeps working until they confirm their clients moved.`,
    };
  }
  return CHANGED;
}

/**
 * The confirm button (rotate_primary): the owner or an approver says the clients use the new secondary, so the
 * primary may be regenerated. Compare-and-set awaiting_primary → primary: one click queues one step.
 */
export async function confirmSecondary(ctx: WorkflowContext, who: KeyActor): Promise<RotationOutcome> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const found = await findRotatable(ctx, who);
    if ('outcome' in found) return found.outcome;
    const key = found.key;
    const label = keyLabel(key);
    if (key.rotationStep === 'secondary' || key.rotationStep === 'primary') return startRotation(ctx, who); // in progress, or continue it
    if (key.rotationStep !== 'awaiting_primary') {
      return { title: 'Nothing to confirm', text: `No rotation of ${label} is waiting for confirmation${key.rotatedAt !== undefined ? ` (last rotated ${slackDate(key.rotatedAt)})` : ''}.` };
    }
    if (key.revealPart === 'secondary' && key.revealedAt === undefined) {
      return { title: 'Reveal first', text: `The new secondary key of ${label} was not revealed yet, so no client can use it. <@${key.ownerId}> should reveal it from the DM and move clients to it first.` };
    }
    const now = ctx.now();
    const confirmed = await ctx.store.updateKey(key.apiKeyId, { rotationStep: 'primary', rotationFingerprint: undefined }, {
      expectedVersion: key.version,
      audit: { at: now, actor: who.userId, type: 'primary_confirmed', detail: { apiKeyId: key.apiKeyId } },
      enqueue: [enqueueRotateStep(now, key.apiKeyId, 'primary')],
    });
    if (confirmed === undefined) continue;
    ctx.wake();
    ctx.logger.info(`key ${key.apiKeyId}: ${who.userId} confirmed the new secondary; regenerating the primary`);
    return { title: 'Regenerating primary', text: `The primary key of ${label} is being regenerated; the new value goes to <@${key.ownerId}> by DM.` };
  }
  return CHANGED;
}

function partOf(item: OutboxItem): { apiKeyId: string; part: KeyPart; mark: HandoverMark } {
  const apiKeyId = item.payload['apiKeyId'];
  const part = item.payload['part'];
  if (typeof apiKeyId !== 'string' || (part !== 'secondary' && part !== 'primary')) throw new Error(`malformed rotation step ${item.id}`);
  const message = item.payload['message'];
  const mark: HandoverMark = item.payload['handover'] === true ? { handover: true, ...(isMessageRef(message) ? { message } : {}) } : {};
  return { apiKeyId, part, mark };
}

/** The value of `part` in an NCP answer; a missing one is an error (nothing to fingerprint or deliver). */
function partValue(key: ApiKey, part: KeyPart): string {
  const value = part === 'secondary' ? key.secondaryKey : key.primaryKey;
  if (value === undefined || value === '') throw new Error(`NCP returned key ${key.apiKeyId} without its ${part} value`);
  return value;
}

/** Applies `patch` while the key is still at this rotation step (CAS, re-read on a concurrent change). */
async function updateAtStep(ctx: WorkflowContext, apiKeyId: string, part: KeyPart, patch: RegisteredKeyPatch, audit: { type: string; detail: Record<string, unknown> }, enqueue: readonly NewOutboxItem[] = []): Promise<RegisteredKey | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const key = await ctx.store.getKey(apiKeyId);
    if (key === undefined || key.rotationStep !== part) return undefined;
    const updated = await ctx.store.updateKey(apiKeyId, patch, { expectedVersion: key.version, audit: { at: ctx.now(), actor: 'system', ...audit }, enqueue });
    if (updated !== undefined) return updated;
  }
  throw new Error(`key ${apiKeyId} kept changing during its rotation step; retrying`);
}

/** Was `${part}_regenerated` already audited for this rotation (a retry after the PATCH answer was lost)? */
async function regenerationAudited(ctx: WorkflowContext, key: RegisteredKey, part: KeyPart): Promise<boolean> {
  const since = key.rotationStartedAt ?? 0;
  return (await ctx.store.listAudit(key.requestId)).some((e) => e.type === `${part}_regenerated` && e.at >= since && e.detail?.['apiKeyId'] === key.apiKeyId);
}

/**
 * The outbox step: regenerate `part` exactly once for this rotation, deliver the new value to the owner (DM or
 * reveal), then move the rotation on (secondary → awaiting_primary; primary → done). A stale item (the key is no
 * longer at this step) does nothing; a key revoked meanwhile ends the rotation.
 */
export async function handleRotateStep(ctx: WorkflowContext, item: OutboxItem): Promise<void> {
  const { apiKeyId, part, mark } = partOf(item);
  let key = await ctx.store.getKey(apiKeyId);
  if (key === undefined || key.requestId !== item.requestId || key.rotationStep !== part) return;
  // A rotation needs the key working; a handover needs it still disabled (nobody can be using it).
  const revoked = mark.handover === true && await revokedSince(ctx, key, key.rotationStartedAt ?? 0);
  if (key.state !== (mark.handover === true ? 'disabled' : 'active') || revoked) {
    await ctx.store.updateKey(apiKeyId, CLEAR_ROTATION, { audit: { at: ctx.now(), actor: 'system', type: 'rotation_cancelled', detail: { apiKeyId, part, state: key.state, ...(revoked ? { revoked } : {}) } } });
    ctx.logger.info(`key ${apiKeyId}: rotation cancelled, the key is ${key.state}`);
    return;
  }

  const current = await ctx.ncp.getApiKey(apiKeyId);
  const fingerprint = await fingerprintOf(partValue(current, part));
  let fresh: ApiKey;
  let regenerated: boolean;
  if (key.rotationFingerprint !== undefined && key.rotationFingerprint !== fingerprint) {
    // The value we recorded is gone: an earlier attempt's PATCH landed (its answer was lost, or the DM after it
    // failed). Deliver what NCP has now; a second PATCH would replace a value nobody has seen yet.
    fresh = current;
    regenerated = false;
    if (!(await regenerationAudited(ctx, key, part))) {
      await ctx.store.appendAudit({ requestId: key.requestId, at: ctx.now(), actor: 'system', type: `${part}_regenerated`, detail: { apiKeyId, seenOnRetry: true } });
    }
  } else {
    // Recorded before the PATCH, so whatever happens to it a retry can tell whether it landed.
    if (key.rotationFingerprint === undefined) key = await updateAtStep(ctx, apiKeyId, part, { rotationFingerprint: fingerprint }, { type: 'regenerating', detail: { apiKeyId, part } });
    if (key === undefined || key.rotationFingerprint !== fingerprint) throw new Error(`key ${apiKeyId} changed before its ${part} value was regenerated; retrying`);
    const answer = await ctx.ncp.regenerateApiKey(apiKeyId, part === 'secondary' ? 'SECONDARY' : 'PRIMARY');
    regenerated = true;
    await ctx.store.appendAudit({ requestId: key.requestId, at: ctx.now(), actor: 'system', type: `${part}_regenerated`, detail: { apiKeyId } });
    ctx.logger.info(`key ${apiKeyId}: ${part} value regenerated`);
    // The answer carries the new value: delivered from memory, not read again (an answer without it is read).
    fresh = (part === 'secondary' ? answer.secondaryKey : answer.primaryKey) ? answer : await ctx.ncp.getApiKey(apiKeyId);
  }

  if (mark.handover === true) {
    if (part === 'secondary') {
      // Nobody uses the disabled key: straight on to the primary, both values are delivered after it.
      await updateAtStep(ctx, apiKeyId, part, { rotationStep: 'primary', rotationFingerprint: undefined }, { type: 'handover_continues', detail: { apiKeyId, regenerated } }, [enqueueRotateStep(ctx.now(), apiKeyId, 'primary', mark)]);
      ctx.logger.info(`key ${apiKeyId}: handover, secondary regenerated; regenerating the primary`);
      return;
    }
    const both = fresh.secondaryKey && fresh.primaryKey ? fresh : await ctx.ncp.getApiKey(apiKeyId);
    const reveal = await deliverHandover(ctx, key, { secondary: partValue(both, 'secondary'), primary: partValue(both, 'primary') });
    await updateAtStep(ctx, apiKeyId, part, { ...CLEAR_ROTATION, rotatedAt: ctx.now(), ...reveal }, { type: 'handover_delivered', detail: { apiKeyId, mode: ctx.config.delivery, regenerated } }, [enqueueEnableKey(ctx.now(), apiKeyId, key.rotationStartedAt ?? 0, mark.message)]);
    ctx.logger.info(`key ${apiKeyId}: handover, both new values delivered (${ctx.config.delivery}); enabling it`);
    return;
  }

  const mode = ctx.config.delivery;
  const message = mode === 'dm' ? rotatedKeyDm(key, part, partValue(fresh, part), key.rotationBy) : rotatedRevealDm(key, part, key.rotationBy);
  await ctx.client.chat.postMessage({ channel: key.ownerId, text: message.text, blocks: message.blocks, ...NO_UNFURL });

  const now = ctx.now();
  const reveal: RegisteredKeyPatch = mode === 'reveal' ? { revealPart: part, revealedAt: undefined, revealLeaseUntil: undefined } : {};
  const patch: RegisteredKeyPatch = part === 'secondary'
    ? { rotationStep: 'awaiting_primary', rotationFingerprint: undefined, rotatedAt: now, ...reveal }
    : { ...CLEAR_ROTATION, rotatedAt: now, ...reveal };
  const type = part === 'secondary' ? 'secondary_delivered' : 'rotation_done';
  await updateAtStep(ctx, apiKeyId, part, patch, { type, detail: { apiKeyId, mode, regenerated } });
  ctx.logger.info(`key ${apiKeyId}: new ${part} value delivered (${mode})${part === 'primary' ? '; rotation done' : ''}`);
}

/**
 * A rotation step gave up after maxAttempts: audited, the owner (and whoever started it) told by DM. The key stays
 * at its step, fingerprint and all, so `/apikey rotate` continues it exactly where it stopped. The request is not
 * touched: its key still works.
 */
export async function handleRotationGaveUp(ctx: WorkflowContext, item: OutboxItem, error: string, attempts: number): Promise<void> {
  const { apiKeyId, part, mark } = partOf(item);
  const key = await ctx.store.getKey(apiKeyId);
  if (key === undefined) return;
  if (mark.handover === true) return handoverFailedNotice(ctx, key, `the ${part} value`, error, attempts);
  await ctx.store.appendAudit({ requestId: key.requestId, at: ctx.now(), actor: 'system', type: 'rotation_failed', detail: { apiKeyId, part, error, attempts } });
  ctx.logger.error(`key ${apiKeyId}: rotation gave up at the ${part} step after ${attempts} attempts: ${error}`);
  const message = rotationFailedDm(key, part, error);
  const people = new Set([key.ownerId, ...(key.rotationBy !== undefined ? [key.rotationBy] : [])]);
  for (const channel of people) {
    await ctx.client.chat.postMessage({ channel, text: message.text, blocks: message.blocks, ...NO_UNFURL })
      .catch((err: unknown) => ctx.logger.warn(`could not tell ${channel} the rotation of ${apiKeyId} stopped: ${describeFailure(err).message}`));
  }
}
