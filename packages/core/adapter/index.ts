// @apikey/core/adapter: the runtime differences of reaching NCP, one module per runtime (node.ts, deno.ts),
// picked here. Core's client (src/) stays Web-API-only; apps inject what the adapter returns.

import { createNcpConnections as forDeno } from './deno.ts';
import { createNcpConnections as forNode } from './node.ts';
import type { NcpConnections } from './types.ts';

export type { NcpConnections } from './types.ts';

/** The adapter of the runtime this code runs on. */
export function createNcpConnections(): NcpConnections {
  return 'Deno' in globalThis ? forDeno() : forNode();
}
