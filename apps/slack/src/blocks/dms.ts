// Direct messages to the requester. Top-level `text` drives notifications and previews, so it never holds a
// key; in `dm` delivery the keys are only in blocks, in `reveal` delivery only in the one-time modal.
import type { types } from '@slack/bolt';
import type { ApiKey } from '@apikey/core';
import type { KeyRequest } from '../store/request-store.ts';
import type { SlackMessage } from './approval-message.ts';
import { mrkdwn, ncpText, plain, productLabel, slackDate, userText } from './format.ts';

/** The request's product as the key sees it: NCP's relation status and the stage URLs to call. */
export type ProductAccess = { status: string | undefined; urls: readonly string[] };

const MAX_URLS = 10;

/** What the requester needs to use the key with its product: whether it works now, and where to call. */
function productBlocks(r: KeyRequest, access: ProductAccess | undefined): types.KnownBlock[] {
  const label = productLabel(r, 200);
  if (label === undefined || access === undefined) return [];
  const status = access.status;
  const state = status === 'ACCEPTED'
    ? ':white_check_mark: Subscribed — the key works now.'
    : status === 'REQUEST'
      ? ':hourglass_flowing_sand: Subscribed, *waiting for the product owner\'s acceptance* — calls are refused until they accept.'
      : status === undefined
        ? ':warning: Not subscribed yet — ask an approver.'
        : `:warning: Subscription status ${ncpText(status, 40)} — calls are refused; ask the product owner.`;
  const urls = access.urls.slice(0, MAX_URLS).map((u) => `• \`${ncpText(u, 300)}\``);
  const where = urls.length > 0
    ? `Call it with the header \`x-ncp-apigw-api-key: &lt;primary or secondary key&gt;\` at:\n${urls.join('\n')}${access.urls.length > MAX_URLS ? `\n…and ${access.urls.length - MAX_URLS} more` : ''}`
    : 'Call it with the header `x-ncp-apigw-api-key: &lt;primary or secondary key&gt;`; the product\'s publisher documents its URLs.';
  return [
    { type: 'section', text: mrkdwn(`*Product* ${label}\n${state}`) },
    { type: 'section', text: mrkdwn(where) },
  ];
}

/** The notification text's product part (no secrets, drives previews). */
function productNote(r: KeyRequest, access: ProductAccess | undefined): string {
  if (r.productId === undefined || access === undefined) return '';
  return access.status === 'ACCEPTED' ? ' It works now.' : access.status === 'REQUEST' ? ' It waits for the product owner\'s acceptance.' : '';
}

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

export function keysDm(r: KeyRequest, key: ApiKey, access?: ProductAccess): SlackMessage {
  return {
    text: `Your API key "${name(r)}" was approved by <@${r.decidedBy ?? 'unknown'}> and is ready.${productNote(r, access)}`,
    blocks: [
      { type: 'section', text: mrkdwn(`:key: Your API key *${name(r)}* was approved by <@${r.decidedBy ?? 'unknown'}>.`) },
      ...keyBlocks(key),
      ...productBlocks(r, access),
      { type: 'context', elements: [mrkdwn('Store these now in your secret manager and delete this message. Treat any key pasted in chat as exposed.')] },
    ],
  };
}

export function revealDm(r: KeyRequest, access?: ProductAccess): SlackMessage {
  return {
    text: `Your API key "${name(r)}" was approved by <@${r.decidedBy ?? 'unknown'}>. Reveal it once from this message.${productNote(r, access)}`,
    blocks: [
      { type: 'section', text: mrkdwn(`:key: Your API key *${name(r)}* (id \`${keyId(r)}\`) was approved by <@${r.decidedBy ?? 'unknown'}>.`) },
      ...productBlocks(r, access),
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
