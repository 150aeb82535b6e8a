// /apikey help and the request list reply (both ephemeral command responses).
import type { types } from '@slack/bolt';
import type { KeyRequest } from '../store/request-store.ts';
import type { SlackMessage } from './approval-message.ts';
import { mrkdwn, requestLine, userText } from './format.ts';

export function helpMessage(unknown?: string): SlackMessage {
  const lead = unknown !== undefined ? `Unknown subcommand \`${userText(unknown, 100)}\`.\n` : '';
  const body =
    '*/apikey create [name]* — request an NCP API Gateway key (opens a form; an approver decides)\n' +
    '*/apikey list* — your requests and their state\n' +
    '*/apikey keys* — your keys (and, for approvers, keys needing attention) with Rotate / Revoke buttons\n' +
    '*/apikey revoke &lt;apiKeyId&gt;* — disable (or, if policy says so, delete) one of your keys\n' +
    '*/apikey rotate &lt;apiKeyId&gt;* — regenerate a key\'s secondary, then (once you confirm) its primary value\n' +
    '*/apikey help* — this message';
  return { text: `${lead}Usage: /apikey create [name] | list | keys | rotate &lt;apiKeyId&gt; | revoke &lt;apiKeyId&gt; | help`, blocks: [{ type: 'section', text: mrkdwn(lead + body) }] };
}

const MESSAGE_TEXT_BUDGET = 11_000;

export function requestListMessage(requests: KeyRequest[]): SlackMessage {
  if (requests.length === 0) {
    return { text: 'You have no API key requests. Run /apikey create to make one.', blocks: [{ type: 'section', text: mrkdwn('You have no API key requests. Run `/apikey create` to make one.') }] };
  }
  const blocks: types.KnownBlock[] = [{ type: 'section', text: mrkdwn(`*Your API key requests* (${requests.length})`) }];
  // Slack refuses a message whose blocks hold more than about 12 000 characters in all: stop before that.
  let total = 0;
  let shown = 0;
  for (const r of requests.slice(0, 40)) {
    const line = requestLine(r);
    if (total + line.length > MESSAGE_TEXT_BUDGET) break;
    total += line.length;
    shown++;
    blocks.push({ type: 'section', text: mrkdwn(line) });
  }
  if (shown < requests.length) blocks.push({ type: 'context', elements: [mrkdwn(`…and ${requests.length - shown} more.`)] });
  return { text: `You have ${requests.length} API key request(s).`, blocks };
}
