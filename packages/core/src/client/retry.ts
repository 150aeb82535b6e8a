// Retry policy for idempotent requests (GET, PUT, DELETE): network errors, per-attempt timeouts, 429 and
// 5xx are retried with full-jitter exponential backoff (or the server's Retry-After) while attempts and
// the total deadline last. Everything else is final on the first answer.

import { AbortedError, ApiKeyError, NetworkError, RateLimitError, ServerError, TimeoutError } from '../errors.ts';
import type { ClientEvent, RetryOptions } from './types.ts';
import { errorFromResponse, type RawResponse } from './response-error.ts';
import type { Transport } from './transport.ts';

export type RetryPolicy = {
  retries: number;
  deadlineMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  random: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
};

export function resolveRetryPolicy(o: RetryOptions | undefined): RetryPolicy {
  return {
    retries: o?.retries ?? 4,
    deadlineMs: o?.deadlineMs ?? 60_000,
    baseDelayMs: o?.baseDelayMs ?? 200,
    maxDelayMs: o?.maxDelayMs ?? 5_000,
    random: o?.random ?? Math.random,
    sleep: o?.sleep ?? defaultSleep,
  };
}

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export function isTransient(e: unknown): e is ApiKeyError {
  return e instanceof NetworkError || e instanceof TimeoutError || e instanceof RateLimitError || e instanceof ServerError;
}

/** Full jitter: uniform in [0, min(cap, base·2^(attempt-1))). */
export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(policy.random() * ceiling);
}

/** Server-requested wait (Retry-After on 429 or 503) wins over backoff. */
export function retryDelay(policy: RetryPolicy, attempt: number, error: ApiKeyError): number {
  if (error instanceof RateLimitError && error.retryAfterMs !== undefined) return error.retryAfterMs;
  return backoffDelay(policy, attempt);
}

export type RequestContext = {
  transport: Transport;
  policy: RetryPolicy;
  now: () => number;
  timeoutMs: number;
  clientSignal: AbortSignal | undefined;
  /** Undefined when nobody listens, so the hot path builds no event objects. */
  emit: ((e: ClientEvent) => void) | undefined;
};

export type PreparedRequest = {
  method: string;
  url: string;
  path: string;
  body?: string;
};

/** Waits `ms` unless a signal fires; an abort becomes AbortedError. */
export async function waitBeforeRetry(ctx: RequestContext, ms: number, signal: AbortSignal | undefined, req: PreparedRequest): Promise<void> {
  const signals = [ctx.clientSignal, signal].filter((s): s is AbortSignal => s !== undefined);
  const combined = signals.length === 0 ? undefined : signals.length === 1 ? signals[0] : AbortSignal.any(signals);
  try {
    await ctx.policy.sleep(ms, combined);
  } catch (cause) {
    if (combined?.aborted) throw new AbortedError(`${req.method} ${req.path} aborted while waiting to retry`, { method: req.method, path: req.path, cause });
    throw cause;
  }
}

/** Remaining budget of the deadline, or undefined when it is spent. */
export function remainingBudget(ctx: RequestContext, startedAt: number): number {
  return ctx.policy.deadlineMs - (ctx.now() - startedAt);
}

/** Sends one attempt and reports it; returns the raw response or throws a transport error. */
export async function attemptOnce(ctx: RequestContext, req: PreparedRequest, attempt: number, signal: AbortSignal | undefined, budgetMs: number): Promise<RawResponse> {
  const timeoutMs = Math.max(1, Math.min(ctx.timeoutMs, budgetMs));
  const signals = [ctx.clientSignal, signal];
  if (ctx.emit === undefined) return ctx.transport(req, timeoutMs, signals);
  ctx.emit({ type: 'request', method: req.method, url: req.path, attempt });
  const started = ctx.now();
  const res = await ctx.transport(req, timeoutMs, signals);
  ctx.emit({ type: 'response', method: req.method, url: req.path, status: res.status, attempt, durationMs: ctx.now() - started });
  return res;
}

/** Runs an idempotent request with retries; resolves with a 2xx response or throws the final error. */
export async function sendIdempotent(ctx: RequestContext, req: PreparedRequest, signal: AbortSignal | undefined, info?: { attempts: number }): Promise<RawResponse> {
  const startedAt = ctx.now();
  for (let attempt = 1; ; attempt++) {
    if (info !== undefined) info.attempts = attempt;
    const budget = remainingBudget(ctx, startedAt);
    let error: ApiKeyError;
    try {
      const res = await attemptOnce(ctx, req, attempt, signal, budget);
      if (res.status >= 200 && res.status < 300) return res;
      error = errorFromResponse(res, req.method, req.path, ctx.now());
    } catch (e) {
      if (!(e instanceof ApiKeyError) || e instanceof AbortedError) throw e;
      error = e;
    }
    if (!isTransient(error)) throw error;
    await backOffOrThrow(ctx, req, attempt, error, startedAt, signal);
  }
}

/**
 * The step between two attempts of a call that started at `startedAt`: throws `error` when the attempts
 * or the deadline are spent, otherwise reports the retry and waits out its delay.
 */
export async function backOffOrThrow(ctx: RequestContext, req: PreparedRequest, attempt: number, error: ApiKeyError, startedAt: number, signal: AbortSignal | undefined): Promise<void> {
  if (attempt > ctx.policy.retries) throw error;
  const delay = retryDelay(ctx.policy, attempt, error);
  if (ctx.now() - startedAt + delay >= ctx.policy.deadlineMs) throw error;
  ctx.emit?.({ type: 'retry', method: req.method, url: req.path, attempt, delayMs: delay, reason: error.status !== undefined ? `HTTP ${error.status}` : error.code });
  await waitBeforeRetry(ctx, delay, signal, req);
}
