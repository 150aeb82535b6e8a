// The message in the approver channel, rendered from the request's current state so any replica can
// re-render it idempotently (chat.update in place). It carries the key id once created, never a key.
import type { types } from '@slack/bolt';
import type { KeyRequest } from '../store/request-store.ts';
import { escapeMrkdwn, mrkdwn, plain, slackDate } from './format.ts';

export const APPROVE_ACTION_ID = 'approve';
export const DENY_ACTION_ID = 'deny';
export const RETRY_ACTION_ID = 'retry';

export type SlackMessage = { text: string; blocks: types.KnownBlock[] };

function summary(r: KeyRequest): types.KnownBlock[] {
  return [
    {
      type: 'section',
      text: mrkdwn(`<@${r.requesterId}> requests an NCP API Gateway key.`),
      fields: [
        mrkdwn(`*Name*\n${escapeMrkdwn(r.apiKeyName)}`),
        mrkdwn(`*Description*\n${r.apiKeyDescription ? escapeMrkdwn(r.apiKeyDescription) : '_none_'}`),
      ],
    },
    { type: 'section', text: mrkdwn(`*Justification*\n${escapeMrkdwn(r.justification)}`) },
  ];
}

function status(r: KeyRequest, maxAttempts: number): { line: string; text: string } {
  const by = r.decidedBy !== undefined ? `<@${r.decidedBy}>` : 'an approver';
  const when = r.decidedAt !== undefined ? ` at ${slackDate(r.decidedAt)}` : '';
  const comment = r.decisionComment ? `\n> ${escapeMrkdwn(r.decisionComment)}` : '';
  const retrying = r.lastError ? `\n:warning: Attempt ${r.attempts} of ${maxAttempts} failed: ${escapeMrkdwn(r.lastError)}. Retrying automatically.` : '';
  switch (r.state) {
    case 'pending':
      return { line: `:hourglass_flowing_sand: Pending · expires ${slackDate(r.expiresAt)}`, text: `API key request "${escapeMrkdwn(r.apiKeyName)}" from <@${r.requesterId}> is waiting for approval` };
    case 'approved':
      return { line: `:gear: Approved by ${by}${when}; creating the key…${comment}${retrying}`, text: `API key request "${escapeMrkdwn(r.apiKeyName)}" approved by ${by}` };
    case 'created':
      return { line: `:key: Approved by ${by}${when}. Key \`${r.apiKeyId ?? '?'}\` created; delivering to <@${r.requesterId}>…${comment}${retrying}`, text: `API key request "${escapeMrkdwn(r.apiKeyName)}" approved by ${by}` };
    case 'delivered':
      return { line: `:white_check_mark: Approved by ${by}${when}. Key \`${r.apiKeyId ?? '?'}\` delivered to <@${r.requesterId}>.${comment}`, text: `API key request "${escapeMrkdwn(r.apiKeyName)}" approved by ${by}` };
    case 'denied':
      return { line: `:no_entry: Denied by ${by}${when}.${comment}`, text: `API key request "${escapeMrkdwn(r.apiKeyName)}" denied by ${by}` };
    case 'expired':
      return { line: `:alarm_clock: Expired ${slackDate(r.expiresAt)} without a decision.`, text: `API key request "${escapeMrkdwn(r.apiKeyName)}" expired` };
    case 'failed':
      return {
        line: `:x: Approved by ${by}${when}, but ${r.apiKeyId ? `delivering key \`${r.apiKeyId}\`` : 'creating the key'} failed after ${r.attempts} attempts: ${escapeMrkdwn(r.lastError ?? 'unknown error')}. An approver can retry.`,
        text: `API key request "${escapeMrkdwn(r.apiKeyName)}" failed; an approver can retry`,
      };
  }
}

/** The Approve / Deny buttons, here and on the App Home tab; their value is the request id only. */
export function decisionButtons(r: KeyRequest): types.Button[] {
  return [
    { type: 'button', action_id: APPROVE_ACTION_ID, style: 'primary', text: plain('Approve'), value: r.id },
    { type: 'button', action_id: DENY_ACTION_ID, style: 'danger', text: plain('Deny'), value: r.id },
  ];
}

export function buildApprovalMessage(r: KeyRequest, opts: { maxAttempts: number; approverMentions?: string }): SlackMessage {
  const { line, text } = status(r, opts.maxAttempts);
  const blocks: types.KnownBlock[] = [{ type: 'header', text: plain(`API key request: ${r.apiKeyName}`.slice(0, 150)) }, ...summary(r)];
  blocks.push({ type: 'context', elements: [mrkdwn(line)] });
  if (r.state === 'pending') {
    if (opts.approverMentions) blocks.push({ type: 'context', elements: [mrkdwn(`Approvers: ${opts.approverMentions}`)] });
    blocks.push({ type: 'actions', block_id: 'decision', elements: decisionButtons(r) });
  }
  if (r.state === 'failed') {
    blocks.push({
      type: 'actions',
      block_id: 'recovery',
      elements: [{ type: 'button', action_id: RETRY_ACTION_ID, text: plain('Retry'), value: r.id }],
    });
  }
  return { text, blocks };
}

export function buildReminderMessage(r: KeyRequest, approverMentions: string): SlackMessage {
  const text = `Reminder: the API key request "${escapeMrkdwn(r.apiKeyName)}" from <@${r.requesterId}> expires ${slackDate(r.expiresAt)}.`;
  return { text, blocks: [{ type: 'section', text: mrkdwn(`:bell: ${approverMentions ? `${approverMentions} ` : ''}${escapeMrkdwn(`Reminder: "${escapeMrkdwn(r.apiKeyName)}"`)} from <@${r.requesterId}> expires ${slackDate(r.expiresAt)}. Approve or deny it above.`) }] };
}
