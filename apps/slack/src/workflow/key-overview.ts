// What `/apikey keys` and App Home show a person: their own keys, and — when they approve a product — the keys
// of the products they approve that need attention (owner gone, rotation overdue per the product's rotateAfter).
// Reads are bounded (a page of each kind); the builders say how many did not fit.
import { ruleFor } from '../policy.ts';
import type { KeyAttention, KeyOverview } from '../blocks/keys.ts';
import { rotationDue } from '../blocks/keys.ts';
import type { RegisteredKey } from '../store/key-registry.ts';
import type { WorkflowContext } from './context.ts';
import { isKeyApprover } from './key-access.ts';

const PAGE = 200;

export const rotateAfterOf = (ctx: WorkflowContext) => (key: Pick<RegisteredKey, 'productId'>): number | undefined =>
  ruleFor(ctx.config.policy, key.productId).rotateAfterMs;

/** The shortest rotateAfter of any rule (undefined when no rule sets one). */
export function shortestRotateAfter(ctx: WorkflowContext): number | undefined {
  const all = [ctx.config.policy.defaults.rotateAfterMs, ...[...ctx.config.policy.products.values()].map((r) => r.rotateAfterMs)];
  const set = all.filter((v): v is number => v !== undefined);
  return set.length > 0 ? Math.min(...set) : undefined;
}

export async function loadKeyOverview(ctx: WorkflowContext, teamId: string, userId: string): Promise<KeyOverview> {
  // Every Slack request names its workspace; without one there is nothing of this person's to look up.
  if (teamId === '') return { mine: [], attention: [], isApprover: false };
  const now = ctx.now();
  const [mine, isApprover] = await Promise.all([
    ctx.store.listKeys({ teamId, ownerId: userId, states: ['active', 'disabled'] }, PAGE),
    ctx.approvers.isApprover(userId).catch((err: unknown) => {
      ctx.logger.warn('approver lookup failed', err);
      return false;
    }),
  ]);
  if (!isApprover) return { mine, attention: [], isApprover };

  const shortest = shortestRotateAfter(ctx);
  const [gone, old] = await Promise.all([
    ctx.store.listKeys({ teamId, ownerGone: true, states: ['active', 'disabled'] }, PAGE),
    shortest === undefined ? Promise.resolve([]) : ctx.store.listKeys({ teamId, states: ['active'], lastRotatedBefore: now - shortest + 1 }, PAGE),
  ]);
  const reasons = new Map<string, { key: RegisteredKey; reasons: KeyAttention[] }>();
  const add = (key: RegisteredKey, reason: KeyAttention) => {
    const entry = reasons.get(key.apiKeyId) ?? { key, reasons: [] };
    entry.reasons.push(reason);
    reasons.set(key.apiKeyId, entry);
  };
  for (const key of gone) add(key, 'owner_gone');
  const after = rotateAfterOf(ctx);
  for (const key of old) if (rotationDue(key, after(key), now)) add(key, 'rotation_due');
  // Only the products this viewer approves (a product's approvers replace the defaults'; lookups are cached).
  const attention = [];
  for (const entry of reasons.values()) {
    // The viewer's own keys are under "My keys" already.
    if (entry.key.ownerId === userId) continue;
    if (await isKeyApprover(ctx, entry.key, userId).catch(() => false)) attention.push(entry);
  }
  return { mine, attention, isApprover };
}
