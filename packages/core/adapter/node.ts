// Node's adapter for reaching NCP. Node's fetch (undici) never re-sends a POST by itself — it retries only
// idempotent requests after a reused connection fails — so a create POST can use the ordinary fetch.

import type { NcpConnections } from './types.ts';

export function createNcpConnections(): NcpConnections {
  return { freshConnectionFetch: undefined, close() {} };
}
