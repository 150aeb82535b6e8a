// Acks any other block action (links, future buttons) so Slack never shows a timeout, and logs its id.
import type { BoltApp, SlackActionMiddlewareArgs } from '../../bolt.ts';
import { APPROVE_ACTION_ID, DENY_ACTION_ID, RETRY_ACTION_ID } from '../../blocks/approval-message.ts';
import { REVEAL_ACTION_ID } from '../../blocks/dms.ts';
import { REVOKE_ACTION_ID, ROTATE_ACTION_ID, ROTATE_PRIMARY_ACTION_ID } from '../../blocks/key-actions.ts';
import { OFFBOARDING_DISABLE_ACTION_ID, OFFBOARDING_TRANSFER_ACTION_ID } from '../../blocks/offboarding.ts';
import { REVEAL_ROTATED_ACTION_ID } from '../../blocks/rotation.ts';
import type { WorkflowContext } from '../../workflow/context.ts';

// Bolt runs every matching listener and a second ack throws, so this must not match the handled ids; built
// from the ids the other listeners register, so renaming one cannot leave it acked twice.
// test/listener-wiring.test.ts checks that every id another listener registers is here.
const HANDLED = [
  APPROVE_ACTION_ID, DENY_ACTION_ID, RETRY_ACTION_ID, REVEAL_ACTION_ID, ROTATE_ACTION_ID, ROTATE_PRIMARY_ACTION_ID, REVEAL_ROTATED_ACTION_ID,
  REVOKE_ACTION_ID, OFFBOARDING_TRANSFER_ACTION_ID, OFFBOARDING_DISABLE_ACTION_ID,
];
export const UNHANDLED = new RegExp(`^(?!(${HANDLED.join('|')})$).*`);

export type UnhandledActionArgs = Pick<SlackActionMiddlewareArgs, 'ack' | 'payload'>;

export function createUnhandledActionHandler(ctx: WorkflowContext): (args: UnhandledActionArgs) => Promise<void> {
  return async ({ ack, payload }) => {
    await ack();
    ctx.logger.debug(`ignored block action ${'action_id' in payload ? String(payload.action_id) : '?'}`);
  };
}

export function register(app: BoltApp, ctx: WorkflowContext): void {
  app.action(UNHANDLED, createUnhandledActionHandler(ctx));
}
