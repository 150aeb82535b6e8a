// Turns a failure (core's ApiKeyError, a Slack Web API error, anything else) into a short, secret-free line for
// approvers and logs, plus how soon it is worth retrying. Core's codes are mapped with an exhaustive switch.
import { isApiKeyError, redact, type ErrorCode } from '@apikey/core';

export type FailureInfo = { message: string; retryAfterMs?: number };

function describeNcp(code: ErrorCode, e: { status?: number; ncpErrorCode?: string; ncpMessage?: string; message: string }): string {
  const status = e.status !== undefined ? ` (HTTP ${e.status}${e.ncpErrorCode ? `, NCP ${e.ncpErrorCode}` : ''})` : '';
  switch (code) {
    case 'ERR_APIKEY_INPUT': return `NCP rejected the input: ${e.message}`;
    case 'ERR_APIKEY_CREDENTIALS': return 'the app has no usable NCP credentials';
    case 'ERR_APIKEY_AUTH': return `NCP refused the app's credentials${status}; check the access key, secret and clock`;
    case 'ERR_APIKEY_NOT_FOUND': return `NCP could not find the key${status}`;
    case 'ERR_APIKEY_RATE_LIMIT': return `NCP rate-limited the app${status}`;
    case 'ERR_APIKEY_SERVER': return `NCP API Gateway is failing${status}`;
    case 'ERR_APIKEY_HTTP': return `NCP answered with an error${status}${e.ncpMessage ? `: ${e.ncpMessage}` : ''}`;
    case 'ERR_APIKEY_NETWORK': return 'NCP API Gateway is unreachable (network error)';
    case 'ERR_APIKEY_TIMEOUT': return 'NCP API Gateway timed out';
    case 'ERR_APIKEY_ABORTED': return 'the NCP call was aborted (shutting down)';
    case 'ERR_APIKEY_RESPONSE_SHAPE': return 'NCP answered with an unexpected response';
  }
}

type SlackErrorShape = { code?: unknown; data?: { error?: unknown }; retryAfter?: unknown; statusCode?: unknown; message?: unknown };

export function describeFailure(err: unknown): FailureInfo {
  if (isApiKeyError(err)) {
    const info: FailureInfo = { message: redact(describeNcp(err.code, err)) };
    const retryAfterMs = (err as { retryAfterMs?: unknown }).retryAfterMs;
    if (typeof retryAfterMs === 'number') info.retryAfterMs = retryAfterMs;
    return info;
  }
  const e = (typeof err === 'object' && err !== null ? err : {}) as SlackErrorShape;
  switch (e.code) {
    case 'slack_webapi_platform_error':
      return { message: `Slack refused the call: ${String(e.data?.error ?? 'unknown_error')}` };
    case 'slack_webapi_rate_limited_error':
      return { message: 'Slack rate-limited the app', ...(typeof e.retryAfter === 'number' ? { retryAfterMs: e.retryAfter * 1000 } : {}) };
    case 'slack_webapi_http_error':
      return { message: `Slack answered HTTP ${String(e.statusCode ?? '?')}` };
    case 'slack_webapi_request_error':
      return { message: 'Slack is unreachable (network error)' };
    default:
      return { message: redact(err instanceof Error ? err.message : String(err)).slice(0, 300) };
  }
}
