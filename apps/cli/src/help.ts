// Owns the help text, generated from command-table.ts so help and parser cannot drift.

import { COMMAND_TABLE, COMMANDS, GLOBAL_FLAGS, specFor, type CommandName, type CommandSpec, type FlagSpec } from './command-table.ts';

function flagLines(flags: Record<string, FlagSpec>): string[] {
  const rows = Object.entries(flags).map(([name, f]) => {
    const short = f.short ? `-${f.short}, ` : '    ';
    return [`${short}--${name}${f.kind === 'string' ? ` ${f.valueName ?? 'VALUE'}` : ''}`, f.help] as const;
  });
  const width = Math.max(...rows.map(([l]) => l.length));
  return rows.map(([l, h]) => `  ${l.padEnd(width)}  ${h}`);
}

/** One row per runnable command line: `create`, `configure`, `configure list`, `auth status`, … */
function commandRows(): [string, string][] {
  const rows: [string, string][] = [];
  for (const c of COMMANDS) {
    const spec: CommandSpec = COMMAND_TABLE[c];
    if (spec.subcommands === undefined || spec.runsAlone === true) rows.push([c, spec.summary]);
    for (const [sub, s] of Object.entries(spec.subcommands ?? {})) rows.push([`${c} ${sub}`, s.summary]);
  }
  return rows;
}

export function mainHelp(): string {
  const rows = commandRows();
  const width = Math.max(...rows.map(([c]) => c.length));
  return [
    'apikey: create and manage NCP API Gateway keys',
    '',
    'Usage: apikey <command> [flags]',
    '  (no command: the interactive menu in a terminal, this help otherwise)',
    '',
    'Commands:',
    ...rows.map(([c, s]) => `  ${c.padEnd(width)}  ${s}`),
    '',
    'Global flags:',
    ...flagLines(GLOBAL_FLAGS),
    '',
    'Examples:',
    '  apikey create -n billing-svc -d "billing service" --json > key.json',
    '  apikey list --json',
    '  apikey auth status',
    '',
    'Credentials: NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY, or a profile in ~/.ncloud/configure (apikey configure).',
    'Exit codes: 0 ok, 1 API/network failure, 2 usage or validation (nothing sent), 3 auth (401/403), 130 interrupted.',
    "Run 'apikey help <command>' or 'apikey <command> --help' for a command's flags and examples.",
    '',
  ].join('\n');
}

export function commandHelp(command: CommandName, subcommand?: string): string {
  const spec = specFor(command, subcommand);
  const subs = subcommand === undefined ? Object.entries(spec.subcommands ?? {}) : [];
  const subWidth = Math.max(0, ...subs.map(([s]) => s.length));
  return [
    `Usage: ${spec.usage}`,
    ...subs.filter(() => spec.runsAlone === true).map(([s]) => `       ${specFor(command, s).usage}`),
    '',
    `${spec.summary[0]?.toUpperCase()}${spec.summary.slice(1)}.`,
    ...(spec.notes ?? []),
    '',
    ...(subs.length ? ['Subcommands:', ...subs.map(([s, sub]) => `  ${s.padEnd(subWidth)}  ${sub.summary}`), ''] : []),
    ...(Object.keys(spec.flags).length ? ['Flags:', ...flagLines(spec.flags), ''] : []),
    'Global flags:',
    ...flagLines(GLOBAL_FLAGS),
    '',
    'Examples:',
    ...spec.examples.map((e) => `  ${e}`),
    '',
  ].join('\n');
}
