// The Retry button on a failed request's approval message: an approver moves it failed → approved, which
// queues key creation again (a key already created is reused, not created twice).
import type { AllMiddlewareArgs, BoltApp, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '../../bolt.ts';
import { ruleFor } from '../../policy.ts';
import { RETRY_ACTION_ID } from '../../blocks/approval-message.ts';
import { CLEAR_LAST_ERROR, enqueueApprovalMessage, enqueueCreateKey, type WorkflowContext } from '../../workflow/context.ts';
import { describeFailure } from '../../workflow/describe-error.ts';

export type RetryButtonArgs = Pick<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>, 'ack' | 'body' | 'action'> & Pick<AllMiddlewareArgs, 'client'>;

export function createRetryButtonHandler(ctx: WorkflowContext): (args: RetryButtonArgs) => Promise<void> {
  return async ({ ack, body, action, client }) => {
    await ack();
    const user = body.user.id;
    const channel = body.channel?.id;
    const tell = async (text: string) => {
      if (channel === undefined) return;
      await client.chat.postEphemeral({ channel, user, text }).catch((err: unknown) => ctx.logger.warn(`ephemeral to ${user} failed: ${describeFailure(err).message}`));
    };
    // The request's own approvers (its product's, when the policy names one) may retry it.
    const request = await ctx.store.getRequest(action.value ?? '');
    const rule = ruleFor(ctx.config.policy, request?.productId);
    const approver = await ctx.approvers.isApprover(user, rule.approvers).catch(() => false);
    if (!approver) {
      await tell('Only API key approvers can retry a failed request.');
      return;
    }
    const now = ctx.now();
    const result = await ctx.store.transition(
      action.value ?? '',
      'failed',
      'approved',
      { ...CLEAR_LAST_ERROR, attempts: 0 },
      { at: now, actor: user, type: 'retried' },
      [enqueueCreateKey(now), enqueueApprovalMessage(now)],
    );
    if (!result.ok) {
      await tell(result.current ? `Nothing to retry: the request is ${result.current.state}.` : 'This request no longer exists.');
      return;
    }
    ctx.logger.info(`request ${result.request.id} retried by ${user}`);
    ctx.wake();
  };
}

export function register(app: BoltApp, ctx: WorkflowContext): void {
  app.action<BlockAction<ButtonAction>>(RETRY_ACTION_ID, createRetryButtonHandler(ctx));
}
