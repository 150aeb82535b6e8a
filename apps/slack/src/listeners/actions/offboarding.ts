// The offboarding message's actions: "Transfer to…" (users_select) hands a key to the picked person, "Disable"
// queues its disable — approvers of the key's product only (authoriseKeyAction). Refusals come back as an
// ephemeral message in the channel and change nothing; after a change the message is re-rendered in place.
import type { AllMiddlewareArgs, BoltApp, BlockAction, ButtonAction, SlackActionMiddlewareArgs, WebClient } from '../../bolt.ts';
import { OFFBOARDING_DISABLE_ACTION_ID, OFFBOARDING_TRANSFER_ACTION_ID, offboardingKeyOf, readOffboardingMessage } from '../../blocks/offboarding.ts';
import type { WorkflowContext } from '../../workflow/context.ts';
import { describeFailure } from '../../workflow/describe-error.ts';
import { renderOffboardingMessage, transferKey } from '../../workflow/offboarding.ts';
import { requestRevoke } from '../../workflow/revoke.ts';

type Where = { channel: string | undefined; ts: string | undefined; blocks: readonly { block_id?: string }[] | undefined };
type Client = Pick<WebClient, 'chat'>;

async function tell(ctx: WorkflowContext, client: Client, where: Where, user: string, text: string): Promise<void> {
  if (where.channel === undefined) return;
  await client.chat.postEphemeral({ channel: where.channel, user, text })
    .catch((err: unknown) => ctx.logger.warn(`ephemeral to ${user} failed: ${describeFailure(err).message}`));
}

/** Re-renders the message from the registry, so every approver sees what changed. */
async function refresh(ctx: WorkflowContext, client: Client, where: Where): Promise<void> {
  const about = readOffboardingMessage(where.blocks);
  if (about === undefined || where.channel === undefined || where.ts === undefined) return;
  const message = await renderOffboardingMessage(ctx, about);
  await client.chat.update({ channel: where.channel, ts: where.ts, text: message.text, blocks: message.blocks })
    .catch((err: unknown) => ctx.logger.warn(`could not update the offboarding message: ${describeFailure(err).message}`));
}

async function transfer(ctx: WorkflowContext, o: { userId: string; blockId: string | undefined; newOwnerId: string | undefined; where: Where; client: Client }): Promise<void> {
  const apiKeyId = offboardingKeyOf(o.blockId);
  if (apiKeyId === undefined || o.newOwnerId === undefined) return;
  const about = readOffboardingMessage(o.where.blocks);
  // A handover re-renders this message once the key is enabled again.
  const message = about !== undefined && o.where.channel !== undefined && o.where.ts !== undefined ? { channel: o.where.channel, ts: o.where.ts, ...about } : undefined;
  const result = await transferKey(ctx, { apiKeyId, userId: o.userId, newOwnerId: o.newOwnerId, ...(message !== undefined ? { message } : {}) });
  if (!result.ok) return tell(ctx, o.client, o.where, o.userId, result.message);
  await refresh(ctx, o.client, o.where);
}

async function disable(ctx: WorkflowContext, o: { userId: string; apiKeyId: string; where: Where; client: Client }): Promise<void> {
  const about = readOffboardingMessage(o.where.blocks);
  // The step re-renders this message once NCP disabled the key.
  const message = about !== undefined && o.where.channel !== undefined && o.where.ts !== undefined
    ? { channel: o.where.channel, ts: o.where.ts, ...about }
    : undefined;
  const result = await requestRevoke(ctx, { apiKeyId: o.apiKeyId, userId: o.userId, action: 'disable', ...(message !== undefined ? { message } : {}) });
  if (!result.ok) return tell(ctx, o.client, o.where, o.userId, result.message);
  await tell(ctx, o.client, o.where, o.userId, 'Disabling the key; this message shows it once NCP confirmed.');
}

function whereOf(body: BlockAction): Where {
  return {
    channel: body.channel?.id ?? body.container?.channel_id,
    ts: body.message?.ts ?? body.container?.message_ts,
    blocks: body.message?.blocks as { block_id?: string }[] | undefined,
  };
}

export type OffboardingTransferArgs = Pick<SlackActionMiddlewareArgs<BlockAction>, 'ack' | 'body' | 'action'> & Pick<AllMiddlewareArgs, 'client'>;
export type OffboardingDisableArgs = Pick<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>, 'ack' | 'body' | 'action'> & Pick<AllMiddlewareArgs, 'client'>;

export function createOffboardingTransferHandler(ctx: WorkflowContext): (args: OffboardingTransferArgs) => Promise<void> {
  return async ({ ack, body, action, client }) => {
    await ack();
    const selected = (action as { selected_user?: unknown }).selected_user;
    await transfer(ctx, { userId: body.user.id, blockId: action.block_id, newOwnerId: typeof selected === 'string' ? selected : undefined, where: whereOf(body), client });
  };
}

export function createOffboardingDisableHandler(ctx: WorkflowContext): (args: OffboardingDisableArgs) => Promise<void> {
  return async ({ ack, body, action, client }) => {
    await ack();
    await disable(ctx, { userId: body.user.id, apiKeyId: action.value ?? '', where: whereOf(body), client });
  };
}

export function register(app: BoltApp, ctx: WorkflowContext): void {
  app.action<BlockAction>(OFFBOARDING_TRANSFER_ACTION_ID, createOffboardingTransferHandler(ctx));
  app.action<BlockAction<ButtonAction>>(OFFBOARDING_DISABLE_ACTION_ID, createOffboardingDisableHandler(ctx));
}
