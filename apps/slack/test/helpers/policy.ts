// Test helpers for policy-driven flows: a policy file on disk, and a request for a product stored the way the
// request modal stores it (its product select belongs to the request modal; here the product id is given).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SlackStandIn, StoredMessage } from '@apikey/slack-testkit';
import { ruleFor } from '../../src/policy.ts';
import type { KeyRequest } from '../../src/store/request-store.ts';
import { enqueueApprovalMessage, enqueueNotify } from '../../src/workflow/context.ts';
import { REQUESTER, waitFor, type AppInstance } from './harness.ts';

export function writePolicyFile(policy: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'apikey-policy-')), 'policy.json');
  writeFileSync(path, JSON.stringify(policy));
  return path;
}

/** The approval message for a request in `channel`, once posted. */
export function messageIn(standIn: SlackStandIn, channel: string, requestId: string): StoredMessage | undefined {
  return standIn.messages(channel).find((m) => JSON.stringify(m.blocks ?? []).includes(`"value":"${requestId}"`));
}

/** Stores a pending request for `productId` with its approval message and pending DM queued, and waits for the message. */
export async function submitProductRequest(
  app: AppInstance,
  standIn: SlackStandIn,
  o: { productId: string; name: string; channel: string; userId?: string },
): Promise<{ request: KeyRequest; message: StoredMessage }> {
  const now = Date.now();
  const request = await app.store.createRequest({
    teamId: standIn.teamId,
    requesterId: o.userId ?? REQUESTER,
    apiKeyName: o.name,
    apiKeyDescription: 'for payments',
    justification: 'checkout service',
    productId: o.productId,
    createdAt: now,
    expiresAt: now + ruleFor(app.slack.ctx.config.policy, o.productId).ttlMs,
  }, o.userId ?? REQUESTER, [enqueueApprovalMessage(now), enqueueNotify('pending', now)]);
  app.slack.ctx.wake();
  const message = await waitFor('approval message', () => messageIn(standIn, o.channel, request.id));
  return { request, message };
}

/** A message as it is now (after chat.update), by its ts. */
export function messageAt(standIn: SlackStandIn, at: { channel: string; ts: string }): StoredMessage | undefined {
  return standIn.messages(at.channel).find((m) => m.ts === at.ts);
}

/** The message's visible text (blocks flattened), for assertions on what approvers see. */
export function messageText(m: StoredMessage | undefined): string {
  return JSON.stringify(m?.blocks ?? []);
}
