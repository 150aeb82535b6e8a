// /apikey rotate <apiKeyId>: acks at once, then answers the person ephemerally — rotation started, continued,
// waiting for their confirmation (with the button), or why not. The rules live in workflow/rotate.ts.
import type { SlackCommandMiddlewareArgs } from '../../bolt.ts';
import { rotationReply } from '../../blocks/rotation.ts';
import type { WorkflowContext } from '../../workflow/context.ts';
import { describeFailure } from '../../workflow/describe-error.ts';
import { startRotation } from '../../workflow/rotate.ts';

export type RotateCommandArgs = Pick<SlackCommandMiddlewareArgs, 'command' | 'ack' | 'respond'>;

const USAGE = 'Usage: `/apikey rotate &lt;key id&gt;` — `/apikey keys` lists your keys and their ids.';

/** `args` is the text after the subcommand. */
export async function handleRotateCommand(ctx: WorkflowContext, { command, ack, respond }: RotateCommandArgs, args: string): Promise<void> {
  const words = args.trim().split(/\s+/).filter((w) => w !== '');
  if (words.length !== 1) {
    await ack({ response_type: 'ephemeral', text: USAGE });
    return;
  }
  await ack();
  let reply;
  try {
    reply = rotationReply(await startRotation(ctx, { teamId: command.team_id, userId: command.user_id, apiKeyId: words[0] as string }));
  } catch (err) {
    ctx.logger.warn(`/apikey rotate by ${command.user_id} failed: ${describeFailure(err).message}`);
    reply = { text: 'Could not start the rotation right now. Nothing was changed; try again in a moment.' };
  }
  await respond({ response_type: 'ephemeral', ...reply });
}
