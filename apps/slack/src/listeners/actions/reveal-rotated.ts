// reveal delivery of a rotated value: the one-time "Reveal new secondary/primary" button in the owner's rotation
// DM (value `<part>:<apiKeyId>`). Same discipline as the request reveal (reveal.ts): only the key's owner; a
// loading window spends the trigger first; the key is read from NCP; a reveal lease is claimed on the registry
// row with a version compare-and-set (two presses never both show it); the window is updated with the value, and
// only once Slack accepted that is revealedAt set. A failed read or a closed window spends nothing.
// A handover's button (value `both:<apiKeyId>`) reveals both new values at once, in the primary's reveal slot;
// it may be pressed before the enable step ran, while the key is still disabled.
import type { AllMiddlewareArgs, BlockAction, BoltApp, ButtonAction, SlackActionMiddlewareArgs } from '../../bolt.ts';
import { handoverRevealedDm, handoverRevealModal, parseHandoverRevealValue } from '../../blocks/handover.ts';
import { parseRevealRotatedValue, REVEAL_ROTATED_ACTION_ID, rotatedRevealedDm, rotatedRevealModal } from '../../blocks/rotation.ts';
import type { KeyPart, RegisteredKey } from '../../store/key-registry.ts';
import { buildNoticeModal } from '../../blocks/decision-modals.ts';
import { loadingModal } from '../../blocks/dms.ts';
import { ncpText } from '../../blocks/format.ts';
import type { WorkflowContext } from '../../workflow/context.ts';
import { describeFailure } from '../../workflow/describe-error.ts';
import { REVEAL_LEASE_MS } from './reveal.ts';

const ALREADY = ['Already revealed', 'This key value was already revealed once (or replaced since) and cannot be shown again. Rotate the key if it was lost.'] as const;
const IN_PROGRESS = ['Reveal in progress', 'This value is being shown in another window right now. If it did not appear there, press Reveal again in a minute.'] as const;

type Claim = { ok: true; key: RegisteredKey } | { ok: false; notice: readonly [string, string] };

const revealable = (key: RegisteredKey | undefined, part: KeyPart, both = false): key is RegisteredKey =>
  key !== undefined && (key.state === 'active' || (both && key.state === 'disabled')) && key.revealPart === part && key.revealedAt === undefined;

async function claimReveal(ctx: WorkflowContext, apiKeyId: string, part: KeyPart, both: boolean): Promise<Claim> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = await ctx.store.getKey(apiKeyId);
    if (!revealable(current, part, both)) return { ok: false, notice: ALREADY };
    const now = ctx.now();
    if (current.revealLeaseUntil !== undefined && current.revealLeaseUntil > now) return { ok: false, notice: IN_PROGRESS };
    const claimed = await ctx.store.updateKey(apiKeyId, { revealLeaseUntil: now + REVEAL_LEASE_MS }, { expectedVersion: current.version });
    if (claimed !== undefined) return { ok: true, key: claimed };
  }
  return { ok: false, notice: IN_PROGRESS };
}

export type RevealRotatedArgs = Pick<SlackActionMiddlewareArgs<BlockAction<ButtonAction>>, 'ack' | 'body' | 'action'> & Pick<AllMiddlewareArgs, 'client'>;

