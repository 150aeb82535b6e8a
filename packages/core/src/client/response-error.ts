// Maps a non-2xx response to the error class a caller can act on, carrying NCP's envelope fields and
// the x-ncp-trace-id. The status decides the class; the envelope (if any) only adds detail.

import {
  type ApiKeyError,
  AuthError,
  HttpError,
  NotFoundError,
  RateLimitError,
  ServerError,
  type ApiKeyErrorDetails,
} from '../errors.ts';
import { parseNcpErrorBody } from '../schemas/error-envelope.ts';

export type RawResponse = { status: number; statusText: string; headers: Headers; text: string };

/** Retry-After as delta-seconds or an HTTP date, in ms from `nowMs`; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const date = Date.parse(v);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

export function errorFromResponse(res: RawResponse, method: string, path: string, nowMs: number): ApiKeyError {
  const envelope = parseNcpErrorBody(res.text);
  const traceId = res.headers.get('x-ncp-trace-id') ?? undefined;
  const details: ApiKeyErrorDetails = {
    status: res.status,
    ncpErrorCode: envelope?.errorCode,
    ncpMessage: envelope?.message,
    ncpDetails: envelope?.details,
    traceId,
    method,
    path,
  };
  const ncp = envelope === undefined ? '' : `: ${envelope.message ?? 'error'} (errorCode ${envelope.errorCode}${envelope.details ? `, ${envelope.details}` : ''})`;
  const what = `${method} ${path} failed with HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${ncp}`;
  const status = res.status;
  if (status === 401 || status === 403) return new AuthError(what, details);
  if (status === 404) {
    // errorCode 10008 means the account has no API Gateway tenant, not that the key is missing.
    const hint = envelope?.errorCode === '10008' ? ' — API Gateway is not subscribed on this account (tenant not found)' : '';
    return new NotFoundError(what + hint, details);
  }
  if (status === 429) {
    return new RateLimitError(what, { ...details, retryAfterMs: parseRetryAfter(res.headers.get('retry-after'), nowMs) });
  }
  if (status >= 500) return new ServerError(what, details);
  return new HttpError(what, details);
}
