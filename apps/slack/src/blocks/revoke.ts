// Revocation as people see it: the confirmation modal (`/apikey revoke` and the Revoke button both open it, so
// a stray click never revokes), and the approver-channel notice once the key is disabled or deleted. They name
// the key by id, name and product — never its values.
import type { types } from '@slack/bolt';
import type { RegisteredKey } from '../store/key-registry.ts';
import type { SlackMessage } from './approval-message.ts';
import { mrkdwn, ncpText, plain, slackDate, userText } from './format.ts';
import { keyProduct } from './keys.ts';

export const REVOKE_CALLBACK_ID = 'apikey_revoke';

export type RevokeMode = 'disable' | 'delete';

const keyRef = (key: RegisteredKey) => `*${userText(key.apiKeyName, 200)}* \`${ncpText(key.apiKeyId, 40)}\` (${keyProduct(key)})`;

/** private_metadata carries the apiKeyId only; what revoking does is decided again at submit. */
export function buildRevokeModal(key: RegisteredKey, mode: RevokeMode): types.ModalView {
  const effect = mode === 'delete'
    ? 'It will be *deleted* on NCP: every client using it stops working, and it cannot be restored.'
    : 'It will be *disabled* on NCP: every client using it stops working at once.';
  return {
    type: 'modal',
    callback_id: REVOKE_CALLBACK_ID,
    private_metadata: key.apiKeyId,
    title: plain('Revoke API key'),
    submit: plain(mode === 'delete' ? 'Delete key' : 'Disable key'),
    close: plain('Cancel'),
    blocks: [
      { type: 'section', text: mrkdwn(`Revoke ${keyRef(key)} of <@${key.ownerId}>, created ${slackDate(key.createdAt)}?`) },
      { type: 'section', text: mrkdwn(effect) },
    ],
  };
}

/** The approver channel's notice: who revoked which key, and what happened to it. */
export function revokedNotice(key: RegisteredKey, actor: string, outcome: 'disabled' | 'deleted'): SlackMessage {
  const text = `<@${actor}> revoked API key ${keyRef(key)} of <@${key.ownerId}>: ${outcome} on NCP.`;
  return {
    text,
    blocks: [{ type: 'section', text: mrkdwn(`:no_entry_sign: ${text}`) }],
  };
}

/** DM to whoever asked when a revocation could not be carried out after every retry. */
export function revokeFailedDm(key: RegisteredKey, error: string): SlackMessage {
  const text = `Revoking API key ${keyRef(key)} failed after several attempts: ${ncpText(error, 500)}. The key may still work; please try again or ask an NCP admin.`;
  return { text, blocks: [{ type: 'section', text: mrkdwn(`:warning: ${text}`) }] };
}
