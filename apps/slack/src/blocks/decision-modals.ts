// Modals an approver sees: the approve confirmation (apikey_approve, optional comment), the deny modal
// (apikey_deny, required reason) and a read-only notice when the request can no longer be decided.
// private_metadata carries the request id only.
import type { types } from '@slack/bolt';
import type { KeyRequest } from '../store/request-store.ts';
import { mrkdwn, plain, slackDate, TEXT_LIMIT, userText } from './format.ts';

export const APPROVE_CALLBACK_ID = 'apikey_approve';
export const DENY_CALLBACK_ID = 'apikey_deny';
export const REASON_MAX = 500;

function requestSummary(r: KeyRequest): types.KnownBlock {
  // Budgets after escaping: name and description are short when valid, and the justification gets what is
  // left of the section's 3000 characters, so the modal opens whatever the request holds.
  return {
    type: 'section',
    text: mrkdwn(
      `*${userText(r.apiKeyName, 200)}* for <@${r.requesterId}>` +
        (r.apiKeyDescription ? `\n${userText(r.apiKeyDescription, 300)}` : '') +
        `\n*Justification:* ${userText(r.justification, 2200)}\nRequested ${slackDate(r.createdAt)} · expires ${slackDate(r.expiresAt)}`,
    ),
  };
}

export function buildApproveModal(r: KeyRequest): types.ModalView {
  return {
    type: 'modal',
    callback_id: APPROVE_CALLBACK_ID,
    private_metadata: r.id,
    title: plain('Approve API key'),
    submit: plain('Approve'),
    close: plain('Cancel'),
    blocks: [
      requestSummary(r),
      {
        type: 'input',
        block_id: 'comment',
        optional: true,
        label: plain('Comment (optional)'),
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: REASON_MAX },
      },
    ],
  };
}

export function buildDenyModal(r: KeyRequest): types.ModalView {
  return {
    type: 'modal',
    callback_id: DENY_CALLBACK_ID,
    private_metadata: r.id,
    title: plain('Deny API key'),
    submit: plain('Deny'),
    close: plain('Cancel'),
    blocks: [
      requestSummary(r),
      {
        type: 'input',
        block_id: 'reason',
        label: plain('Reason (sent to the requester)'),
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: REASON_MAX },
      },
    ],
  };
}

/**
 * A modal without submit that explains why nothing can be done (already decided, not an approver, …).
 * `message` is mrkdwn the caller composed with user/NCP parts already escaped (ncpText, userText).
 */
export function buildNoticeModal(title: string, message: string): types.ModalView {
  return {
    type: 'modal',
    title: plain(title, TEXT_LIMIT.modalTitle),
    close: plain('Close'),
    blocks: [{ type: 'section', text: mrkdwn(message) }],
  };
}
