// Public types of the emulator: options, fault configuration, stored records and inspection entries.

export type Credential = { accessKey: string; secretKey: string };

export type FaultStatus = 429 | 500 | 502 | 503 | 504;

export type CommitThenFailMode = 'timeout' | 'drop' | '500' | '502' | '503' | '504';

export type FaultConfig = {
  /** Added before the request is processed (after authentication). */
  latency?: { fixedMs?: number; jitterMs?: number };
  /** Probability per status, answered instead of processing the request. Sum must be ≤ 1. */
  statusRates?: Partial<Record<FaultStatus, number>>;
  /** Retry-After header value sent with an injected 429 (default 1). */
  retryAfterSeconds?: number;
  /** Probability of destroying the connection without any response. */
  dropRate?: number;
  /** Perform a mutation (create, update, regenerate, delete), then fail the response. */
  commitThenFail?: { rate: number; mode: CommitThenFailMode; hangMs?: number };
  /**
   * A token bucket shared by all matching requests: `perSecond` tokens a second, at most `burst` (default
   * perSecond) saved up. A request finding the bucket empty gets 429 with `Retry-After` in whole seconds until
   * the next token (at least 1), and is not processed. Checked before latency and the other faults.
   */
  rateLimit?: { perSecond: number; burst?: number };
  /** Apply faults only to requests matching this filter (path is relative to /api/v1). */
  only?: { method?: string | readonly string[]; path?: string | RegExp };
};

export type Behaviour = {
  acceptV1Header?: boolean;
  allowEmptyName?: boolean;
  uniqueNames?: boolean;
  maxKeys?: number;
  includeKeysInList?: boolean;
  domainCode?: string;
  initialCount?: number;
  defaultLimit?: number;
  /** List order; NCP documents none. */
  order?: 'oldest-first' | 'newest-first';
  requireJsonContentType?: boolean;
  allowDeleteSubscribed?: boolean;
  maxBodyBytes?: number;
};

export type ApiKeyRecord = {
  apiKeyId: string;
  tenantId: string;
  apiKeyName: string;
  apiKeyDescription: string;
  primaryKey: string;
  secondaryKey: string;
  modifier: string;
  isEnabled: boolean;
  modTime: string;
  domainCode: string;
  /** Emulator bookkeeping (epoch ms from the injected clock); not part of NCP's DTO. */
  createdAt: number;
};

export type SubscriptionStatus = 'REQUEST' | 'DENY' | 'ACCEPTED' | 'REJECTED' | 'BLOCKED_REQUEST';

export type Product = {
  productId: string;
  productName: string;
  productDescription: string;
  publisherId: string;
  isSelfProduct: boolean;
  subscriptionCode: 'PUBLIC' | 'PROTECTED';
  /** Listed in the catalogue (POST /published-products/search). */
  isPublished: boolean;
  regTime: string;
  modTime: string;
};

/** An account-level usage plan; `rateRps` and the quotas are what the data plane enforces. */
export type UsagePlanInput = {
  usagePlanId?: string;
  usagePlanName: string;
  usagePlanDescription?: string;
  rateRps?: number;
  dayQuotaRequest?: number;
  monthQuotaRequest?: number;
};

export type StageInput = {
  stageId?: string;
  stageName: string;
  /** Plans created in the product publisher's account and associated with this stage (first = default for new subscribers). */
  usagePlans?: UsagePlanInput[];
};

export type ApiInput = {
  apiId?: string;
  apiName: string;
  apiDescription?: string;
  stages?: StageInput[];
};

export type ProductInput = {
  productId?: string;
  productName: string;
  productDescription?: string;
  /** Tenant id of the publishing account; defaults to the emulator's own tenant (the caller's account). */
  publisherId?: string;
  isSelfProduct?: boolean;
  subscriptionCode?: 'PUBLIC' | 'PROTECTED';
  isPublished?: boolean;
  apis?: ApiInput[];
};

export type UsagePlan = {
  usagePlanId: string;
  usagePlanName: string;
  usagePlanDescription: string;
  rateRps: number | undefined;
  dayQuotaRequest: number | undefined;
  monthQuotaRequest: number | undefined;
  tenantId: string;
};

export type Stage = { stageId: string; stageName: string; apiId: string; usagePlanIds: string[] };

export type Api = { apiId: string; apiName: string; apiDescription: string; productId: string; stages: Stage[] };

export type Subscription = {
  apiKeyId: string;
  productId: string;
  status: SubscriptionStatus;
  regTime: string;
  modTime: string;
  /** Plan chosen by the owner per stage (PUT …/api-keys/{kid}/stages/{sid}); otherwise the stage's first plan. */
  stagePlans: Record<string, string>;
};

export type SeenRequest = {
  method: string;
  /** The raw request target as received (path and query), never normalised. */
  target: string;
  /** null while in flight, or when no response was sent (dropped / hung). */
  status: number | null;
  /** The x-ncp-apigw-timestamp header as sent, if any. */
  timestamp: string | null;
  /** Name of the fault applied, e.g. 'status:429', 'drop', 'latency', 'commitThenFail:timeout'. */
  fault: string | null;
  /** Injected-clock time the request arrived (epoch ms). */
  at: number;
};

export type NcpEmulatorOptions = {
  credentials?: Credential[];
  now?: () => number;
  clockSkewMs?: number;
  seed?: number;
  faults?: FaultConfig;
  behaviour?: Behaviour;
  products?: ProductInput[];
  log?: (line: string) => void;
};

export type HandlerContext = {
  /** The request target exactly as received on the wire; defaults to URL pathname + search. */
  rawTarget?: string;
};

export type NcpEmulator = {
  handler(req: Request, ctx?: HandlerContext): Promise<Response>;
  setFaults(f: FaultConfig | undefined): void;
  inspect: {
    requests(): SeenRequest[];
    keys(): ApiKeyRecord[];
    subscriptions(): Subscription[];
    reset(): void;
  };
  addProduct(p: ProductInput): Product;
  products(): Product[];
  /** APIs of a product, with their stages (any publisher). */
  apis(productId: string): Api[];
  /** The emulator's own tenant id: products whose publisherId equals it belong to the caller's account. */
  tenantId: string;
};
