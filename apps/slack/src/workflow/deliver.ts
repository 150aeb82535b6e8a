// The side effects behind each outbox item kind: create the key on NCP (finishing one a crashed attempt already
// made, through core's exact create), subscribe it to the request's product, accept that subscription where
// policy says so, deliver it to the requester, send notification DMs, and post/refresh the approval message.
// Each handler reads the request fresh and is idempotent with respect to state, so re-running an item after
// a crash or lease expiry does no harm beyond, at worst, a repeated message.
import { listStageUrls, NotFoundError } from '@apikey/core';
import { ruleFor } from '../policy.ts';
import type { KeyRequest, OutboxItem } from '../store/request-store.ts';
import { buildApprovalMessage } from '../blocks/approval-message.ts';
import { approvedDm, type QuorumView } from '../blocks/quorum.ts';
import { deniedDm, expiredDm, keysDm, pendingDm, revealDm, type ProductAccess } from '../blocks/dms.ts';
import type { Held } from './held-results.ts';
import {
  CLEAR_LAST_ERROR,
  enqueueAccept,
  enqueueApprovalMessage,
  enqueueDeliverKey,
  enqueueSubscribe,
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
  // The DM lists the product's stage URLs; they do not depend on the key, so they are read while it is made
  // instead of after it. A failure here only means the deliver step reads them itself.
  const urls = r.productId === undefined ? Promise.resolve(undefined) : stageUrls(ctx, r.productId).catch(() => undefined);
  const key = await ctx.ncp.createApiKey({ apiKeyName: r.apiKeyName, apiKeyDescription: r.apiKeyDescription }, {
    operationId: r.id,
    ...resume,
    // Recorded before the PUT that removes the marker, so a retry after any later crash knows the key; and
    // registered to its owner as soon as it exists on NCP, so no key the app made is missing from the registry.
    onCommitted: async (k) => {
      if (k.apiKeyId !== r.apiKeyId) await ctx.store.updateRequest(r.id, { apiKeyId: k.apiKeyId });
      await registerKeyOf(ctx, r, k.apiKeyId);
    },
  });
  const apiKeyId = key.apiKeyId;
  // Resuming a recorded key may not pass through onCommitted again; registering twice is a no-op.
  if (resume.resume !== undefined) await registerKeyOf(ctx, r, apiKeyId);
  const resumed = 'resume' in resume;
  // The create answer carries both values: the deliver step uses them instead of reading the key again.
  if (key.primaryKey !== undefined && key.secondaryKey !== undefined) ctx.held.put(r.id, apiKeyId, { key });
  const readUrls = await urls;
  if (readUrls !== undefined) ctx.held.put(r.id, apiKeyId, { urls: readUrls });
  const now = ctx.now();
  const productSteps = r.productId === undefined
    ? []
    : [enqueueSubscribe(now, !resumed), ...(ctx.policy.acceptSubscription(r.productId) ? [enqueueAccept(now)] : [])];
  const result = await ctx.store.transition(
    r.id,
    'approved',
    'created',
    { ...CLEAR_LAST_ERROR, apiKeyId },
    { at: now, actor: 'system', type: 'key_created', detail: { apiKeyId, resumed } },
    [...productSteps, enqueueDeliverKey(now), enqueueApprovalMessage(now)],
  );
  if (result.ok) ctx.logger.info(`request ${r.id}: key ${apiKeyId} ${resumed ? 'created (resumed)' : 'created'}`);
}

function registerKeyOf(ctx: WorkflowContext, r: KeyRequest, apiKeyId: string) {
  return ctx.store.registerKey({
    apiKeyId,
    teamId: r.teamId,
    ownerId: r.requesterId,
    requestId: r.id,
    apiKeyName: r.apiKeyName,
    createdAt: ctx.now(),
    ...(r.productId !== undefined ? { productId: r.productId } : {}),
    ...(r.productName !== undefined ? { productName: r.productName } : {}),
  });
}

