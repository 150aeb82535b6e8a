// view_submission of the approve (apikey_approve) and deny (apikey_deny) modals. The decision is authorised
// and applied before the ack so a refusal or a lost race comes back as an inline error in the modal
// ("Already approved by <@U…>"); the slow part (creating the key) runs later in the outbox worker.
import type { BoltApp, SlackViewMiddlewareArgs, ViewSubmitAction } from '../../bolt.ts';
import { inputValue, validateFreeText, type StateValues } from '../../blocks/form-values.ts';
import { APPROVE_CALLBACK_ID, DENY_CALLBACK_ID, REASON_MAX } from '../../blocks/decision-modals.ts';
import type { WorkflowContext } from '../../workflow/context.ts';
import { decide, type Decision } from '../../workflow/decide.ts';
import { describeFailure } from '../../workflow/describe-error.ts';

export type DecisionSubmissionArgs = Pick<SlackViewMiddlewareArgs<ViewSubmitAction>, 'ack' | 'body' | 'view'>;

export function createDecisionSubmissionHandler(ctx: WorkflowContext, decision: Decision): (args: DecisionSubmissionArgs) => Promise<void> {
  // The approve modal's input is an optional comment, the deny modal's a required reason.
  const blockId = decision === 'approve' ? 'comment' : 'reason';
  return async ({ ack, body, view }) => {
    const requestId = view.private_metadata;
    const text = inputValue(view.state.values as StateValues, blockId).trim();
    if (decision === 'deny' || text.length > 0) {
      const problem = validateFreeText(text, REASON_MAX, 'a reason for the requester');
      if (problem !== undefined) {
        await ack({ response_action: 'errors', errors: { [blockId]: problem } });
        return;
      }
    }
    try {
      const result = await decide(ctx, { requestId, userId: body.user.id, decision, ...(text ? { comment: text } : {}) });
      if (!result.ok) {
        await ack({ response_action: 'errors', errors: { [blockId]: result.message } });
        return;
      }
    } catch (err) {
      ctx.logger.error(`decision on ${requestId} by ${body.user.id} failed: ${describeFailure(err).message}`);
      await ack({ response_action: 'errors', errors: { [blockId]: 'Could not record the decision right now. Please try again.' } });
      return;
    }
    await ack();
  };
}

export function register(app: BoltApp, ctx: WorkflowContext): void {
  app.view<ViewSubmitAction>(APPROVE_CALLBACK_ID, createDecisionSubmissionHandler(ctx, 'approve'));
  app.view<ViewSubmitAction>(DENY_CALLBACK_ID, createDecisionSubmissionHandler(ctx, 'deny'));
}
