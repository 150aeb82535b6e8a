// The outbox worker: leases due steps from the store and runs them as a pool — each step on its own as soon as
// a slot is free (at most `concurrency` at once), so one slow NCP call never holds back another request's
// messages. The store hands out only the head of each request's queue (per lane: approval-message updates are
// a lane of their own) and none while one of the lane's steps is leased, so the steps of one request run one
// at a time and in order, on whichever replica. When a step finishes, the store leases the request's next
// step to the same slot in the same write if it is due, so an approval's steps run back to back without
// waiting for the next claim; each is still recorded as done before the next starts. A message update of a
// request whose key step runs here starts a few ms after its claim, so it does not hold the one JS thread while
// that step prepares its call. On failure the
// error is recorded, shown to approvers and the step rescheduled with jittered exponential backoff; after
// maxAttempts a key step (create, subscribe, accept, deliver) moves the request to `failed` (approvers get a Retry button). Nothing
// is lost on restart: unfinished steps stay in the store.
import type { KeyRequest, OutboxItem } from '../store/request-store.ts';
import { enqueueApprovalMessage, type WorkflowContext } from './context.ts';
import { handleAccept, handleCreateKey, handleDeliverKey, handleNotify, handleSubscribe, syncApprovalMessage } from './deliver.ts';
import { describeFailure } from './describe-error.ts';
import { handleRotationReminder } from './key-sweeper.ts';
import { handleKeyNotice, handleOffboardingNotice } from './offboarding.ts';
import { handleRevokeKey, revokeGaveUp } from './revoke.ts';
import { handleRotateStep, handleRotationGaveUp } from './rotate.ts';
import { handleRemind } from './sweeper.ts';
import { enableGaveUp, handleEnableKey } from './handover.ts';

export type OutboxWorkerOptions = {
  workerId: string;
  pollMs?: number;        // idle poll interval (default 1000)
  leaseMs?: number;       // how long a claimed item is ours (default 300 000: longer than core's whole retry deadline,
                          // so a slow NCP create is never picked up twice)
  concurrency?: number;   // steps running at once (default 8)
  messageDeferMs?: number; // an approval-message update of a request whose key step runs here starts this long after
                          // its claim (default 15): the key step sends its NCP call or DM first, instead of waiting
                          // on this one thread while the message is rendered and sent — approvers do not see 15 ms
  baseDelayMs?: number;   // first retry delay (default 2000)
  maxDelayMs?: number;    // retry delay cap (default 300 000)
  random?: () => number;
};

export type OutboxWorkerStats = {
  /** Unfinished steps in the store (every replica's), due or scheduled. */
  depth: number;
  /** How long the oldest due step has waited (0 when none is due). */
  oldestDueAgeMs: number;
  /** Steps this worker is running right now. */
  inFlight: number;
};

export type OutboxWorker = {
  start(): void;
  /**
   * Stops claiming, then waits up to `graceMs` (default 10 000) for the steps in flight to finish. Message
   * steps still running after that (notify, approval message, reminder) are released in the store so another
   * replica, or the next start, takes them up at once (at worst a message is sent twice). Key steps
   * (create_key, deliver_key) keep their lease: their NCP call may still commit, and a second runner before the
   * lease ends could make a second key or DM the keys twice; they are retried once the lease expires.
   */
  stop(opts?: { graceMs?: number }): Promise<void>;
  wake(): void;
  /**
   * One claim-and-run pass (up to the free slots), waiting for those steps and the steps of their requests
   * that followed them at once; resolves with the number claimed.
   */
  runOnce(): Promise<number>;
  stats(): Promise<OutboxWorkerStats>;
};

/** Steps whose repetition could make a second key, change a subscription twice or show keys twice. */
function isKeyWork(kind: OutboxItem['kind'] | undefined): boolean {
  return kind === 'create_key' || kind === 'subscribe_product' || kind === 'accept_subscription' || kind === 'deliver_key';
}

