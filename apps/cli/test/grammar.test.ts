// The command table and the grammar built on it: short flags, subcommands, "did you mean", help for every
// command, and usage errors that never repeat a stray argument (it may be a secret typed in the wrong place).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/args.ts';
import { COMMAND_TABLE, COMMANDS, GLOBAL_FLAGS, type CommandSpec, type FlagSpec } from '../src/command-table.ts';
import { commandHelp, mainHelp } from '../src/help.ts';
import { closest, editDistance } from '../src/suggest.ts';
import { UsageError } from '../src/usage-error.ts';

const usageError = (argv: string[]): UsageError => {
  try {
    parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error(`expected a UsageError for ${JSON.stringify(argv)}`);
};

/** Every command line with its own spec: `create`, `configure list`, `auth status`, … */
const specs = (): [string, CommandSpec][] =>
  COMMANDS.flatMap((c) => {
    const spec = COMMAND_TABLE[c];
    return [[c, spec] as [string, CommandSpec], ...Object.entries(spec.subcommands ?? {}).map(([s, sub]) => [`${c} ${s}`, sub] as [string, CommandSpec])];
  });

describe('the command table', () => {
  it('gives a flag name one kind and one short letter everywhere, so a flag parses the same before and after the command', () => {
    const seen = new Map<string, FlagSpec>(Object.entries(GLOBAL_FLAGS));
    const letters = new Map<string, string>();
    for (const [name, f] of seen) if (f.short) letters.set(f.short, name);
    for (const [, spec] of specs()) {
      for (const [name, f] of Object.entries(spec.flags)) {
        const earlier = seen.get(name);
        if (earlier) expect(f.kind, `--${name}`).toBe(earlier.kind);
        else seen.set(name, f);
        if (f.short) {
          expect(letters.get(f.short) ?? name, `-${f.short}`).toBe(name);
          letters.set(f.short, name);
        }
      }
    }
    expect([...letters]).toEqual(expect.arrayContaining([['n', 'name'], ['d', 'description'], ['y', 'yes'], ['p', 'profile'], ['h', 'help'], ['V', 'version']]));
  });

  it.each(specs().map(([path, spec]) => [path, spec] as const))("'%s': usage names every flag, help shows examples that parse", (path, spec) => {
    for (const name of Object.keys(spec.flags)) expect(spec.usage, `--${name}`).toContain(`--${name}`);
    expect(spec.examples.length).toBeGreaterThan(0);
    const [command, sub] = path.split(' ') as [keyof typeof COMMAND_TABLE, string | undefined];
    const help = commandHelp(command, sub);
    expect(help).toContain('Examples:');
    for (const example of spec.examples) {
      expect(help).toContain(example);
      // The example's apikey words (up to a pipe, redirect, comment or closing parenthesis) are a valid command line.
      const line = /apikey((?:\s+(?:"[^"]*"|'[^']*'|[^\s|>#)]+))*)/.exec(example)?.[1] ?? '';
      const words = (line.match(/"[^"]*"|'[^']*'|\S+/g) ?? []).map((w) => w.replace(/^["']|["']$/g, ''));
      expect(() => parseArgs(words), example).not.toThrow();
    }
  });

  it('main help lists every command line and the help command shows the same text as --help', () => {
    const help = mainHelp();
    for (const [path, spec] of specs()) if (spec.subcommands === undefined || spec.runsAlone) expect(help).toContain(`  ${path} `);
    expect(parseArgs(['help', 'auth', 'status'])).toMatchObject({ command: 'help', operands: ['auth', 'status'] });
    expect(parseArgs(['auth', 'status', '--help'])).toMatchObject({ command: 'auth', subcommand: 'status', global: { help: true } });
  });
});

describe('parseArgs', () => {
  it('accepts short flags alone, with the value attached, and clustered (getopt habit)', () => {
    expect(parseArgs(['create', '-n', 'svc', '-d', 'billing', '-y']).flags).toEqual({ name: 'svc', description: 'billing', yes: true });
    expect(parseArgs(['create', '-nsvc']).flags.name).toBe('svc');
    expect(parseArgs(['create', '-yn', 'svc']).flags).toEqual({ yes: true, name: 'svc' });
    expect(parseArgs(['-p', 'ci', 'list']).global.profile).toBe('ci');
    expect(parseArgs(['list', '-h']).global.help).toBe(true);
    expect(parseArgs(['-V']).global.version).toBe(true);
  });

  it('takes subcommands and operands: configure list, auth status, completion <shell>, help <command>', () => {
    expect(parseArgs(['configure'])).toMatchObject({ command: 'configure', operands: [] });
    expect(parseArgs(['configure', 'list', '--json'])).toMatchObject({ command: 'configure', subcommand: 'list', flags: { json: true } });
    expect(parseArgs(['auth', 'status', '-p', 'ci'])).toMatchObject({ command: 'auth', subcommand: 'status', global: { profile: 'ci' } });
    expect(parseArgs(['completion', 'fish']).operands).toEqual(['fish']);
    expect(parseArgs(['help', 'create']).operands).toEqual(['create']);
    expect(parseArgs(['version']).command).toBe('version');
  });

  it.each([
    [['craete'], "unknown command 'craete'; did you mean 'create'?"],
    [['lsit'], "did you mean 'list'?"],
    [['creat', '--name', 'x'], "did you mean 'create'?"],
    [['create', '--nmae', 'x'], "unknown flag '--nmae' for 'create'; did you mean '--name'?"],
    [['list', '--jsno'], "did you mean '--json'?"],
    [['create', '--dryrun'], "did you mean '--dry-run'?"],
    [['auth', 'stauts'], "unknown auth subcommand 'stauts'; did you mean 'status'?"],
    [['completion', 'zhs'], "did you mean 'zsh'?"],
    [['help', 'rotat'], "did you mean 'rotate'?"],
    [['list', '--site', 'gob'], "did you mean 'gov'?"],
    [['configure', '--json'], "--json is not a flag for 'configure'"],
    [['auth'], "'auth' needs a subcommand: status"],
    [['completion'], '<shell> is required: one of bash, zsh, fish'],
    [['create', '-d', '-x'], "for a value that starts with '-', write --description=VALUE"],
  ])('%j → %s', (argv, message) => {
    expect(usageError(argv).message).toContain(message);
  });

  it('points each usage error at the help of the command it is about', () => {
    expect(usageError(['create', '--nmae', 'x']).pointer).toBe("Run 'apikey create --help' for usage.");
    expect(usageError(['auth', 'status', 'extra']).pointer).toBe("Run 'apikey auth status --help' for usage.");
    expect(usageError(['frobnicate']).pointer).toBe("Run 'apikey --help' for usage.");
  });
});

describe('usage errors never echo a stray argument', () => {
  const SECRET = 'SKq7Zp2Lw9Xv4Rt8Nb3Mc6Hd1Jf5Gk0Ys2Ua7Ve';

  it.each([
    ['as the command', [SECRET]],
    ['after a command that takes no argument', ['list', SECRET]],
    ['as an <apiKeyId> with a character an id never has', ['show', `${SECRET}/`]],
    ['as a second <apiKeyId>', ['show', 'abc', SECRET]],
    ['as a flag', ['create', `--${SECRET}`]],
    ['as a flag with a value', ['create', `--${SECRET}=x`]],
    ['as a short flag cluster', ['create', `-${SECRET}`]],
    ['as the subcommand', ['auth', SECRET]],
    ['as the shell', ['completion', SECRET]],
    ['as the help topic', ['help', SECRET]],
    ['as the value of --site', ['list', '--site', SECRET]],
    ['as the value of --limit', ['list', '--limit', SECRET]],
    ['as the value of --port', ['sandbox', '--port', SECRET]],
    ['as the value of --endpoint', ['list', '--endpoint', SECRET]],
    ['as the value of --profile', ['list', '--profile', `${SECRET}!`]],
    ['as a secret-named flag', [`--secret-key=${SECRET}`]],
  ])('%s', (_where, argv) => {
    const e = usageError(argv);
    expect(e.message).not.toContain(SECRET);
    expect(e.message).not.toContain(SECRET.slice(0, 8));
  });

  it('holds for any secret-like token at any position of any command line (property)', () => {
    const word = fc.constantFrom(...COMMANDS, 'status', 'list', '--json', '-y', '--name', '-n', '--site', '--limit', 'abc123', '--', '-');
    const secret = fc.stringMatching(/^[A-Za-z0-9+/=_-]{16,48}$/).filter((s) => /[A-Z]/.test(s) && /[0-9]/.test(s));
    const decorate = fc.constantFrom((s: string) => s, (s: string) => `--${s}`, (s: string) => `-${s}`, (s: string) => `--name=${s}`, (s: string) => `${s}/`);
    fc.assert(
      fc.property(fc.array(word, { maxLength: 5 }), secret, decorate, fc.nat(), (words, s, d, at) => {
        const argv: string[] = [...words];
        argv.splice(at % (argv.length + 1), 0, d(s));
        try {
          parseArgs(argv);
        } catch (e) {
          if (!(e instanceof UsageError)) throw e;
          return !e.message.includes(s) && !e.message.includes(s.slice(0, 10));
        }
        return true;
      }),
      { numRuns: 3000 },
    );
  });
});

describe('did you mean', () => {
  it('counts a swap of neighbours as one edit and keeps suggestions to near-misses', () => {
    expect(editDistance('lsit', 'list')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(closest('delet', ['create', 'delete'])).toBe('delete');
    expect(closest('xyz', ['create', 'list'])).toBeUndefined();
    expect(closest('cr', ['create', 'list'])).toBe('create');
  });
});
