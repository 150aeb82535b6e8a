// Owns the scriptable warning before a create: NCP allows two keys with one name, which is rarely what a script
// meant (a rerun after a timeout, a copy-pasted line). The warning goes to stderr, so --json output is unchanged
// and the create still happens; the wizard asks instead.

import { isApiKeyError, printable, type ApiGatewayClient } from '@apikey/core';
import type { Io } from '../io.ts';

/** Warns on stderr when keys named exactly `name` exist. A failed check is said so, and does not stop the create. */
export async function warnIfNameTaken(client: ApiGatewayClient, name: string, io: Io, signal: AbortSignal): Promise<void> {
  const ids: string[] = [];
  try {
    // The name filter matches parts of names; only an exact match is a duplicate.
    for await (const k of client.iterateApiKeys({ apiKeyName: name }, { signal })) if (k.apiKeyName === name) ids.push(k.apiKeyId);
  } catch (e) {
    if (isApiKeyError(e) && (e.code === 'ERR_APIKEY_ABORTED' || e.code === 'ERR_APIKEY_AUTH')) throw e;
    io.err(`warning: could not check for existing keys named "${printable(name)}" (${printable(e instanceof Error ? e.message : String(e))})\n`);
    return;
  }
  if (ids.length === 0) return;
  const shown = ids.slice(0, 5).join(', ') + (ids.length > 5 ? `, … (${ids.length} in all)` : '');
  io.err(`warning: ${ids.length === 1 ? 'a key' : `${ids.length} keys`} named "${printable(name)}" already exist${ids.length === 1 ? 's' : ''} (${shown}); this creates another one\n`);
}
