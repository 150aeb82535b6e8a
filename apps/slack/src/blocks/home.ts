// The App Home tab: pending requests for approvers (with the same approve/deny buttons as the channel
// message, so a missed click is recoverable), and the viewer's own requests for everyone.
import type { types } from '@slack/bolt';
import type { KeyRequest } from '../store/request-store.ts';
import { decisionButtons } from './approval-message.ts';
import { mrkdwn, plain, productLabel, requestLine, slackDate, TEXT_LIMIT, userText } from './format.ts';

export function buildHomeView(opts: { isApprover: boolean; pending: KeyRequest[]; mine: KeyRequest[] }): types.HomeView {
  const blocks: types.KnownBlock[] = [
    { type: 'header', text: plain('API keys') },
    { type: 'section', text: mrkdwn('Run `/apikey create` to request an NCP API Gateway key, `/apikey list` for your requests.') },
  ];
  if (opts.isApprover) {
    blocks.push({ type: 'divider' }, { type: 'header', text: plain(`Waiting for your decision (${opts.pending.length})`, TEXT_LIMIT.header) });
    if (opts.pending.length === 0) blocks.push({ type: 'context', elements: [mrkdwn('Nothing pending.')] });
    for (const r of opts.pending.slice(0, 20)) {
      blocks.push({
        type: 'section',
        text: mrkdwn(`*${userText(r.apiKeyName, 200)}*${productLabel(r, 100) !== undefined ? ` (product ${productLabel(r, 100)})` : ''} for <@${r.requesterId}> · expires ${slackDate(r.expiresAt)}\n${userText(r.justification, 300)}`),
      });
      blocks.push({ type: 'actions', elements: decisionButtons(r) });
    }
  }
  blocks.push({ type: 'divider' }, { type: 'header', text: plain('My requests') });
  if (opts.mine.length === 0) blocks.push({ type: 'context', elements: [mrkdwn('You have not requested any keys yet.')] });
  for (const r of opts.mine.slice(0, 20)) blocks.push({ type: 'section', text: mrkdwn(requestLine(r)) });
  return { type: 'home', blocks: blocks.slice(0, 100) };
}
