// The /apikey create modal (callback_id apikey_create) and the limits its fields are validated against.
import type { types } from '@slack/bolt';
import { plain } from './format.ts';

export const CREATE_CALLBACK_ID = 'apikey_create';
export const JUSTIFICATION_MAX = 500;

export const PRODUCT_BLOCK_ID = 'product';

/** `requireProduct`: the policy refuses requests without a product, so the select is not optional. */
export function buildRequestModal(opts: { name?: string; requireProduct?: boolean }): types.ModalView {
  // Pre-filled from the command text, which can be long: an over-long value still opens (validation says why on submit).
  const name = [...(opts.name?.trim() ?? '')].slice(0, 150).join('');
  return {
    type: 'modal',
    callback_id: CREATE_CALLBACK_ID,
    title: plain('Request an API key'),
    submit: plain('Submit request'),
    close: plain('Cancel'),
    blocks: [
      {
        type: 'input',
        block_id: 'name',
        label: plain('Key name'),
        hint: plain('1–20 characters, shown in the NCP console.'),
        element: {
          type: 'plain_text_input',
          action_id: 'value',
          placeholder: plain('e.g. billing-service'),
          ...(name.length > 0 ? { initial_value: name } : {}),
        },
      },
      {
        type: 'input',
        block_id: 'description',
        optional: true,
        label: plain('Description'),
        hint: plain('Up to 50 characters.'),
        element: { type: 'plain_text_input', action_id: 'value' },
      },
      {
        type: 'input',
        block_id: 'justification',
        label: plain('Why do you need it?'),
        hint: plain('Approvers see this. Up to 500 characters.'),
        element: { type: 'plain_text_input', action_id: 'value', multiline: true },
      },
      {
        type: 'input',
        block_id: PRODUCT_BLOCK_ID,
        optional: opts.requireProduct !== true,
        label: plain('Product'),
        hint: plain('The API product the key is for. Type to search your products and the catalogue.'),
        // Options come from block_suggestion (the product-suggestions listener); values are NCP product ids.
        element: { type: 'external_select', action_id: 'value', min_query_length: 0, placeholder: plain('Search products') },
      },
    ],
  };
}
