// What a quorum looks like to people: the "k of N approvals" line on the approval message and the requester's
// DM once the last needed approval is in. Both render from stored approvals, so any replica re-renders them.
import type { Approval, KeyRequest } from '../store/request-store.ts';
import type { SlackMessage } from './approval-message.ts';
import { mrkdwn, userText } from './format.ts';

export type QuorumView = { quorum: number; approvals: readonly Approval[] };

const who = (approvals: readonly Approval[]) => approvals.map((a) => `<@${a.approverId}>`).join(', ');

/** "1 of 2 approvals (<@U…>)" while pending; undefined for a quorum of one (the message needs no count). */
export function approvalsLine(q: QuorumView | undefined): string | undefined {
  if (q === undefined || q.quorum <= 1) return undefined;
  return `:ballot_box_with_check: ${q.approvals.length} of ${q.quorum} approvals${q.approvals.length > 0 ? ` (${who(q.approvals)})` : ''}`;
}

/** "Approved by <@a>, <@b>" once a quorum approved it; the single decider otherwise. */
export function approvedBy(r: KeyRequest, q: QuorumView | undefined): string {
  if (q !== undefined && q.quorum > 1 && q.approvals.length > 0) return who(q.approvals);
  return r.decidedBy !== undefined ? `<@${r.decidedBy}>` : 'an approver';
}

export function approvedDm(r: KeyRequest, q: QuorumView): SlackMessage {
  const text = `Your API key request "${userText(r.apiKeyName, 200)}" has all ${q.quorum} approvals it needs; the key is being created.`;
  return {
    text,
    blocks: [
      { type: 'section', text: mrkdwn(`:white_check_mark: ${text}`) },
      { type: 'context', elements: [mrkdwn(`Approved by ${who(q.approvals)}. The key follows in this conversation.`)] },
    ],
  };
}
