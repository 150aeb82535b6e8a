// Owns turning global flags + env + the profile file into a core ApiGatewayClient: real NCP (or any
// --endpoint), or --sandbox's in-process emulator reached through an injected fetch (no port, no credentials).

import { createApiGatewayClient, redact, resolveCredentials, siteEndpoint, type ApiGatewayClient, type Site } from '@apikey/core';
import { createNcpConnections } from '@apikey/core/adapter';
import type { GlobalOptions } from '../args.ts';
import type { Io } from '../io.ts';
import { configurePath, readConfigureFile } from './profile-file.ts';

export const SANDBOX_CREDENTIALS = { accessKey: 'SANDBOX_ACCESS_KEY', secretKey: 'SANDBOX_SECRET_KEY' } as const;
const SANDBOX_ENDPOINT = 'http://sandbox.invalid/api/v1';

export type ClientSetup = {
  client: ApiGatewayClient;
  /** Base URL the client talks to, for display (dry-run, headers). */
  endpoint: string;
  sandbox: boolean;
  profile?: string;
};

type Options = {
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** Wraps the fetch the client sends through (after signing), e.g. to read the Date header of answers. */
  wrapFetch?: (inner: typeof fetch) => typeof fetch;
};

export async function setupClient(g: GlobalOptions, io: Io, o: Options = {}): Promise<ClientSetup> {
  const onEvent = o.log ? debugLogger(o.log) : undefined;
  if (g.sandbox) {
    const { createNcpEmulator, sandboxCatalogue } = await import('@apikey/ncp-emulator');
    const emulator = createNcpEmulator({ credentials: [{ ...SANDBOX_CREDENTIALS }], products: sandboxCatalogue() });
    const sandboxFetch: typeof fetch = (input, init) => emulator.handler(new Request(input, init));
    const client = createApiGatewayClient({
      credentials: { ...SANDBOX_CREDENTIALS },
      endpoint: SANDBOX_ENDPOINT,
      fetch: o.wrapFetch ? o.wrapFetch(sandboxFetch) : sandboxFetch,
      ...(o.signal ? { signal: o.signal } : {}),
      ...(onEvent ? { onEvent } : {}),
    });
    return { client, endpoint: SANDBOX_ENDPOINT, sandbox: true };
  }
  const resolved = resolveFromEnvironment(g, io);
  const client = createApiGatewayClient({
    credentials: resolved.credentials,
    // The runtime's way to send a create POST on a connection of its own (Deno would re-send it otherwise).
    freshConnectionFetch: createNcpConnections().freshConnectionFetch,
    site: resolved.site,
    ...(resolved.endpoint ? { endpoint: resolved.endpoint } : {}),
    ...(o.wrapFetch ? { fetch: o.wrapFetch((input, init) => globalThis.fetch(input, init)) } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
    ...(onEvent ? { onEvent } : {}),
  });
  return { client, endpoint: resolved.endpoint ?? siteEndpoint(resolved.site), sandbox: false, profile: resolved.profile };
}

/** Credentials and endpoint from flags → env → profile → [DEFAULT]; throws core's CredentialsError. */
export function resolveFromEnvironment(g: GlobalOptions, io: Io): ReturnType<typeof resolveCredentials> & { site: Site } {
  const text = readConfigureFile(configurePath(io.env), io);
  const flags: { profile?: string; site?: string; endpoint?: string } = {};
  if (g.profile !== undefined) flags.profile = g.profile;
  if (g.site !== undefined) flags.site = g.site;
  if (g.endpoint !== undefined) flags.endpoint = g.endpoint;
  return resolveCredentials({ flags, env: io.env, ...(text !== undefined ? { configureFileText: text } : {}) });
}

type ClientEventLike = { type: string; method?: string; url?: string; status?: number; attempt?: number; durationMs?: number; delayMs?: number; reason?: string };

function debugLogger(log: (line: string) => void): (e: ClientEventLike) => void {
  return (e) => {
    const parts = [`debug: ${e.type}`, e.method ?? '', e.url ?? ''];
    if (e.status !== undefined) parts.push(`status=${e.status}`);
    if (e.attempt !== undefined) parts.push(`attempt=${e.attempt}`);
    if (e.durationMs !== undefined) parts.push(`${Math.round(e.durationMs)}ms`);
    if (e.delayMs !== undefined) parts.push(`wait=${Math.round(e.delayMs)}ms`);
    if (e.reason !== undefined) parts.push(`reason=${e.reason}`);
    log(redact(parts.filter(Boolean).join(' ')));
  };
}
