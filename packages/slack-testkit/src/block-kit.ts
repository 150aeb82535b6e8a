// Block Kit checks modelled on Slack's limits (see this package's README and
// https://api.slack.com/block-kit). Returns Slack-style error strings
// `<message> [json-pointer:/path]`; an empty list means Slack would accept the payload.

export type Surface = 'message' | 'modal' | 'home';

const BLOCK_TYPES = new Set([
  'section', 'divider', 'image', 'actions', 'context', 'input', 'header', 'rich_text', 'video', 'markdown', 'file',
]);
const INPUT_ELEMENTS = new Set([
  'plain_text_input', 'static_select', 'external_select', 'users_select', 'conversations_select', 'channels_select',
  'multi_static_select', 'multi_external_select', 'multi_users_select', 'multi_conversations_select',
  'multi_channels_select', 'radio_buttons', 'checkboxes', 'datepicker', 'timepicker', 'datetimepicker',
  'email_text_input', 'url_text_input', 'number_input', 'rich_text_input', 'file_input',
]);
const INTERACTIVE_ELEMENTS = new Set([...INPUT_ELEMENTS, 'button', 'overflow', 'workflow_button', 'image']);

export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  messageText: 40_000,
  blocksTextTotal: 12_000,
  modalTitle: 24,
  modalButton: 24,
  callbackId: 255,
  externalId: 255,
  privateMetadata: 3000,
  blockId: 255,
  actionId: 255,
  buttonValue: 2000,
  buttonText: 75,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  actionsElements: 25,
  contextElements: 10,
  markdownText: 12_000,
  inputLabel: 2000,
  inputHint: 2000,
  placeholder: 150,
  inputLength: 3000,
  optionText: 75,
  optionValue: 150,
  viewBytes: 250_000,
} as const;

type Ctx = { errors: string[]; surface: Surface };

function err(ctx: Ctx, message: string, pointer: string): void {
  ctx.errors.push(`${message} [json-pointer:${pointer}]`);
}

