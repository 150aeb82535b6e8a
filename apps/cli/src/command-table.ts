// Owns the one table of commands, subcommands, flags, arguments, summaries and examples. The parser (args.ts),
// the help text (help.ts), shell completion (completion.ts) and "did you mean" all read it, so none can drift.
// Pure data with no imports: it is on the --help path.

export type FlagSpec = {
  kind: 'string' | 'boolean';
  help: string;
  /** Placeholder shown in help for a string flag's value. */
  valueName?: string;
  /** One-letter alias (`-n`); a letter means the same long flag everywhere it is used. */
  short?: string;
  /** The only values accepted; completion offers them. */
  choices?: readonly string[];
  /** May be given several times; the parsed value is then the list of values in order. */
  repeatable?: boolean;
};

/** What a command's positional arguments are. */
export type Operand =
  | { kind: 'apiKeyId' }
  | { kind: 'choice'; name: string; choices: readonly string[] }
  | { kind: 'topic' };

export type CommandSpec = {
  summary: string;
  usage: string;
  flags: Record<string, FlagSpec>;
  operand?: Operand;
  /** `apikey auth status`: the word after the command picks one of these. */
  subcommands?: Record<string, CommandSpec>;
  /** With subcommands: whether the command alone is a complete command line (configure) or not (auth). */
  runsAlone?: boolean;
  notes?: readonly string[];
  examples: readonly string[];
};

const json = (what: string): FlagSpec => ({ kind: 'boolean', help: `print ${what} as JSON` });
const yes = (help: string): FlagSpec => ({ kind: 'boolean', short: 'y', help });

export const GLOBAL_FLAGS: Record<string, FlagSpec> = {
  profile: { kind: 'string', short: 'p', valueName: 'P', help: 'profile in ~/.ncloud/configure (default: NCLOUD_PROFILE or DEFAULT)' },
  site: { kind: 'string', valueName: 'SITE', choices: ['public', 'gov', 'fin'], help: 'NCP site: public, gov or fin' },
  endpoint: { kind: 'string', valueName: 'URL', help: 'API Gateway base URL including /api/v1 (overrides --site)' },
  sandbox: { kind: 'boolean', help: 'talk to an in-process NCP emulator (no credentials needed)' },
  debug: { kind: 'boolean', help: 'log each request and response line to stderr (secrets redacted)' },
  'no-color': { kind: 'boolean', help: 'disable colours (NO_COLOR is honoured too)' },
  help: { kind: 'boolean', short: 'h', help: 'show help' },
  version: { kind: 'boolean', short: 'V', help: 'print the version' },
};

export const COMMANDS = ['create', 'list', 'show', 'update', 'rotate', 'delete', 'products', 'subscribe', 'unsubscribe', 'configure', 'auth', 'completion', 'sandbox', 'help', 'version'] as const;
export type CommandName = (typeof COMMANDS)[number];

