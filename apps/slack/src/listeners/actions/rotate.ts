// The Rotate button (My keys, reminders, the /apikey rotate reply) and the "Clients use the new secondary"
// button (rotate_primary) in the rotation DM; both carry the apiKeyId as value. They answer in a small window
// (works from a message and from App Home alike). The rules live in workflow/rotate.ts.
import type { AllMiddlewareArgs, BlockAction, BoltApp, ButtonAction, SlackActionMiddlewareArgs } from '../../bolt.ts';
import { ROTATE_ACTION_ID, ROTATE_PRIMARY_ACTION_ID } from '../../blocks/key-actions.ts';
import type { RotationOutcome } from '../../blocks/rotation.ts';
import { buildNoticeModal } from '../../blocks/decision-modals.ts';
import type { WorkflowContext } from '../../workflow/context.ts';
import { describeFailure } from '../../workflow/describe-error.ts';
import { confirmSecondary, type KeyActor, startRotation } from '../../workflow/rotate.ts';

export type RotateButtonArgs = Pick<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>, 'ack' | 'body' | 'action'> & Pick<AllMiddlewareArgs, 'client'>;

function createHandler(ctx: WorkflowContext, decide: (ctx: WorkflowContext, who: KeyActor) => Promise<RotationOutcome>) {
  return async ({ ack, body, action, client }: RotateButtonArgs): Promise<void> => {
    await ack();
    const who = { teamId: body.team?.id ?? body.user.team_id ?? '', userId: body.user.id, apiKeyId: action.value ?? '' };
    let outcome: RotationOutcome;
    try {
      outcome = await decide(ctx, who);
    } catch (err) {
      ctx.logger.warn(`${action.action_id} by ${who.userId} failed: ${describeFailure(err).message}`);
      outcome = { title: 'Try again', text: 'Could not do that right now. Nothing was changed; try again in a moment.' };
    }
    // The confirm button is not repeated in the window: the DM that asked for it still has it.
    await ctx.afterAck.run(() => client.views.open({ trigger_id: body.trigger_id, view: buildNoticeModal(outcome.title, outcome.text) }))
      .catch((err: unknown) => ctx.logger.warn(`${action.action_id}: could not show ${who.userId} the outcome: ${describeFailure(err).message}`));
  };
}

export const createRotateButtonHandler = (ctx: WorkflowContext) => createHandler(ctx, startRotation);
export const createRotatePrimaryButtonHandler = (ctx: WorkflowContext) => createHandler(ctx, confirmSecondary);

export function register(app: BoltApp, ctx: WorkflowContext): void {
  app.action<BlockAction<ButtonAction>>(ROTATE_ACTION_ID, createRotateButtonHandler(ctx));
  app.action<BlockAction<ButtonAction>>(ROTATE_PRIMARY_ACTION_ID, createRotatePrimaryButtonHandler(ctx));
}
