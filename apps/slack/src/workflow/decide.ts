// Approve/deny: authorised server-side at submit time against the request's product rule (its approvers, not
// the defaults', when the policy names the product) and applied atomically: a deny is ONE compare-and-set
// transition; an approval is recorded toward the rule's quorum, and only the quorum-th distinct approval
// moves the request to approved, so two approvers or two replicas never both act. The loser learns who decided.
import { ruleFor } from '../policy.ts';
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

/** The refusal for an approver who already approved a request that still needs others. */
export function alreadyApprovedByYouMessage(count: number, quorum: number): string {
  const missing = quorum - count;
  return `You already approved this request (${count} of ${quorum} approvals); it needs ${missing} more from other approvers. Each approver counts once.`;
}

/**
 * Checks that `userId` may make `decision` on `r` right now; undefined when allowed, else the reason. Only the
 * approvers of the request's product decide it (a product's list replaces the defaults').
 */
export async function authoriseDecision(ctx: WorkflowContext, r: KeyRequest, userId: string, decision?: Decision): Promise<string | undefined> {
  const productId = r.productId;
  const rule = ruleFor(ctx.config.policy, productId);
  let approver: boolean;
  try {
    approver = await ctx.approvers.isApprover(userId, rule.approvers);
  } catch (err) {
    ctx.logger.warn('approver lookup failed', err);
    return 'Could not check the approver list with Slack right now. Try again in a moment.';
  }
  if (!approver) {
    return productId !== undefined && ctx.config.policy.products.has(productId)
      ? `You are not an approver for product ${productId}. Its approvers: ${ctx.approvers.mentions(rule.approvers)}.`
      : 'Only API key approvers can decide requests.';
  }
  if (r.requesterId === userId && !ctx.config.allowSelfApproval) return 'You cannot decide your own request; another approver must.';
  if (r.state !== 'pending') return alreadyDecidedMessage(r);
  if (r.expiresAt <= ctx.now()) return 'This request expired before anyone decided.';
  if (decision === 'approve' && rule.quorum > 1) {
    const approvals = await ctx.store.listApprovals(r.id);
    if (approvals.some((a) => a.approverId === userId)) return alreadyApprovedByYouMessage(approvals.length, rule.quorum);
  }
  return undefined;
}

export async function decide(
  ctx: WorkflowContext,
  input: { requestId: string; userId: string; decision: Decision; comment?: string },
): Promise<DecideResult> {
  const request = await ctx.store.getRequest(input.requestId);
  if (request === undefined) return { ok: false, message: 'This request no longer exists.' };
  const refusal = await authoriseDecision(ctx, request, input.userId, input.decision);
  if (refusal !== undefined) {
    if (request.state === 'pending' && request.expiresAt <= ctx.now()) await expireRequest(ctx, request.id);
    return { ok: false, message: refusal };
  }
  if (input.decision === 'approve') return approve(ctx, request, input);
  // One deny denies, whatever approvals were already recorded toward the quorum.
  const now = ctx.now();
  const result = await ctx.store.transition(
    request.id,
    'pending',
    'denied',
    { decidedBy: input.userId, decidedAt: now, ...(input.comment ? { decisionComment: input.comment } : {}) },
    { at: now, actor: input.userId, type: 'denied', ...(input.comment ? { detail: { comment: input.comment } } : {}) },
    [enqueueNotify('denied', now), enqueueApprovalMessage(now)],
  );
  if (!result.ok) {
    return { ok: false, message: result.current ? alreadyDecidedMessage(result.current) : 'This request no longer exists.' };
  }
  ctx.logger.info(`request ${request.id} denied by ${input.userId}`);
  ctx.wake();
  return { ok: true, request: result.request };
}

async function approve(
  ctx: WorkflowContext,
  request: KeyRequest,
  input: { userId: string; comment?: string },
): Promise<DecideResult> {
  const now = ctx.now();
  const { quorum } = ruleFor(ctx.config.policy, request.productId);
  // The requester hears of a quorum-approved request at once; with a quorum of 1 the keys DM follows anyway.
  const onApproved = [enqueueCreateKey(now), enqueueApprovalMessage(now), ...(quorum > 1 ? [enqueueNotify('approved', now)] : [])];
  const result = await ctx.store.recordApproval(
    { requestId: request.id, approverId: input.userId, at: now, quorum, ...(input.comment ? { comment: input.comment } : {}) },
    onApproved,
    [enqueueApprovalMessage(now)],
  );
  if (!result.ok) {
    if (result.reason === 'already_approved') return { ok: false, message: alreadyApprovedByYouMessage(result.approvals.length, quorum) };
    return { ok: false, message: result.current ? alreadyDecidedMessage(result.current) : 'This request no longer exists.' };
  }
  ctx.logger.info(result.approved
    ? `request ${request.id} approved by ${input.userId} (${result.approvals.length} of ${quorum})`
    : `request ${request.id}: approval ${result.approvals.length} of ${quorum} by ${input.userId}`);
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
