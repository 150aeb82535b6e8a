// Types shared by the client modules and the signer.

export type Credentials = { accessKey: string; secretKey: string };

export type Site = 'public' | 'gov' | 'fin';
export const SITES: readonly Site[] = ['public', 'gov', 'fin'];

export type ClientEvent = {
  type: 'request' | 'response' | 'retry' | 'reconcile';
  method: string;
  /** Path and query only: never the host, never headers. */
  url: string;
  status?: number;
  attempt: number;
  durationMs?: number;
  /** For 'retry': how long the client waits before the next attempt. */
  delayMs?: number;
  /** For 'retry' and 'reconcile': a short reason (error code or outcome), never a secret. */
  reason?: string;
};

export type RetryOptions = {
  /** Extra attempts after the first for idempotent requests (default 4). */
  retries?: number | undefined;
  /** Total budget across attempts and waits, measured with `now` (default 60 000 ms). */
  deadlineMs?: number | undefined;
  /** Full-jitter exponential backoff base (default 200 ms) and cap (default 5 000 ms). */
  baseDelayMs?: number | undefined;
  maxDelayMs?: number | undefined;
  /** Injected randomness in [0, 1), default Math.random. */
  random?: (() => number) | undefined;
  /** Injected wait; must reject when the signal aborts. */
  sleep?: ((ms: number, signal?: AbortSignal) => Promise<void>) | undefined;
};

export type ClientOptions = {
  credentials: Credentials;
  site?: Site | undefined;
  endpoint?: string | undefined;
  fetch?: typeof fetch | undefined;
  /**
   * The fetch for create and subscribe/unsubscribe POSTs: it must send each request on a connection of its own and never re-send it
   * by itself (a runtime that silently re-sends a POST whose reused connection closed unanswered would make
   * a second key). Runtime adapters supply it (`@apikey/core/adapter`); default: `fetch`.
   */
  freshConnectionFetch?: typeof fetch | undefined;
  now?: (() => number) | undefined;
  timeoutMs?: number | undefined;
  retry?: RetryOptions | undefined;
  signal?: AbortSignal | undefined;
  onEvent?: ((e: ClientEvent) => void) | undefined;
};

export type CallOptions = { signal?: AbortSignal | undefined };
