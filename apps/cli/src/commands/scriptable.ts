// Owns the non-interactive commands: every value comes from flags (a missing one is a UsageError naming it),
// destructive ones need --yes, --json prints only the document on stdout (shapes: docs/cli-json.md). Text
// output shows NCP's strings through printable() (output.ts), so stored escape sequences are never run.

import { createApiKeyInputSchema, countCodePoints, validateApiKeyDescription, validateApiKeyName, type ApiGatewayClient, type ApiKey } from '@apikey/core';
import type { ParsedArgs } from '../args.ts';
import type { Io } from '../io.ts';
import { UsageError } from '../usage-error.ts';
import { recordedClient, signedReadCall } from './auth-status.ts';
import { setupClient } from './client.ts';
import { createJournalFor, createPlainKey } from './create-journal.ts';
import { EXIT } from './errors.ts';
import { keyDetails, keyRows, keyTable, printable, STORE_NOTE, style } from './output.ts';
import { warnIfNameTaken } from './same-name.ts';
import { createWithProducts, keyProducts, productLines, productRefs, runProductCommand } from './products.ts';

const NOT_INTERACTIVE = 'when not running interactively';

export async function scriptable(args: ParsedArgs, io: Io, signal: AbortSignal): Promise<number> {
  const { command, flags } = args;
  const json = flags.json === true;
  const str = (name: string) => (typeof flags[name] === 'string' ? (flags[name] as string) : undefined);
  const requireId = () => {
    if (args.apiKeyId === undefined) throw new UsageError(`<apiKeyId> is required: apikey ${command} <apiKeyId>`);
    return args.apiKeyId;
  };
  const s = style(io.color);
  const print = (key: ApiKey) => io.out(`${JSON.stringify(key, null, 2)}\n`);
  const connect = () => setupClient(args.global, io, { signal, ...(args.global.debug ? { log: (l: string) => io.err(`${l}\n`) } : {}) });
  const client = async () => (await connect()).client;

  switch (command) {
    case 'create': {
      const name = str('name');
      if (name === undefined) throw new UsageError(`--name is required ${NOT_INTERACTIVE}`);
      const description = str('description') ?? '';
      checkName(name, '--name');
      checkDescription(description);
      const input = createApiKeyInputSchema.parse({ apiKeyName: name, apiKeyDescription: description });
      const products = productRefs(flags.product);
      if (flags['dry-run'] === true) return dryRun(args, io, input, signal, products);
      const setup = await connect();
      const c = setup.client;
      const journal = createJournalFor(setup, io);
      if (products.length > 0) return createWithProducts(io, c, input, products, { json, signal, journal });
      await warnIfNameTaken(c, input.apiKeyName, io, signal);
      // Exact however its requests fail (core: create-key.ts), and finished rather than repeated when this same
      // command runs again after the process died mid-create (create-journal.ts).
      const key = await createPlainKey(c, input, signal, journal);
      if (json) print(key);
      else io.out(`${s.bold(`Created API key "${printable(key.apiKeyName ?? input.apiKeyName)}"`)}\n${keyDetails(key, { showKeys: true })}\n\n${s.yellow(STORE_NOTE)}\n`);
      return EXIT.ok;
    }
    case 'list': {
      const filter = str('name');
      if (filter !== undefined) checkFilter(filter);
      const { keys, cut } = await listKeys(await client(), filter, str('limit') === undefined ? undefined : Number(str('limit')), signal);
      if (json) io.out(`${JSON.stringify(keys, null, 2)}\n`);
      else if (!io.stdoutIsTTY) {
        io.out(keyRows(keys));
        if (keys.length === 0) io.err(noKeysMessage(filter));
      } else if (keys.length === 0) io.out(noKeysMessage(filter));
      else {
        const count = `${keys.length} key${keys.length === 1 ? '' : 's'}`;
        io.out(`${keyTable(keys)}\n\n${s.dim(cut ? `Showing the first ${count}; more match. Drop --limit to list them all.` : count)}\n`);
      }
      return EXIT.ok;
    }
    case 'show': {
      const c = await client();
      const key = await c.getApiKey(requireId(), { signal });
      const products = await keyProducts(c, key.apiKeyId, signal);
      if (json) io.out(`${JSON.stringify({ ...key, products }, null, 2)}\n`);
      else io.out(`${keyDetails(key, { showKeys: true })}\n\nProducts:\n${productLines(products)}\n`);
      return EXIT.ok;
    }
    case 'update': {
      const id = requireId();
      const name = str('name');
      const description = str('description');
      const enabled = flags.enable === true ? true : flags.disable === true ? false : undefined;
      if (name === undefined && description === undefined && enabled === undefined) {
        throw new UsageError('nothing to update: pass --name, --description, --enable or --disable');
      }
      if (name !== undefined) checkName(name, '--name');
      if (description !== undefined) checkDescription(description);
      const c = await client();
      let key: ApiKey;
      if (name === undefined && description === undefined) {
        key = await c.setApiKeyEnabled(id, enabled as boolean, { signal });
      } else {
        // PUT replaces name, description and isEnabled together: read once, change what was asked, write once.
        const current = await c.getApiKey(id, { signal });
        key = await c.updateApiKey(id, {
          apiKeyName: name ?? current.apiKeyName ?? '',
          apiKeyDescription: description ?? current.apiKeyDescription ?? '',
          isEnabled: enabled ?? current.isEnabled ?? true,
        }, { signal });
      }
      if (json) print(key);
      else io.out(`${s.bold('Updated API key')}\n${keyDetails(key, { showKeys: false })}\n`);
      return EXIT.ok;
    }
    case 'rotate': {
      const id = requireId();
      const keyType = flags.primary === true ? 'PRIMARY' : flags.secondary === true ? 'SECONDARY' : undefined;
      if (!keyType) throw new UsageError('--primary or --secondary is required');
      if (flags.yes !== true) throw new UsageError(`--yes is required to rotate a key ${NOT_INTERACTIVE}`);
      const key = await (await client()).regenerateApiKey(id, keyType, { signal });
      if (json) print(key);
      else {
        const value = keyType === 'PRIMARY' ? key.primaryKey : key.secondaryKey;
        const label = keyType === 'PRIMARY' ? 'Primary key' : 'Secondary key';
        io.out(`${s.bold(`Regenerated the ${label.toLowerCase()} of "${printable(key.apiKeyName ?? id)}" (${printable(key.apiKeyId)})`)}\n  ${label}  ${printable(value ?? '(not returned)')}\n\n${s.yellow(STORE_NOTE)} The old ${label.toLowerCase()} no longer works.\n`);
      }
      return EXIT.ok;
    }
    case 'delete': {
      const id = requireId();
      if (flags.yes !== true) throw new UsageError(`--yes is required to delete a key ${NOT_INTERACTIVE}`);
      await (await client()).deleteApiKey(id, { signal });
      if (json) io.out(`${JSON.stringify({ apiKeyId: id, deleted: true })}\n`);
      else io.out(`Deleted API key ${id}.\n`);
      return EXIT.ok;
    }
    case 'products':
    case 'subscribe':
    case 'unsubscribe':
      return runProductCommand(args, io, client, signal);
    case 'configure':
    case 'sandbox':
    case 'auth':
    case 'completion':
    case 'help':
    case 'version':
    case undefined:
      throw new Error(`'${String(command)}' is not a scriptable command`);
  }
}

