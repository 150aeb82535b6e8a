// Offboarding as approvers see it: one message in the approver channel when a key owner's Slack account is
// deactivated, listing their keys, each with "Transfer to…" (a user select) and "Disable" while that still
// applies; re-rendered in place after each action from the registry. Also the DM a new owner gets. Block ids
// carry the departed owner and each key id so the message can be re-rendered from itself; never key values.
import type { types } from '@slack/bolt';
import type { RegisteredKey } from '../store/key-registry.ts';
import type { SlackMessage } from './approval-message.ts';
import { mrkdwn, ncpText, plain, slackDate, userText } from './format.ts';
import { keyProduct } from './keys.ts';

export const OFFBOARDING_TRANSFER_ACTION_ID = 'offboarding_transfer';
export const OFFBOARDING_DISABLE_ACTION_ID = 'offboarding_disable';

const OWNER_BLOCK = 'offboarded:';
const KEY_BLOCK = 'offkey_';
const ACTIONS_BLOCK = 'offact_';
/** Keys listed with their actions: 2 blocks each, within a message's 50 with the header and a closing line. */
export const OFFBOARDING_KEYS_SHOWN = 20;

export type OffboardingPolicy = 'disable' | 'flag';

function keyStatus(key: RegisteredKey, departed: string, policy: OffboardingPolicy, handedOver: boolean): string {
  if (key.ownerId !== departed && handedOver && key.state !== 'deleted') {
    return key.state === 'active'
      ? `:white_check_mark: handed over to <@${key.ownerId}>, new values delivered, enabled`
      : `:arrows_counterclockwise: being handed over to <@${key.ownerId}>: new values, then enabled`;
  }
  if (key.ownerId !== departed) return `:arrow_right: transferred to <@${key.ownerId}>${key.state === 'disabled' ? ', stays disabled (revoked)' : ''}`;
  if (key.state === 'deleted') return ':wastebasket: deleted';
  if (key.state === 'disabled') return ':no_entry_sign: disabled';
  return policy === 'disable' ? ':hourglass_flowing_sand: being disabled' : ':large_green_circle: still active';
}

/** `handedOver`: keys transferred from the departed owner as a handover (new values, then enabled). */
export function buildOffboardingMessage(o: { ownerId: string; keys: readonly RegisteredKey[]; total: number; policy: OffboardingPolicy; handedOver?: ReadonlySet<string> }): SlackMessage {
  const what = o.policy === 'disable'
    ? 'Policy disables them; each one shows its state below.'
    : 'Policy only flags them: they still work until an approver disables or transfers them.';
  const text = `<@${o.ownerId}> left Slack (account deactivated) and held ${o.total} API key(s). ${what}`;
  const blocks: types.KnownBlock[] = [{ type: 'section', block_id: `${OWNER_BLOCK}${o.ownerId}:${o.total}`, text: mrkdwn(`:bust_in_silhouette: ${text}`) }];
  for (const key of o.keys.slice(0, OFFBOARDING_KEYS_SHOWN)) {
    blocks.push({
      type: 'section',
      block_id: `${KEY_BLOCK}${key.apiKeyId}`,
      text: mrkdwn(`*${userText(key.apiKeyName, 200)}* \`${ncpText(key.apiKeyId, 40)}\` · ${keyProduct(key)} · created ${slackDate(key.createdAt)} · ${keyStatus(key, o.ownerId, o.policy, o.handedOver?.has(key.apiKeyId) === true)}`),
    });
    // Still the departed owner's and not deleted: an approver can hand it on or disable it.
    if (key.ownerId === o.ownerId && key.state !== 'deleted') {
      const elements: types.ActionsBlockElement[] = [
        { type: 'users_select', action_id: OFFBOARDING_TRANSFER_ACTION_ID, placeholder: plain('Transfer to…', 150) },
      ];
      if (key.state === 'active') elements.push({ type: 'button', action_id: OFFBOARDING_DISABLE_ACTION_ID, style: 'danger', text: plain('Disable'), value: key.apiKeyId });
      blocks.push({ type: 'actions', block_id: `${ACTIONS_BLOCK}${key.apiKeyId}`, elements });
    }
  }
  if (o.total > OFFBOARDING_KEYS_SHOWN) {
    blocks.push({ type: 'context', elements: [mrkdwn(`…and ${o.total - OFFBOARDING_KEYS_SHOWN} more: approvers see them under "Needs attention" in \`/apikey keys\`.`)] });
  }
  return { text, blocks };
}

/** What a posted offboarding message is about, read back from its block ids (for re-rendering it in place). */
export function readOffboardingMessage(blocks: readonly { block_id?: string }[] | undefined): { ownerId: string; total: number; apiKeyIds: string[] } | undefined {
  const ids = (blocks ?? []).map((b) => b.block_id ?? '');
  const owner = /^offboarded:([A-Z0-9]+):(\d+)$/.exec(ids.find((id) => id.startsWith(OWNER_BLOCK)) ?? '');
  if (owner === null) return undefined;
  return {
    ownerId: owner[1] ?? '',
    total: Number(owner[2]),
    apiKeyIds: ids.filter((id) => id.startsWith(KEY_BLOCK)).map((id) => id.slice(KEY_BLOCK.length)),
  };
}

/** The apiKeyId of the row an action in the message belongs to. */
export function offboardingKeyOf(blockId: string | undefined): string | undefined {
  return blockId?.startsWith(ACTIONS_BLOCK) ? blockId.slice(ACTIONS_BLOCK.length) : undefined;
}

/** DM to the new owner of a transferred key: which key and from whom, never its values. */
export function transferredDm(key: RegisteredKey, o: { from: string; by: string; handover?: boolean }): SlackMessage {
  const ref = `*${userText(key.apiKeyName, 200)}* \`${ncpText(key.apiKeyId, 40)}\` (${keyProduct(key)})`;
  const state = o.handover === true
    ? 'It was disabled when its owner left, and they knew its values: both values are being regenerated for you and sent here next; the key is enabled once you have them.'
    : key.state === 'active'
      ? 'Rotate it (`/apikey keys` → Rotate) to get fresh values: nobody else should be using the old ones.'
      : 'It was revoked and stays disabled: a transfer does not bring a revoked key back. Request a new key with `/apikey` if you need one.';
  const text = `<@${o.by}> transferred API key ${ref} to you (it was <@${o.from}>'s).`;
  return { text, blocks: [{ type: 'section', text: mrkdwn(`:key: ${text}`) }, { type: 'context', elements: [mrkdwn(state)] }] };
}
