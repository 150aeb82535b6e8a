// `/apikey revoke <apiKeyId>`: acks at once, then opens the same confirmation modal as the Revoke button (or a
// notice saying why not). A missing or malformed id is answered in the ack, and nothing is looked up.
import type { SlackCommandMiddlewareArgs, WebClient } from '../../bolt.ts';
import type { WorkflowContext } from '../../workflow/context.ts';
import { openRevokeConfirmation } from '../actions/revoke.ts';

type CommandArgs = Pick<SlackCommandMiddlewareArgs, 'command' | 'ack' | 'respond'> & { client: Pick<WebClient, 'views'> };

// NCP key ids are short alphanumerics; anything else cannot be one of ours.
const API_KEY_ID = /^[A-Za-z0-9_-]{1,64}$/;

export async function handleRevokeCommand(ctx: WorkflowContext, args: CommandArgs): Promise<void> {
  const words = args.command.text.trim().split(/\s+/).slice(1);
  const apiKeyId = words[0] ?? '';
  if (words.length !== 1 || !API_KEY_ID.test(apiKeyId)) {
    await args.ack({ response_type: 'ephemeral', text: 'Usage: `/apikey revoke &lt;apiKeyId&gt;` — `/apikey keys` lists your keys and their ids.' });
    return;
  }
  await args.ack();
  await openRevokeConfirmation(ctx, { apiKeyId, userId: args.command.user_id, triggerId: args.command.trigger_id, client: args.client });
}
