// reveal delivery: the one-time Reveal button in the requester's DM. Only the requester may use it, and only
// once: a loading modal spends the trigger at once, the key is fetched from NCP, revealedAt is claimed with a
// version compare-and-set, and only the winner's modal is updated with the keys. The DM then says when it was
// revealed. A failed fetch leaves the reveal unused so the requester can try again.
import type { BoltApp, BlockAction, ButtonAction } from '../../bolt.ts';
import { buildNoticeModal } from '../../views/decision-modals.ts';
import { loadingModal, REVEAL_ACTION_ID, revealedDm, revealModal } from '../../views/dms.ts';
import { ncpText } from '../../views/format.ts';
import type { WorkflowContext } from '../../workflow/context.ts';
import { describeFailure } from '../../workflow/describe-error.ts';

export function register(app: BoltApp, ctx: WorkflowContext): void {
  app.action<BlockAction<ButtonAction>>(REVEAL_ACTION_ID, async ({ ack, body, action, client }) => {
    await ack();
    const user = body.user.id;
    const request = await ctx.store.getRequest(action.value ?? '');
    const refuse = async (title: string, text: string) => {
      await client.views.open({ trigger_id: body.trigger_id, view: buildNoticeModal(title, text) })
        .catch((err: unknown) => ctx.logger.warn(`reveal notice for ${user} failed: ${describeFailure(err).message}`));
    };
    if (request === undefined || request.apiKeyId === undefined) return refuse('Nothing to reveal', 'This key request no longer exists.');
    if (request.requesterId !== user) {
      ctx.logger.warn(`user ${user} tried to reveal the key of request ${request.id}`);
      return refuse('Not your key', 'Only the person who requested this key can reveal it.');
    }
    if (request.revealedAt !== undefined || request.state !== 'delivered') {
      return refuse('Already revealed', 'This key was already revealed once and cannot be shown again. Ask an admin to rotate it if it was lost.');
    }

    const opened = await client.views.open({ trigger_id: body.trigger_id, view: loadingModal() });
    const viewId = opened.view?.id;
    if (viewId === undefined) throw new Error('views.open returned no view id');

    let key;
    try {
      key = await ctx.ncp.getApiKey(request.apiKeyId);
    } catch (err) {
      const info = describeFailure(err);
      ctx.logger.warn(`reveal of ${request.id} could not fetch the key: ${info.message}`);
      await client.views.update({ view_id: viewId, view: buildNoticeModal('Try again', `Could not fetch your key: ${ncpText(info.message, 500)}. It has not been revealed; press Reveal again in a minute.`) });
      return;
    }
    const now = ctx.now();
    const claimed = await ctx.store.updateRequest(request.id, { revealedAt: now }, request.version);
    if (claimed === undefined) {
      await client.views.update({ view_id: viewId, view: buildNoticeModal('Already revealed', 'This key was already revealed once and cannot be shown again.') });
      return;
    }
    await client.views.update({ view_id: viewId, view: revealModal(claimed, key) });
    await ctx.store.appendAudit({ requestId: request.id, at: now, actor: user, type: 'revealed' });
    ctx.logger.info(`request ${request.id}: key revealed to the requester`);
    const channel = body.channel?.id ?? body.container?.channel_id;
    const ts = body.message?.ts ?? body.container?.message_ts;
    if (channel !== undefined && ts !== undefined) {
      const message = revealedDm(claimed, now);
      await client.chat.update({ channel, ts, text: message.text, blocks: message.blocks })
        .catch((err: unknown) => ctx.logger.warn(`could not mark the reveal DM of ${request.id}: ${describeFailure(err).message}`));
    }
  });
}
