// The side effects behind each outbox item kind: create the key on NCP (adopting one a crashed attempt already
// made), deliver it to the requester, send notification DMs, and post/refresh the approval message.
// Each handler reads the request fresh and is idempotent with respect to state, so re-running an item after
// a crash or lease expiry does no harm beyond, at worst, a repeated message.
import type { ApiKey } from '@apikey/core';
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

/** A key this request already created on NCP in an earlier, interrupted attempt (same name, modTime ≥ start). */
async function findAdoptableKey(ctx: WorkflowContext, r: KeyRequest): Promise<ApiKey | undefined> {
  if (r.createStartedAt === undefined) return undefined;
  // NCP's modTime may have one-second precision, so compare against the start of that second.
  const since = Math.floor(r.createStartedAt / 1000) * 1000;
  let taken: Set<string> | undefined;
  for await (const key of ctx.ncp.iterateApiKeys({ apiKeyName: r.apiKeyName })) {
    if (key.apiKeyName !== r.apiKeyName || key.modTime === undefined) continue;
    const mod = Date.parse(key.modTime);
    if (!Number.isFinite(mod) || mod < since) continue;
    // Another request with the same name may have created its key in the same window: never hand one
    // requester a key that already belongs to someone else.
    taken ??= new Set((await ctx.store.listByState(['approved', 'created', 'delivered', 'failed'], 1000))
      .filter((other) => other.id !== r.id && other.apiKeyId !== undefined)
      .map((other) => other.apiKeyId as string));
    if (!taken.has(key.apiKeyId)) return key;
  }
  return undefined;
}

export async function handleCreateKey(ctx: WorkflowContext, r: KeyRequest): Promise<void> {
  if (r.state !== 'approved') return; // stale item: already created, failed over, or re-approved elsewhere
  let apiKeyId = r.apiKeyId;
  let adopted = false;
  if (apiKeyId === undefined) {
    const existing = await findAdoptableKey(ctx, r);
    if (existing !== undefined) {
      apiKeyId = existing.apiKeyId;
      adopted = true;
    } else {
      await ctx.store.updateRequest(r.id, { createStartedAt: ctx.now() });
      const key = await ctx.ncp.createApiKey({ apiKeyName: r.apiKeyName, apiKeyDescription: r.apiKeyDescription });
      apiKeyId = key.apiKeyId;
    }
  }
  const now = ctx.now();
  const result = await ctx.store.transition(
    r.id,
    'approved',
    'created',
    { ...CLEAR_LAST_ERROR, apiKeyId },
    { at: now, actor: 'system', type: 'key_created', detail: { apiKeyId, adopted } },
    [enqueueDeliverKey(now), enqueueApprovalMessage(now)],
  );
  if (result.ok) ctx.logger.info(`request ${r.id}: key ${apiKeyId} ${adopted ? 'adopted' : 'created'}`);
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
