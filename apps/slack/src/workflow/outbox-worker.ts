// The outbox worker: leases due items from the store, runs them (items of one request in order, different
// requests in parallel), and on failure records the error, shows it to approvers and reschedules with jittered
// exponential backoff. After maxAttempts a key creation/delivery moves the request to `failed` (approvers get
// a Retry button); nothing is lost on restart because unfinished items stay in the store.
import type { KeyRequest, OutboxItem } from '../store/request-store.ts';
import { enqueueApprovalMessage, type WorkflowContext } from './context.ts';
import { handleCreateKey, handleDeliverKey, handleNotify, syncApprovalMessage } from './deliver.ts';
import { describeFailure } from './describe-error.ts';

export type OutboxWorkerOptions = {
  workerId: string;
  pollMs?: number;        // idle poll interval (default 1000)
  leaseMs?: number;       // how long a claimed item is ours (default 300 000: longer than core's whole retry deadline,
                          // so a slow NCP create is never picked up twice)
  batch?: number;         // items per claim (default 20)
  baseDelayMs?: number;   // first retry delay (default 2000)
  maxDelayMs?: number;    // retry delay cap (default 300 000)
  random?: () => number;
};

export type OutboxWorker = {
  start(): void;
  stop(): Promise<void>;
  wake(): void;
  /** One claim-and-run pass; resolves with the number of items handled. */
  runOnce(): Promise<number>;
};

export function backoffMs(attempt: number, base: number, max: number, random: () => number): number {
  const exp = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + (exp / 2) * random());
}

export function createOutboxWorker(ctx: WorkflowContext, opts: OutboxWorkerOptions): OutboxWorker {
  const pollMs = opts.pollMs ?? 1000;
  const leaseMs = opts.leaseMs ?? 300_000;
  const batch = opts.batch ?? 20;
  const baseDelayMs = opts.baseDelayMs ?? 2000;
  const maxDelayMs = opts.maxDelayMs ?? 300_000;
  const random = opts.random ?? Math.random;
  const log = ctx.logger.child('outbox');

  let running = false;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  let woken = false;

  const run = async (item: OutboxItem, r: KeyRequest): Promise<void> => {
    switch (item.kind) {
      case 'create_key': return handleCreateKey(ctx, r);
      case 'deliver_key': return handleDeliverKey(ctx, r);
      case 'notify': return handleNotify(ctx, r, item);
      case 'update_approval_message': return syncApprovalMessage(ctx, r);
    }
  };

  const onFailure = async (item: OutboxItem, r: KeyRequest, err: unknown): Promise<void> => {
    const info = describeFailure(err);
    const now = ctx.now();
    const keyWork = item.kind === 'create_key' || item.kind === 'deliver_key';
    log.warn(`${item.kind} for ${r.id} failed (attempt ${item.attempts}/${ctx.config.maxAttempts}): ${info.message}`);
    if (item.attempts >= ctx.config.maxAttempts) {
      if (keyWork) {
        const result = await ctx.store.transition(
          r.id,
          item.kind === 'create_key' ? 'approved' : 'created',
          'failed',
          { lastError: info.message, attempts: item.attempts },
          { at: now, actor: 'system', type: item.kind === 'create_key' ? 'creation_failed' : 'delivery_failed', detail: { error: info.message, attempts: item.attempts } },
          [enqueueApprovalMessage(now)],
        );
        if (result.ok) log.error(`request ${r.id} failed after ${item.attempts} attempts: ${info.message}`);
      } else {
        await ctx.store.appendAudit({ requestId: r.id, at: now, actor: 'system', type: 'notify_failed', detail: { kind: item.kind, error: info.message } });
      }
      await ctx.store.completeOutbox(item.id, opts.workerId, now);
      return;
    }
    const delay = Math.max(backoffMs(item.attempts, baseDelayMs, maxDelayMs, random), info.retryAfterMs ?? 0);
    await ctx.store.failOutbox(item.id, opts.workerId, info.message, now + delay);
    if (keyWork) {
      // Approvers see the trouble while it is being retried, not only once it has given up.
      const updated = await ctx.store.updateRequest(r.id, { lastError: info.message, attempts: item.attempts });
      if (updated !== undefined && updated.approvalTs !== undefined) {
        await syncApprovalMessage(ctx, updated).catch((e: unknown) => log.warn(`could not show the failure on ${r.id}: ${describeFailure(e).message}`));
      }
    }
  };

  const runItem = async (item: OutboxItem): Promise<void> => {
    const r = await ctx.store.getRequest(item.requestId);
    if (r === undefined) {
      await ctx.store.completeOutbox(item.id, opts.workerId, ctx.now());
      return;
    }
    try {
      await run(item, r);
    } catch (err) {
      await onFailure(item, r, err);
      return;
    }
    await ctx.store.completeOutbox(item.id, opts.workerId, ctx.now());
  };

  const runOnce = async (): Promise<number> => {
    const items = await ctx.store.claimDue(ctx.now(), batch, opts.workerId, leaseMs);
    const byRequest = new Map<string, OutboxItem[]>();
    for (const item of items) byRequest.set(item.requestId, [...(byRequest.get(item.requestId) ?? []), item]);
    await Promise.all([...byRequest.values()].map(async (queue) => {
      for (const item of queue) {
        await runItem(item).catch((err: unknown) => log.error(`outbox item ${item.id} (${item.kind}) crashed: ${describeFailure(err).message}`));
      }
    }));
    return items.length;
  };

  const idle = () => new Promise<void>((resolve) => {
    if (woken || !running) { woken = false; resolve(); return; }
    const timer = setTimeout(() => { wakeUp = undefined; resolve(); }, pollMs);
    wakeUp = () => { clearTimeout(timer); wakeUp = undefined; resolve(); };
  });

  return {
    start() {
      if (running) return;
      running = true;
      loop = (async () => {
        while (running) {
          woken = false;
          let handled = 0;
          try {
            handled = await runOnce();
          } catch (err) {
            log.error(`outbox pass failed: ${describeFailure(err).message}`);
          }
          if (handled === 0 && running) await idle();
        }
      })();
    },
    async stop() {
      running = false;
      wakeUp?.();
      await loop;
    },
    wake() {
      woken = true;
      wakeUp?.();
    },
    runOnce,
  };
}
