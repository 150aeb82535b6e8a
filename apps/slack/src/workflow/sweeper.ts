// Periodic pass over pending requests near their deadline: a reminder in the approval message's thread once
// per request (claimed with a version compare-and-set so replicas do not both remind), and expiry once the
// TTL has passed (a pending → expired transition that queues the requester's DM and the message update).
import { buildReminderMessage } from '../views/approval-message.ts';
import type { WorkflowContext } from './context.ts';
import { expireRequest } from './decide.ts';
import { describeFailure } from './describe-error.ts';

export type Sweeper = { start(): void; stop(): Promise<void>; runOnce(): Promise<{ expired: number; reminded: number }> };

export function createSweeper(ctx: WorkflowContext, opts: { intervalMs?: number } = {}): Sweeper {
  const intervalMs = opts.intervalMs ?? 30_000;
  const log = ctx.logger.child('sweeper');
  let timer: ReturnType<typeof setTimeout> | undefined;
  let current: Promise<unknown> | undefined;
  let running = false;

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
      const claimed = await ctx.store.updateRequest(r.id, { remindedAt: now }, r.version);
      if (claimed === undefined) continue;
      const message = buildReminderMessage(claimed, ctx.approvers.mentions());
      try {
        await ctx.client.chat.postMessage({
          channel: claimed.approvalChannel ?? ctx.config.approverChannel,
          ...(claimed.approvalTs !== undefined ? { thread_ts: claimed.approvalTs } : {}),
          text: message.text,
          blocks: message.blocks,
        });
        await ctx.store.appendAudit({ requestId: r.id, at: now, actor: 'system', type: 'reminded' });
        reminded++;
      } catch (err) {
        log.warn(`reminder for ${r.id} failed: ${describeFailure(err).message}`);
      }
    }
    return { expired, reminded };
  };

  const tick = () => {
    current = runOnce()
      .catch((err: unknown) => log.error(`sweep failed: ${describeFailure(err).message}`))
      .finally(() => { if (running) timer = setTimeout(tick, intervalMs); });
  };

  return {
    start() {
      if (running) return;
      running = true;
      tick();
    },
    async stop() {
      running = false;
      if (timer !== undefined) clearTimeout(timer);
      await current;
    },
    runOnce,
  };
}