const GAVE_UP_EVENT: Partial<Record<OutboxItem['kind'], string>> = {
  create_key: 'creation_failed',
  subscribe_product: 'subscription_failed',
  accept_subscription: 'acceptance_failed',
  deliver_key: 'delivery_failed',
};

export function backoffMs(attempt: number, base: number, max: number, random: () => number): number {
  const exp = Math.min(max, base * 2 ** Math.max(0, attempt - 1));
  return Math.round(exp / 2 + (exp / 2) * random());
}

export function createOutboxWorker(ctx: WorkflowContext, opts: OutboxWorkerOptions): OutboxWorker {
  const pollMs = opts.pollMs ?? 1000;
  const leaseMs = opts.leaseMs ?? 300_000;
  const concurrency = Math.max(1, opts.concurrency ?? 8);
  const baseDelayMs = opts.baseDelayMs ?? 2000;
  const maxDelayMs = opts.maxDelayMs ?? 300_000;
  const random = opts.random ?? Math.random;
  const messageDeferMs = Math.max(0, opts.messageDeferMs ?? 15);
  const log = ctx.logger.child('outbox');

  let running = false;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  let woken = false;
  const inFlight = new Map<number, Promise<void>>();
  const runningKinds = new Map<number, OutboxItem['kind']>();
  /** Requests with a key step running in this process (a message update of theirs yields to it). */
  const keySteps = new Map<string, number>();

  const run = async (item: OutboxItem, r: KeyRequest): Promise<void> => {
    switch (item.kind) {
      case 'create_key': return handleCreateKey(ctx, r);
      case 'subscribe_product': return handleSubscribe(ctx, r, item);
      case 'accept_subscription': return handleAccept(ctx, r, item);
      case 'deliver_key': return handleDeliverKey(ctx, r);
      case 'notify': return handleNotify(ctx, r, item);
      case 'update_approval_message': return syncApprovalMessage(ctx, r);
      case 'remind': return handleRemind(ctx, r);
      case 'revoke_key': return handleRevokeKey(ctx, item);
      case 'key_notice': return handleKeyNotice(ctx, item);
      case 'offboarding_notice': return handleOffboardingNotice(ctx, item);
      case 'rotation_reminder': return handleRotationReminder(ctx, item);
      case 'rotate_key': return handleRotateStep(ctx, item);
      case 'enable_key': return handleEnableKey(ctx, item);
    }
  };
  const onFailure = async (item: OutboxItem, r: KeyRequest, err: unknown): Promise<void> => {
    const info = describeFailure(err);
    const now = ctx.now();
    const keyWork = isKeyWork(item.kind);
    log.warn(`${item.kind} for ${r.id} failed (attempt ${item.attempts}/${ctx.config.maxAttempts}): ${info.message}`);
    if (item.attempts >= ctx.config.maxAttempts) {
      if (item.kind === 'rotate_key') await handleRotationGaveUp(ctx, item, info.message, item.attempts); // the request is not failed: its key works
      else if (keyWork) {
        const result = await ctx.store.transition(
          r.id,
          item.kind === 'create_key' ? 'approved' : 'created',
          'failed',
          { lastError: info.message, attempts: item.attempts },
          { at: now, actor: 'system', type: GAVE_UP_EVENT[item.kind] ?? 'delivery_failed', detail: { error: info.message, attempts: item.attempts } },
          [enqueueApprovalMessage(now)],
        );
        if (result.ok) log.error(`request ${r.id} failed after ${item.attempts} attempts: ${info.message}`);
      } else {
        await ctx.store.appendAudit({ requestId: r.id, at: now, actor: 'system', type: 'notify_failed', detail: { kind: item.kind, error: info.message } });
        if (item.kind === 'enable_key') await enableGaveUp(ctx, item, info.message, item.attempts).catch((e: unknown) => log.warn(`could not report the failed enable: ${describeFailure(e).message}`));
        if (item.kind === 'revoke_key') await revokeGaveUp(ctx, item, info.message).catch((e: unknown) => log.warn(`could not report the failed revocation: ${describeFailure(e).message}`));
      }
      await ctx.store.completeOutbox(item.id, opts.workerId, now);
      return;
    }
    const delay = Math.max(backoffMs(item.attempts, baseDelayMs, maxDelayMs, random), info.retryAfterMs ?? 0);
    await ctx.store.failOutbox(item.id, opts.workerId, info.message, now + delay);
    if (keyWork) {
      // Approvers see the trouble while it is being retried, not only once it has given up. Queued, not sent
      // from here: the message lane runs one update of a request at a time, so an older render never lands last.
      // An update already waiting in the lane (not started) will render this error, so none is added — retries
      // while Slack refuses the message do not pile up updates.
      const updated = await ctx.store.updateRequest(r.id, { lastError: info.message, attempts: item.attempts });
      if (updated !== undefined) {
        const waiting = (await ctx.store.listOutbox(r.id)).some((x) => x.kind === 'update_approval_message' && x.doneAt === undefined && x.lockedBy === undefined);
        if (!waiting) await ctx.store.enqueue(r.id, [enqueueApprovalMessage(ctx.now())]);
      }
    }
  };

  /**
   * Renews the item's lease every third of its length while the step runs, so a step that outlasts one lease
   * (a slow NCP answering within its deadline) is never taken up by a second worker and done twice. The lease
   * still lapses when this process dies, and another worker then resumes the step.
   */
  const holdLease = (item: OutboxItem): { stop(): void } => {
    const timer = setInterval(() => {
      ctx.store.renewOutbox(item.id, opts.workerId, ctx.now() + leaseMs).then(
        (held) => { if (!held) log.warn(`lost the lease of outbox item ${item.id} (${item.kind}) while running it`); },
        (err: unknown) => log.warn(`could not renew the lease of outbox item ${item.id}: ${describeFailure(err).message}`),
      );
    }, Math.max(10, Math.floor(leaseMs / 3)));
    // Renewing alone must not keep a stopping process alive.
    (timer as { unref?: () => void }).unref?.();
    return { stop: () => clearInterval(timer) };
  };

  /**
   * Runs one step; resolves with the request's next step when the store leased it to us on completion (due
   * now, same lane), so the slot runs it at once instead of after a wake-up and a claim.
   */
  const runItem = async (item: OutboxItem, request?: KeyRequest): Promise<{ item: OutboxItem; request: KeyRequest } | undefined> => {
    const r = request ?? await ctx.store.getRequest(item.requestId);
    if (r === undefined) {
      await ctx.store.completeOutbox(item.id, opts.workerId, ctx.now());
      return undefined;
    }
    const lease = holdLease(item);
    try {
      await run(item, r);
    } catch (err) {
      await onFailure(item, r, err);
      return undefined;
    } finally {
      lease.stop();
    }
    if (!running) {
      await ctx.store.completeOutbox(item.id, opts.workerId, ctx.now());
      return undefined;
    }
    const next = await ctx.store.completeAndClaimNext(item.id, opts.workerId, ctx.now(), leaseMs);
    if (next !== undefined && !running) {
      // Stopping meanwhile: give the step back untouched, as stop() would.
      await ctx.store.releaseOutbox(next.item.id, opts.workerId);
      return undefined;
    }
    return next;
  };

  /** A request's steps back to back in one slot, each recorded as done before the next starts. */
  const runChain = async (first: OutboxItem): Promise<void> => {
    if (first.kind === 'update_approval_message' && messageDeferMs > 0 && (keySteps.get(first.requestId) ?? 0) > 0) {
      await new Promise((r) => setTimeout(r, messageDeferMs));
      if (!running) {
        await ctx.store.releaseOutbox(first.id, opts.workerId).catch((err: unknown) => log.error(`could not release outbox item ${first.id}: ${describeFailure(err).message}`));
        return;
      }
    }
    let step: { item: OutboxItem; request?: KeyRequest } | undefined = { item: first };
    while (step !== undefined) {
      const current: OutboxItem = step.item;
      const keyWork = isKeyWork(current.kind);
      // Registered before the first await, so a message update of this request launched right after sees it.
      runningKinds.set(current.id, current.kind);
      if (keyWork) keySteps.set(current.requestId, (keySteps.get(current.requestId) ?? 0) + 1);
      try {
        step = await runItem(current, step.request);
      } catch (err) {
        log.error(`outbox item ${current.id} (${current.kind}) crashed: ${describeFailure(err).message}`);
        step = undefined;
      } finally {
        runningKinds.delete(current.id);
        if (keyWork) {
          const left = (keySteps.get(current.requestId) ?? 1) - 1;
          if (left > 0) keySteps.set(current.requestId, left);
          else keySteps.delete(current.requestId);
        }
      }
      // The step may have queued work in the other lane (an approval-message update): let the loop claim it.
      if (step !== undefined) wake();
    }
  };

  const wake = (): void => {
    woken = true;
    wakeUp?.();
  };

  /**
   * Runs one claimed step, and the steps of its request that follow it at once, in its own slot; the slot
   * frees (and the loop looks for more) when the chain ends.
   */
  const launch = (item: OutboxItem): Promise<void> => {
    const done = runChain(item).finally(() => {
      inFlight.delete(item.id);
      wake(); // a free slot, and maybe a step of this request that was not due yet
    });
    inFlight.set(item.id, done);
    return done;
  };

  const claim = async (): Promise<OutboxItem[]> => {
    const free = concurrency - inFlight.size;
    if (free <= 0) return [];
    return ctx.store.claimDue(ctx.now(), free, opts.workerId, leaseMs);
  };

  const runOnce = async (): Promise<number> => {
    const items = await claim();
    await Promise.all(items.map(launch));
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
          let claimed = 0;
          try {
            const items = await claim();
            claimed = items.length;
            if (running) for (const item of items) void launch(item);
            else for (const item of items) await ctx.store.releaseOutbox(item.id, opts.workerId);
          } catch (err) {
            log.error(`outbox pass failed: ${describeFailure(err).message}`);
          }
          // Claim again at once while steps keep coming and slots are free; otherwise wait for a wake-up
          // (a step finished, new work was queued) or the poll interval.
          if ((claimed === 0 || inFlight.size >= concurrency) && running) await idle();
        }
      })();
    },
    async stop(stopOpts = {}) {
      const graceMs = stopOpts.graceMs ?? 10_000;
      running = false;
      wakeUp?.();
      await loop;
      if (inFlight.size === 0) return;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const graceOver = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), graceMs); });
      const finished = await Promise.race([Promise.all(inFlight.values()).then(() => 'done' as const), graceOver]);
      clearTimeout(timer);
      if (finished === 'done') return;
      const stuck = [...runningKinds.keys()];
      // A regenerate in flight keeps its lease too: a second runner before it lands would regenerate again.
      const releasable = stuck.filter((id) => !isKeyWork(runningKinds.get(id)) && runningKinds.get(id) !== 'rotate_key');
      log.warn(`stopping with ${stuck.length} step(s) still running; releasing ${releasable.length} message step(s) for another worker, key steps keep their lease`);
      await Promise.all(releasable.map((id) => ctx.store.releaseOutbox(id, opts.workerId)
        .catch((err: unknown) => log.error(`could not release outbox item ${id}: ${describeFailure(err).message}`))));
    },
    wake,
    runOnce,
    async stats() {
      const now = ctx.now();
      const s = await ctx.store.outboxStats(now);
      return { depth: s.depth, oldestDueAgeMs: s.oldestDueAt === undefined ? 0 : Math.max(0, now - s.oldestDueAt), inFlight: inFlight.size };
    },
  };
}