/**
 * Every matching key, all pages, through core's iterator; with a limit, at most that many. One page of limit + 1
 * tells whether the limit cut the list without fetching the rest.
 */
async function listKeys(c: ApiGatewayClient, filter: string | undefined, limit: number | undefined, signal: AbortSignal): Promise<{ keys: ApiKey[]; cut: boolean }> {
  const keys: ApiKey[] = [];
  const query = { ...(filter !== undefined ? { apiKeyName: filter } : {}), ...(limit !== undefined ? { pageSize: Math.min(limit + 1, 1000) } : {}) };
  for await (const k of c.iterateApiKeys(query, { signal })) {
    if (keys.length === limit) return { keys, cut: true };
    keys.push(k);
  }
  return { keys, cut: false };
}

const noKeysMessage = (filter: string | undefined) =>
  filter !== undefined ? `No API keys match "${printable(filter)}".\n` : 'No API keys yet. Create one with: apikey create --name N\n';

function checkName(name: string, flag: string): void {
  const problem = validateApiKeyName(name);
  if (problem !== undefined) throw new UsageError(`${flag}: ${problem}`);
}

function checkDescription(description: string): void {
  const problem = validateApiKeyDescription(description);
  if (problem !== undefined) throw new UsageError(`--description: ${problem}`);
}

function checkFilter(filter: string): void {
  if (countCodePoints(filter) > 20 || /[\u0000-\u001f\u007f]/.test(filter)) {
    throw new UsageError('--name filter must be at most 20 characters without control characters');
  }
}

/** Checks the input and, with the same signed read call as `auth status`, the credentials; creates nothing. */
async function dryRun(args: ParsedArgs, io: Io, input: { apiKeyName: string; apiKeyDescription?: string | undefined }, signal: AbortSignal, products: readonly string[] = []): Promise<number> {
  const { setup, exchanges } = await recordedClient(args, io, signal);
  await signedReadCall(setup.client, signal);
  await warnIfNameTaken(setup.client, input.apiKeyName, io, signal);
  const check = exchanges[0];
  const request = { method: 'POST', url: `${setup.endpoint}/api-keys`, body: input };
  const credentialsCheck = { method: check?.method ?? 'GET', path: check?.path ?? '', status: check?.status ?? 0 };
  // With --product the key is then subscribed to each product as given (not looked up in a dry run).
  const then = products.length > 0 ? { subscribe: [...products] } : {};
  if (args.flags.json === true) io.out(`${JSON.stringify({ dryRun: true, request, credentialsCheck, ...then }, null, 2)}\n`);
  else {
    io.out(`Dry run: would send\n  POST ${request.url}\n  ${JSON.stringify(input)}\n${products.map((p) => `then subscribe the key to product ${JSON.stringify(printable(p))}\n`).join('')}`);
    io.out(`Credentials: NCP accepted a signed ${credentialsCheck.method} ${credentialsCheck.path} (HTTP ${credentialsCheck.status}).\nNothing was created.\n`);
  }
  return EXIT.ok;
}
