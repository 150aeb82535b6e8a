// Who may act on a registered key: its owner, or an approver of the key's product (a product's approvers replace
// the defaults', as for requests). Checked server-side on every rotate, revoke, transfer and offboarding action,
// whatever button or command it came from; the refusal says why, and the caller then changes nothing.
import { ruleFor } from '../policy.ts';
import type { RegisteredKey } from '../store/key-registry.ts';
import type { WorkflowContext } from './context.ts';

export type KeyAction = 'rotate' | 'revoke' | 'transfer' | 'disable';

/** Is `userId` an approver of `key`'s product? A failed group lookup is an error for the caller to report. */
export function isKeyApprover(ctx: WorkflowContext, key: Pick<RegisteredKey, 'productId'>, userId: string): Promise<boolean> {
  return ctx.approvers.isApprover(userId, ruleFor(ctx.config.policy, key.productId).approvers);
}

/**
 * undefined when `userId` may take `action` on `key`, else the reason to show them. Transfer and the offboarding
 * disable are approvers' actions (an owner cannot hand their key to someone else on their own).
 */
export async function authoriseKeyAction(ctx: WorkflowContext, key: RegisteredKey, userId: string, action: KeyAction): Promise<string | undefined> {
  const ownerMayAct = action === 'rotate' || action === 'revoke';
  if (ownerMayAct && key.ownerId === userId) return undefined;
  let approver: boolean;
  try {
    approver = await isKeyApprover(ctx, key, userId);
  } catch (err) {
    ctx.logger.warn('approver lookup failed', err);
    return 'Could not check the approver list with Slack right now. Try again in a moment.';
  }
  if (approver) return undefined;
  return ownerMayAct
    ? `Only the key's owner (<@${key.ownerId}>) or an approver of its product can ${action} it.`
    : `Only an approver of the key's product can ${action === 'transfer' ? 'transfer' : 'disable'} it.`;
}
