// block_suggestion for the request modal's product select (block_id product, action_id value): what the user
// typed filters the cached product list (name or id, case-insensitive), answered with at most 100 options whose
// value is the NCP product id. The ack is the answer and Slack waits 3 seconds at most, so the NCP read has its
// own shorter deadline; trouble there answers an empty list (logged by the catalogue), never an error.
import type { BoltApp, SlackOptionsMiddlewareArgs } from '../../bolt.ts';
import type { WorkflowContext } from '../../workflow/context.ts';
import type { CatalogueProduct } from '../../workflow/product-catalogue.ts';
import { cutPlain } from '../../blocks/format.ts';
import { PRODUCT_BLOCK_ID } from '../../blocks/request-modal.ts';
import { printable } from '@apikey/core';

/** Slack's limits for one external-select answer: 100 options, option text 75 characters. */
const MAX_OPTIONS = 100;
const OPTION_TEXT_MAX = 75;
/** Option values are kept to 75 characters (Slack's sources disagree between 75 and 150). */
const OPTION_VALUE_MAX = 75;

export type SlackOption = { text: { type: 'plain_text'; text: string }; value: string; description?: { type: 'plain_text'; text: string } };

export function productOptions(products: readonly CatalogueProduct[], typed: string): SlackOption[] {
  const q = typed.trim().toLowerCase();
  const matches = q === '' ? products : products.filter((p) => p.productName.toLowerCase().includes(q) || p.productId.toLowerCase().includes(q));
  return matches.filter((p) => p.productId.length <= OPTION_VALUE_MAX).slice(0, MAX_OPTIONS).map((p) => {
    const description = [p.access, p.own ? 'own product' : 'catalogue'].filter((x) => x !== undefined).join(' · ');
    return {
      // plain_text is not parsed by Slack, but NCP's text may still hold control characters: shown visibly.
      text: { type: 'plain_text', text: cutPlain(`${printable(p.productName)} (${p.productId})`, OPTION_TEXT_MAX) },
      value: p.productId,
      description: { type: 'plain_text', text: cutPlain(printable(description), OPTION_TEXT_MAX) },
    };
  });
}

export async function suggestProducts(ctx: WorkflowContext, typed: string): Promise<{ options: SlackOption[] }> {
  return { options: productOptions(await ctx.products.list(), typed) };
}

export type ProductSuggestionsArgs = Pick<SlackOptionsMiddlewareArgs<'block_suggestion'>, 'ack' | 'payload'>;

export function createProductSuggestionsHandler(ctx: WorkflowContext): (args: ProductSuggestionsArgs) => Promise<void> {
  return async ({ ack, payload }) => {
    await ack(await suggestProducts(ctx, typeof payload.value === 'string' ? payload.value : ''));
  };
}

export function register(app: BoltApp, ctx: WorkflowContext): void {
  app.options<'block_suggestion'>({ block_id: PRODUCT_BLOCK_ID, action_id: 'value' }, createProductSuggestionsHandler(ctx));
}
