// Block Kit for key rotation: the DMs that deliver a regenerated value (in the blocks only, never in the
// notification text; in reveal delivery only in the one-time modal), the confirm button that moves a rotation
// on to the primary, the give-up notice, and the replies to /apikey rotate and the rotate buttons.
import type { types } from '@slack/bolt';
import type { KeyPart, RegisteredKey } from '../store/key-registry.ts';
import type { SlackMessage } from './approval-message.ts';
import { mrkdwn, ncpText, plain, slackDate, userText } from './format.ts';
import { ROTATE_PRIMARY_ACTION_ID } from './key-actions.ts';

/** The one-time reveal of a rotated value; the button's value is `<part>:<apiKeyId>`. */
export const REVEAL_ROTATED_ACTION_ID = 'reveal_rotated';

export function revealRotatedValue(part: KeyPart, apiKeyId: string): string {
  return `${part}:${apiKeyId}`;
}

/** The part and key id of a reveal button's value, or undefined when it is not one we render. */
export function parseRevealRotatedValue(value: string | undefined): { part: KeyPart; apiKeyId: string } | undefined {
  const m = /^(secondary|primary):([A-Za-z0-9_-]{1,64})$/.exec(value ?? '');
  return m === null ? undefined : { part: m[1] as KeyPart, apiKeyId: m[2] as string };
}

type KeyRef = Pick<RegisteredKey, 'apiKeyId' | 'apiKeyName'>;

/** `*name* (`id`)`, both escaped: the name is user text, the id came from NCP. */
export function keyLabel(key: KeyRef): string {
  return `*${userText(key.apiKeyName, 200)}* (\`${ncpText(key.apiKeyId, 100)}\`)`;
}

/** Plain name for notification texts (escaped: Slack renders mrkdwn entities there too). */
const keyName = (key: KeyRef) => `"${userText(key.apiKeyName, 200)}"`;

const PART_LABEL: Record<KeyPart, string> = { secondary: 'secondary', primary: 'primary' };

export function confirmPrimaryButton(apiKeyId: string): types.ActionsBlock {
  return {
    type: 'actions',
    block_id: 'rotate_primary',
    elements: [{
      type: 'button',
      action_id: ROTATE_PRIMARY_ACTION_ID,
      style: 'primary',
      text: plain('Clients use the new secondary'),
      value: apiKeyId,
      confirm: {
        title: plain('Regenerate the primary?', 100),
        text: plain('The current primary key stops working at once. Continue only if every client uses the new secondary key.'),
        confirm: plain('Regenerate primary', 30),
        deny: plain('Not yet', 30),
      },
    }],
  };
}

/** What the owner does next, after a value was delivered. */
function nextSteps(key: KeyRef, part: KeyPart): types.KnownBlock[] {
  if (part === 'secondary') {
    return [
      { type: 'section', text: mrkdwn('Move every client to the *new secondary* key. The primary key keeps working until you confirm. When all clients use the new secondary, press the button: the primary is regenerated next and delivered here.') },
      confirmPrimaryButton(key.apiKeyId),
    ];
  }
  return [{
    type: 'section',
    text: mrkdwn('Rotation complete: both values are new. Move your clients back to the *primary* key when convenient — the next rotation regenerates the secondary first.'),
  }];
}

const STORE_NOW = 'Store it now in your secret manager and delete this message. Treat any key pasted in chat as exposed.';

function startedBy(key: KeyRef & Pick<RegisteredKey, 'ownerId'>, by: string | undefined): string {
  return by !== undefined && by !== key.ownerId ? ` (rotation started by <@${by}>)` : '';
}

/** DM delivery: the new value in the blocks only. */
export function rotatedKeyDm(key: RegisteredKey, part: KeyPart, value: string, by?: string): SlackMessage {
  return {
    text: `The ${PART_LABEL[part]} key of your API key ${keyName(key)} was regenerated.${part === 'secondary' ? ' Move your clients to it, then confirm.' : ' Rotation complete.'}`,
    blocks: [
      { type: 'section', text: mrkdwn(`:arrows_counterclockwise: The *${PART_LABEL[part]}* key of your API key ${keyLabel(key)} was regenerated${startedBy(key, by)}.`) },
      { type: 'section', text: mrkdwn(`*New ${PART_LABEL[part]} key*\n\`${value}\``) },
      ...nextSteps(key, part),
      { type: 'context', elements: [mrkdwn(STORE_NOW)] },
    ],
  };
}

