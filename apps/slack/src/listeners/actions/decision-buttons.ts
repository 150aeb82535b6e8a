// The approve / deny buttons (approval message and App Home). The button value is the request id only; the
// click is acked at once and the trigger spent on views.open (after the post-ack gate): the confirmation modal, or a notice saying why
// there is nothing to decide. Authorisation is checked again, authoritatively, when the modal is submitted.
import type { BoltApp, BlockAction, ButtonAction, SlackActionMiddlewareArgs, AllMiddlewareArgs } from '../../bolt.ts';
import { APPROVE_ACTION_ID, DENY_ACTION_ID } from '../../blocks/approval-message.ts';
import { buildApproveModal, buildDenyModal, buildNoticeModal } from '../../blocks/decision-modals.ts';
import type { WorkflowContext } from '../../workflow/context.ts';
import { authoriseDecision, type Decision } from '../../workflow/decide.ts';
import { describeFailure } from '../../workflow/describe-error.ts';

export type DecisionButtonArgs = Pick<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>, 'ack' | 'body' | 'action'> & Pick<AllMiddlewareArgs, 'client'>;

export function createDecisionButtonHandler(ctx: WorkflowContext, decision: Decision): (args: DecisionButtonArgs) => Promise<void> {
  return async ({ ack, body, action, client }) => {
    await ack();
    const request = await ctx.store.getRequest(action.value ?? '');
    let view;
    if (request === undefined) {
      view = buildNoticeModal('Request not found', 'This request no longer exists.');
    } else {
      const refusal = await authoriseDecision(ctx, request, body.user.id, decision);
      view = refusal === undefined
        ? decision === 'approve' ? buildApproveModal(request) : buildDenyModal(request)
        : buildNoticeModal('Cannot decide', refusal);
    }
    try {
      // Like /apikey create: the modal goes out once this process's pending acks are answered (capped well
      // inside the trigger's 3 s), so a burst of clicks is acked first.
      await ctx.afterAck.run(() => client.views.open({ trigger_id: body.trigger_id, view }));
    } catch (err) {
      ctx.logger.warn(`could not open the ${decision} modal for ${body.user.id}: ${describeFailure(err).message}`);
    }
  };
}

export function register(app: BoltApp, ctx: WorkflowContext): void {
  app.action<BlockAction<ButtonAction>>(APPROVE_ACTION_ID, createDecisionButtonHandler(ctx, 'approve'));
  app.action<BlockAction<ButtonAction>>(DENY_ACTION_ID, createDecisionButtonHandler(ctx, 'deny'));
}
