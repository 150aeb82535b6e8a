// Slack's v0 request signature: the one place the testkit computes X-Slack-Signature.
import { createHmac } from 'node:crypto';

/** `v0=` + hex HMAC-SHA256 of `v0:${timestamp}:${rawBody}` keyed by the signing secret. */
export function signSlackRequest(signingSecret: string, timestamp: number | string, rawBody: string): string {
  if (typeof signingSecret !== 'string' || signingSecret === '') {
    throw new TypeError('signSlackRequest: signingSecret must be a non-empty string');
  }
  const ts = String(timestamp);
  if (!/^\d+$/.test(ts)) throw new TypeError('signSlackRequest: timestamp must be whole epoch seconds');
  const mac = createHmac('sha256', signingSecret).update(`v0:${ts}:${rawBody}`, 'utf8').digest('hex');
  return `v0=${mac}`;
}
