// A person's registered keys as Block Kit: one line per key (id, name, product, age, state, rotation) with its
// Rotate / Revoke buttons, for `/apikey keys` (an ephemeral message: at most 50 blocks) and App Home's "My keys"
// (part of a view's 100). Approvers also get the keys needing their attention (owner gone, rotation overdue).
// Names and product names are user/NCP text: escaped and cut through format.ts. Never a key value.
import type { types } from '@slack/bolt';
import type { RegisteredKey } from '../store/key-registry.ts';
import type { SlackMessage } from './approval-message.ts';
import { cutMrkdwn, mrkdwn, ncpText, plain, slackDate, TEXT_LIMIT, userText } from './format.ts';
import { REVOKE_ACTION_ID, ROTATE_ACTION_ID } from './key-actions.ts';

/** Why an approver is shown a key that is not theirs. */
export type KeyAttention = 'owner_gone' | 'rotation_due';

export type KeyOverview = {
  mine: RegisteredKey[];
  /** Keys of products the viewer approves that need attention (empty for non-approvers). */
  attention: { key: RegisteredKey; reasons: KeyAttention[] }[];
  /** The viewer approves at least one product. */
  isApprover: boolean;
};

const STATE_LABEL: Record<RegisteredKey['state'], string> = {
  active: ':large_green_circle: active',
  disabled: ':no_entry_sign: disabled',
  deleted: ':wastebasket: deleted',
};

/** A short age ("3d", "5h", "12m"): the exact time is in the date token beside it. */
export function keyAge(createdAt: number, now: number): string {
  const minutes = Math.max(0, Math.floor((now - createdAt) / 60_000));
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours}h` : `${Math.floor(hours / 24)}d`;
}

/** Is the key older (since its last rotation) than its product's rotateAfter? */
export function rotationDue(key: RegisteredKey, rotateAfterMs: number | undefined, now: number): boolean {
  return key.state === 'active' && rotateAfterMs !== undefined && (key.rotatedAt ?? key.createdAt) + rotateAfterMs <= now;
}

/** The key's product as people read it: name (NCP text, escaped) and id. */
export function keyProduct(key: RegisteredKey): string {
  if (key.productId === undefined) return 'no product';
  const id = ncpText(key.productId, 40);
  return key.productName ? `${ncpText(key.productName, 100)} (\`${id}\`)` : `\`${id}\``;
}

/** One key as a mrkdwn line. `owner`: also say whose it is (the approvers' list). */
export function keyLine(key: RegisteredKey, o: { now: number; rotateAfterMs: number | undefined; owner?: boolean }): string {
  const parts = [
    `*${userText(key.apiKeyName, 200)}* \`${ncpText(key.apiKeyId, 40)}\``,
    keyProduct(key),
    `created ${slackDate(key.createdAt)} (${keyAge(key.createdAt, o.now)} old)`,
    STATE_LABEL[key.state],
  ];
  if (key.rotatedAt !== undefined) parts.push(`rotated ${slackDate(key.rotatedAt)}`);
  if (key.rotationStep !== undefined) parts.push(':arrows_counterclockwise: rotation in progress');
  else if (rotationDue(key, o.rotateAfterMs, o.now)) parts.push(':alarm_clock: rotation due');
  if (o.owner === true) parts.push(`owner <@${key.ownerId}>${key.ownerGoneAt !== undefined ? ' (left Slack)' : ''}`);
  else if (key.ownerGoneAt !== undefined) parts.push(':warning: owner left Slack');
  return cutMrkdwn(parts.join(' · '), TEXT_LIMIT.section);
}

/** Rotate (active keys) and Revoke (keys not deleted); the value is the apiKeyId only. */
export function keyButtons(key: RegisteredKey): types.Button[] {
  const buttons: types.Button[] = [];
  if (key.state === 'active') buttons.push({ type: 'button', action_id: ROTATE_ACTION_ID, text: plain('Rotate'), value: key.apiKeyId });
  if (key.state !== 'deleted') buttons.push({ type: 'button', action_id: REVOKE_ACTION_ID, style: 'danger', text: plain('Revoke'), value: key.apiKeyId });
  return buttons;
}

/** `list` keeps block ids unique when one key is in both lists. */
function keyBlocks(line: string, key: RegisteredKey, list: 'mine' | 'attn'): types.KnownBlock[] {
  const buttons = keyButtons(key);
  const section: types.KnownBlock = { type: 'section', text: mrkdwn(line) };
  return buttons.length > 0 ? [section, { type: 'actions', block_id: `${list}_${key.apiKeyId}`.slice(0, 255), elements: buttons }] : [section];
}

