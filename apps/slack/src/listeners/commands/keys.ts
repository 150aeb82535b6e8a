// `/apikey keys`: the caller's registered keys with Rotate / Revoke buttons, and for approvers the keys of their
// products that need attention — an ephemeral reply, read from the registry only (no NCP call).
import { keysListMessage } from '../../blocks/keys.ts';
import type { WorkflowContext } from '../../workflow/context.ts';
import { loadKeyOverview, rotateAfterOf } from '../../workflow/key-overview.ts';
import type { SlackMessage } from '../../blocks/approval-message.ts';

export async function handleKeysCommand(ctx: WorkflowContext, args: { teamId: string; userId: string }): Promise<SlackMessage> {
  const overview = await loadKeyOverview(ctx, args.teamId, args.userId);
  return keysListMessage(overview, { now: ctx.now(), rotateAfterOf: rotateAfterOf(ctx) });
}
