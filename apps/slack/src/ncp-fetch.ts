// The fetch the NCP client uses. On Node it is the global fetch. On Deno, POSTs (key creation) go out on a
// client without a connection pool: Deno's fetch silently re-sends a request when a reused keep-alive
// connection closes without an answer, and for a create that already committed that would be a second key.
// The app issues concurrent NCP calls (several approvals at once), so core's `Connection: close` on the
// create alone cannot keep a POST off a pooled connection; see packages/core/README.md, "Deno connection reuse".

type DenoHttp = { createHttpClient(options: { poolMaxIdlePerHost: number }): unknown };

export function createNcpFetch(): typeof fetch | undefined {
  const deno = (globalThis as { Deno?: DenoHttp }).Deno;
  if (deno === undefined) return undefined;
  const noPool = deno.createHttpClient({ poolMaxIdlePerHost: 0 });
  return (input, init) => fetch(input, init?.method === 'POST' ? ({ ...init, client: noPool } as RequestInit) : init);
}
