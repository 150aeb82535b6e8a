// Periodic pass over the key registry, beside the request sweeper:
// - owners: Slack does not promise a user_change event for every deactivation, so each pass asks users.info about
//   a page of key owners (resuming where the last pass stopped, wrapping at the end) and offboards the ones
//   Slack reports `deleted` — the same markOwnerGone as the event, so both together notify once. A page per pass
//   keeps users.info (Tier 4, about 100 a minute) far from its limit; a rate-limit answer ends the pass early.
//   An owner Slack does not know or does not show (user_not_found, user_not_visible) is left alone: only an
//   explicit `deleted: true` offboards.
// - rotation reminders: active keys older than their product's rotateAfter, not reminded within that period,
//   get a reminder queued with a compare-and-set on the key (remindedAt) in the same transaction as the DM step,
//   so replicas never both queue it; the DM step is done only once Slack accepted the post.
import { rotationReminderDm } from '../blocks/rotation-reminder.ts';
import { ruleFor } from '../policy.ts';
import type { OutboxItem } from '../store/request-store.ts';
import type { WorkflowContext } from './context.ts';
import { describeFailure } from './describe-error.ts';
import { createPeriodic } from './periodic.ts';
import { offboardOwner } from './offboarding.ts';

export type KeySweeper = {
  start(): void;
  stop(): Promise<void>;
  /** One pass: `checked` owners asked about, `gone` of them offboarded, `reminded` reminders queued. */
  runOnce(): Promise<{ checked: number; gone: number; reminded: number }>;
};

export type KeySweeperOptions = {
  /** Between passes (default 10 minutes). */
  intervalMs?: number;
  /** Owners looked up per pass (default 50). */
  ownersPerPass?: number;
  /** Reminders queued per pass (default 100). */
  remindersPerPass?: number;
};

const NO_UNFURL = { unfurl_links: false, unfurl_media: false } as const;

export function createKeySweeper(ctx: WorkflowContext, opts: KeySweeperOptions = {}): KeySweeper {
  const intervalMs = opts.intervalMs ?? 600_000;
  const ownersPerPass = opts.ownersPerPass ?? 50;
  const remindersPerPass = opts.remindersPerPass ?? 100;
  const log = ctx.logger.child('key-sweeper');
  let after: { teamId: string; ownerId: string } | undefined;

  const sweepOwners = async (): Promise<{ checked: number; gone: number }> => {
    const owners = await ctx.store.listKeyOwners(after !== undefined ? { after } : {}, ownersPerPass);
    let checked = 0;
    let gone = 0;
    for (const owner of owners) {
      let deleted: boolean;
      try {
        const res = await ctx.client.users.info({ user: owner.ownerId });
        deleted = res.user?.deleted === true;
      } catch (err) {
        const info = describeFailure(err);
        if ((err as { code?: unknown }).code === 'slack_webapi_rate_limited_error') {
          log.warn(`users.info rate-limited; the owner check resumes at ${owner.ownerId} next pass`);
          return { checked, gone };
        }
        log.warn(`users.info for ${owner.ownerId} failed (${info.message}); skipped this pass`);
        deleted = false;
      }
      checked++;
      after = owner;
      if (deleted && (await offboardOwner(ctx, owner.teamId, owner.ownerId, 'sweep')).length > 0) gone++;
    }
    // A short page is the end of the list: start from the top next pass.
    if (owners.length < ownersPerPass) after = undefined;
    return { checked, gone };
  };

  const queueReminders = async (): Promise<number> => {
    const now = ctx.now();
    const periods = new Set<number>();
    for (const rule of [ctx.config.policy.defaults, ...ctx.config.policy.products.values()]) if (rule.rotateAfterMs !== undefined) periods.add(rule.rotateAfterMs);
    let reminded = 0;
    for (const period of [...periods].sort((a, b) => a - b)) {
      const since = now - period + 1;
      const keys = await ctx.store.listKeys({ states: ['active'], ownerGone: false, lastRotatedBefore: since, notRemindedSince: since }, remindersPerPass);
      for (const key of keys) {
        if (reminded >= remindersPerPass) return reminded;
        // Only the keys whose own rule has this period (another period's pass looks at the rest); none in rotation.
        if (ruleFor(ctx.config.policy, key.productId).rotateAfterMs !== period || key.rotationStep !== undefined) continue;
        const queued = await ctx.store.updateKey(key.apiKeyId, { remindedAt: now }, {
          expectedVersion: key.version,
          audit: { at: now, actor: 'system', type: 'rotation_reminder_queued', detail: { apiKeyId: key.apiKeyId } },
          enqueue: [{ kind: 'rotation_reminder', payload: { apiKeyId: key.apiKeyId }, notBefore: now }],
        });
        if (queued !== undefined) reminded++;
      }
    }
    if (reminded > 0) ctx.wake();
    return reminded;
  };

  const runOnce = async () => {
    const owners = await sweepOwners();
    const reminded = await queueReminders();
    return { ...owners, reminded };
  };

  const periodic = createPeriodic(runOnce, {
    intervalMs,
    onError: (err) => log.error(`key sweep failed: ${describeFailure(err).message}`),
  });
  return {
    ...periodic,
    runOnce,
  };
}

/** The `rotation_reminder` step: DMs the owner with a Rotate button, unless the key moved on meanwhile. */
export async function handleRotationReminder(ctx: WorkflowContext, item: OutboxItem): Promise<void> {
  const apiKeyId = item.payload.apiKeyId;
  if (typeof apiKeyId !== 'string') throw new Error(`rotation_reminder item ${item.id} has a malformed payload`);
  const key = await ctx.store.getKey(apiKeyId);
  const rotateAfterMs = key === undefined ? undefined : ruleFor(ctx.config.policy, key.productId).rotateAfterMs;
  // Revoked, being rotated, owner gone, or policy changed since it was queued: nothing to remind of.
  if (key === undefined || key.state !== 'active' || key.rotationStep !== undefined || key.ownerGoneAt !== undefined || rotateAfterMs === undefined) return;
  const message = rotationReminderDm(key, { now: ctx.now(), rotateAfterMs });
  await ctx.client.chat.postMessage({ channel: key.ownerId, text: message.text, blocks: message.blocks, ...NO_UNFURL });
  await ctx.store.appendAudit({ requestId: key.requestId, at: ctx.now(), actor: 'system', type: 'rotation_reminded', detail: { apiKeyId } });
}
