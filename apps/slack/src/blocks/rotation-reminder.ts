// The rotation reminder DM: a key is older (since its last rotation) than its product's rotateAfter. It names
// the key and carries the Rotate button (value = apiKeyId); never key values.
import type { RegisteredKey } from '../store/key-registry.ts';
import type { SlackMessage } from './approval-message.ts';
import { mrkdwn, ncpText, plain, slackDate, userText } from './format.ts';
import { ROTATE_ACTION_ID } from './key-actions.ts';
import { keyAge, keyProduct } from './keys.ts';

export function rotationReminderDm(key: RegisteredKey, o: { now: number; rotateAfterMs: number }): SlackMessage {
  const since = key.rotatedAt ?? key.createdAt;
  const text = `Your API key "${userText(key.apiKeyName, 200)}" (${ncpText(key.apiKeyId, 40)}) is due for rotation: last ${key.rotatedAt !== undefined ? 'rotated' : 'issued'} ${keyAge(since, o.now)} ago; policy asks every ${keyAge(0, o.rotateAfterMs)}.`;
  return {
    text,
    blocks: [
      {
        type: 'section',
        text: mrkdwn(`:alarm_clock: Your API key *${userText(key.apiKeyName, 200)}* \`${ncpText(key.apiKeyId, 40)}\` (${keyProduct(key)}) is due for rotation: last ${key.rotatedAt !== undefined ? 'rotated' : 'issued'} ${slackDate(since)}, and policy asks for a rotation every ${keyAge(0, o.rotateAfterMs)}.`),
      },
      { type: 'actions', block_id: `remind_${key.apiKeyId}`.slice(0, 255), elements: [{ type: 'button', action_id: ROTATE_ACTION_ID, style: 'primary', text: plain('Rotate'), value: key.apiKeyId }] },
      { type: 'context', elements: [mrkdwn('Rotating replaces the secondary value first, then the primary once you confirm your clients moved. `/apikey keys` lists all your keys.')] },
    ],
  };
}
