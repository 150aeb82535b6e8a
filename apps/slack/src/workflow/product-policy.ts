// The two product rules the request and approval flow asks of the policy, behind one accessor, so the flow
// does not care where they come from (a policy file, or nothing: today's environment-only set-up).
export type ProductPolicy = {
  /** Refuse requests that name no product. */
  requireProduct(): boolean;
  /** Approval in Slack also accepts a PROTECTED subscription to this (own-account) product as its owner. */
  acceptSubscription(productId: string): boolean;
};

/** Without a policy file: a product is optional and subscriptions wait for the product owner. */
export const NO_PRODUCT_POLICY: ProductPolicy = {
  requireProduct: () => false,
  acceptSubscription: () => false,
};
