// @apikey/core: signer, schemas, API client, errors, credential parsing and redaction for the NCP API
// Gateway API-key endpoints. Web APIs only, so the same source runs on Node and Deno.

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
  type InputIssue,
  type ApiKeyErrorDetails,
} from './errors.ts';

export {
  apiKeyNameSchema,
  apiKeyDescriptionSchema,
  createApiKeyInputSchema,
  updateApiKeyInputSchema,
  listApiKeysQuerySchema,
  iterateApiKeysQuerySchema,
  pageQuerySchema,
  apiKeyIdSchema,
  productIdSchema,
  keyTypeSchema,
  validateApiKeyName,
  validateApiKeyDescription,
  apiKeySchema,
  apiKeyResponseSchema,
  apiKeyListResponseSchema,
  apiKeyProductSchema,
  apiKeyProductsResponseSchema,
  ncpErrorEnvelopeSchema,
  parseNcpErrorBody,
  countCodePoints,
  API_KEY_NAME_MAX,
  API_KEY_DESCRIPTION_MAX,
  type ApiKey,
  type ApiKeyPage,
  type ApiKeyProduct,
  type ApiKeyProductPage,
  type CreateApiKeyInput,
  type UpdateApiKeyInput,
  type ListApiKeysQuery,
  type IterateApiKeysQuery,
  type PageQuery,
  type KeyType,
  type NcpErrorInfo,
} from './schemas/index.ts';

export {
  buildStringToSign,
  signV2,
  createSigningFetch,
  HEADER_ACCESS_KEY,
  HEADER_SIGNATURE,
  HEADER_TIMESTAMP,
  type SignV2Input,
  type SigningFetchOptions,
} from './signer/index.ts';

export {
  createApiGatewayClient,
  isCreateMarker,
  operationIdSchema,
  CREATE_MARKER_PREFIX,
  type CreateOptions,
  siteEndpoint,
  isSite,
  parseRetryAfter,
  SITES,
  type ApiGatewayClient,
  type Credentials,
  type Site,
  type ClientEvent,
  type ClientOptions,
  type RetryOptions,
  type CallOptions,
} from './client/index.ts';

export {
  parseNcloudConfigure,
  resolveCredentials,
  ACCESS_KEY_ENV,
  SECRET_KEY_ENV,
  type ResolveCredentialsInput,
  type ResolvedCredentials,
  type CredentialSource,
  type SettingSource,
} from './credentials/index.ts';

export { redact, redactValue, isSensitiveKey, MASK } from './redact.ts';

export { printable } from './text/printable.ts';