export function createRevealRotatedHandler(ctx: WorkflowContext): (args: RevealRotatedArgs) => Promise<void> {
  return async ({ ack, body, action, client }) => {
    await ack();
    const user = body.user.id;
    const refuse = async (title: string, text: string) => {
      await client.views.open({ trigger_id: body.trigger_id, view: buildNoticeModal(title, text) })
        .catch((err: unknown) => ctx.logger.warn(`rotated reveal notice for ${user} failed: ${describeFailure(err).message}`));
    };
    const handover = parseHandoverRevealValue(action.value);
    const both = handover !== undefined;
    const ref = handover !== undefined ? { part: 'primary' as const, apiKeyId: handover.apiKeyId } : parseRevealRotatedValue(action.value);
    const key = ref === undefined ? undefined : await ctx.store.getKey(ref.apiKeyId);
    if (ref === undefined || key === undefined || key.teamId !== (body.team?.id ?? body.user.team_id)) return refuse('Nothing to reveal', 'This key is not known to this app.');
    if (key.ownerId !== user) {
      ctx.logger.warn(`user ${user} tried to reveal a rotated value of key ${key.apiKeyId}`);
      return refuse('Not your key', 'Only the key\'s owner can reveal its new value.');
    }
    if (!revealable(key, ref.part, both)) return refuse(...ALREADY);
    if (key.revealLeaseUntil !== undefined && key.revealLeaseUntil > ctx.now()) return refuse(...IN_PROGRESS);

    let viewId: string | undefined;
    try {
      const opened = await ctx.afterAck.run(() => client.views.open({ trigger_id: body.trigger_id, view: loadingModal() }));
      viewId = opened.view?.id;
    } catch (err) {
      ctx.logger.warn(`rotated reveal of ${key.apiKeyId}: could not open the window (${describeFailure(err).message}); nothing was revealed`);
      return;
    }
    if (viewId === undefined) return;

    let value: string | undefined;
    let secondary: string | undefined;
    try {
      const fresh = await ctx.ncp.getApiKey(key.apiKeyId);
      value = ref.part === 'secondary' ? fresh.secondaryKey : fresh.primaryKey;
      secondary = fresh.secondaryKey;
      if (value === undefined || value === '') throw new Error(`NCP returned the key without its ${ref.part} value`);
      if (both && (secondary === undefined || secondary === '')) throw new Error('NCP returned the key without its secondary value');
    } catch (err) {
      const info = describeFailure(err);
      ctx.logger.warn(`rotated reveal of ${key.apiKeyId} could not fetch the key: ${info.message}`);
      await client.views.update({ view_id: viewId, view: buildNoticeModal('Try again', `Could not fetch the key: ${ncpText(info.message, 500)}. It has not been revealed; press Reveal again in a minute.`) })
        .catch(() => {});
      return;
    }

    const claim = await claimReveal(ctx, key.apiKeyId, ref.part, both);
    if (!claim.ok) {
      await client.views.update({ view_id: viewId, view: buildNoticeModal(...claim.notice) }).catch(() => {});
      return;
    }
    try {
      const view = both ? handoverRevealModal(claim.key, { primary: value, secondary: secondary ?? '' }) : rotatedRevealModal(claim.key, ref.part, value);
      await client.views.update({ view_id: viewId, view });
    } catch (err) {
      // Most often the owner closed the window first: nothing was shown, so give the reveal back (CAS on our
      // claim; if that fails the lease simply runs out).
      ctx.logger.warn(`rotated reveal of ${key.apiKeyId}: the value could not be shown (${describeFailure(err).message}); the reveal stays available`);
      await ctx.store.updateKey(key.apiKeyId, { revealLeaseUntil: undefined }, { expectedVersion: claim.key.version }).catch(() => {});
      return;
    }
    // Shown: spend the reveal. Not a CAS — we hold the lease, and the value is out whatever else changed.
    const now = ctx.now();
    const spent = await ctx.store.updateKey(key.apiKeyId, { revealLeaseUntil: undefined, revealedAt: now }, {
      audit: { at: now, actor: user, type: 'rotation_revealed', detail: { apiKeyId: key.apiKeyId, part: both ? 'both' : ref.part } },
    }) ?? claim.key;
    ctx.logger.info(`key ${key.apiKeyId}: new ${ref.part} value revealed to the owner`);
    const channel = body.channel?.id ?? body.container?.channel_id;
    const ts = body.message?.ts ?? body.container?.message_ts;
    if (channel !== undefined && ts !== undefined) {
      const message = both ? handoverRevealedDm(spent, now) : rotatedRevealedDm(spent, ref.part, now);
      await client.chat.update({ channel, ts, text: message.text, blocks: message.blocks })
        .catch((err: unknown) => ctx.logger.warn(`could not mark the rotation DM of ${key.apiKeyId} revealed: ${describeFailure(err).message}`));
    }
  };
}

export function register(app: BoltApp, ctx: WorkflowContext): void {
  app.action<BlockAction<ButtonAction>>(REVEAL_ROTATED_ACTION_ID, createRevealRotatedHandler(ctx));
}
