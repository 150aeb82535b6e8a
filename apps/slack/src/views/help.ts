// /apikey help and the request list reply (both ephemeral command responses).
import type { types } from '@slack/bolt';
import type { KeyRequest } from '../store/request-store.ts';
import type { SlackMessage } from './approval-message.ts';
import { escapeMrkdwn, mrkdwn, requestLine } from './format.ts';

export function helpMessage(unknown?: string): SlackMessage {
  const lead = unknown !== undefined ? `Unknown subcommand \`${escapeMrkdwn(unknown)}\`.\n` : '';
  const body =
    '*/apikey create [name]* — request an NCP API Gateway key (opens a form; an approver decides)\n' +
    '*/apikey list* — your requests and their state\n' +
    '*/apikey help* — this message';
  return { text: `${lead}Usage: /apikey create [name] | list | help`, blocks: [{ type: 'section', text: mrkdwn(lead + body) }] };
}

export function requestListMessage(requests: KeyRequest[]): SlackMessage {
  if (requests.length === 0) {
    return { text: 'You have no API key requests. Run /apikey create to make one.', blocks: [{ type: 'section', text: mrkdwn('You have no API key requests. Run `/apikey create` to make one.') }] };
  }
  const blocks: types.KnownBlock[] = [{ type: 'section', text: mrkdwn(`*Your API key requests* (${requests.length})`) }];
  for (const r of requests.slice(0, 40)) blocks.push({ type: 'section', text: mrkdwn(requestLine(r)) });
  return { text: `You have ${requests.length} API key request(s).`, blocks };
}