/** The key's relation to the request's product as NCP has it now (undefined: not subscribed). */
async function relationStatus(ctx: WorkflowContext, apiKeyId: string, productId: string): Promise<string | undefined> {
  for await (const p of ctx.ncp.iterateApiKeyProducts(apiKeyId)) if (p.productId === productId) return p.status ?? '';
  return undefined;
}

/**
 * Subscribes the key to the request's product, once. A key this step's create made a moment ago (first attempt)
 * cannot be subscribed yet; any other run reads the key's products first and skips a subscription that landed.
 * Core's subscribe reads back after an ambiguous failure, so a lost answer is not sent twice either.
 */
export async function handleSubscribe(ctx: WorkflowContext, r: KeyRequest, item: OutboxItem): Promise<void> {
  if (r.state !== 'created' || r.apiKeyId === undefined || r.productId === undefined) return;
  const fresh = item.payload.fresh === true && item.attempts === 1;
  const before = fresh ? undefined : await relationStatus(ctx, r.apiKeyId, r.productId);
  if (before === undefined) {
    await ctx.ncp.subscribeApiKey(r.apiKeyId, r.productId);
    await ctx.store.appendAudit({ requestId: r.id, at: ctx.now(), actor: 'system', type: 'subscribed', detail: { apiKeyId: r.apiKeyId, productId: r.productId } });
    const status = newRelationStatus(ctx, r.productId);
    ctx.held.put(r.id, r.apiKeyId, { subscribedNow: true, ...(status !== undefined ? { status } : {}) });
    ctx.logger.info(`request ${r.id}: key ${r.apiKeyId} subscribed to ${r.productId}`);
  } else {
    ctx.held.put(r.id, r.apiKeyId, { status: before });
  }
}

/**
 * The status of a relation this process has just made, where NCP documents it, from the product's subscription
 * code in the catalogue's fresh cache (no NCP call; undefined when the code is not known or not enough, and the
 * next step reads NCP instead). NCP's subscribe answer has no body. A PUBLIC product is usable at once, without
 * the owner's acceptance: for the requester's DM that is "accepted". A PROTECTED product waits for its owner
 * (REQUEST) — except that NCP does not say what it does when the subscriber is the owner itself, so for the
 * account's own products this gives nothing.
 */
function newRelationStatus(ctx: WorkflowContext, productId: string): string | undefined {
  const product = ctx.products.cached(productId);
  if (product?.access === 'PUBLIC') return 'ACCEPTED';
  if (product?.access === 'PROTECTED' && !product.own) return 'REQUEST';
  return undefined;
}

/**
 * Accepts the subscription as the product's owner (policy acceptSubscription): only while NCP shows it waiting
 * (REQUEST), so a rerun, or the owner having decided already, changes nothing. Right after this process's
 * subscribe step made the relation of a PROTECTED product (first attempt, code from the catalogue's fresh
 * cache), NCP is not asked first: the relation is new, so nobody has decided on it, and setting ACCEPTED is
 * right whether NCP started it at REQUEST or, for its owner, already accepted (the PATCH sets a fixed status).
 */
export async function handleAccept(ctx: WorkflowContext, r: KeyRequest, item: OutboxItem): Promise<void> {
  if (r.state !== 'created' || r.apiKeyId === undefined || r.productId === undefined) return;
  const justMade = item.attempts === 1 && ctx.held.get(r.id, r.apiKeyId)?.subscribedNow === true && ctx.products.cached(r.productId)?.access === 'PROTECTED';
  const status = justMade ? 'REQUEST' : await relationStatus(ctx, r.apiKeyId, r.productId);
  if (status !== 'REQUEST') {
    if (status !== undefined) ctx.held.put(r.id, r.apiKeyId, { status });
    return;
  }
  await ctx.ncp.setSubscriptionStatus(r.productId, r.apiKeyId, 'ACCEPTED');
  ctx.held.put(r.id, r.apiKeyId, { status: 'ACCEPTED' });
  await ctx.store.appendAudit({ requestId: r.id, at: ctx.now(), actor: 'system', type: 'subscription_accepted', detail: { apiKeyId: r.apiKeyId, productId: r.productId } });
  ctx.logger.info(`request ${r.id}: subscription of ${r.apiKeyId} to ${r.productId} accepted`);
}

