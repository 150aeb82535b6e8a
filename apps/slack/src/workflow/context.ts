// Everything the workflow needs, bundled once by app.ts and handed to listeners, the outbox worker and the
// sweeper, so none of them reach for globals (env, clock, Web API client).
import type { ApiGatewayClient } from '@apikey/core';
import type { ApproverDirectory } from '../approvers.ts';
import type { WebClient } from '../bolt.ts';
import type { SlackAppConfig } from '../config.ts';
import type { AfterAck } from '../listeners/after-ack.ts';
import type { AppLogger } from '../logger.ts';
import type { KeyRequestPatch, NewOutboxItem, RequestStore } from '../store/request-store.ts';
import type { HeldResults } from './held-results.ts';
import type { ProductCatalogue } from './product-catalogue.ts';
import type { ProductPolicy } from './product-policy.ts';

export type WorkflowContext = {
  config: SlackAppConfig;
  store: RequestStore;
  client: WebClient;
  ncp: ApiGatewayClient;
  logger: AppLogger;
  approvers: ApproverDirectory;
  /** The policy's product rules (requireProduct, acceptSubscription). */
  policy: ProductPolicy;
  /** Products a requester can pick, read from NCP and cached briefly. */
  products: ProductCatalogue;
  /** What one step learnt from NCP for the next step of the same request in this process (keys included; memory only). */
  held: HeldResults;
  now: () => number;
  /** Runs a listener's Web API call that follows its ack once the acks of other waiting requests are out. */
  afterAck: AfterAck;
  /** Asks the local outbox worker to look for due items now instead of at its next poll. */
  wake: () => void;
};

export type Enqueue = NewOutboxItem;

export type NotifyMessage = 'pending' | 'approved' | 'denied' | 'expired';

export const enqueueApprovalMessage = (now: number): Enqueue => ({ kind: 'update_approval_message', payload: {}, notBefore: now });
export const enqueueNotify = (message: NotifyMessage, now: number): Enqueue => ({ kind: 'notify', payload: { message }, notBefore: now });
export const enqueueCreateKey = (now: number): Enqueue => ({ kind: 'create_key', payload: {}, notBefore: now });
export const enqueueDeliverKey = (now: number): Enqueue => ({ kind: 'deliver_key', payload: {}, notBefore: now });
/** `fresh`: the key was created by this very step (not resumed), so it cannot have a subscription yet. */
export const enqueueSubscribe = (now: number, fresh: boolean): Enqueue => ({ kind: 'subscribe_product', payload: { fresh }, notBefore: now });
export const enqueueAccept = (now: number): Enqueue => ({ kind: 'accept_subscription', payload: {}, notBefore: now });
/** Queued at most once per request, whoever (which replica's sweeper) queues it. */
export const enqueueRemind = (now: number): Enqueue => ({ kind: 'remind', payload: {}, notBefore: now, onceKey: 'remind' });

/** The store clears a column when the patch names it with `undefined`; exactOptionalPropertyTypes needs the cast. */
export const CLEAR_LAST_ERROR = { lastError: undefined } as unknown as KeyRequestPatch;
