// Public surface of the client.
export { createApiGatewayClient, type ApiGatewayClient } from './client.ts';
export { siteEndpoint, isSite } from './site.ts';
export { isCreateMarker, operationIdSchema, CREATE_MARKER_PREFIX, type CreateOptions } from './create-key.ts';
export { SITES, type Credentials, type Site, type ClientEvent, type ClientOptions, type RetryOptions, type CallOptions } from './types.ts';
export { parseRetryAfter } from './response-error.ts';
export { listStageUrls, stageInvokeUrl, type ProductMethods } from './products.ts';
export {
  createKeyForProducts,
  resolveProducts,
  type CreateKeyForProductsInput,
  type CreateKeyForProductsResult,
  type ProductOutcome,
  type ResolvedProduct,
} from './create-key-for-products.ts';
