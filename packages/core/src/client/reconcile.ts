// Create reconciliation. POST create is not idempotent, so after an ambiguous failure (timeout, network
// error, 5xx: the key may or may not exist) the client looks for the key this call made instead of
// posting again. A key is "ours" when it has exactly our name, was not in the snapshot of same-named keys
// taken before the first attempt, and its modTime falls inside this call's window (with slack for clock
// skew between us and NCP). Only when no such key exists is another POST safe.

import type { ApiKey } from '../schemas/response.ts';

export type ReconcileWindow = { startMs: number; endMs: number; slackMs: number };

export function modTimeMs(key: ApiKey): number | undefined {
  if (key.modTime === undefined) return undefined;
  const t = Date.parse(key.modTime);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Picks the key created by this call from same-named keys listed after the failure. Prefers an exact
 * description match, then the most recent modTime, so a concurrent creator with a different
 * description is not adopted by mistake.
 */
export function pickCreatedKey(
  candidates: readonly ApiKey[],
  name: string,
  description: string,
  preexisting: ReadonlySet<string>,
  window: ReconcileWindow,
): ApiKey | undefined {
  const fresh = candidates.filter((k) => {
    if (k.apiKeyName !== name || preexisting.has(k.apiKeyId)) return false;
    const t = modTimeMs(k);
    // An unreadable modTime cannot rule the key out; the snapshot already did the main work.
    return t === undefined || (t >= window.startMs - window.slackMs && t <= window.endMs + window.slackMs);
  });
  if (fresh.length === 0) return undefined;
  const byDescription = fresh.filter((k) => (k.apiKeyDescription ?? '') === description);
  const pool = byDescription.length > 0 ? byDescription : fresh;
  return pool.reduce((best, k) => ((modTimeMs(k) ?? 0) > (modTimeMs(best) ?? 0) ? k : best));
}
