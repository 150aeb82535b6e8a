// Owns the command-line grammar: which commands exist, which flags each accepts, and turning argv into a
// typed ParsedArgs or a UsageError that names the offending flag. No I/O and no core imports, so --help stays fast.

import { UsageError } from './usage-error.ts';

export const COMMANDS = ['create', 'list', 'show', 'update', 'rotate', 'delete', 'configure', 'sandbox'] as const;
export type CommandName = (typeof COMMANDS)[number];

type FlagKind = 'string' | 'boolean';
type FlagSpec = { kind: FlagKind; help: string; valueName?: string };

export const GLOBAL_FLAGS: Record<string, FlagSpec> = {
  profile: { kind: 'string', valueName: 'P', help: 'profile in ~/.ncloud/configure (default: DEFAULT or NCLOUD_PROFILE)' },
  site: { kind: 'string', valueName: 'SITE', help: 'NCP site: public, gov or fin' },
  endpoint: { kind: 'string', valueName: 'URL', help: 'API Gateway base URL including /api/v1 (overrides --site)' },
  sandbox: { kind: 'boolean', help: 'talk to an in-process NCP emulator (no credentials needed)' },
  debug: { kind: 'boolean', help: 'log each request and response line to stderr (secrets redacted)' },
  'no-color': { kind: 'boolean', help: 'disable colours (NO_COLOR is honoured too)' },
  help: { kind: 'boolean', help: 'show help' },
  version: { kind: 'boolean', help: 'print the version' },
};

export const COMMAND_FLAGS: Record<CommandName, Record<string, FlagSpec>> = {
  create: {
    name: { kind: 'string', valueName: 'N', help: 'key name, 1-20 characters' },
    description: { kind: 'string', valueName: 'D', help: 'description, 0-50 characters' },
    yes: { kind: 'boolean', help: 'no prompts (non-interactive)' },
    json: { kind: 'boolean', help: 'print the created key as JSON' },
    'dry-run': { kind: 'boolean', help: 'validate and print what would be sent; send nothing' },
  },
  list: {
    name: { kind: 'string', valueName: 'FILTER', help: 'only keys whose name matches FILTER' },
    limit: { kind: 'string', valueName: 'N', help: 'at most N keys, 1-1000 (default: every matching key)' },
    all: { kind: 'boolean', help: 'every matching key (the default; kept for old scripts)' },
    json: { kind: 'boolean', help: 'print a JSON array' },
  },
  show: {
    json: { kind: 'boolean', help: 'print the key as JSON' },
  },
  update: {
    name: { kind: 'string', valueName: 'N', help: 'new name' },
    description: { kind: 'string', valueName: 'D', help: 'new description' },
    enable: { kind: 'boolean', help: 'enable the key' },
    disable: { kind: 'boolean', help: 'disable the key' },
    json: { kind: 'boolean', help: 'print the updated key as JSON' },
  },
  rotate: {
    primary: { kind: 'boolean', help: 'regenerate the primary key' },
    secondary: { kind: 'boolean', help: 'regenerate the secondary key' },
    yes: { kind: 'boolean', help: 'do not ask for confirmation (required when not interactive)' },
    json: { kind: 'boolean', help: 'print the key as JSON' },
  },
  delete: {
    yes: { kind: 'boolean', help: 'do not ask for confirmation (required when not interactive)' },
    json: { kind: 'boolean', help: 'print {"apiKeyId","deleted":true} as JSON' },
  },
  configure: {},
  sandbox: {
    port: { kind: 'string', valueName: 'N', help: 'port to listen on (default 4010; 0 = any free port)' },
  },
};

/** Commands that take exactly one positional <apiKeyId>. */
export const TAKES_ID: ReadonlySet<CommandName> = new Set<CommandName>(['show', 'update', 'rotate', 'delete']);

export type Site = 'public' | 'gov' | 'fin';

export type GlobalOptions = {
  profile?: string;
  site?: Site;
  endpoint?: string;
  sandbox: boolean;
  debug: boolean;
  noColor: boolean;
  help: boolean;
  version: boolean;
};

export type ParsedArgs = {
  command: CommandName | undefined;
  global: GlobalOptions;
  /** Command flags by their long name; booleans are true, strings are the raw value. */
  flags: Record<string, string | boolean>;
  apiKeyId?: string;
};

const isCommand = (s: string): s is CommandName => (COMMANDS as readonly string[]).includes(s);

