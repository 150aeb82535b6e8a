// Deno's adapter for reaching NCP. Deno's fetch silently re-sends a request when the reused keep-alive
// connection it went out on closes without an answer. For a create POST that NCP already committed, that
// is a second key carrying the same marker, made behind the client's back. So create POSTs go out on an
// HTTP client with no connection pool: each on a new connection, which is never re-sent on.

import type { NcpConnections } from './types.ts';

type DenoHttpClient = { close(): void };
type DenoHttp = { createHttpClient(options: { poolMaxIdlePerHost: number }): DenoHttpClient };

export function createNcpConnections(): NcpConnections {
  const deno = (globalThis as { Deno?: DenoHttp }).Deno;
  if (deno === undefined) throw new Error('the Deno NCP adapter needs the Deno runtime');
  const noPool = deno.createHttpClient({ poolMaxIdlePerHost: 0 });
  // `client` is Deno's extension of RequestInit.
  const freshConnectionFetch: typeof fetch = (input, init) => fetch(input, { ...init, client: noPool } as RequestInit);
  return { freshConnectionFetch, close: () => noPool.close() };
}
