// Direct messages to the requester. Top-level `text` drives notifications and previews, so it never holds a
// key; in `dm` delivery the keys are only in blocks, in `reveal` delivery only in the one-time modal.
import type { types } from '@slack/bolt';
import type { ApiKey } from '@apikey/core';
import type { KeyRequest } from '../store/request-store.ts';
import type { SlackMessage } from './approval-message.ts';
import { mrkdwn, ncpText, plain, slackDate, userText } from './format.ts';

export const REVEAL_ACTION_ID = 'reveal';

const name = (r: KeyRequest) => userText(r.apiKeyName, 200);
const keyId = (r: KeyRequest) => (r.apiKeyId !== undefined ? ncpText(r.apiKeyId, 100) : '?');

export function pendingDm(r: KeyRequest): SlackMessage {
  const text = `Your API key request "${name(r)}" is waiting for approval.`;
  return {
    text,
    blocks: [
      { type: 'section', text: mrkdwn(`:hourglass_flowing_sand: ${text}`) },
      { type: 'context', elements: [mrkdwn(`You will get a message here when an approver decides. It expires ${slackDate(r.expiresAt)}.`)] },
    ],
  };
}

export function deniedDm(r: KeyRequest): SlackMessage {
  const text = `Your API key request "${name(r)}" was denied by <@${r.decidedBy ?? 'unknown'}>.`;
  return {
    text,
    blocks: [
      { type: 'section', text: mrkdwn(`:no_entry: ${text}`) },
      { type: 'section', text: mrkdwn(`*Reason*\n${userText(r.decisionComment ?? '', 2900)}`) },
    ],
  };
}

export function expiredDm(r: KeyRequest): SlackMessage {
  const text = `Your API key request "${name(r)}" expired without a decision.`;
  return {
    text,
    blocks: [
      { type: 'section', text: mrkdwn(`:alarm_clock: ${text}`) },
      { type: 'context', elements: [mrkdwn('Run `/apikey create` to ask again.')] },
    ],
  };
}

function keyBlocks(key: ApiKey): types.KnownBlock[] {
  return [
    { type: 'section', text: mrkdwn(`*Key id*\n\`${ncpText(key.apiKeyId, 100)}\``) },
    { type: 'section', text: mrkdwn(`*Primary key*\n\`${key.primaryKey ?? ''}\``) },
    { type: 'section', text: mrkdwn(`*Secondary key*\n\`${key.secondaryKey ?? ''}\``) },
  ];
}

export function keysDm(r: KeyRequest, key: ApiKey): SlackMessage {
  return {
    text: `Your API key "${name(r)}" was approved by <@${r.decidedBy ?? 'unknown'}> and is ready.`,
    blocks: [
      { type: 'section', text: mrkdwn(`:key: Your API key *${name(r)}* was approved by <@${r.decidedBy ?? 'unknown'}>.`) },
      ...keyBlocks(key),
      { type: 'context', elements: [mrkdwn('Store these now in your secret manager and delete this message. Treat any key pasted in chat as exposed.')] },
    ],
  };
}

export function revealDm(r: KeyRequest): SlackMessage {
  return {
    text: `Your API key "${name(r)}" was approved by <@${r.decidedBy ?? 'unknown'}>. Reveal it once from this message.`,
    blocks: [
      { type: 'section', text: mrkdwn(`:key: Your API key *${name(r)}* (id \`${keyId(r)}\`) was approved by <@${r.decidedBy ?? 'unknown'}>.`) },
      { type: 'section', text: mrkdwn('The keys are shown *once*, in a window only you can see. Have your secret manager ready.') },
      { type: 'actions', block_id: 'reveal', elements: [{ type: 'button', action_id: REVEAL_ACTION_ID, style: 'primary', text: plain('Reveal'), value: r.id }] },
    ],
  };
}

export function revealedDm(r: KeyRequest, at: number): SlackMessage {
  return {
    text: `Your API key "${name(r)}" was revealed.`,
    blocks: [{ type: 'section', text: mrkdwn(`:white_check_mark: Your API key *${name(r)}* (id \`${keyId(r)}\`) was revealed ${slackDate(at)}. It cannot be shown again; ask an admin to rotate it if you lost it.`) }],
  };
}

/** The one-time reveal modal: no submit, so the values never come back to us in a payload. */
export function revealModal(r: KeyRequest, key: ApiKey): types.ModalView {
  return {
    type: 'modal',
    title: plain('Your API key'),
    close: plain('Done'),
    blocks: [
      { type: 'section', text: mrkdwn(`*${name(r)}* — copy both keys now; this window cannot be opened again.`) },
      ...keyBlocks(key),
    ],
  };
}

export function loadingModal(): types.ModalView {
  return { type: 'modal', title: plain('Your API key'), close: plain('Close'), blocks: [{ type: 'section', text: mrkdwn(':hourglass_flowing_sand: Fetching your key…') }] };
}
