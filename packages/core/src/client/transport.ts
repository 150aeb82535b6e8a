// One HTTP attempt through ofetch (with the signing fetch injected), bounded by a per-attempt timeout and
// the caller's signals. Returns every HTTP response as data; throws only Network/Timeout/Aborted errors,
// so the retry policy above it decides what a status means.

import { createFetch } from 'ofetch';
import { AbortedError, NetworkError, TimeoutError } from '../errors.ts';
import type { RawResponse } from './response-error.ts';

export type Transport = (req: TransportRequest, timeoutMs: number, signals: readonly (AbortSignal | undefined)[]) => Promise<RawResponse>;

export type TransportRequest = {
  method: string;
  /** Absolute URL, already encoded; sent as-is. */
  url: string;
  /** Path and query, for errors and events. */
  path: string;
  body?: string;
};

const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };
const ACCEPT_HEADERS = { accept: 'application/json' };

export function createTransport(signingFetch: typeof fetch): Transport {
  const $fetch = createFetch({ fetch: signingFetch });

  return async (req, timeoutMs, signals) => {
    const { method, path } = req;
    for (const s of signals) {
      if (s?.aborted) throw new AbortedError(`${method} ${path} aborted before it was sent`, { method, path, cause: s.reason });
    }
    const controller = new AbortController();
    let timedOut = false;
    let abortedBy: AbortSignal | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const listeners: [AbortSignal, () => void][] = [];
    for (const s of signals) {
      if (s === undefined) continue;
      const onAbort = (): void => {
        abortedBy ??= s;
        controller.abort();
      };
      s.addEventListener('abort', onAbort, { once: true });
      listeners.push([s, onAbort]);
    }
    try {
      const res = await $fetch.raw<string, 'text'>(req.url, {
        method,
        headers: req.body !== undefined ? JSON_HEADERS : ACCEPT_HEADERS,
        ...(req.body === undefined ? {} : { body: req.body }),
        responseType: 'text',
        retry: false,
        ignoreResponseError: true,
        signal: controller.signal,
      });
      return { status: res.status, statusText: res.statusText, headers: res.headers, text: res._data ?? '' };
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause ?? error;
      if (abortedBy !== undefined) {
        throw new AbortedError(`${method} ${path} aborted by the caller`, { method, path, cause: abortedBy.reason });
      }
      if (timedOut) throw new TimeoutError(`${method} ${path} timed out after ${timeoutMs} ms`, { method, path, cause });
      throw new NetworkError(`${method} ${path} failed: ${describeNetworkCause(cause)}`, { method, path, cause });
    } finally {
      clearTimeout(timer);
      for (const [s, fn] of listeners) s.removeEventListener('abort', fn);
    }
  };
}

function describeNetworkCause(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = (cause as { cause?: unknown }).cause;
    const code = typeof inner === 'object' && inner !== null && 'code' in inner ? String((inner as { code: unknown }).code) : undefined;
    return code !== undefined ? `${cause.message} (${code})` : cause.message;
  }
  return String(cause);
}
