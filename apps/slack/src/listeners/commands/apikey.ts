// /apikey create [name] | list | keys | revoke <apiKeyId> | help. Every branch acks first (slash commands are never retried and time out
// after 3 s); `create` spends the trigger on views.open straight after the ack, before anything slow.
import type { AllMiddlewareArgs, BoltApp, SlackCommandMiddlewareArgs } from '../../bolt.ts';
import { describeFailure } from '../../workflow/describe-error.ts';
import type { WorkflowContext } from '../../workflow/context.ts';
import { helpMessage, requestListMessage } from '../../blocks/help.ts';
import { buildRequestModal } from '../../blocks/request-modal.ts';
import { handleKeysCommand } from './keys.ts';
import { handleRevokeCommand } from './revoke.ts';
import { handleRotateCommand } from './rotate.ts';

export type ApikeyCommandArgs = Pick<SlackCommandMiddlewareArgs, 'command' | 'ack' | 'respond'> & Pick<AllMiddlewareArgs, 'client'>;

export function createApikeyCommandHandler(ctx: WorkflowContext): (args: ApikeyCommandArgs) => Promise<void> {
  return async ({ command, ack, client, respond }) => {
    const text = command.text.trim();
    const sub = (text.split(/\s+/)[0] ?? '').toLowerCase();
    switch (sub) {
      case 'create': {
        await ack();
        const name = text.slice('create'.length).trim();
        try {
          // Not ahead of the acks other requests are waiting for; see after-ack.ts.
          await ctx.afterAck.run(() => client.views.open({ trigger_id: command.trigger_id, view: buildRequestModal({ name, requireProduct: ctx.policy.requireProduct() }) }));
        } catch (err) {
          const info = describeFailure(err);
          ctx.logger.warn(`could not open the request modal for ${command.user_id}: ${info.message}`);
          await respond({ response_type: 'ephemeral', text: 'Could not open the request form (Slack took too long). Please run `/apikey create` again.' });
        }
        return;
      }
      case 'list': {
        await ack();
        const requests = await ctx.store.listByRequester(command.team_id, command.user_id, 20);
        await respond({ response_type: 'ephemeral', ...requestListMessage(requests) });
        return;
      }
      case 'keys':
        await ack();
        await respond({ response_type: 'ephemeral', ...(await handleKeysCommand(ctx, { teamId: command.team_id, userId: command.user_id })) });
        return;
      case 'revoke':
        return handleRevokeCommand(ctx, { command, ack, client, respond });
      case 'rotate': return handleRotateCommand(ctx, { command, ack, respond }, text.slice('rotate'.length));
      case '':
      case 'help':
        await ack({ response_type: 'ephemeral', ...helpMessage() });
        return;
      default:
        await ack({ response_type: 'ephemeral', ...helpMessage(sub) });
    }
  };
}

export function register(app: BoltApp, ctx: WorkflowContext): void {
  app.command('/apikey', createApikeyCommandHandler(ctx));
}
