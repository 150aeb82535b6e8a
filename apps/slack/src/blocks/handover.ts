// Block Kit for a handover (a key offboarding disabled, transferred to a new owner, both values regenerated, then
// enabled): the new owner's DM with both new values (in the blocks only) or with a one-time Reveal of both, that
// DM once revealed, the reveal window, and the notice when a handover step gave up. Never a value elsewhere.
import type { types } from '@slack/bolt';
import type { RegisteredKey } from '../store/key-registry.ts';
import type { SlackMessage } from './approval-message.ts';
import { mrkdwn, ncpText, plain, slackDate, userText } from './format.ts';
import { keyLabel, REVEAL_ROTATED_ACTION_ID } from './rotation.ts';

export type HandoverValues = { secondary: string; primary: string };

/** The Reveal button's value for both values of a handover (a rotation's is `<part>:<apiKeyId>`). */
export const handoverRevealValue = (apiKeyId: string): string => `both:${apiKeyId}`;

export function parseHandoverRevealValue(value: string | undefined): { apiKeyId: string } | undefined {
  const m = /^both:([A-Za-z0-9_-]{1,64})$/.exec(value ?? '');
  return m === null ? undefined : { apiKeyId: m[1] as string };
}

const keyName = (key: Pick<RegisteredKey, 'apiKeyName'>) => `"${userText(key.apiKeyName, 200)}"`;

function intro(key: RegisteredKey, by: string | undefined): types.KnownBlock {
  const from = by !== undefined ? ` <@${by}> handed it to you.` : '';
  return { type: 'section', text: mrkdwn(`:key: Both values of ${keyLabel(key)} were regenerated for you, its new owner: the previous owner's values no longer work.${from}`) };
}

const ENABLED_NEXT = 'The key is enabled right after this message; no client used it while it was disabled, so both values are yours to use.';

/** DM delivery: both new values, in the blocks only. */
export function handoverKeysDm(key: RegisteredKey, values: HandoverValues, by?: string): SlackMessage {
  return {
    text: `Both values of API key ${keyName(key)} were regenerated for you; the key is enabled next.`,
    blocks: [
      intro(key, by),
      { type: 'section', text: mrkdwn(`*New primary key*\n\`${values.primary}\``) },
      { type: 'section', text: mrkdwn(`*New secondary key*\n\`${values.secondary}\``) },
      { type: 'section', text: mrkdwn(ENABLED_NEXT) },
      { type: 'context', elements: [mrkdwn('Store them now in your secret manager and delete this message. Treat any key pasted in chat as exposed.')] },
    ],
  };
}

/** Reveal delivery: one Reveal button showing both values once, in a window only the owner can open. */
export function handoverRevealDm(key: RegisteredKey, by?: string): SlackMessage {
  return {
    text: `Both values of API key ${keyName(key)} were regenerated for you. Reveal them once from this message.`,
    blocks: [
      intro(key, by),
      { type: 'section', text: mrkdwn('The new values are shown *once*, in a window only you can see. Have your secret manager ready.') },
      { type: 'actions', block_id: 'reveal_rotated', elements: [{ type: 'button', action_id: REVEAL_ROTATED_ACTION_ID, style: 'primary', text: plain('Reveal new keys', 75), value: handoverRevealValue(key.apiKeyId) }] },
      { type: 'section', text: mrkdwn(ENABLED_NEXT) },
    ],
  };
}

export function handoverRevealedDm(key: RegisteredKey, at: number): SlackMessage {
  return {
    text: `The new values of API key ${keyName(key)} were revealed.`,
    blocks: [{ type: 'section', text: mrkdwn(`:white_check_mark: The new values of ${keyLabel(key)} were revealed ${slackDate(at)}. They cannot be shown again.`) }],
  };
}

/** The one-time window: no submit, so the values never come back to us in a payload. */
export function handoverRevealModal(key: RegisteredKey, values: HandoverValues): types.ModalView {
  return {
    type: 'modal',
    title: plain('Your new key values', 24),
    close: plain('Done'),
    blocks: [
      { type: 'section', text: mrkdwn(`${keyLabel(key)} — copy both values now; this window cannot be opened again.`) },
      { type: 'section', text: mrkdwn(`*New primary key*\n\`${values.primary}\``) },
      { type: 'section', text: mrkdwn(`*New secondary key*\n\`${values.secondary}\``) },
    ],
  };
}

/** A handover step gave up: the key stays disabled; how to go on. */
export function handoverFailedMessage(key: RegisteredKey, what: string, error: string): SlackMessage {
  const next = what === 'enabling'
    ? 'Both new values were delivered to the new owner, so enabling it is safe: an approver enables it with the `apikey` CLI (the key\'s details → Enable).'
    : `Run \`/apikey rotate ${ncpText(key.apiKeyId, 100)}\` (owner or approver) to continue: it never regenerates a value twice.`;
  return {
    text: `The handover of API key ${keyName(key)} stopped; the key stays disabled.`,
    blocks: [
      { type: 'section', text: mrkdwn(`:warning: The handover of ${keyLabel(key)} to <@${key.ownerId}> stopped at ${ncpText(what, 40)}: ${ncpText(error, 500)}. The key stays disabled.`) },
      { type: 'section', text: mrkdwn(next) },
    ],
  };
}
