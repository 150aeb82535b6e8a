// Error taxonomy of @apikey/core: one base class with a stable string `code`, so front-ends can map
// failures to exit codes / Slack messages with an exhaustive switch instead of matching messages.

export type ErrorCode =
  | 'ERR_APIKEY_INPUT'
  | 'ERR_APIKEY_CREDENTIALS'
  | 'ERR_APIKEY_AUTH'
  | 'ERR_APIKEY_NOT_FOUND'
  | 'ERR_APIKEY_RATE_LIMIT'
  | 'ERR_APIKEY_SERVER'
  | 'ERR_APIKEY_HTTP'
  | 'ERR_APIKEY_NETWORK'
  | 'ERR_APIKEY_TIMEOUT'
  | 'ERR_APIKEY_ABORTED'
  | 'ERR_APIKEY_RESPONSE_SHAPE';

export const ERROR_CODES: readonly ErrorCode[] = [
  'ERR_APIKEY_INPUT',
  'ERR_APIKEY_CREDENTIALS',
  'ERR_APIKEY_AUTH',
  'ERR_APIKEY_NOT_FOUND',
  'ERR_APIKEY_RATE_LIMIT',
  'ERR_APIKEY_SERVER',
  'ERR_APIKEY_HTTP',
  'ERR_APIKEY_NETWORK',
  'ERR_APIKEY_TIMEOUT',
  'ERR_APIKEY_ABORTED',
  'ERR_APIKEY_RESPONSE_SHAPE',
];

/** Facts about a failed HTTP exchange; every field is optional because not every failure has a response. */
export type ApiKeyErrorDetails = {
  status?: number | undefined;
  ncpErrorCode?: string | undefined;
  ncpMessage?: string | undefined;
  ncpDetails?: string | undefined;
  traceId?: string | undefined;
  /** HTTP method of the request that failed, when there was one. */
  method?: string | undefined;
  /** Path and query (never the host's credentials, never headers) of the request that failed. */
  path?: string | undefined;
  cause?: unknown;
};

export class ApiKeyError extends Error {
  readonly code: ErrorCode;
  readonly status?: number;
  readonly ncpErrorCode?: string;
  readonly ncpMessage?: string;
  readonly ncpDetails?: string;
  readonly traceId?: string;
  readonly method?: string;
  readonly path?: string;
  declare cause?: unknown;

  constructor(code: ErrorCode, message: string, details: ApiKeyErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ApiKeyError';
    this.code = code;
    // Assigned one by one so absent facts stay absent (exactOptionalPropertyTypes, clean JSON output).
    if (details.status !== undefined) this.status = details.status;
    if (details.ncpErrorCode !== undefined) this.ncpErrorCode = details.ncpErrorCode;
    if (details.ncpMessage !== undefined) this.ncpMessage = details.ncpMessage;
    if (details.ncpDetails !== undefined) this.ncpDetails = details.ncpDetails;
    if (details.traceId !== undefined) this.traceId = details.traceId;
    if (details.method !== undefined) this.method = details.method;
    if (details.path !== undefined) this.path = details.path;
  }

  /** A JSON-safe view for `--json` error output and structured logs; contains no secrets. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, code: this.code, message: this.message };
    for (const k of ['status', 'ncpErrorCode', 'ncpMessage', 'ncpDetails', 'traceId', 'method', 'path'] as const) {
      if (this[k] !== undefined) out[k] = this[k];
    }
    return out;
  }
}

export type InputIssue = { path: string; message: string };

export class InputError extends ApiKeyError {
  readonly issues: InputIssue[];
  constructor(issues: InputIssue[], message?: string) {
    super('ERR_APIKEY_INPUT', message ?? formatIssues(issues));
    this.name = 'InputError';
    this.issues = issues;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

function formatIssues(issues: InputIssue[]): string {
  if (issues.length === 0) return 'Invalid input';
  return `Invalid input: ${issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ')}`;
}

export class CredentialsError extends ApiKeyError {
  readonly missing: string[];
  constructor(missing: string[], message: string) {
    super('ERR_APIKEY_CREDENTIALS', message);
    this.name = 'CredentialsError';
    this.missing = missing;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), missing: this.missing };
  }
}

export const AUTH_HINT =
  'Check the NCP access key and secret key (NCLOUD_ACCESS_KEY / NCLOUD_SECRET_KEY or the profile in ~/.ncloud/configure), ' +
  'that they belong to this site (public, gov, fin), and that the system clock is within ±5 minutes of real time: ' +
  'NCP rejects signatures whose timestamp is skewed by more than 5 minutes.';

export class AuthError extends ApiKeyError {
  readonly hint: string;
  constructor(message: string, details: ApiKeyErrorDetails = {}) {
    super('ERR_APIKEY_AUTH', message, details);
    this.name = 'AuthError';
    this.hint = AUTH_HINT;
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), hint: this.hint };
  }
}

export class NotFoundError extends ApiKeyError {
  constructor(message: string, details: ApiKeyErrorDetails = {}) {
    super('ERR_APIKEY_NOT_FOUND', message, details);
    this.name = 'NotFoundError';
  }
}

export class RateLimitError extends ApiKeyError {
  /** What the server asked us to wait (Retry-After), when it said. */
  readonly retryAfterMs?: number;
  constructor(message: string, details: ApiKeyErrorDetails & { retryAfterMs?: number | undefined } = {}) {
    super('ERR_APIKEY_RATE_LIMIT', message, details);
    this.name = 'RateLimitError';
    if (details.retryAfterMs !== undefined) this.retryAfterMs = details.retryAfterMs;
  }
  override toJSON(): Record<string, unknown> {
    const out = super.toJSON();
    if (this.retryAfterMs !== undefined) out['retryAfterMs'] = this.retryAfterMs;
    return out;
  }
}

export class ServerError extends ApiKeyError {
  constructor(message: string, details: ApiKeyErrorDetails = {}) {
    super('ERR_APIKEY_SERVER', message, details);
    this.name = 'ServerError';
  }
}

export class HttpError extends ApiKeyError {
  constructor(message: string, details: ApiKeyErrorDetails = {}) {
    super('ERR_APIKEY_HTTP', message, details);
    this.name = 'HttpError';
  }
}

export class NetworkError extends ApiKeyError {
  constructor(message: string, details: ApiKeyErrorDetails = {}) {
    super('ERR_APIKEY_NETWORK', message, details);
    this.name = 'NetworkError';
  }
}

export class TimeoutError extends ApiKeyError {
  constructor(message: string, details: ApiKeyErrorDetails = {}) {
    super('ERR_APIKEY_TIMEOUT', message, details);
    this.name = 'TimeoutError';
  }
}

export class AbortedError extends ApiKeyError {
  constructor(message: string, details: ApiKeyErrorDetails = {}) {
    super('ERR_APIKEY_ABORTED', message, details);
    this.name = 'AbortedError';
  }
}

export class ResponseShapeError extends ApiKeyError {
  /** Where the body diverged from its schema (zod paths), for debugging; never holds body values. */
  readonly issues: InputIssue[];
  constructor(message: string, details: ApiKeyErrorDetails & { issues?: InputIssue[] } = {}) {
    super('ERR_APIKEY_RESPONSE_SHAPE', message, details);
    this.name = 'ResponseShapeError';
    this.issues = details.issues ?? [];
  }
}

export function isApiKeyError(e: unknown): e is ApiKeyError {
  return e instanceof ApiKeyError;
}
