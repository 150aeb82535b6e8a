// `apikey completion bash|zsh|fish` from the built binary: each script parses in its shell, completes commands,
// subcommands, flags and choices the way the parser accepts them (bash by calling the function, fish with
// `complete -C`, zsh in a real terminal under tmux), and names everything in the command table (no drift).

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMAND_TABLE, COMMANDS, GLOBAL_FLAGS } from '../src/command-table.ts';
import { runCli } from './helpers.ts';

const has = (shell: string) => spawnSync(shell, ['-c', 'exit 0']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'apikey-completion-'));
const scripts: Record<string, string> = {};
const files: Record<string, string> = {};
// A HOME whose profile file has two sections, for --profile completion.
const home = mkdtempSync(join(tmpdir(), 'apikey-completion-home-'));

beforeAll(async () => {
  mkdirSync(join(home, '.ncloud'), { recursive: true });
  writeFileSync(join(home, '.ncloud', 'configure'), '[DEFAULT]\nncloud_access_key_id=A\n\n[ci-prod]\nncloud_access_key_id=B\n', { mode: 0o600 });
  for (const shell of ['bash', 'zsh', 'fish']) {
    const r = await runCli(['completion', shell]);
    expect(r.code, r.stderr).toBe(0);
    scripts[shell] = r.stdout;
    files[shell] = join(dir, `apikey.${shell}`);
    writeFileSync(files[shell] as string, r.stdout);
  }
});

describe('completion scripts', () => {
  it.each(['bash', 'zsh', 'fish'])('%s: names every command, subcommand, flag and choice of the command table', (shell) => {
    const script = scripts[shell] as string;
    for (const c of COMMANDS) {
      expect(script).toContain(c);
      const spec = COMMAND_TABLE[c];
      for (const [sub, s] of Object.entries(spec.subcommands ?? {})) {
        expect(script).toContain(sub);
        for (const f of Object.keys(s.flags)) expect(script).toMatch(new RegExp(`(--| -l )${f}\\b`));
      }
      for (const f of Object.keys(spec.flags)) expect(script).toMatch(new RegExp(`(--| -l )${f}\\b`));
      if (spec.operand?.kind === 'choice') for (const choice of spec.operand.choices) expect(script).toContain(choice);
    }
    for (const f of Object.keys(GLOBAL_FLAGS)) expect(script).toMatch(new RegExp(`(--| -l )${f}\\b`));
  });

  it.each([
    ['bash', ['-n']],
    ['zsh', ['-n']],
    ['fish', ['--no-execute']],
  ])('%s: the script parses', (shell, flags) => {
    if (!has(shell)) return void console.warn(`${shell} not installed; its parse check is skipped`);
    const r = spawnSync(shell, [...flags, files[shell] as string], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe('bash completes like the parser parses', () => {
  const complete = (...words: string[]) => {
    const script = `source ${files.bash}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _apikey; printf '%s\\n' "\${COMPREPLY[@]}"`;
    const r = spawnSync('bash', ['--norc', '-c', script], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: home } });
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter(Boolean);
  };

  it('commands, subcommands, shells and help topics', () => {
    expect(complete('apikey', 'cre')).toEqual(['create']);
    expect(complete('apikey', 'co')).toEqual(['configure', 'completion']);
    expect(complete('apikey', 'configure', '')).toEqual(['list']);
    expect(complete('apikey', '-p', 'ci', 'auth', '')).toEqual(['status']);
    expect(complete('apikey', 'completion', '')).toEqual(['bash', 'zsh', 'fish']);
    expect(complete('apikey', 'help', 'ro')).toEqual(['rotate']);
    expect(complete('apikey', 'completion', 'bash', '')).toEqual([]);
  });

  it("a command's own flags plus the global ones, after flag values that look like commands", () => {
    const create = complete('apikey', 'create', '--');
    expect(create).toEqual(expect.arrayContaining(['--name', '--description', '--dry-run', '--profile', '--json']));
    expect(create).not.toContain('--limit');
    // `list` here is the value of -n, not the configure subcommand.
    expect(complete('apikey', 'create', '-n', 'list', '--j')).toEqual(['--json']);
    expect(complete('apikey', 'configure', 'list', '--j')).toEqual(['--json']);
  });

  it('choices for --site and the profile names of ~/.ncloud/configure for --profile', () => {
    expect(complete('apikey', 'list', '--site', '')).toEqual(['public', 'gov', 'fin']);
    expect(complete('apikey', '--profile', '')).toEqual(['DEFAULT', 'ci-prod']);
    expect(complete('apikey', '-p', 'ci')).toEqual(['ci-prod']);
  });
});

describe.skipIf(!has('fish'))('fish completes like the parser parses', () => {
  const complete = (line: string) => {
    const r = spawnSync('fish', ['--no-config', '-c', `source ${files.fish}; complete -C ${JSON.stringify(line)}`], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: home } });
    expect(r.stderr).toBe('');
    return r.stdout.split('\n').filter(Boolean).map((l) => l.split('\t')[0]);
  };

  it('commands with descriptions, subcommands, flags, choices and profiles', () => {
    expect(complete('apikey cre')).toEqual(['create']);
    expect(complete('apikey configure ')).toEqual(['list']);
    expect(complete('apikey configure list --')).toContain('--json');
    expect(complete('apikey configure list --')).not.toContain('--limit');
    expect(complete('apikey create --d')).toEqual(expect.arrayContaining(['--description', '--dry-run', '--debug']));
    expect(complete('apikey --site ')).toEqual(['fin', 'gov', 'public']);
    expect(complete('apikey --profile ')).toEqual(['ci-prod', 'DEFAULT']);
    expect(complete('apikey completion ')).toEqual(['bash', 'fish', 'zsh']);
  });
});

describe.skipIf(!has('zsh') || !has('tmux'))('zsh completes in a real terminal (tmux)', () => {
  const socket = `apikey-zsh-${process.pid}`;
  const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  const screen = () => tmux('capture-pane', '-p', '-t', 'z').stdout;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const waitFor = async (re: RegExp) => {
    const deadline = Date.now() + 15_000;
    while (!re.test(screen())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${re}; screen:\n${screen()}`);
      await sleep(50);
    }
  };
  afterAll(() => {
    tmux('kill-server');
  });

  it('completes a command, a flag and a --site choice with Tab', async () => {
    const started = tmux('new-session', '-d', '-s', 'z', '-x', '120', '-y', '20', '-e', `HOME=${home}`, '-e', 'PS1=zsh> ', 'zsh', '-f');
    expect(started.status, started.stderr).toBe(0);
    tmux('send-keys', '-t', 'z', '-l', `PS1='zsh> '; autoload -U compinit && compinit -u -D && source ${files.zsh} && echo READY`);
    tmux('send-keys', '-t', 'z', 'Enter');
    await waitFor(/^READY$/m);
    tmux('send-keys', '-t', 'z', '-l', 'apikey cre');
    tmux('send-keys', '-t', 'z', 'Tab');
    await waitFor(/zsh> apikey create ?$/m);
    tmux('send-keys', '-t', 'z', '-l', '--', '--dr');
    tmux('send-keys', '-t', 'z', 'Tab');
    await waitFor(/zsh> apikey create --dry-run ?$/m);
    tmux('send-keys', '-t', 'z', '-l', '--', '--site go');
    tmux('send-keys', '-t', 'z', 'Tab');
    await waitFor(/zsh> apikey create --dry-run --site gov ?$/m);
  }, 30_000);
});
