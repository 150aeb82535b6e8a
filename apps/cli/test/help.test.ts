// Help and version from the built binary: `apikey help [command]` is the same text as `--help`, every command's
// help ends with examples, `version` / `--version` / `-V` agree with package.json, and none of them needs
// credentials or sends anything.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMAND_TABLE, COMMANDS } from '../src/command-table.ts';
import { CLI_ROOT, runCli } from './helpers.ts';

describe('help and version', () => {
  it('`apikey help <command> [subcommand]` prints what `<command> --help` prints, examples included', async () => {
    for (const [words, flagged] of [[['help', 'create'], ['create', '--help']], [['help', 'auth', 'status'], ['auth', 'status', '-h']], [['help'], ['--help']]] as const) {
      const a = await runCli([...words]);
      const b = await runCli([...flagged]);
      expect(a.code).toBe(0);
      expect(a.stdout).toBe(b.stdout);
      expect(a.stdout).toContain('Examples:');
    }
  });

  it('every command has help with a usage line and examples', async () => {
    for (const c of COMMANDS) {
      const r = await runCli([c, '--help']);
      expect(r.code, c).toBe(0);
      expect(r.stdout).toContain(`Usage: ${COMMAND_TABLE[c].usage}`);
      expect(r.stdout).toContain(`Examples:\n  ${COMMAND_TABLE[c].examples[0]}`);
    }
  });

  it('version, --version and -V print the package version', async () => {
    const pkg = JSON.parse(readFileSync(join(CLI_ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const args of [['version'], ['--version'], ['-V']]) {
      const r = await runCli(args);
      expect(r).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    }
  });

  it('a misspelt help topic gets a suggestion and exit 2', async () => {
    const r = await runCli(['help', 'confgure']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("error: unknown command 'confgure'; did you mean 'configure'?\nRun 'apikey --help' for usage.\n");
  });
});
