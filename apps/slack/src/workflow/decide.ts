// Approve/deny: authorised server-side at submit time and applied as ONE compare-and-set transition, so two
// approvers or two replicas never both act. The loser learns who decided.
import type { KeyRequest } from '../store/request-store.ts';
import {
  enqueueApprovalMessage,
  enqueueCreateKey,
  enqueueNotify,
  type WorkflowContext,
} from './context.ts';

export type Decision = 'approve' | 'deny';
export type DecideResult = { ok: true; request: KeyRequest } | { ok: false; message: string };

/** Why a request that is no longer pending cannot be decided, naming who decided it. */
export function alreadyDecidedMessage(r: KeyRequest): string {
  const by = r.decidedBy !== undefined ? `<@${r.decidedBy}>` : 'someone else';
  switch (r.state) {
    case 'pending': return 'This request is still pending.';
    case 'approved':
    case 'created':
    case 'delivered':
    case 'failed':
      return `Already approved by ${by}.`;
    case 'denied': return `Already denied by ${by}.`;
    case 'expired': return 'This request expired before anyone decided.';
  }
}

/** Checks that `userId` may decide `r` right now; undefined when allowed, else the reason. */
export async function authoriseDecision(ctx: WorkflowContext, r: KeyRequest, userId: string): Promise<string | undefined> {
  let approver: boolean;
  try {
    approver = await ctx.approvers.isApprover(userId);
  } catch (err) {
    ctx.logger.warn('approver lookup failed', err);
    return 'Could not check the approver list with Slack right now. Try again in a moment.';
  }
  if (!approver) return 'Only API key approvers can decide requests.';
  if (r.requesterId === userId && !ctx.config.allowSelfApproval) return 'You cannot decide your own request; another approver must.';
  if (r.state !== 'pending') return alreadyDecidedMessage(r);
  if (r.expiresAt <= ctx.now()) return 'This request expired before anyone decided.';
  return undefined;
}

export async function decide(
  ctx: WorkflowContext,
  input: { requestId: string; userId: string; decision: Decision; comment?: string },
): Promise<DecideResult> {
  const request = await ctx.store.getRequest(input.requestId);
  if (request === undefined) return { ok: false, message: 'This request no longer exists.' };
  const refusal = await authoriseDecision(ctx, request, input.userId);
  if (refusal !== undefined) {
    if (request.state === 'pending' && request.expiresAt <= ctx.now()) await expireRequest(ctx, request.id);
    return { ok: false, message: refusal };
  }
  const now = ctx.now();
  const approve = input.decision === 'approve';
  const result = await ctx.store.transition(
    request.id,
    'pending',
    approve ? 'approved' : 'denied',
    { decidedBy: input.userId, decidedAt: now, ...(input.comment ? { decisionComment: input.comment } : {}) },
    { at: now, actor: input.userId, type: approve ? 'approved' : 'denied', ...(input.comment ? { detail: { comment: input.comment } } : {}) },
    approve ? [enqueueCreateKey(now), enqueueApprovalMessage(now)] : [enqueueNotify('denied', now), enqueueApprovalMessage(now)],
  );
  if (!result.ok) {
    return { ok: false, message: result.current ? alreadyDecidedMessage(result.current) : 'This request no longer exists.' };
  }
  ctx.logger.info(`request ${request.id} ${approve ? 'approved' : 'denied'} by ${input.userId}`);
  ctx.wake();
  return { ok: true, request: result.request };
}

/** pending → expired, with the requester's DM and the approval message update queued in the same transaction. */
export async function expireRequest(ctx: WorkflowContext, requestId: string): Promise<boolean> {
  const now = ctx.now();
  const result = await ctx.store.transition(
    requestId,
    'pending',
    'expired',
    {},
    { at: now, actor: 'system', type: 'expired' },
    [enqueueNotify('expired', now), enqueueApprovalMessage(now)],
  );
  if (result.ok) {
    ctx.logger.info(`request ${requestId} expired`);
    ctx.wake();
  }
  return result.ok;
}
