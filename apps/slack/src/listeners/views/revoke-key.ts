// view_submission of the revoke confirmation (apikey_revoke): authorised and applied before the ack, so a
// refusal or a lost race (someone revoked it a moment ago) comes back inline in the modal; the NCP call itself
// runs later as the key's `revoke_key` outbox step.
import type { BoltApp, SlackViewMiddlewareArgs, ViewSubmitAction } from '../../bolt.ts';
import { REVOKE_CALLBACK_ID } from '../../blocks/revoke.ts';
import { buildNoticeModal } from '../../blocks/decision-modals.ts';
import type { WorkflowContext } from '../../workflow/context.ts';
import { describeFailure } from '../../workflow/describe-error.ts';
import { requestRevoke } from '../../workflow/revoke.ts';

/** Queues the revocation; resolves why it was not (undefined: done, close the modal). */
async function submitRevoke(ctx: WorkflowContext, o: { apiKeyId: string; userId: string }): Promise<string | undefined> {
  try {
    const result = await requestRevoke(ctx, { apiKeyId: o.apiKeyId, userId: o.userId, action: 'revoke' });
    if (!result.ok) return result.message;
  } catch (err) {
    ctx.logger.error(`revoke of ${o.apiKeyId} by ${o.userId} failed: ${describeFailure(err).message}`);
    return 'Could not record the revocation right now. Please try again.';
  }
  return undefined;
}

export type RevokeSubmissionArgs = Pick<SlackViewMiddlewareArgs<ViewSubmitAction>, 'ack' | 'body' | 'view'>;

export function createRevokeSubmissionHandler(ctx: WorkflowContext): (args: RevokeSubmissionArgs) => Promise<void> {
  return async ({ ack, body, view }) => {
    const problem = await submitRevoke(ctx, { apiKeyId: view.private_metadata, userId: body.user.id });
    if (problem === undefined) {
      await ack();
      return;
    }
    // The modal has no input block to attach an error to: show the reason in place of the confirmation.
    await ack({ response_action: 'update', view: buildNoticeModal('Not revoked', problem) });
  };
}

export function register(app: BoltApp, ctx: WorkflowContext): void {
  app.view(REVOKE_CALLBACK_ID, createRevokeSubmissionHandler(ctx));
}
