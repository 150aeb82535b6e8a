// Public entry of @apikey/ncp-emulator: the emulator factory, serve(), and their types.

export { createNcpEmulator, DEFAULT_CREDENTIALS, DEFAULT_CLOCK_SKEW_MS, DEFAULT_LIMIT } from './emulator.ts';
export { serve, type ServeOptions, type ServedEmulator } from './serve-node.ts';
export { ConnectionDroppedError, isConnectionDropped } from './responses.ts';
export { computeSignature } from './auth.ts';
export { sandboxCatalogue, OTHER_TENANT_ID } from './sandbox-catalogue.ts';
export { API_KEY_HEADER } from './data-plane.ts';
export { GATEWAY_PREFIX } from './product-routes.ts';
export type {
  Api,
  ApiInput,
  ApiKeyRecord,
  Behaviour,
  CommitThenFailMode,
  Credential,
  FaultConfig,
  FaultStatus,
  HandlerContext,
  NcpEmulator,
  NcpEmulatorOptions,
  Product,
  ProductInput,
  SeenRequest,
  Stage,
  StageInput,
  Subscription,
  SubscriptionStatus,
  UsagePlan,
  UsagePlanInput,
} from './types.ts';