export const COMMAND_TABLE: Record<CommandName, CommandSpec> = {
  create: {
    summary: 'create an API key (subscribed to --product P) and print both key values',
    usage: 'apikey create [--name N] [--description D] [--product P]... [--yes] [--json] [--dry-run]',
    flags: {
      name: { kind: 'string', short: 'n', valueName: 'N', help: 'key name, 1-20 characters' },
      description: { kind: 'string', short: 'd', valueName: 'D', help: 'description, 0-50 characters' },
      product: { kind: 'string', valueName: 'P', repeatable: true, help: 'subscribe the new key to product P (id or exact name; repeatable)' },
      yes: yes('no prompts (non-interactive)'),
      json: json('the created key'),
      'dry-run': { kind: 'boolean', help: 'check input and credentials (one signed read call), print the request; create nothing' },
    },
    notes: ['In a terminal without --yes or --json this opens the wizard, pre-filled from the flags.',
      'A key with the same name already existing is allowed; a warning on stderr says so.'],
    examples: [
      'apikey create -n billing-svc -d "billing service" --json > key.json',
      'apikey create --name billing-svc --dry-run',
      'apikey create -n web-app --product weather --product payments --json',
    ],
  },
  list: {
    summary: 'list API keys',
    usage: 'apikey list [--name FILTER] [--limit N] [--all] [--json]',
    flags: {
      name: { kind: 'string', short: 'n', valueName: 'FILTER', help: 'only keys whose name matches FILTER' },
      limit: { kind: 'string', valueName: 'N', help: 'at most N keys, 1-1000 (default: every matching key)' },
      all: { kind: 'boolean', help: 'every matching key (the default; kept for old scripts)' },
      json: { kind: 'boolean', help: 'print the keys as a JSON array' },
    },
    examples: [
      'apikey list',
      "apikey list -n billing --json | jq -r '.[].apiKeyId'",
    ],
  },
  show: {
    summary: 'show one API key and the products it is subscribed to',
    usage: 'apikey show <apiKeyId> [--json]',
    flags: { json: json('the key') },
    operand: { kind: 'apiKeyId' },
    examples: ['apikey show k1a2b3c4d5', 'apikey show k1a2b3c4d5 --json | jq -r .primaryKey'],
  },
  update: {
    summary: 'change name, description or enabled state',
    usage: 'apikey update <apiKeyId> [--name N] [--description D] [--enable | --disable] [--json]',
    flags: {
      name: { kind: 'string', short: 'n', valueName: 'N', help: 'new name' },
      description: { kind: 'string', short: 'd', valueName: 'D', help: 'new description' },
      enable: { kind: 'boolean', help: 'enable the key' },
      disable: { kind: 'boolean', help: 'disable the key' },
      json: json('the updated key'),
    },
    operand: { kind: 'apiKeyId' },
    examples: ['apikey update k1a2b3c4d5 -d "moved to team B"', 'apikey update k1a2b3c4d5 --disable'],
  },
  rotate: {
    summary: 'regenerate the primary or secondary key',
    usage: 'apikey rotate <apiKeyId> (--primary | --secondary) [--yes] [--json]',
    flags: {
      primary: { kind: 'boolean', help: 'regenerate the primary key' },
      secondary: { kind: 'boolean', help: 'regenerate the secondary key' },
      yes: yes('do not ask for confirmation (required when not interactive)'),
      json: json('the key'),
    },
    operand: { kind: 'apiKeyId' },
    examples: ['apikey rotate k1a2b3c4d5 --secondary -y --json | jq -r .secondaryKey'],
  },
  delete: {
    summary: 'delete an API key',
    usage: 'apikey delete <apiKeyId> [--yes] [--json]',
    flags: {
      yes: yes('do not ask for confirmation (required when not interactive)'),
      json: json('{"apiKeyId","deleted":true}'),
    },
    operand: { kind: 'apiKeyId' },
    examples: ['apikey delete k1a2b3c4d5 --yes'],
  },
  // ---- products: keys that open an API ----
  products: {
    summary: 'list your API products, or every published one with --catalog',
    usage: 'apikey products [--name FILTER] [--catalog] [--json]',
    flags: {
      name: { kind: 'string', short: 'n', valueName: 'FILTER', help: 'only products whose name contains FILTER' },
      catalog: { kind: 'boolean', help: 'every published product (all accounts), not only your own' },
      json: { kind: 'boolean', help: 'print the products as a JSON array' },
    },
    notes: ["PUBLIC: a subscribed key works at once. PROTECTED: the product's owner accepts each key."],
    examples: ['apikey products', "apikey products --catalog --json | jq -r '.[].productId'"],
  },
  subscribe: {
    summary: "subscribe a key to a product (PROTECTED ones wait for the owner's acceptance)",
    usage: 'apikey subscribe <apiKeyId> --product P [--json]',
    flags: {
      product: { kind: 'string', valueName: 'P', help: 'product id or exact name (required)' },
      json: json('{"apiKeyId","productId","status"}'),
    },
    operand: { kind: 'apiKeyId' },
    examples: ['apikey subscribe k1a2b3c4d5 --product weather --json'],
  },
  unsubscribe: {
    summary: "cancel a key's subscription to a product",
    usage: 'apikey unsubscribe <apiKeyId> --product P [--yes] [--json]',
    flags: {
      product: { kind: 'string', valueName: 'P', help: 'product id or exact name (required)' },
      yes: yes('do not ask for confirmation (required when not interactive)'),
      json: json('{"apiKeyId","productId","status"}'),
    },
    operand: { kind: 'apiKeyId' },
    examples: ['apikey unsubscribe k1a2b3c4d5 --product weather --yes'],
  },
  // ---- end products ----
  configure: {
    summary: 'store credentials in ~/.ncloud/configure (0600)',
    usage: 'apikey configure [--profile P]',
    flags: {},
    runsAlone: true,
    subcommands: {
      list: {
        summary: 'list the profiles in ~/.ncloud/configure, secrets masked',
        usage: 'apikey configure list [--json]',
        flags: { json: { kind: 'boolean', help: 'print the profiles as a JSON array' } },
        notes: ['The secret key is never printed, not even in part; the access key shows its last 4 characters.'],
        examples: ['apikey configure list', 'apikey configure list --json'],
      },
    },
    notes: [
      'In a terminal it asks for the access key and the secret key (masked).',
      'Without a terminal it reads the access key and the secret key from the first two lines of stdin.',
      'Secrets are never accepted as flags.',
    ],
    examples: [
      'apikey configure --profile ci',
      "printf '%s\\n%s\\n' \"$AK\" \"$SK\" | apikey configure -p ci",
    ],
  },
  auth: {
    summary: 'check the credentials in use',
    usage: 'apikey auth status [--json]',
    flags: {},
    subcommands: {
      status: {
        summary: 'the profile, site and endpoint in use and what set each; clock skew; one signed call',
        usage: 'apikey auth status [--json]',
        flags: { json: json('the status') },
        notes: ['Exit 0 when NCP accepted the signed call; 3 when it refused it (401/403); 2 when no credentials are set; 1 when NCP could not be reached.'],
        examples: ['apikey auth status', 'apikey auth status -p ci --json'],
      },
    },
    examples: ['apikey auth status'],
  },
  completion: {
    summary: 'print a shell completion script',
    usage: 'apikey completion bash|zsh|fish',
    flags: {},
    operand: { kind: 'choice', name: 'shell', choices: ['bash', 'zsh', 'fish'] },
    examples: [
      'source <(apikey completion bash)          # in ~/.bashrc',
      'apikey completion zsh > ~/.zfunc/_apikey   # a directory on $fpath, before compinit',
      'apikey completion fish > ~/.config/fish/completions/apikey.fish',
    ],
  },
  sandbox: {
    summary: 'serve the local NCP emulator at http://127.0.0.1:N/api/v1',
    usage: 'apikey sandbox [--port N]',
    flags: { port: { kind: 'string', valueName: 'N', help: 'port to listen on (default 4010; 0 = any free port)' } },
    examples: ['apikey sandbox --port 4010'],
  },
  help: {
    summary: 'show help for apikey or one command',
    usage: 'apikey help [command]',
    flags: {},
    operand: { kind: 'topic' },
    examples: ['apikey help create', 'apikey help auth status'],
  },
  version: {
    summary: 'print the version',
    usage: 'apikey version',
    flags: {},
    examples: ['apikey version'],
  },
};

export const isCommand = (s: string): s is CommandName => Object.hasOwn(COMMAND_TABLE, s);

/** The spec a command line runs: the subcommand's when one was given, else the command's. */
export function specFor(command: CommandName, subcommand?: string): CommandSpec {
  const spec = COMMAND_TABLE[command];
  return (subcommand !== undefined ? spec.subcommands?.[subcommand] : undefined) ?? spec;
}

/** Every long flag in the table with its spec; a name has one kind everywhere (a test holds the table to it). */
export function allFlags(): Map<string, FlagSpec> {
  const out = new Map<string, FlagSpec>(Object.entries(GLOBAL_FLAGS));
  const visit = (spec: CommandSpec) => {
    for (const [name, f] of Object.entries(spec.flags)) if (!out.has(name)) out.set(name, f);
    for (const sub of Object.values(spec.subcommands ?? {})) visit(sub);
  };
  for (const c of COMMANDS) visit(COMMAND_TABLE[c]);
  return out;
}
