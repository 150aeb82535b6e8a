// The Revoke button (My keys, /apikey keys): acked at once, then the trigger is spent on the confirmation modal —
// or on a notice saying why this person cannot revoke this key. Nothing changes until the modal is submitted,
// where the authorisation is checked again (views/revoke-key.ts).
import type { types } from '@slack/bolt';
import type { AllMiddlewareArgs, BoltApp, BlockAction, ButtonAction, SlackActionMiddlewareArgs, WebClient } from '../../bolt.ts';
import { REVOKE_ACTION_ID } from '../../blocks/key-actions.ts';
import { buildRevokeModal } from '../../blocks/revoke.ts';
import { buildNoticeModal } from '../../blocks/decision-modals.ts';
import type { WorkflowContext } from '../../workflow/context.ts';
import { describeFailure } from '../../workflow/describe-error.ts';
import { authoriseKeyAction } from '../../workflow/key-access.ts';
import { revokeModeOf, revokeRefusal } from '../../workflow/revoke.ts';

/** The modal a revoke click or `/apikey revoke <id>` opens: the confirmation, or why not. */
export async function revokeConfirmation(ctx: WorkflowContext, apiKeyId: string, userId: string): Promise<types.ModalView> {
  const key = apiKeyId === '' ? undefined : await ctx.store.getKey(apiKeyId);
  if (key === undefined) return buildNoticeModal('Key not found', 'No key with that id is registered with this app. `/apikey keys` lists yours.');
  const refusal = await authoriseKeyAction(ctx, key, userId, 'revoke');
  if (refusal !== undefined) return buildNoticeModal('Cannot revoke', refusal);
  const mode = revokeModeOf(ctx, key);
  const done = await revokeRefusal(ctx, key, mode);
  if (done !== undefined) return buildNoticeModal('Nothing to revoke', done);
  return buildRevokeModal(key, mode);
}

export async function openRevokeConfirmation(ctx: WorkflowContext, o: { apiKeyId: string; userId: string; triggerId: string; client: Pick<WebClient, 'views'> }): Promise<void> {
  const view = await revokeConfirmation(ctx, o.apiKeyId, o.userId);
  try {
    // Once this process's pending acks are out (capped well inside the trigger's 3 s); see after-ack.ts.
    await ctx.afterAck.run(() => o.client.views.open({ trigger_id: o.triggerId, view }));
  } catch (err) {
    ctx.logger.warn(`could not open the revoke modal for ${o.userId}: ${describeFailure(err).message}`);
  }
}

export type RevokeButtonArgs = Pick<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>, 'ack' | 'body' | 'action'> & Pick<AllMiddlewareArgs, 'client'>;

export function createRevokeButtonHandler(ctx: WorkflowContext): (args: RevokeButtonArgs) => Promise<void> {
  return async ({ ack, body, action, client }) => {
    await ack();
    await openRevokeConfirmation(ctx, { apiKeyId: action.value ?? '', userId: body.user.id, triggerId: body.trigger_id, client });
  };
}

export function register(app: BoltApp, ctx: WorkflowContext): void {
  app.action<BlockAction<ButtonAction>>(REVOKE_ACTION_ID, createRevokeButtonHandler(ctx));
}