function revealButton(key: KeyRef, part: KeyPart): types.ActionsBlock {
  return {
    type: 'actions',
    block_id: 'reveal_rotated',
    elements: [{ type: 'button', action_id: REVEAL_ROTATED_ACTION_ID, style: 'primary', text: plain(`Reveal new ${PART_LABEL[part]}`, 75), value: revealRotatedValue(part, key.apiKeyId) }],
  };
}

/** Reveal delivery: a one-time Reveal button; the value is only ever in the modal it opens. */
export function rotatedRevealDm(key: RegisteredKey, part: KeyPart, by?: string): SlackMessage {
  return {
    text: `The ${PART_LABEL[part]} key of your API key ${keyName(key)} was regenerated. Reveal it once from this message.`,
    blocks: [
      { type: 'section', text: mrkdwn(`:arrows_counterclockwise: The *${PART_LABEL[part]}* key of your API key ${keyLabel(key)} was regenerated${startedBy(key, by)}.`) },
      { type: 'section', text: mrkdwn(`The new ${PART_LABEL[part]} key is shown *once*, in a window only you can see. Have your secret manager ready.`) },
      revealButton(key, part),
      ...nextSteps(key, part),
    ],
  };
}

/** The reveal DM once the value was shown: no Reveal button, the confirm button stays for the secondary. */
export function rotatedRevealedDm(key: RegisteredKey, part: KeyPart, at: number): SlackMessage {
  return {
    text: `The new ${PART_LABEL[part]} key of your API key ${keyName(key)} was revealed.`,
    blocks: [
      { type: 'section', text: mrkdwn(`:white_check_mark: The new *${PART_LABEL[part]}* key of ${keyLabel(key)} was revealed ${slackDate(at)}. It cannot be shown again.`) },
      ...nextSteps(key, part),
    ],
  };
}

/** The one-time reveal modal: no submit, so the value never comes back to us in a payload. */
export function rotatedRevealModal(key: RegisteredKey, part: KeyPart, value: string): types.ModalView {
  return {
    type: 'modal',
    title: plain(`New ${PART_LABEL[part]} key`, 24),
    close: plain('Done'),
    blocks: [
      { type: 'section', text: mrkdwn(`${keyLabel(key)} — copy the new ${PART_LABEL[part]} key now; this window cannot be opened again.`) },
      { type: 'section', text: mrkdwn(`*New ${PART_LABEL[part]} key*\n\`${value}\``) },
    ],
  };
}

/** A rotation step gave up: what happened, what still works, and how to continue. */
export function rotationFailedDm(key: RegisteredKey, part: KeyPart, error: string): SlackMessage {
  const works = part === 'secondary'
    ? 'Your primary key still works. The secondary may or may not have been regenerated yet.'
    : 'Your new secondary key still works. The primary may or may not have been regenerated yet.';
  return {
    text: `The rotation of your API key ${keyName(key)} stopped while regenerating the ${PART_LABEL[part]} key.`,
    blocks: [
      { type: 'section', text: mrkdwn(`:warning: The rotation of ${keyLabel(key)} stopped while regenerating the *${PART_LABEL[part]}* key: ${ncpText(error, 500)}`) },
      { type: 'section', text: mrkdwn(`${works} Run \`/apikey rotate ${ncpText(key.apiKeyId, 100)}\` to continue: it delivers the current value and never regenerates it twice.`) },
    ],
  };
}

/** The reply to /apikey rotate and to the rotate buttons. */
export type RotationOutcome = {
  title: string;
  /** mrkdwn, composed from escaped parts. */
  text: string;
  /** Offer the confirm button (a rotation waits for it). */
  confirmKeyId?: string;
};

export function rotationReply(o: RotationOutcome): SlackMessage {
  return {
    text: `${o.title}.`,
    blocks: [
      { type: 'section', text: mrkdwn(o.text) },
      ...(o.confirmKeyId !== undefined ? [confirmPrimaryButton(o.confirmKeyId)] : []),
    ],
  };
}
