// Periodic pass over pending requests near their deadline: a reminder in the approval message's thread once
// per request, and expiry once the TTL has passed (a pending → expired transition that queues the
// requester's DM and the message update). The reminder is an outbox step queued at most once per request
// (its onceKey), so replicas never both post it, a failed post is retried like any other message, and
// `remindedAt` is set only after Slack accepted the post.
import { ruleFor } from '../policy.ts';
import type { KeyRequest } from '../store/request-store.ts';
import { buildReminderMessage } from '../blocks/approval-message.ts';
import { enqueueRemind, type WorkflowContext } from './context.ts';
import { expireRequest } from './decide.ts';
import { describeFailure } from './describe-error.ts';
import { createPeriodic } from './periodic.ts';

export type Sweeper = { start(): void; stop(): Promise<void>; /** One pass; `reminded` counts reminders queued by this pass. */
  runOnce(): Promise<{ expired: number; reminded: number }> };

export function createSweeper(ctx: WorkflowContext, opts: { intervalMs?: number } = {}): Sweeper {
  const intervalMs = opts.intervalMs ?? 30_000;
  const log = ctx.logger.child('sweeper');

  const runOnce = async () => {
    const now = ctx.now();
    let expired = 0;
    let reminded = 0;
    const due = await ctx.store.listExpiring(now + ctx.config.reminderBeforeMs, 100);
    for (const r of due) {
      if (r.expiresAt <= now) {
        if (await expireRequest(ctx, r.id)) expired++;
        continue;
      }
      if (r.remindedAt !== undefined) continue;
      // A product's policy may give a request a TTL shorter than the reminder lead time: never remind in the
      // first three quarters of a request's life (a reminder at once would only be noise).
      if (r.expiresAt - now > Math.min(ctx.config.reminderBeforeMs, Math.floor((r.expiresAt - r.createdAt) / 4))) continue;
      if ((await ctx.store.enqueue(r.id, [enqueueRemind(now)])) > 0) {
        reminded++;
        ctx.wake();
      }
    }
    return { expired, reminded };
  };

  const periodic = createPeriodic(runOnce, {
    intervalMs,
    onError: (err) => log.error(`sweep failed: ${describeFailure(err).message}`),
  });
  return {
    ...periodic,
    runOnce,
  };
}

/** The `remind` outbox step: posts the reminder in the approval message's thread, then records it as sent. */
export async function handleRemind(ctx: WorkflowContext, r: KeyRequest): Promise<void> {
  if (r.state !== 'pending' || r.remindedAt !== undefined) return; // decided or expired meanwhile, or already sent
  const rule = ruleFor(ctx.config.policy, r.productId);
  const message = buildReminderMessage(r, ctx.approvers.mentions(rule.approvers));
  await ctx.client.chat.postMessage({
    channel: r.approvalChannel ?? rule.channel,
    ...(r.approvalTs !== undefined ? { thread_ts: r.approvalTs } : {}),
    text: message.text,
    blocks: message.blocks,
  });
  const now = ctx.now();
  await ctx.store.updateRequest(r.id, { remindedAt: now });
  await ctx.store.appendAudit({ requestId: r.id, at: now, actor: 'system', type: 'reminded' });
}
