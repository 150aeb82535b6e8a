// Small text helpers shared by the Block Kit builders: mrkdwn escaping and cutting to Slack's limits, Slack
// date tokens, state labels.
//
// Escaping lengthens text (`&` becomes `&amp;`, five characters), so limits are applied AFTER escaping:
// every user- or NCP-sourced piece is escaped, then cut to its budget, and every composed text is cut to its
// block's limit. A cut never splits an entity (`&amp;`), a surrogate pair or one of our own `<…>` tokens
// (mentions, dates), and ends with `…`. Lengths are UTF-16 units, never fewer than Slack's character count.
import { printable } from '@apikey/core';
import type { KeyRequest, RequestState } from '../store/request-store.ts';

/** Slack's limits on text the builders produce (characters). */
export const TEXT_LIMIT = { section: 3000, field: 2000, context: 3000, header: 150, modalTitle: 24, message: 40_000 } as const;

/** Escapes user text for mrkdwn so a name like "<!channel>" cannot ping anyone. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const ELLIPSIS = '…';

/**
 * Cuts already-escaped mrkdwn to at most `max` UTF-16 units (ending with … when cut), moving the cut back so
 * it never splits an entity, a surrogate pair or a `<…>` token.
 */
export function cutMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - ELLIPSIS.length);
  const amp = text.lastIndexOf('&', end - 1);
  if (amp !== -1 && amp >= end - 5 && text.indexOf(';', amp) >= end) end = amp; // inside &amp; &lt; &gt;
  const open = text.lastIndexOf('<', end - 1);
  if (open !== -1 && text.lastIndexOf('>', end - 1) < open) end = open; // inside <@U…> or <!date^…>
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end--;
  return text.slice(0, end) + ELLIPSIS;
}

/** Plain text (no escaping in plain_text) cut to `max` UTF-16 units without splitting a surrogate pair; never empty. */
export function cutPlain(text: string, max: number): string {
  const t = text.length > 0 ? text : ' ';
  if (t.length <= max) return t;
  let end = max - ELLIPSIS.length;
  if (end > 0 && isHighSurrogate(t.charCodeAt(end - 1))) end--;
  return t.slice(0, end) + ELLIPSIS;
}

/**
 * User text for mrkdwn: control characters other than newline and tab shown visibly (input validation
 * refuses them, but stored text is shown whatever its origin), escaped, then cut to `max`.
 */
export function userText(raw: string, max: number): string {
  return cutMrkdwn(escapeMrkdwn(raw.replace(/[^\n\t]+/g, printable)), max);
}

/** Text that came from NCP (error messages, ids): control characters shown visibly, escaped, cut to `max`. */
export function ncpText(raw: string, max: number): string {
  return cutMrkdwn(escapeMrkdwn(printable(raw)), max);
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

/** A Slack date token: rendered in the reader's time zone, with an ISO fallback. */
export function slackDate(ms: number): string {
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${new Date(ms).toISOString()}>`;
}

/** A plain_text object, cut to `max` (default: a section's limit). */
export function plain(text: string, max: number = TEXT_LIMIT.section): { type: 'plain_text'; text: string } {
  return { type: 'plain_text', text: cutPlain(text, max) };
}

/** A mrkdwn object from composed, already-escaped text, cut to `max` (default: a section's limit). */
export function mrkdwn(text: string, max: number = TEXT_LIMIT.section): { type: 'mrkdwn'; text: string } {
  return { type: 'mrkdwn', text: text.length > 0 ? cutMrkdwn(text, max) : ' ' };
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

/** The request's product as people read it, name (NCP-sourced, so escaped) and id; undefined when it names none. */
export function productLabel(r: Pick<KeyRequest, 'productId' | 'productName'>, max = 200): string | undefined {
  if (r.productId === undefined) return undefined;
  const id = ncpText(r.productId, 40);
  return r.productName ? `${ncpText(r.productName, max)} (\`${id}\`)` : `\`${id}\``;
}

/** One line per request for /apikey list and the App Home tab. */
export function requestLine(r: KeyRequest): string {
  const product = productLabel(r, 100);
  const parts = [`*${userText(r.apiKeyName, 200)}*${product !== undefined ? ` for ${product}` : ''} — ${STATE_LABEL[r.state]}`, `requested ${slackDate(r.createdAt)}`];
  if (r.decidedBy !== undefined && (r.state === 'denied' || r.state === 'approved' || r.state === 'created' || r.state === 'delivered')) {
    parts.push(`by <@${r.decidedBy}>`);
  }
  if (r.state === 'denied' && r.decisionComment) parts.push(`reason: _${userText(r.decisionComment, 1000)}_`);
  if (r.state === 'pending') parts.push(`expires ${slackDate(r.expiresAt)}`);
  if (r.state === 'failed' && r.lastError) parts.push(`_${ncpText(r.lastError, 1000)}_ (an approver can retry)`);
  return cutMrkdwn(parts.join(' · '), TEXT_LIMIT.section);
}
