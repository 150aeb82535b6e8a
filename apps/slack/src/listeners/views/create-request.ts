// view_submission of the request modal (apikey_create): validated with core's schemas, problems returned as
// response_action "errors" keyed by block id (nothing stored, nothing sent); otherwise the request is stored
// as pending with the approval message and the requester's pending DM queued, and the modal closes.
import { apiKeyDescriptionSchema, apiKeyNameSchema, printable, validateApiKeyDescription, validateApiKeyName } from '@apikey/core';
import type { BoltApp, SlackViewMiddlewareArgs, ViewSubmitAction } from '../../bolt.ts';
import { ruleFor } from '../../policy.ts';
import { enqueueApprovalMessage, enqueueNotify, type WorkflowContext } from '../../workflow/context.ts';
import { describeFailure } from '../../workflow/describe-error.ts';
import type { CatalogueProduct } from '../../workflow/product-catalogue.ts';
import { inputValue, selectedValue, validateFreeText, type StateValues } from '../../blocks/form-values.ts';
import { CREATE_CALLBACK_ID, JUSTIFICATION_MAX, PRODUCT_BLOCK_ID } from '../../blocks/request-modal.ts';

export type RequestSubmissionArgs = Pick<SlackViewMiddlewareArgs<ViewSubmitAction>, 'ack' | 'body' | 'view'>;

export function createRequestSubmissionHandler(ctx: WorkflowContext): (args: RequestSubmissionArgs) => Promise<void> {
  return async ({ ack, body, view }) => {
    const values = view.state.values as StateValues;
    const rawName = inputValue(values, 'name');
    const rawDescription = inputValue(values, 'description');
    const rawJustification = inputValue(values, 'justification');

    const errors: Record<string, string> = {};
    const nameError = validateApiKeyName(rawName);
    if (nameError !== undefined) errors.name = nameError;
    const descriptionError = validateApiKeyDescription(rawDescription);
    if (descriptionError !== undefined) errors.description = descriptionError;
    const justificationError = validateFreeText(rawJustification, JUSTIFICATION_MAX, 'why you need the key');
    if (justificationError !== undefined) errors.justification = justificationError;
    // The product is looked up again on NCP (not taken from the payload's option text): its name is NCP's, and
    // an id NCP does not list is refused before anything is stored.
    const productId = selectedValue(values, PRODUCT_BLOCK_ID);
    let product: CatalogueProduct | undefined;
    if (productId === '') {
      if (ctx.policy.requireProduct()) errors[PRODUCT_BLOCK_ID] = 'Pick the product the key is for.';
    } else {
      try {
        product = await ctx.products.find(productId);
        if (product === undefined) errors[PRODUCT_BLOCK_ID] = 'That product is not available any more. Pick another one.';
      } catch (err) {
        ctx.logger.warn(`could not look product ${printable(productId)} up for ${body.user.id}: ${describeFailure(err).message}`);
        errors[PRODUCT_BLOCK_ID] = 'Could not check the product with NCP right now. Please try again in a minute.';
      }
    }
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: 'errors', errors });
      return;
    }

    const now = ctx.now();
    const teamId = body.team?.id ?? body.user.team_id ?? '';
    try {
      const request = await ctx.store.createRequest({
        teamId,
        requesterId: body.user.id,
        apiKeyName: apiKeyNameSchema.parse(rawName),
        apiKeyDescription: apiKeyDescriptionSchema.parse(rawDescription),
        justification: rawJustification.trim(),
        ...(product !== undefined ? { productId: product.productId, productName: product.productName } : {}),
        createdAt: now,
        expiresAt: now + ruleFor(ctx.config.policy, product?.productId).ttlMs,
      }, body.user.id, [enqueueApprovalMessage(now), enqueueNotify('pending', now)]);
      ctx.logger.info(`request ${request.id} created by ${body.user.id}`);
    } catch (err) {
      ctx.logger.error(`could not store a request from ${body.user.id}: ${describeFailure(err).message}`);
      await ack({ response_action: 'errors', errors: { justification: 'Could not save your request right now. Please try again in a minute.' } });
      return;
    }
    await ack();
    ctx.wake();
  };
}

export function register(app: BoltApp, ctx: WorkflowContext): void {
  app.view<ViewSubmitAction>(CREATE_CALLBACK_ID, createRequestSubmissionHandler(ctx));
}
