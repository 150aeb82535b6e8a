// The command-line grammar and the mode decision, as plain functions (no process, no Ink).

import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/args.ts';
import { noColorEnv } from '../src/io.ts';
import { isCi, isInteractive } from '../src/mode.ts';
import { UsageError } from '../src/usage-error.ts';
import { wizardRouteFor } from '../src/wizard-route.ts';

const tty = { stdinIsTTY: true, stdoutIsTTY: true, env: {}, json: false, yes: false };

describe('parseArgs', () => {
  it('accepts --flag value, --flag=value, and global flags before the command', () => {
    const a = parseArgs(['--profile', 'ci', 'create', '--name=a=b', '--description', 'two words', '--json']);
    expect(a).toMatchObject({ command: 'create', global: { profile: 'ci' }, flags: { name: 'a=b', description: 'two words', json: true } });
    expect(parseArgs(['--json', 'list']).flags.json).toBe(true);
  });

  it('takes the apiKeyId positional and rejects ids that are not letters and digits', () => {
    expect(parseArgs(['show', 'abc123defg']).apiKeyId).toBe('abc123defg');
    expect(() => parseArgs(['show', '../etc'])).toThrow(/apiKeyId/);
    expect(() => parseArgs(['show', 'a', 'b'])).toThrow(/one <apiKeyId>/);
  });

  it.each([
    [['create', '--nmae', 'x'], "unknown flag '--nmae' for 'create'"],
    [['create', '--name'], '--name needs a value'],
    [['create', '--name', '--json'], '--name needs a value'],
    [['create', '--json=yes'], '--json does not take a value'],
    [['list', '--limit', '0'], '--limit must be an integer from 1 to 1000'],
    [['sandbox', '--port', '70000'], '--port must be an integer from 0 to 65535'],
    [['list', '--site', 'moon'], '--site must be one of public, gov, fin'],
    [['list', '--endpoint', 'ftp://x'], '--endpoint must be an http(s) URL'],
    [['update', 'abc', '--enable', '--disable'], '--enable and --disable cannot be used together'],
    [['configure', '--secret-key', 'S'], 'secrets never go in flags'],
    [['list', '--sandbox', '--endpoint', 'http://x'], '--sandbox and --endpoint cannot be used together'],
  ])('%j → UsageError naming the problem', (argv, message) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(message);
  });
});

describe('mode', () => {
  it('is interactive only with two TTYs, no CI, no --json/--yes', () => {
    expect(isInteractive(tty)).toBe(true);
    expect(isInteractive({ ...tty, stdinIsTTY: false })).toBe(false);
    expect(isInteractive({ ...tty, stdoutIsTTY: false })).toBe(false);
    expect(isInteractive({ ...tty, json: true })).toBe(false);
    expect(isInteractive({ ...tty, yes: true })).toBe(false);
    expect(isInteractive({ ...tty, env: { CI: 'true' } })).toBe(false);
    expect(isInteractive({ ...tty, env: { CI: 'false' } })).toBe(true);
    expect(isInteractive({ ...tty, env: { CI: '0' } })).toBe(true);
  });

  it('treats CI like is-in-ci (set and not 0/false, also CONTINUOUS_INTEGRATION)', () => {
    expect(isCi({ CI: '' })).toBe(true);
    expect(isCi({ CONTINUOUS_INTEGRATION: '1' })).toBe(true);
    expect(isCi({ CI: 'FALSE' })).toBe(false);
    expect(isCi({})).toBe(false);
  });

  it('honours NO_COLOR only when non-empty (no-color.org)', () => {
    expect(noColorEnv({ NO_COLOR: '1' })).toBe(true);
    expect(noColorEnv({ NO_COLOR: '' })).toBe(false);
    expect(noColorEnv({})).toBe(false);
  });

  it('opens the wizard on the right screen, never for dry runs or read-only commands', () => {
    expect(wizardRouteFor(parseArgs([]))).toEqual({ screen: 'menu' });
    expect(wizardRouteFor(parseArgs(['create', '--name', 'n']))).toEqual({ screen: 'create', name: 'n' });
    expect(wizardRouteFor(parseArgs(['create', '--name', 'n', '--dry-run']))).toBeUndefined();
    expect(wizardRouteFor(parseArgs(['create', '--name', 'n', '--product', 'weather']))).toEqual({ screen: 'create', name: 'n', products: ['weather'] });
    // Several products open the picker with each of them ticked.
    expect(wizardRouteFor(parseArgs(['create', '--name', 'n', '--product', 'a', '--product', 'b']))).toEqual({ screen: 'create', name: 'n', products: ['a', 'b'] });
    expect(wizardRouteFor(parseArgs(['rotate', 'abc', '--secondary']))).toEqual({ screen: 'rotate', apiKeyId: 'abc', keyType: 'SECONDARY' });
    expect(wizardRouteFor(parseArgs(['list']))).toBeUndefined();
  });
});
