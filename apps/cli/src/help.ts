// Owns the help text, generated from the flag tables in args.ts so the two cannot drift.

import { COMMAND_FLAGS, GLOBAL_FLAGS, type CommandName } from './args.ts';

const USAGE: Record<CommandName, { usage: string; summary: string }> = {
  create: { usage: 'apikey create [--name N] [--description D] [--yes] [--json] [--dry-run]', summary: 'create an API key and print both key values' },
  list: { usage: 'apikey list [--name FILTER] [--limit N] [--all] [--json]', summary: 'list API keys' },
  show: { usage: 'apikey show <apiKeyId> [--json]', summary: 'show one API key' },
  update: { usage: 'apikey update <apiKeyId> [--name N] [--description D] [--enable | --disable] [--json]', summary: 'change name, description or enabled state' },
  rotate: { usage: 'apikey rotate <apiKeyId> (--primary | --secondary) [--yes] [--json]', summary: 'regenerate the primary or secondary key' },
  delete: { usage: 'apikey delete <apiKeyId> [--yes] [--json]', summary: 'delete an API key' },
  configure: { usage: 'apikey configure [--profile P]', summary: 'store credentials in ~/.ncloud/configure (0600): typed in a terminal (secret masked), else the first two lines of stdin are the access key and the secret key' },
  sandbox: { usage: 'apikey sandbox [--port N]', summary: 'serve the local NCP emulator at http://127.0.0.1:N/api/v1' },
};

function flagLines(flags: Record<string, { kind: string; help: string; valueName?: string }>): string[] {
  const rows = Object.entries(flags).map(([name, f]) => [`--${name}${f.kind === 'string' ? ` ${f.valueName ?? 'VALUE'}` : ''}`, f.help] as const);
  const width = Math.max(...rows.map(([l]) => l.length));
  return rows.map(([l, h]) => `  ${l.padEnd(width)}  ${h}`);
}

export function mainHelp(): string {
  const width = Math.max(...Object.keys(USAGE).map((c) => c.length));
  return [
    'apikey: create and manage NCP API Gateway keys',
    '',
    'Usage: apikey [command] [flags]',
    '  (no command: the interactive menu in a terminal, this help otherwise)',
    '',
    'Commands:',
    ...Object.entries(USAGE).map(([c, u]) => `  ${c.padEnd(width)}  ${u.summary}`),
    '',
    'Global flags:',
    ...flagLines(GLOBAL_FLAGS),
    '',
    'Credentials: NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY, or a profile in ~/.ncloud/configure.',
    'Exit codes: 0 ok, 1 API/network failure, 2 usage or validation (nothing sent), 3 auth (401/403), 130 interrupted.',
    "Run 'apikey <command> --help' for a command's flags.",
    '',
  ].join('\n');
}

export function commandHelp(command: CommandName): string {
  const u = USAGE[command];
  const own = COMMAND_FLAGS[command];
  return [
    `Usage: ${u.usage}`,
    '',
    `${u.summary[0]?.toUpperCase()}${u.summary.slice(1)}.`,
    '',
    ...(Object.keys(own).length ? ['Flags:', ...flagLines(own), ''] : []),
    'Global flags:',
    ...flagLines(GLOBAL_FLAGS),
    '',
  ].join('\n');
}