/**
 * A product's stage URLs; only its owner can list them, so another account's product gives none — without
 * asking NCP when the catalogue's fresh cache says it is another account's, else by NCP's 404.
 */
function stageUrls(ctx: WorkflowContext, productId: string): Promise<readonly string[]> {
  if (ctx.products.cached(productId)?.own === false) return Promise.resolve([]);
  return listStageUrls(ctx.ncp, productId).catch((e: unknown) => {
    if (e instanceof NotFoundError) return [];
    throw e;
  });
}

/** Where the key can be used: its product's status and stage URLs, from what earlier steps held or from NCP. */
async function productAccess(ctx: WorkflowContext, r: KeyRequest, apiKeyId: string, held: Held | undefined): Promise<ProductAccess | undefined> {
  const productId = r.productId;
  if (productId === undefined) return undefined;
  const [status, urls] = await Promise.all([
    held?.status ?? relationStatus(ctx, apiKeyId, productId),
    held?.urls ?? stageUrls(ctx, productId),
  ]);
  return { status, urls };
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
  const apiKeyId = r.apiKeyId;
  const held = ctx.held.get(r.id, apiKeyId);
  let sent: { channel: string; ts: string };
  if (ctx.config.delivery === 'dm') {
    // From the create answer held in memory, or — resumed after a crash or on another replica — fetched now.
    // Either way never stored: the only copy on our side lives in this process's memory until the DM is out.
    const [key, access] = await Promise.all([
      held?.key ?? ctx.ncp.getApiKey(apiKeyId),
      productAccess(ctx, r, apiKeyId, held),
    ]);
    sent = await dmRequester(ctx, r, keysDm(r, key, access));
  } else {
    sent = await dmRequester(ctx, r, revealDm(r, await productAccess(ctx, r, apiKeyId, held)));
  }
  ctx.held.drop(r.id);
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
  if (build === undefined && message !== 'approved') throw new Error(`unknown notification '${String(message)}'`);
  const sent = await dmRequester(ctx, r, build !== undefined ? build(r) : approvedDm(r, await quorumOf(ctx, r)));
  if (sent.channel && r.requesterDmChannel !== sent.channel) await ctx.store.updateRequest(r.id, { requesterDmChannel: sent.channel });
}

async function quorumOf(ctx: WorkflowContext, r: KeyRequest): Promise<QuorumView> {
  const { quorum } = ruleFor(ctx.config.policy, r.productId);
  return { quorum, approvals: quorum > 1 ? await ctx.store.listApprovals(r.id) : [] };
}

/**
 * Posts the approval message the first time (in the channel of the request's product rule), then keeps it in
 * sync with the request's state and its approvals toward the quorum.
 */
export async function syncApprovalMessage(ctx: WorkflowContext, r: KeyRequest): Promise<void> {
  const rule = ruleFor(ctx.config.policy, r.productId);
  const message = buildApprovalMessage(r, {
    maxAttempts: ctx.config.maxAttempts,
    approverMentions: ctx.approvers.mentions(rule.approvers),
    quorum: await quorumOf(ctx, r),
  });
  if (r.approvalTs === undefined || r.approvalChannel === undefined) {
    const res = await ctx.client.chat.postMessage({ channel: rule.channel, text: message.text, blocks: message.blocks, ...NO_UNFURL });
    await ctx.store.updateRequest(r.id, { approvalChannel: String(res.channel ?? rule.channel), approvalTs: String(res.ts ?? '') });
    return;
  }
  await ctx.client.chat.update({ channel: r.approvalChannel, ts: r.approvalTs, text: message.text, blocks: message.blocks });
}
