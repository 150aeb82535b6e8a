// The side effects behind each outbox item kind: create the key on NCP (finishing one a crashed attempt already
// made, through core's exact create), deliver it to the requester, send notification DMs, and post/refresh the approval message.
// Each handler reads the request fresh and is idempotent with respect to state, so re-running an item after
// a crash or lease expiry does no harm beyond, at worst, a repeated message.
import type { KeyRequest, OutboxItem } from '../store/request-store.ts';
import { buildApprovalMessage } from '../views/approval-message.ts';
import { deniedDm, expiredDm, keysDm, pendingDm, revealDm } from '../views/dms.ts';
import {
  CLEAR_LAST_ERROR,
  enqueueApprovalMessage,
  enqueueDeliverKey,
  type NotifyMessage,
  type WorkflowContext,
} from './context.ts';

const NO_UNFURL = { unfurl_links: false, unfurl_media: false } as const;

export async function handleCreateKey(ctx: WorkflowContext, r: KeyRequest): Promise<void> {
  if (r.state !== 'approved') return; // stale item: already created, failed over, or re-approved elsewhere
  // Core's exact create with the request id as operation id: only a key carrying this request's marker is ever
  // adopted. A first run costs one POST and one PUT; a retried step resumes — by the key id the hook recorded,
  // or, when a run died before recording it, by looking for the marker — so a crash never makes a second key.
  const resume = r.apiKeyId !== undefined ? { resume: { apiKeyId: r.apiKeyId } } : r.createStartedAt !== undefined ? { resume: true as const } : {};
  if (r.createStartedAt === undefined) await ctx.store.updateRequest(r.id, { createStartedAt: ctx.now() });
  const key = await ctx.ncp.createApiKey({ apiKeyName: r.apiKeyName, apiKeyDescription: r.apiKeyDescription }, {
    operationId: r.id,
    ...resume,
    // Recorded before the PUT that removes the marker, so a retry after any later crash knows the key.
    onCommitted: async (k) => {
      if (k.apiKeyId !== r.apiKeyId) await ctx.store.updateRequest(r.id, { apiKeyId: k.apiKeyId });
    },
  });
  const apiKeyId = key.apiKeyId;
  const resumed = 'resume' in resume;
  const now = ctx.now();
  const result = await ctx.store.transition(
    r.id,
    'approved',
    'created',
    { ...CLEAR_LAST_ERROR, apiKeyId },
    { at: now, actor: 'system', type: 'key_created', detail: { apiKeyId, resumed } },
    [enqueueDeliverKey(now), enqueueApprovalMessage(now)],
  );
  if (result.ok) ctx.logger.info(`request ${r.id}: key ${apiKeyId} ${resumed ? 'created (resumed)' : 'created'}`);
}

async function dmRequester(ctx: WorkflowContext, r: KeyRequest, message: { text: string; blocks: unknown[] }): Promise<{ channel: string; ts: string }> {
  const res = await ctx.client.chat.postMessage({
    channel: r.requesterId,
    text: message.text,
    blocks: message.blocks as never,
    ...NO_UNFURL,
  });
  return { channel: String(res.channel ?? ''), ts: String(res.ts ?? '') };
}

export async function handleDeliverKey(ctx: WorkflowContext, r: KeyRequest): Promise<void> {
  if (r.state !== 'created' || r.apiKeyId === undefined) return;
  let sent: { channel: string; ts: string };
  if (ctx.config.delivery === 'dm') {
    // Fetched at delivery time and never stored: the only copy on our side lives in this stack frame.
    const key = await ctx.ncp.getApiKey(r.apiKeyId);
    sent = await dmRequester(ctx, r, keysDm(r, key));
  } else {
    sent = await dmRequester(ctx, r, revealDm(r));
  }
  const now = ctx.now();
  await ctx.store.transition(
    r.id,
    'created',
    'delivered',
    { ...CLEAR_LAST_ERROR, requesterDmChannel: sent.channel },
    { at: now, actor: 'system', type: 'delivered', detail: { mode: ctx.config.delivery } },
    [enqueueApprovalMessage(now)],
  );
  ctx.logger.info(`request ${r.id}: delivered (${ctx.config.delivery})`);
}

export async function handleNotify(ctx: WorkflowContext, r: KeyRequest, item: OutboxItem): Promise<void> {
  const message = item.payload.message as NotifyMessage | undefined;
  const build = message === 'pending' ? pendingDm : message === 'denied' ? deniedDm : message === 'expired' ? expiredDm : undefined;
  if (build === undefined) throw new Error(`unknown notification '${String(message)}'`);
  const sent = await dmRequester(ctx, r, build(r));
  if (sent.channel && r.requesterDmChannel !== sent.channel) await ctx.store.updateRequest(r.id, { requesterDmChannel: sent.channel });
}

/** Posts the approval message the first time, then keeps it in sync with the request's state. */
export async function syncApprovalMessage(ctx: WorkflowContext, r: KeyRequest): Promise<void> {
  const message = buildApprovalMessage(r, { maxAttempts: ctx.config.maxAttempts, approverMentions: ctx.approvers.mentions() });
  if (r.approvalTs === undefined || r.approvalChannel === undefined) {
    const res = await ctx.client.chat.postMessage({ channel: ctx.config.approverChannel, text: message.text, blocks: message.blocks, ...NO_UNFURL });
    await ctx.store.updateRequest(r.id, { approvalChannel: String(res.channel ?? ctx.config.approverChannel), approvalTs: String(res.ts ?? '') });
    return;
  }
  await ctx.client.chat.update({ channel: r.approvalChannel, ts: r.approvalTs, text: message.text, blocks: message.blocks });
}
