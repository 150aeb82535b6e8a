// The App Home tab: pending requests for approvers (with the same approve/deny buttons as the channel
// message, so a missed click is recoverable), the viewer's keys ("My keys", with Rotate / Revoke) and, for
// approvers, keys needing attention, and the viewer's own requests. A view holds at most 100 blocks: each
// section gets a share and says how many did not fit.
import type { types } from '@slack/bolt';
import { homeHeader, keyOverviewBlocks, type KeyOverview } from './keys.ts';
import type { RegisteredKey } from '../store/key-registry.ts';
import type { KeyRequest } from '../store/request-store.ts';
import { decisionButtons } from './approval-message.ts';
import { mrkdwn, plain, productLabel, requestLine, slackDate, TEXT_LIMIT, userText } from './format.ts';

const MAX_BLOCKS = 100;
const PENDING_SHOWN = 10;   // 2 blocks each
const REQUESTS_SHOWN = 10;  // 1 block each

export function buildHomeView(opts: {
  isApprover: boolean;
  pending: KeyRequest[];
  mine: KeyRequest[];
  keys?: { overview: KeyOverview; now: number; rotateAfterOf: (key: RegisteredKey) => number | undefined };
}): types.HomeView {
  const blocks: types.KnownBlock[] = [
    { type: 'header', text: plain('API keys') },
    { type: 'section', text: mrkdwn('Run `/apikey create` to request an NCP API Gateway key, `/apikey keys` for your keys, `/apikey list` for your requests.') },
  ];
  if (opts.isApprover) {
    blocks.push({ type: 'divider' }, { type: 'header', text: plain(`Waiting for your decision (${opts.pending.length})`, TEXT_LIMIT.header) });
    if (opts.pending.length === 0) blocks.push({ type: 'context', elements: [mrkdwn('Nothing pending.')] });
    for (const r of opts.pending.slice(0, PENDING_SHOWN)) {
      blocks.push({
        type: 'section',
        text: mrkdwn(`*${userText(r.apiKeyName, 200)}*${productLabel(r, 100) !== undefined ? ` (product ${productLabel(r, 100)})` : ''} for <@${r.requesterId}> · expires ${slackDate(r.expiresAt)}\n${userText(r.justification, 300)}`),
      });
      blocks.push({ type: 'actions', elements: decisionButtons(r) });
    }
    if (opts.pending.length > PENDING_SHOWN) blocks.push({ type: 'context', elements: [mrkdwn(`…and ${opts.pending.length - PENDING_SHOWN} more in the approver channel.`)] });
  }
  // What the requests list at the end needs: divider, header, its lines and a closing line.
  const requestsBlocks = 2 + Math.max(1, Math.min(opts.mine.length, REQUESTS_SHOWN)) + 1;
  if (opts.keys !== undefined) {
    blocks.push({ type: 'divider' });
    blocks.push(...keyOverviewBlocks(opts.keys.overview, {
      now: opts.keys.now,
      rotateAfterOf: opts.keys.rotateAfterOf,
      maxBlocks: MAX_BLOCKS - blocks.length - requestsBlocks,
      // A view has no documented text cap besides its 250 kB; keep well inside it.
      maxText: 60_000,
      header: homeHeader,
    }));
  }
  blocks.push({ type: 'divider' }, { type: 'header', text: plain('My requests') });
  if (opts.mine.length === 0) blocks.push({ type: 'context', elements: [mrkdwn('You have not requested any keys yet.')] });
  for (const r of opts.mine.slice(0, REQUESTS_SHOWN)) blocks.push({ type: 'section', text: mrkdwn(requestLine(r)) });
  if (opts.mine.length > REQUESTS_SHOWN) blocks.push({ type: 'context', elements: [mrkdwn('Older requests: `/apikey list`.')] });
  return { type: 'home', blocks: blocks.slice(0, MAX_BLOCKS) };
}
