// reveal delivery: the one-time Reveal button in the requester's DM. Only the requester may use it, and the
// reveal is spent only once the keys were shown: a loading modal spends the trigger at once (a failed
// views.open spends nothing), the key is fetched from NCP (a failed fetch spends nothing), a short reveal
// lease is claimed with a version compare-and-set (so two presses never both show the keys), the modal is
// updated with the keys, and only when Slack accepted that update is revealedAt set. A modal closed before
// the keys arrived makes the update fail: the lease is given back and the reveal stays available.
import type { AllMiddlewareArgs, BoltApp, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '../../bolt.ts';
import type { KeyRequest, KeyRequestPatch } from '../../store/request-store.ts';
import { buildNoticeModal } from '../../blocks/decision-modals.ts';
import { loadingModal, REVEAL_ACTION_ID, revealedDm, revealModal } from '../../blocks/dms.ts';
import { ncpText } from '../../blocks/format.ts';
import type { WorkflowContext } from '../../workflow/context.ts';
import { describeFailure } from '../../workflow/describe-error.ts';

/** Longer than showing the keys takes (one views.update); a crash mid-reveal frees the reveal after this. */
export const REVEAL_LEASE_MS = 60_000;

/** The store clears a column named with `undefined`; exactOptionalPropertyTypes needs the cast. */
const CLEAR_REVEAL_LEASE = { revealLeaseUntil: undefined } as unknown as KeyRequestPatch;

const ALREADY = ['Already revealed', 'This key was already revealed once and cannot be shown again. Ask an admin to rotate it if it was lost.'] as const;
const IN_PROGRESS = ['Reveal in progress', 'Your key is being shown in another window right now. If it did not appear there, press Reveal again in a minute.'] as const;

type Claim = { ok: true; request: KeyRequest } | { ok: false; notice: readonly [string, string] };

/** Claims the reveal lease (version CAS, re-read and retried if something else touched the request). */
async function claimReveal(ctx: WorkflowContext, id: string): Promise<Claim> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = await ctx.store.getRequest(id);
    if (current === undefined || current.revealedAt !== undefined || current.state !== 'delivered') return { ok: false, notice: ALREADY };
    const now = ctx.now();
    if (current.revealLeaseUntil !== undefined && current.revealLeaseUntil > now) return { ok: false, notice: IN_PROGRESS };
    const claimed = await ctx.store.updateRequest(id, { revealLeaseUntil: now + REVEAL_LEASE_MS }, current.version);
    if (claimed !== undefined) return { ok: true, request: claimed };
  }
  return { ok: false, notice: IN_PROGRESS };
}

export type RevealButtonArgs = Pick<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>, 'ack' | 'body' | 'action'> & Pick<AllMiddlewareArgs, 'client'>;

export function createRevealButtonHandler(ctx: WorkflowContext): (args: RevealButtonArgs) => Promise<void> {
  return async ({ ack, body, action, client }) => {
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
    if (request.revealedAt !== undefined || request.state !== 'delivered') return refuse(...ALREADY);
    if (request.revealLeaseUntil !== undefined && request.revealLeaseUntil > ctx.now()) return refuse(...IN_PROGRESS);

    let viewId: string | undefined;
    try {
      const opened = await ctx.afterAck.run(() => client.views.open({ trigger_id: body.trigger_id, view: loadingModal() }));
      viewId = opened.view?.id;
    } catch (err) {
      ctx.logger.warn(`reveal of ${request.id}: could not open the window (${describeFailure(err).message}); nothing was revealed`);
      return;
    }
    if (viewId === undefined) {
      ctx.logger.warn(`reveal of ${request.id}: views.open returned no view id; nothing was revealed`);
      return;
    }

    let key;
    try {
      key = await ctx.ncp.getApiKey(request.apiKeyId);
    } catch (err) {
      const info = describeFailure(err);
      ctx.logger.warn(`reveal of ${request.id} could not fetch the key: ${info.message}`);
      await client.views.update({ view_id: viewId, view: buildNoticeModal('Try again', `Could not fetch your key: ${ncpText(info.message, 500)}. It has not been revealed; press Reveal again in a minute.`) })
        .catch(() => {});
      return;
    }

    const claim = await claimReveal(ctx, request.id);
    if (!claim.ok) {
      await client.views.update({ view_id: viewId, view: buildNoticeModal(...claim.notice) }).catch(() => {});
      return;
    }
    try {
      await client.views.update({ view_id: viewId, view: revealModal(claim.request, key) });
    } catch (err) {
      // Most often the requester closed the window before the keys arrived: nothing was shown, so give the
      // reveal back (CAS on our claim; if that fails the lease simply runs out).
      ctx.logger.warn(`reveal of ${request.id}: the keys could not be shown (${describeFailure(err).message}); the reveal stays available`);
      await ctx.store.updateRequest(request.id, CLEAR_REVEAL_LEASE, claim.request.version).catch(() => {});
      return;
    }
    // Shown: spend the reveal. Not a CAS — we hold the lease, and the keys are out whatever else changed.
    const now = ctx.now();
    const spent = await ctx.store.updateRequest(request.id, { ...CLEAR_REVEAL_LEASE, revealedAt: now }) ?? claim.request;
    await ctx.store.appendAudit({ requestId: request.id, at: now, actor: user, type: 'revealed' });
    ctx.logger.info(`request ${request.id}: key revealed to the requester`);
    const channel = body.channel?.id ?? body.container?.channel_id;
    const ts = body.message?.ts ?? body.container?.message_ts;
    if (channel !== undefined && ts !== undefined) {
      const message = revealedDm(spent, now);
      await client.chat.update({ channel, ts, text: message.text, blocks: message.blocks })
        .catch((err: unknown) => ctx.logger.warn(`could not mark the reveal DM of ${request.id}: ${describeFailure(err).message}`));
    }
  };
}

export function register(app: BoltApp, ctx: WorkflowContext): void {
  app.action<BlockAction<ButtonAction>>(REVEAL_ACTION_ID, createRevealButtonHandler(ctx));
}
