// @apikey/core/lite: the zod-free part of core — text rules and live validators, printable(), redaction and the
// error classes. A UI can import this for its first frame (validation, safe display of NCP text, error messages)
// without paying for zod's start-up; the client (`@apikey/core`) can then load behind it.

export {
  validateApiKeyName,
  validateApiKeyDescription,
  countCodePoints,
  API_KEY_NAME_MAX,
  API_KEY_DESCRIPTION_MAX,
} from './schemas/text.ts';
export { printable } from './text/printable.ts';
export { redact, MASK } from './redact.ts';
export {
  ApiKeyError,
  InputError,
  CredentialsError,
  AuthError,
  NotFoundError,
  RateLimitError,
  ServerError,
  HttpError,
  NetworkError,
  TimeoutError,
  AbortedError,
  ResponseShapeError,
  isApiKeyError,
  ERROR_CODES,
  AUTH_HINT,
  type ErrorCode,
} from './errors.ts';