const ATTENTION_LABEL: Record<KeyAttention, string> = { owner_gone: 'owner left Slack', rotation_due: 'rotation overdue' };

/**
 * The "My keys" (and, for approvers, "Needs attention") blocks within `maxBlocks` blocks and `maxText` characters
 * of text; what does not fit is counted in a closing line instead of being cut off silently.
 */
export function keyOverviewBlocks(
  overview: KeyOverview,
  o: { now: number; rotateAfterOf: (key: RegisteredKey) => number | undefined; maxBlocks: number; maxText: number; header: (text: string) => types.KnownBlock },
): types.KnownBlock[] {
  const out: types.KnownBlock[] = [];
  let text = 0;
  const list = (name: 'mine' | 'attn', title: string, empty: string | undefined, items: { key: RegisteredKey; line: string }[], limit: { blocks: number; text: number }) => {
    const start = { blocks: out.length, text };
    out.push(o.header(title));
    if (items.length === 0 && empty !== undefined) out.push({ type: 'context', elements: [mrkdwn(empty)] });
    let shown = 0;
    for (const item of items) {
      const blocks = keyBlocks(item.line, item.key, name);
      // One block stays free for the "…and N more" line.
      if (out.length - start.blocks + blocks.length + 1 > limit.blocks || text - start.text + item.line.length > limit.text) break;
      out.push(...blocks);
      text += item.line.length;
      shown++;
    }
    if (shown < items.length) out.push({ type: 'context', elements: [mrkdwn(`…and ${items.length - shown} more not shown here.`)] });
  };
  const mine = overview.mine.map((key) => ({ key, line: keyLine(key, { now: o.now, rotateAfterMs: o.rotateAfterOf(key) }) }));
  const attention = overview.attention.map(({ key, reasons }) => ({
    key,
    line: cutMrkdwn(`${keyLine(key, { now: o.now, rotateAfterMs: o.rotateAfterOf(key), owner: true })} · _${reasons.map((r) => ATTENTION_LABEL[r]).join(', ')}_`, TEXT_LIMIT.section),
  }));
  if (!overview.isApprover) {
    list('mine', `My keys (${mine.length})`, 'You hold no keys yet. Keys you request and get approved appear here.', mine, { blocks: o.maxBlocks, text: o.maxText });
    return out;
  }
  // Both lists get a share: the attention list what it needs up to half, "My keys" the rest (and then the
  // attention list whatever "My keys" left over).
  const need = (items: { line: string }[]) => ({ blocks: 2 + 2 * items.length, text: items.reduce((n, i) => n + i.line.length, 0) });
  const attentionNeed = need(attention);
  const mineLimit = {
    blocks: o.maxBlocks - Math.min(attentionNeed.blocks, Math.floor(o.maxBlocks / 2)),
    text: o.maxText - Math.min(attentionNeed.text, Math.floor(o.maxText / 2)),
  };
  list('mine', `My keys (${mine.length})`, 'You hold no keys yet. Keys you request and get approved appear here.', mine, mineLimit);
  list('attn', `Needs attention (${attention.length})`, 'No key of the products you approve needs attention.', attention, { blocks: o.maxBlocks - out.length, text: o.maxText - text });
  return out;
}

/** Slack refuses a message whose blocks hold more than about 12 000 characters in all. */
const MESSAGE_TEXT_BUDGET = 11_000;

/** The `/apikey keys` reply (ephemeral, at most 50 blocks). */
export function keysListMessage(overview: KeyOverview, o: { now: number; rotateAfterOf: (key: RegisteredKey) => number | undefined }): SlackMessage {
  const blocks = keyOverviewBlocks(overview, {
    ...o,
    maxBlocks: 50,
    maxText: MESSAGE_TEXT_BUDGET,
    header: (title) => ({ type: 'section', text: mrkdwn(`*${title}*`) }),
  });
  const attention = overview.isApprover ? `; ${overview.attention.length} key(s) need your attention` : '';
  return { text: `You hold ${overview.mine.length} API key(s)${attention}.`, blocks };
}

/** A header block for App Home sections. */
export function homeHeader(title: string): types.KnownBlock {
  return { type: 'header', text: plain(title, TEXT_LIMIT.header) };
}