function isObj(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function checkLength(ctx: Ctx, v: unknown, max: number, pointer: string, min = 0): void {
  if (typeof v !== 'string') {
    err(ctx, 'must provide a string', pointer);
    return;
  }
  const n = [...v].length;
  if (n > max) err(ctx, `must be less than ${max + 1} characters`, pointer);
  else if (n < min) err(ctx, `must be at least ${min} characters`, pointer);
}

function checkText(ctx: Ctx, t: unknown, pointer: string, max: number, opts: { plainOnly?: boolean } = {}): void {
  if (!isObj(t)) {
    err(ctx, 'must provide an object', pointer);
    return;
  }
  if (t['type'] !== 'plain_text' && t['type'] !== 'mrkdwn') {
    err(ctx, 'must be one of: plain_text, mrkdwn', `${pointer}/type`);
  } else if (opts.plainOnly && t['type'] !== 'plain_text') {
    err(ctx, 'must be plain_text', `${pointer}/type`);
  }
  checkLength(ctx, t['text'], max, `${pointer}/text`, 1);
}

function checkId(ctx: Ctx, v: unknown, max: number, pointer: string): void {
  if (v === undefined) return;
  checkLength(ctx, v, max, pointer, 1);
}

function checkOptions(ctx: Ctx, options: unknown, pointer: string, min: number, max: number): void {
  if (!Array.isArray(options)) {
    err(ctx, 'must provide an array', pointer);
    return;
  }
  if (options.length < min || options.length > max) err(ctx, `must provide between ${min} and ${max} items`, pointer);
  options.forEach((o, i) => {
    const p = `${pointer}/${i}`;
    if (!isObj(o)) {
      err(ctx, 'must provide an object', p);
      return;
    }
    checkText(ctx, o['text'], `${p}/text`, LIMITS.optionText);
    checkLength(ctx, o['value'], LIMITS.optionValue, `${p}/value`, 1);
  });
}

function checkElement(ctx: Ctx, el: unknown, pointer: string, allowed: 'interactive' | 'input'): void {
  if (!isObj(el)) return err(ctx, 'must provide an object', pointer);
  const type = el['type'];
  const known = allowed === 'input' ? INPUT_ELEMENTS : INTERACTIVE_ELEMENTS;
  if (typeof type !== 'string' || !known.has(type)) {
    return err(ctx, `unsupported element type: ${String(type)}`, `${pointer}/type`);
  }
  checkId(ctx, el['action_id'], LIMITS.actionId, `${pointer}/action_id`);
  switch (type) {
    case 'button':
      checkText(ctx, el['text'], `${pointer}/text`, LIMITS.buttonText, { plainOnly: true });
      if (el['value'] !== undefined) checkLength(ctx, el['value'], LIMITS.buttonValue, `${pointer}/value`, 1);
      if (el['url'] !== undefined) checkLength(ctx, el['url'], 3000, `${pointer}/url`, 1);
      if (el['style'] !== undefined && el['style'] !== 'primary' && el['style'] !== 'danger') {
        err(ctx, 'must be one of: primary, danger', `${pointer}/style`);
      }
      break;
    case 'plain_text_input': {
      if (el['placeholder'] !== undefined) checkText(ctx, el['placeholder'], `${pointer}/placeholder`, LIMITS.placeholder, { plainOnly: true });
      const min = el['min_length'];
      const max = el['max_length'];
      if (min !== undefined && (typeof min !== 'number' || min < 0 || min > LIMITS.inputLength)) {
        err(ctx, `must be between 0 and ${LIMITS.inputLength}`, `${pointer}/min_length`);
      }
      if (max !== undefined && (typeof max !== 'number' || max < 1 || max > LIMITS.inputLength)) {
        err(ctx, `must be between 1 and ${LIMITS.inputLength}`, `${pointer}/max_length`);
      }
      if (el['initial_value'] !== undefined) checkLength(ctx, el['initial_value'], LIMITS.inputLength, `${pointer}/initial_value`);
      break;
    }
    case 'static_select':
    case 'multi_static_select':
      if (el['option_groups'] === undefined) checkOptions(ctx, el['options'], `${pointer}/options`, 1, 100);
      break;
    case 'external_select':
    case 'multi_external_select': {
      // Options come from the app's block_suggestion answers; the element itself carries none.
      if (el['placeholder'] !== undefined) checkText(ctx, el['placeholder'], `${pointer}/placeholder`, LIMITS.placeholder, { plainOnly: true });
      const q = el['min_query_length'];
      if (q !== undefined && (typeof q !== 'number' || !Number.isInteger(q) || q < 0)) err(ctx, 'must be a non-negative integer', `${pointer}/min_query_length`);
      if (el['options'] !== undefined || el['option_groups'] !== undefined) err(ctx, 'external selects take no options (they come from block_suggestion)', pointer);
      break;
    }
    case 'radio_buttons':
      checkOptions(ctx, el['options'], `${pointer}/options`, 1, 10);
      break;
    case 'checkboxes':
      checkOptions(ctx, el['options'], `${pointer}/options`, 1, 10);
      break;
    case 'overflow':
      checkOptions(ctx, el['options'], `${pointer}/options`, 1, 5);
      break;
    default:
      break;
  }
}

function checkBlock(ctx: Ctx, block: unknown, pointer: string, seenBlockIds: Set<string>): void {
  if (!isObj(block)) return err(ctx, 'must provide an object', pointer);
  const type = block['type'];
  if (typeof type !== 'string' || !BLOCK_TYPES.has(type)) {
    return err(ctx, `unsupported block type: ${String(type)}`, `${pointer}/type`);
  }
  const blockId = block['block_id'];
  if (blockId !== undefined) {
    checkId(ctx, blockId, LIMITS.blockId, `${pointer}/block_id`);
    if (typeof blockId === 'string') {
      if (seenBlockIds.has(blockId)) err(ctx, `duplicate block_id: ${blockId}`, `${pointer}/block_id`);
      seenBlockIds.add(blockId);
    }
  }
  switch (type) {
    case 'section': {
      const text = block['text'];
      const fields = block['fields'];
      if (text === undefined && fields === undefined) err(ctx, 'must provide text or fields', pointer);
      if (text !== undefined) checkText(ctx, text, `${pointer}/text`, LIMITS.sectionText);
      if (fields !== undefined) {
        if (!Array.isArray(fields)) err(ctx, 'must provide an array', `${pointer}/fields`);
        else {
          if (fields.length > LIMITS.sectionFields) err(ctx, `must provide no more than ${LIMITS.sectionFields} items`, `${pointer}/fields`);
          fields.forEach((f, i) => {
            checkText(ctx, f, `${pointer}/fields/${i}`, LIMITS.fieldText);
          });
        }
      }
      if (block['accessory'] !== undefined) checkElement(ctx, block['accessory'], `${pointer}/accessory`, 'interactive');
      break;
    }
    case 'header':
      checkText(ctx, block['text'], `${pointer}/text`, LIMITS.headerText, { plainOnly: true });
      break;
    case 'actions': {
      const els = block['elements'];
      if (!Array.isArray(els) || els.length === 0) return err(ctx, 'must provide a non-empty array', `${pointer}/elements`);
      if (els.length > LIMITS.actionsElements) err(ctx, `must provide no more than ${LIMITS.actionsElements} items`, `${pointer}/elements`);
      const seen = new Set<string>();
      els.forEach((el, i) => {
        checkElement(ctx, el, `${pointer}/elements/${i}`, 'interactive');
        const id = isObj(el) ? el['action_id'] : undefined;
        if (typeof id === 'string') {
          if (seen.has(id)) err(ctx, `duplicate action_id: ${id}`, `${pointer}/elements/${i}/action_id`);
          seen.add(id);
        }
      });
      break;
    }
    case 'context': {
      const els = block['elements'];
      if (!Array.isArray(els) || els.length === 0) return err(ctx, 'must provide a non-empty array', `${pointer}/elements`);
      if (els.length > LIMITS.contextElements) err(ctx, `must provide no more than ${LIMITS.contextElements} items`, `${pointer}/elements`);
      els.forEach((el, i) => {
        const p = `${pointer}/elements/${i}`;
        if (isObj(el) && el['type'] === 'image') {
          if (typeof el['image_url'] !== 'string' && el['slack_file'] === undefined) err(ctx, 'missing required field: image_url', p);
          checkLength(ctx, el['alt_text'], 2000, `${p}/alt_text`, 1);
        } else checkText(ctx, el, p, LIMITS.sectionText);
      });
      break;
    }
    case 'input':
      if (ctx.surface === 'message') err(ctx, 'input blocks are not supported in messages', `${pointer}/type`);
      checkText(ctx, block['label'], `${pointer}/label`, LIMITS.inputLabel, { plainOnly: true });
      if (block['hint'] !== undefined) checkText(ctx, block['hint'], `${pointer}/hint`, LIMITS.inputHint, { plainOnly: true });
      if (block['element'] === undefined) err(ctx, 'missing required field: element', pointer);
      else checkElement(ctx, block['element'], `${pointer}/element`, 'input');
      break;
    case 'image':
      if (typeof block['image_url'] !== 'string' && block['slack_file'] === undefined) err(ctx, 'missing required field: image_url', pointer);
      checkLength(ctx, block['alt_text'], 2000, `${pointer}/alt_text`, 1);
      break;
    case 'markdown':
      checkLength(ctx, block['text'], LIMITS.markdownText, `${pointer}/text`, 1);
      break;
    case 'rich_text':
      if (!Array.isArray(block['elements'])) err(ctx, 'must provide an array', `${pointer}/elements`);
      break;
    default:
      break;
  }
}

function checkBlocks(ctx: Ctx, blocks: unknown, pointer: string, max: number): void {
  if (!Array.isArray(blocks)) return err(ctx, 'must provide an array', pointer);
  if (blocks.length > max) err(ctx, `must provide no more than ${max} items`, pointer);
  const seen = new Set<string>();
  blocks.forEach((b, i) => {
    checkBlock(ctx, b, `${pointer}/${i}`, seen);
  });
}

/** Sum of the visible text in blocks; Slack rejects messages past an undocumented total (msg_blocks_too_long). */
export function blocksTextLength(v: unknown): number {
  if (typeof v === 'string') return 0;
  if (Array.isArray(v)) return v.reduce<number>((n, x) => n + blocksTextLength(x), 0);
  if (!isObj(v)) return 0;
  let n = 0;
  for (const [k, x] of Object.entries(v)) {
    if (k === 'text' && typeof x === 'string') n += [...x].length;
    else n += blocksTextLength(x);
  }
  return n;
}

export function validateMessageBlocks(blocks: unknown): string[] {
  const ctx: Ctx = { errors: [], surface: 'message' };
  checkBlocks(ctx, blocks, '/blocks', LIMITS.messageBlocks);
  return ctx.errors;
}

/**
 * Problems with an answer to `block_suggestion` (the ack body): a JSON object with `options` (or `option_groups`
 * with a plain_text `label` of ≤ 75 characters each), at most 100 of them, each option's text ≤ 75 characters and
 * its value ≤ 75 (Slack's sources give 75 and 150; the stricter one is enforced so an app satisfies both).
 */
export function validateOptionsResponse(body: unknown): string[] {
  const ctx: Ctx = { errors: [], surface: 'modal' };
  if (!isObj(body)) return ['must provide a JSON object with options or option_groups [json-pointer:/]'];
  const checkValues = (options: unknown, pointer: string) => {
    if (!Array.isArray(options)) return;
    options.forEach((o, i) => {
      if (isObj(o) && typeof o['value'] === 'string' && o['value'].length > 75) err(ctx, 'must be at most 75 characters', `${pointer}/${i}/value`);
      if (isObj(o) && o['description'] !== undefined) checkText(ctx, o['description'], `${pointer}/${i}/description`, LIMITS.optionText, { plainOnly: true });
    });
  };
  if (body['option_groups'] !== undefined) {
    const groups = body['option_groups'];
    if (!Array.isArray(groups)) return ['must provide an array [json-pointer:/option_groups]'];
    if (groups.length > 100) err(ctx, 'must provide between 0 and 100 items', '/option_groups');
    groups.forEach((g, i) => {
      if (!isObj(g)) {
        err(ctx, 'must provide an object', `/option_groups/${i}`);
        return;
      }
      checkText(ctx, g['label'], `/option_groups/${i}/label`, 75, { plainOnly: true });
      checkOptions(ctx, g['options'], `/option_groups/${i}/options`, 0, 100);
      checkValues(g['options'], `/option_groups/${i}/options`);
    });
  } else if (body['options'] !== undefined) {
    checkOptions(ctx, body['options'], '/options', 0, 100);
    checkValues(body['options'], '/options');
  } else {
    err(ctx, 'missing required field: options or option_groups', '/');
  }
  return ctx.errors;
}

export type ViewCheck = { kind: 'ok' } | { kind: 'invalid_arguments'; messages: string[] } | { kind: 'view_too_large' };

export function validateView(view: unknown, expected?: Surface): ViewCheck {
  const ctx: Ctx = { errors: [], surface: 'modal' };
  if (!isObj(view)) return { kind: 'invalid_arguments', messages: ['must provide an object [json-pointer:/view]'] };
  if (new TextEncoder().encode(JSON.stringify(view)).length > LIMITS.viewBytes) return { kind: 'view_too_large' };
  const type = view['type'];
  if (type !== 'modal' && type !== 'home') {
    err(ctx, 'must be one of: modal, home', '/view/type');
    return { kind: 'invalid_arguments', messages: ctx.errors };
  }
  if (expected !== undefined && type !== expected) {
    err(ctx, `must be ${expected}`, '/view/type');
  }
  ctx.surface = type;
  if (type === 'modal') {
    if (view['title'] === undefined) err(ctx, 'missing required field: title', '/view');
    else checkText(ctx, view['title'], '/view/title', LIMITS.modalTitle, { plainOnly: true });
    const hasInput = Array.isArray(view['blocks']) && view['blocks'].some((b) => isObj(b) && b['type'] === 'input');
    if (view['submit'] !== undefined) checkText(ctx, view['submit'], '/view/submit', LIMITS.modalButton, { plainOnly: true });
    else if (hasInput) err(ctx, 'missing required field: submit (required when the view has input blocks)', '/view');
    if (view['close'] !== undefined) checkText(ctx, view['close'], '/view/close', LIMITS.modalButton, { plainOnly: true });
  }
  if (view['blocks'] === undefined) err(ctx, 'missing required field: blocks', '/view');
  else checkBlocks(ctx, view['blocks'], '/view/blocks', LIMITS.viewBlocks);
  if (view['callback_id'] !== undefined) checkLength(ctx, view['callback_id'], LIMITS.callbackId, '/view/callback_id');
  if (view['external_id'] !== undefined) checkLength(ctx, view['external_id'], LIMITS.externalId, '/view/external_id');
  if (view['private_metadata'] !== undefined) checkLength(ctx, view['private_metadata'], LIMITS.privateMetadata, '/view/private_metadata');
  return ctx.errors.length === 0 ? { kind: 'ok' } : { kind: 'invalid_arguments', messages: ctx.errors };
}
