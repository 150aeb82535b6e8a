// The two product rules the request and approval flow asks of the policy, read from the one policy the app was
// configured with (APIKEY_POLICY over the environment's defaults) — no second place decides them.
import { ruleFor, type Policy } from '../policy.ts';

export type ProductPolicy = {
  /** Refuse requests that name no product (the policy file's defaults.requireProduct). */
  requireProduct(): boolean;
  /** Approval in Slack also accepts a PROTECTED subscription to this (own-account) product as its owner. */
  acceptSubscription(productId: string): boolean;
};

/** The product rules of `policy`: without a policy file a product is optional and subscriptions wait for the owner. */
export function productPolicyOf(policy: Policy): ProductPolicy {
  return {
    requireProduct: () => policy.defaults.requireProduct,
    acceptSubscription: (productId) => ruleFor(policy, productId).acceptSubscription,
  };
}
