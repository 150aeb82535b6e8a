// The message in the approver channel, rendered from the request's current state so any replica can
// re-render it idempotently (chat.update in place). It carries the key id once created, never a key.
import type { types } from '@slack/bolt';
import type { KeyRequest } from '../store/request-store.ts';
import { cutMrkdwn, mrkdwn, ncpText, plain, productLabel, slackDate, TEXT_LIMIT, userText } from './format.ts';
import { approvalsLine, approvedBy, type QuorumView } from './quorum.ts';

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
        mrkdwn(`*Name*\n${userText(r.apiKeyName, 500)}`, TEXT_LIMIT.field),
        mrkdwn(`*Description*\n${r.apiKeyDescription ? userText(r.apiKeyDescription, 1000) : '_none_'}`, TEXT_LIMIT.field),
        mrkdwn(`*Product*\n${productLabel(r, 500) ?? '_none_'}`, TEXT_LIMIT.field),
      ],
    },
    { type: 'section', text: mrkdwn(`*Justification*\n${userText(r.justification, 2900)}`) },
  ];
}

function status(r: KeyRequest, maxAttempts: number, q: QuorumView | undefined): { line: string; text: string } {
  const by = r.state === 'denied' ? (r.decidedBy !== undefined ? `<@${r.decidedBy}>` : 'an approver') : approvedBy(r, q);
  const when = r.decidedAt !== undefined ? ` at ${slackDate(r.decidedAt)}` : '';
  const comment = r.decisionComment ? `\n> ${userText(r.decisionComment, 1500)}` : '';
  const retrying = r.lastError ? `\n:warning: Attempt ${r.attempts} of ${maxAttempts} failed: ${ncpText(r.lastError, 800)}. Retrying automatically.` : '';
  const name = userText(r.apiKeyName, 200);
  const keyId = r.apiKeyId !== undefined ? ncpText(r.apiKeyId, 100) : '?';
  switch (r.state) {
    case 'pending':
      return { line: `:hourglass_flowing_sand: Pending · expires ${slackDate(r.expiresAt)}${approvalsLine(q) !== undefined ? `\n${approvalsLine(q)}` : ''}`, text: `API key request "${name}" from <@${r.requesterId}> is waiting for approval` };
    case 'approved':
      return { line: `:gear: Approved by ${by}${when}; creating the key…${comment}${retrying}`, text: `API key request "${name}" approved by ${by}` };
    case 'created':
      return { line: `:key: Approved by ${by}${when}. Key \`${keyId}\` created; delivering to <@${r.requesterId}>…${comment}${retrying}`, text: `API key request "${name}" approved by ${by}` };
    case 'delivered':
      return { line: `:white_check_mark: Approved by ${by}${when}. Key \`${keyId}\` delivered to <@${r.requesterId}>.${comment}`, text: `API key request "${name}" approved by ${by}` };
    case 'denied':
      return { line: `:no_entry: Denied by ${by}${when}.${comment}`, text: `API key request "${name}" denied by ${by}` };
    case 'expired':
      return { line: `:alarm_clock: Expired ${slackDate(r.expiresAt)} without a decision.`, text: `API key request "${name}" expired` };
    case 'failed':
      return {
        line: `:x: Approved by ${by}${when}, but ${r.apiKeyId ? `delivering key \`${keyId}\`` : 'creating the key'} failed after ${r.attempts} attempts: ${ncpText(r.lastError ?? 'unknown error', 800)}. An approver can retry.`,
        text: `API key request "${name}" failed; an approver can retry`,
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

export function buildApprovalMessage(r: KeyRequest, opts: { maxAttempts: number; approverMentions?: string; quorum?: QuorumView }): SlackMessage {
  const { line, text } = status(r, opts.maxAttempts, opts.quorum);
  const blocks: types.KnownBlock[] = [{ type: 'header', text: plain(`API key request: ${r.apiKeyName}`, TEXT_LIMIT.header) }, ...summary(r)];
  blocks.push({ type: 'context', elements: [mrkdwn(line, TEXT_LIMIT.context)] });
  if (r.state === 'pending') {
    if (opts.approverMentions) blocks.push({ type: 'context', elements: [mrkdwn(`Approvers: ${opts.approverMentions}`, TEXT_LIMIT.context)] });
    blocks.push({ type: 'actions', block_id: 'decision', elements: decisionButtons(r) });
  }
  if (r.state === 'failed') {
    blocks.push({
      type: 'actions',
      block_id: 'recovery',
      elements: [{ type: 'button', action_id: RETRY_ACTION_ID, text: plain('Retry'), value: r.id }],
    });
  }
  return { text: cutMrkdwn(text, TEXT_LIMIT.message), blocks };
}

export function buildReminderMessage(r: KeyRequest, approverMentions: string): SlackMessage {
  // Escaped once: the name is user text, the rest is ours (mentions and the date token must stay live).
  const what = `"${userText(r.apiKeyName, 200)}" from <@${r.requesterId}> expires ${slackDate(r.expiresAt)}`;
  return {
    text: `Reminder: the API key request ${what}.`,
    blocks: [{ type: 'section', text: mrkdwn(`:bell: ${approverMentions ? `${approverMentions} ` : ''}Reminder: ${what}. Approve or deny it above.`) }],
  };
}
