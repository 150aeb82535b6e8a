// Builds `view.state.values` the way Slack's client fills it when a user types into a modal and submits.
import type { JsonObject } from './types.ts';

export type InputValue = string | readonly string[] | null;

const TEXT_INPUTS = new Set(['plain_text_input', 'email_text_input', 'url_text_input', 'number_input']);
const SINGLE_SELECTED: Record<string, string> = {
  users_select: 'selected_user',
  conversations_select: 'selected_conversation',
  channels_select: 'selected_channel',
  datepicker: 'selected_date',
  timepicker: 'selected_time',
};
const MULTI_SELECTED: Record<string, string> = {
  multi_users_select: 'selected_users',
  multi_conversations_select: 'selected_conversations',
  multi_channels_select: 'selected_channels',
};

function options(el: JsonObject): JsonObject[] {
  const direct = Array.isArray(el['options']) ? (el['options'] as JsonObject[]) : [];
  const groups = Array.isArray(el['option_groups']) ? (el['option_groups'] as JsonObject[]) : [];
  return [...direct, ...groups.flatMap((g) => (Array.isArray(g['options']) ? (g['options'] as JsonObject[]) : []))];
}

function pickOption(el: JsonObject, blockId: string, v: string): JsonObject {
  const o = options(el).find((x) => x['value'] === v);
  if (!o) throw new TypeError(`view state: block "${blockId}" has no option with value ${JSON.stringify(v)}`);
  return o;
}

/** External selects: the options the app offered for that block (through block_suggestion), which the user picks from. */
export type OfferedOptions = Readonly<Record<string, readonly JsonObject[]>>;

function pickOffered(offered: readonly JsonObject[] | undefined, blockId: string, v: string): JsonObject {
  const o = (offered ?? []).find((x) => x['value'] === v);
  if (!o) {
    throw new TypeError(`view state: block "${blockId}" (external_select) was never offered an option with value ${JSON.stringify(v)} (send blockSuggestion first)`);
  }
  // Slack echoes the option the user picked: its text and value (and description when it had one).
  const picked: JsonObject = { text: o['text'], value: o['value'] };
  if (o['description'] !== undefined) picked['description'] = o['description'];
  return picked;
}

function stateFor(el: JsonObject, blockId: string, v: InputValue | undefined, offered?: readonly JsonObject[]): JsonObject {
  const type = String(el['type']);
  const out: JsonObject = { type };
  if (TEXT_INPUTS.has(type)) {
    if (v !== undefined && v !== null && typeof v !== 'string') throw new TypeError(`view state: block "${blockId}" (${type}) takes a string`);
    out['value'] = v === undefined ? (typeof el['initial_value'] === 'string' ? el['initial_value'] : null) : v;
  } else if (type === 'external_select') {
    if (v !== undefined && v !== null && typeof v !== 'string') throw new TypeError(`view state: block "${blockId}" (${type}) takes one option value`);
    out['selected_option'] = v === undefined ? (el['initial_option'] ?? null) : v === null ? null : pickOffered(offered, blockId, v);
  } else if (type === 'static_select' || type === 'radio_buttons') {
    if (v !== undefined && v !== null && typeof v !== 'string') throw new TypeError(`view state: block "${blockId}" (${type}) takes one option value`);
    out['selected_option'] = v === undefined ? (el['initial_option'] ?? null) : v === null ? null : pickOption(el, blockId, v);
  } else if (type === 'checkboxes' || type === 'multi_static_select') {
    if (v !== undefined && v !== null && !Array.isArray(v)) throw new TypeError(`view state: block "${blockId}" (${type}) takes an array of option values`);
    out['selected_options'] = v === undefined ? (el['initial_options'] ?? []) : (v ?? []).map((x) => pickOption(el, blockId, x));
  } else if (SINGLE_SELECTED[type]) {
    out[SINGLE_SELECTED[type]] = v === undefined ? null : v;
  } else if (MULTI_SELECTED[type]) {
    out[MULTI_SELECTED[type]] = v === undefined || v === null ? [] : Array.isArray(v) ? [...v] : [v];
  } else {
    out['value'] = v ?? null;
  }
  return out;
}

/**
 * `values` maps an input block's `block_id` to what the user entered: a string for text inputs and
 * single selects (the option `value`), an array for multi selects/checkboxes, null for cleared.
 * Untouched inputs carry their initial value, as Slack sends them.
 */
export function buildViewStateValues(view: JsonObject, values: Readonly<Record<string, InputValue>> = {}, offered: OfferedOptions = {}): JsonObject {
  const blocks = Array.isArray(view['blocks']) ? (view['blocks'] as JsonObject[]) : [];
  const inputs = blocks.filter((b) => b['type'] === 'input' && typeof b['block_id'] === 'string');
  const known = new Set(inputs.map((b) => b['block_id'] as string));
  for (const k of Object.keys(values)) {
    if (!known.has(k)) {
      throw new TypeError(`view state: no input block with block_id "${k}" in view (input blocks: ${[...known].join(', ') || 'none'})`);
    }
  }
  const out: JsonObject = {};
  for (const b of inputs) {
    const el = b['element'] as JsonObject | undefined;
    if (!el) continue;
    const blockId = b['block_id'] as string;
    const actionId = typeof el['action_id'] === 'string' ? el['action_id'] : 'value';
    out[blockId] = { [actionId]: stateFor(el, blockId, values[blockId], offered[blockId]) };
  }
  return out;
}

/** Finds the interactive element with this action_id in a list of blocks. */
/** The element with `actionId` (in the block `inBlock`, when given: rows of a list repeat their action ids). */
export function findElement(blocks: unknown, actionId: string, inBlock?: string): { blockId: string | undefined; element: JsonObject } | undefined {
  if (!Array.isArray(blocks)) return undefined;
  for (const b of blocks as JsonObject[]) {
    const blockId = typeof b['block_id'] === 'string' ? b['block_id'] : undefined;
    if (inBlock !== undefined && blockId !== inBlock) continue;
    const candidates: unknown[] = [];
    if (Array.isArray(b['elements'])) candidates.push(...(b['elements'] as unknown[]));
    if (b['accessory'] !== undefined) candidates.push(b['accessory']);
    if (b['element'] !== undefined) candidates.push(b['element']);
    for (const c of candidates) {
      const el = c as JsonObject;
      if (el && typeof el === 'object' && el['action_id'] === actionId) return { blockId, element: el };
    }
  }
  return undefined;
}
