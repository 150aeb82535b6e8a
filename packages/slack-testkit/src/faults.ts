// Fault injection per Web API method: forced errors, 429 rate limits, added latency.

export type Fault =
  | { kind: 'error'; error: string; status: number; extra: Record<string, unknown> }
  | { kind: 'ratelimit'; retryAfterSeconds: number };

type Armed = { fault: Fault; remaining: number };

export type FailOptions = { times?: number; status?: number; extra?: Record<string, unknown> };
export type RateLimitOptions = { times?: number; retryAfterSeconds?: number };

/** `'*'` matches every method. */
export function createFaults() {
  const armed = new Map<string, Armed>();
  const latencies = new Map<string, number>();

  function arm(method: string, fault: Fault, times: number | undefined): void {
    if (typeof method !== 'string' || method === '') throw new TypeError('fault: method must be a non-empty string');
    if (times !== undefined && (!Number.isInteger(times) || times < 1)) throw new TypeError('fault: times must be a positive integer');
    armed.set(method, { fault, remaining: times ?? Infinity });
  }

  return {
    fail(method: string, error: string, o: FailOptions = {}): void {
      if (typeof error !== 'string' || error === '') throw new TypeError('fail: error must be a non-empty string');
      arm(method, { kind: 'error', error, status: o.status ?? 200, extra: o.extra ?? {} }, o.times);
    },
    rateLimit(method: string, o: RateLimitOptions = {}): void {
      const s = o.retryAfterSeconds ?? 1;
      if (!Number.isInteger(s) || s < 0) throw new TypeError('rateLimit: retryAfterSeconds must be a whole number ≥ 0');
      arm(method, { kind: 'ratelimit', retryAfterSeconds: s }, o.times);
    },
    latency(method: string, ms: number): void {
      if (!Number.isFinite(ms) || ms < 0) throw new TypeError('latency: ms must be a finite number ≥ 0');
      if (ms === 0) latencies.delete(method);
      else latencies.set(method, ms);
    },
    clear(method?: string): void {
      if (method === undefined) {
        armed.clear();
        latencies.clear();
      } else {
        armed.delete(method);
        latencies.delete(method);
      }
    },
    /** Consumes one use of the fault armed for this method, if any. */
    take(method: string): Fault | undefined {
      const a = armed.get(method) ?? armed.get('*');
      if (!a) return undefined;
      a.remaining -= 1;
      if (a.remaining <= 0) {
        for (const [k, v] of armed) if (v === a) armed.delete(k);
      }
      return a.fault;
    },
    latencyFor(method: string): number {
      return latencies.get(method) ?? latencies.get('*') ?? 0;
    },
  };
}
export type Faults = ReturnType<typeof createFaults>;
