// Owns the non-interactive commands: every value comes from flags (a missing one is a UsageError naming it),
// destructive ones need --yes, --json prints only the document on stdout.

import { createApiKeyInputSchema, countCodePoints, validateApiKeyDescription, validateApiKeyName, siteEndpoint, type ApiKey } from '@apikey/core';
import type { ParsedArgs } from '../args.ts';
import type { Io } from '../io.ts';
import { UsageError } from '../usage-error.ts';
import { resolveFromEnvironment, setupClient } from './client.ts';
import { EXIT } from './errors.ts';
import { keyDetails, keyTable, STORE_NOTE, style } from './output.ts';

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
  const client = async () => {
    const setup = await setupClient(args.global, io, { signal, ...(args.global.debug ? { log: (l: string) => io.err(`${l}\n`) } : {}) });
    return setup.client;
  };

  switch (command) {
    case 'create': {
      const name = str('name');
      if (name === undefined) throw new UsageError(`--name is required ${NOT_INTERACTIVE}`);
      const description = str('description') ?? '';
      checkName(name, '--name');
      checkDescription(description);
      const input = createApiKeyInputSchema.parse({ apiKeyName: name, apiKeyDescription: description });
      if (flags['dry-run'] === true) return dryRun(args, io, input);
      // A fresh random operation id: the create stays exact however its requests fail (core: create-key.ts).
      const key = await (await client()).createApiKey(input, { signal, operationId: crypto.randomUUID() });
      if (json) print(key);
      else io.out(`${s.bold(`Created API key "${key.apiKeyName ?? input.apiKeyName}"`)}\n${keyDetails(key, { showKeys: true })}\n\n${s.yellow(STORE_NOTE)}\n`);
      return EXIT.ok;
    }
    case 'list': {
      const filter = str('name');
      if (filter !== undefined) checkFilter(filter);
      const limit = str('limit') === undefined ? undefined : Number(str('limit'));
      const c = await client();
      let keys: ApiKey[];
      let total: number;
      if (flags.all === true) {
        keys = [];
        for await (const k of c.iterateApiKeys({ ...(filter !== undefined ? { apiKeyName: filter } : {}), ...(limit ? { pageSize: limit } : {}) }, { signal })) keys.push(k);
        total = keys.length;
      } else {
        const page = await c.listApiKeys({ ...(filter !== undefined ? { apiKeyName: filter } : {}), limit: limit ?? 20 }, { signal });
        keys = page.apiKeys;
        total = page.total;
      }
      if (json) {
        io.out(`${JSON.stringify(keys, null, 2)}\n`);
        return EXIT.ok;
      }
      if (keys.length === 0) io.out(filter !== undefined ? `No API keys match "${filter}".\n` : 'No API keys yet. Create one with: apikey create --name N\n');
      else io.out(`${keyTable(keys)}\n\n${s.dim(`${keys.length} of ${total} key${total === 1 ? '' : 's'}${keys.length < total ? ' (use --all to see every key)' : ''}`)}\n`);
      return EXIT.ok;
    }
    case 'show': {
      const key = await (await client()).getApiKey(requireId(), { signal });
      if (json) print(key);
      else io.out(`${keyDetails(key, { showKeys: true })}\n`);
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
        io.out(`${s.bold(`Regenerated the ${label.toLowerCase()} of "${key.apiKeyName ?? id}" (${key.apiKeyId})`)}\n  ${label}  ${value ?? '(not returned)'}\n\n${s.yellow(STORE_NOTE)} The old ${label.toLowerCase()} no longer works.\n`);
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
    case 'configure':
    case 'sandbox':
    case undefined:
      throw new Error(`'${String(command)}' is not a scriptable command`);
  }
}

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

function dryRun(args: ParsedArgs, io: Io, input: { apiKeyName: string; apiKeyDescription?: string | undefined }): number {
  let endpoint = 'http://sandbox.invalid/api/v1';
  if (!args.global.sandbox) {
    const resolved = resolveFromEnvironment(args.global, io);
    endpoint = resolved.endpoint ?? siteEndpoint(resolved.site);
  }
  const request = { method: 'POST', url: `${endpoint}/api-keys`, body: input };
  if (args.flags.json === true) io.out(`${JSON.stringify({ dryRun: true, request }, null, 2)}\n`);
  else io.out(`Dry run: would send\n  POST ${request.url}\n  ${JSON.stringify(input)}\nNothing was sent.\n`);
  return EXIT.ok;
}
