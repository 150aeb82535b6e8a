// Small text helpers shared by the Block Kit builders: mrkdwn escaping, Slack date tokens, state labels.
import type { KeyRequest, RequestState } from '../store/request-store.ts';

/** Escapes user text for mrkdwn so a name like "<!channel>" cannot ping anyone. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A Slack date token: rendered in the reader's time zone, with an ISO fallback. */
export function slackDate(ms: number): string {
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${new Date(ms).toISOString()}>`;
}

export function plain(text: string): { type: 'plain_text'; text: string } {
  return { type: 'plain_text', text };
}

export function mrkdwn(text: string): { type: 'mrkdwn'; text: string } {
  return { type: 'mrkdwn', text };
}

export const STATE_LABEL: Record<RequestState, string> = {
  pending: ':hourglass_flowing_sand: pending approval',
  approved: ':gear: approved, creating the key',
  created: ':key: key created, delivering',
  delivered: ':white_check_mark: delivered',
  denied: ':no_entry: denied',
  expired: ':alarm_clock: expired',
  failed: ':warning: failed',
};

/** One line per request for /apikey list and the App Home tab. */
export function requestLine(r: KeyRequest): string {
  const parts = [`*${escapeMrkdwn(r.apiKeyName)}* — ${STATE_LABEL[r.state]}`, `requested ${slackDate(r.createdAt)}`];
  if (r.decidedBy !== undefined && (r.state === 'denied' || r.state === 'approved' || r.state === 'created' || r.state === 'delivered')) {
    parts.push(`by <@${r.decidedBy}>`);
  }
  if (r.state === 'denied' && r.decisionComment) parts.push(`reason: _${escapeMrkdwn(r.decisionComment)}_`);
  if (r.state === 'pending') parts.push(`expires ${slackDate(r.expiresAt)}`);
  if (r.state === 'failed' && r.lastError) parts.push(`_${escapeMrkdwn(r.lastError)}_ (an approver can retry)`);
  return parts.join(' · ');
}
