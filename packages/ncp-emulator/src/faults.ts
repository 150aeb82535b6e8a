// Fault injection decisions (rate limit, latency, status rates, drops, commit-then-fail), drawn from a seeded
// stream (the rate limit is a token bucket on the emulator's clock, not random).
// Only requests that passed authentication reach this module, so injected faults never hide a 401.

import type { Random } from './prng.ts';
import type { CommitThenFailMode, FaultConfig, FaultStatus } from './types.ts';

const STATUSES: readonly FaultStatus[] = [429, 500, 502, 503, 504];
const MODES: readonly CommitThenFailMode[] = ['timeout', 'drop', '500', '502', '503', '504'];

export type PreDecision =
  | { kind: 'none'; delayMs: number }
  | { kind: 'drop'; delayMs: number }
  | { kind: 'status'; status: FaultStatus; delayMs: number };

function checkRate(name: string, v: unknown): void {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 1) {
    throw new RangeError(`faults.${name} must be a probability between 0 and 1, got ${String(v)}`);
  }
}

function checkMs(name: string, v: unknown): void {
  if (v === undefined) return;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
    throw new RangeError(`faults.${name} must be a non-negative number of milliseconds, got ${String(v)}`);
  }
}

/** Rejects a nonsensical fault config with a message naming the field. */
export function validateFaults(f: FaultConfig): void {
  checkMs('latency.fixedMs', f.latency?.fixedMs);
  checkMs('latency.jitterMs', f.latency?.jitterMs);
  let sum = 0;
  for (const [k, v] of Object.entries(f.statusRates ?? {})) {
    if (!STATUSES.includes(Number(k) as FaultStatus)) {
      throw new RangeError(`faults.statusRates supports ${STATUSES.join(', ')}; got ${k}`);
    }
    checkRate(`statusRates.${k}`, v);
    sum += v;
  }
  if (sum > 1 + 1e-9) throw new RangeError(`faults.statusRates must sum to at most 1, got ${sum}`);
  if (f.dropRate !== undefined) checkRate('dropRate', f.dropRate);
  if (f.retryAfterSeconds !== undefined && (!Number.isInteger(f.retryAfterSeconds) || f.retryAfterSeconds < 0)) {
    throw new RangeError(`faults.retryAfterSeconds must be a non-negative integer, got ${String(f.retryAfterSeconds)}`);
  }
  if (f.rateLimit !== undefined) {
    const { perSecond, burst } = f.rateLimit;
    if (typeof perSecond !== 'number' || !Number.isFinite(perSecond) || perSecond <= 0) {
      throw new RangeError(`faults.rateLimit.perSecond must be a positive number, got ${String(perSecond)}`);
    }
    if (burst !== undefined && (typeof burst !== 'number' || !Number.isFinite(burst) || burst < 1)) {
      throw new RangeError(`faults.rateLimit.burst must be a number ≥ 1, got ${String(burst)}`);
    }
  }
  if (f.commitThenFail !== undefined) {
    checkRate('commitThenFail.rate', f.commitThenFail.rate);
    if (!MODES.includes(f.commitThenFail.mode)) {
      throw new RangeError(`faults.commitThenFail.mode must be one of ${MODES.join(', ')}; got ${String(f.commitThenFail.mode)}`);
    }
    checkMs('commitThenFail.hangMs', f.commitThenFail.hangMs);
  }
}

export function matchesFilter(f: FaultConfig, method: string, path: string): boolean {
  const only = f.only;
  if (only === undefined) return true;
  if (only.method !== undefined) {
    const methods = typeof only.method === 'string' ? [only.method] : only.method;
    if (!methods.some((m) => m.toUpperCase() === method)) return false;
  }
  if (only.path !== undefined) {
    if (typeof only.path === 'string' ? only.path !== path : !only.path.test(path)) return false;
  }
  return true;
}

/** One draw per configured fault, in a fixed order, so equal seeds and request sequences give equal outcomes. */
export function decidePre(f: FaultConfig, random: Random): PreDecision {
  const jitter = f.latency?.jitterMs ?? 0;
  const delayMs = (f.latency?.fixedMs ?? 0) + (jitter > 0 ? Math.floor(random() * (jitter + 1)) : 0);
  if ((f.dropRate ?? 0) > 0 && random() < (f.dropRate ?? 0)) return { kind: 'drop', delayMs };
  const rates = f.statusRates;
  if (rates !== undefined && Object.keys(rates).length > 0) {
    const r = random();
    let cumulative = 0;
    for (const status of STATUSES) {
      cumulative += rates[status] ?? 0;
      if (r < cumulative) return { kind: 'status', status, delayMs };
    }
  }
  return { kind: 'none', delayMs };
}

export function decideCommitThenFail(f: FaultConfig, random: Random): CommitThenFailMode | undefined {
  const c = f.commitThenFail;
  if (c === undefined || c.rate <= 0) return undefined;
  return random() < c.rate ? c.mode : undefined;
}

export type TokenBucket = {
  /** Takes a token at `now` (epoch ms): undefined when granted, else the Retry-After in whole seconds (≥ 1). */
  take(now: number): number | undefined;
};

/** Starts full. Refills continuously at perSecond; holds at most burst (default perSecond, at least 1). */
export function createTokenBucket(limit: { perSecond: number; burst?: number }, start: number): TokenBucket {
  const capacity = Math.max(1, limit.burst ?? limit.perSecond);
  let tokens = capacity;
  let last = start;
  return {
    take(now) {
      tokens = Math.min(capacity, tokens + (Math.max(0, now - last) / 1000) * limit.perSecond);
      last = Math.max(last, now);
      if (tokens >= 1) {
        tokens -= 1;
        return undefined;
      }
      return Math.max(1, Math.ceil((1 - tokens) / limit.perSecond));
    },
  };
}