export function parseArgs(argv: readonly string[]): ParsedArgs {
  let command: CommandName | undefined;
  const raw: Record<string, string | boolean> = {};
  const positionals: string[] = [];
  let onlyPositionals = false;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (onlyPositionals || !arg.startsWith('-') || arg === '-') {
      if (command === undefined && !onlyPositionals) {
        if (!isCommand(arg)) throw new UsageError(`unknown command '${arg}' (try: ${COMMANDS.join(', ')})`);
        command = arg;
      } else positionals.push(arg);
      continue;
    }
    if (arg === '--') { onlyPositionals = true; continue; }
    if (arg === '-h') { raw.help = true; continue; }
    if (arg === '-V') { raw.version = true; continue; }
    if (!arg.startsWith('--')) throw new UsageError(`unknown flag '${arg}'`);
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg.slice(2) : arg.slice(2, eq);
    const inline = eq === -1 ? undefined : arg.slice(eq + 1);
    // Command flags are only known once the command is; a flag before the command must be global.
    const spec = GLOBAL_FLAGS[name] ?? (command ? COMMAND_FLAGS[command][name] : undefined)
      ?? (command === undefined ? findCommandFlagAhead(argv, i, name) : undefined);
    if (!spec && /secret|access-key|password|token/.test(name)) {
      throw new UsageError(`--${name} is not accepted: secrets never go in flags; use NCLOUD_ACCESS_KEY/NCLOUD_SECRET_KEY, ~/.ncloud/configure or 'apikey configure'`);
    }
    if (!spec) {
      throw new UsageError(command ? `unknown flag '--${name}' for '${command}'` : `unknown flag '--${name}'`);
    }
    if (spec.kind === 'boolean') {
      if (inline !== undefined) throw new UsageError(`--${name} does not take a value`);
      raw[name] = true;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) throw new UsageError(`--${name} needs a value (${spec.valueName ?? 'VALUE'})`);
      value = next;
      i++;
    }
    raw[name] = value;
  }

  if (command && TAKES_ID.has(command)) {
    if (positionals.length > 1) throw new UsageError(`'${command}' takes one <apiKeyId>, got ${positionals.length}`);
  } else if (positionals.length > 0) {
    throw new UsageError(`unexpected argument '${positionals[0]}'`);
  }

  const global = toGlobal(raw);
  const flags: Record<string, string | boolean> = {};
  if (command) {
    for (const name of Object.keys(COMMAND_FLAGS[command])) {
      const v = raw[name];
      if (v !== undefined) flags[name] = v;
    }
    validateCommandFlags(command, flags);
  }
  const parsed: ParsedArgs = { command, global, flags };
  const id = positionals[0];
  if (id !== undefined) {
    if (!/^[A-Za-z0-9]{1,64}$/.test(id)) throw new UsageError(`<apiKeyId> must be letters and digits only, got '${id}'`);
    parsed.apiKeyId = id;
  }
  return parsed;
}

/** A command flag written before the command (`apikey --json list`) is accepted once we know the command. */
function findCommandFlagAhead(argv: readonly string[], from: number, name: string): FlagSpec | undefined {
  for (let j = from + 1; j < argv.length; j++) {
    const a = argv[j] as string;
    if (!a.startsWith('-') && isCommand(a)) return COMMAND_FLAGS[a][name];
  }
  return undefined;
}

function toGlobal(raw: Record<string, string | boolean>): GlobalOptions {
  const g: GlobalOptions = {
    sandbox: raw.sandbox === true,
    debug: raw.debug === true,
    noColor: raw['no-color'] === true,
    help: raw.help === true,
    version: raw.version === true,
  };
  if (typeof raw.profile === 'string') {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(raw.profile)) throw new UsageError('--profile must be 1-64 letters, digits, _ . or -');
    g.profile = raw.profile;
  }
  if (typeof raw.site === 'string') {
    if (raw.site !== 'public' && raw.site !== 'gov' && raw.site !== 'fin') {
      throw new UsageError(`--site must be one of public, gov, fin (got '${raw.site}')`);
    }
    g.site = raw.site;
  }
  if (typeof raw.endpoint === 'string') {
    let url: URL;
    try {
      url = new URL(raw.endpoint);
    } catch {
      throw new UsageError(`--endpoint must be an http(s) URL (got '${raw.endpoint}')`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UsageError('--endpoint must be an http(s) URL');
    g.endpoint = raw.endpoint.replace(/\/+$/, '');
  }
  if (g.sandbox && g.endpoint) throw new UsageError('--sandbox and --endpoint cannot be used together');
  return g;
}

function validateCommandFlags(command: CommandName, flags: Record<string, string | boolean>): void {
  if (command === 'list' && typeof flags.limit === 'string') {
    const n = Number(flags.limit);
    if (!/^\d+$/.test(flags.limit) || n < 1 || n > 1000) throw new UsageError(`--limit must be an integer from 1 to 1000 (got '${flags.limit}')`);
  }
  if (command === 'sandbox' && typeof flags.port === 'string') {
    const n = Number(flags.port);
    if (!/^\d+$/.test(flags.port) || n > 65535) throw new UsageError(`--port must be an integer from 0 to 65535 (got '${flags.port}')`);
  }
  if (command === 'update' && flags.enable && flags.disable) throw new UsageError('--enable and --disable cannot be used together');
  if (command === 'rotate' && flags.primary && flags.secondary) throw new UsageError('--primary and --secondary cannot be used together');
}
