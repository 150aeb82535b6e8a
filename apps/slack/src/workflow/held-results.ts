// What a key step learnt from NCP, held in this process's memory for the next step of the same request, so an
// uninterrupted approval delivers the keys from the create response and the subscription status from the step
// that set it, without asking NCP again. Never stored, never logged; a step that finds nothing here (resumed
// after a crash, or running on another replica) reads NCP instead. Entries go when delivered or after maxAgeMs.
import type { ApiKey } from '@apikey/core';

export type Held = {
  key?: ApiKey;
  /** The key's relation status to the request's product as last seen (REQUEST, ACCEPTED, …). */
  status?: string;
  /** The subscribe step of this process made the key's relation to the product a moment ago (it was not there). */
  subscribedNow?: boolean;
  /** The product's stage URLs, read while the key was being created. */
  urls?: readonly string[];
  at: number;
};

export type HeldResults = {
  get(requestId: string, apiKeyId: string): Held | undefined;
  put(requestId: string, apiKeyId: string, patch: Omit<Held, 'at'>): void;
  drop(requestId: string): void;
};

export function createHeldResults(o: { now?: () => number; maxAgeMs?: number } = {}): HeldResults {
  const now = o.now ?? Date.now;
  const maxAgeMs = o.maxAgeMs ?? 15 * 60_000;
  const held = new Map<string, Held & { apiKeyId: string }>();
  const sweep = (): void => {
    const t = now();
    for (const [id, h] of held) if (t - h.at > maxAgeMs) held.delete(id);
  };
  return {
    get(requestId, apiKeyId) {
      sweep();
      const h = held.get(requestId);
      return h !== undefined && h.apiKeyId === apiKeyId ? h : undefined;
    },
    put(requestId, apiKeyId, patch) {
      sweep();
      const before = held.get(requestId);
      const base = before !== undefined && before.apiKeyId === apiKeyId ? before : { apiKeyId };
      held.set(requestId, { ...base, ...patch, apiKeyId, at: now() });
    },
    drop(requestId) {
      held.delete(requestId);
    },
  };
}
