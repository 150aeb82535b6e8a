// `apikey configure` with a terminal on stdin but not on stdout (`apikey configure | tee log`, CI=true in a
// `docker run -it`): the secret is still typed into the masked form, never read as echoed stdin lines.
// Real terminal: tmux.

import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, REPO_ROOT, tempHome } from './helpers.ts';

const socket = `apikey-cfg-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterAll(() => {
  tmux('kill-server');
});

async function waitFor(session: string, text: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const shot = tmux('capture-pane', '-p', '-t', session).stdout;
    if (shot.includes(text)) {
      await sleep(50);
      return shot;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${text}:\n${shot}`);
    await sleep(50);
  }
}

describe('configure never reads a secret from a terminal without masking it', () => {
  it.each([
    ['stdout piped', 'CI=false', '| cat > "$OUT"'],
    ['stdout piped and CI set', 'CI=true', '| cat > "$OUT"'],
  ])('%s: the form draws on stderr, the secret shows as *, stdout gets the result line', async (_what, ci, redirect) => {
    const home = tempHome();
    const session = `cfg${Math.random().toString(36).slice(2, 8)}`;
    const out = join(home, 'stdout.txt');
    tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', '-c', REPO_ROOT, '-e', `HOME=${home}`, '-e', ci, '-e', `OUT=${out}`,
      `${process.execPath} ${BIN} configure --profile piped ${redirect}; echo "EXIT=\${PIPESTATUS[0]}"; sleep 60`);
    await waitFor(session, 'NCP access key');
    tmux('send-keys', '-t', session, '-l', 'AKPIPED123');
    await waitFor(session, 'AKPIPED123');
    tmux('send-keys', '-t', session, 'Enter');
    await waitFor(session, 'NCP secret key');
    tmux('send-keys', '-t', session, '-l', 'PipedSecretValue7');
    await waitFor(session, '*'.repeat(17));
    expect(tmux('capture-pane', '-p', '-t', session).stdout).not.toContain('PipedSecretValue7');
    tmux('send-keys', '-t', session, 'Enter');
    const final = await waitFor(session, 'EXIT=');
    expect(final).toContain('EXIT=0');
    expect(final).not.toContain('PipedSecretValue7');
    const file = join(home, '.ncloud', 'configure');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe('[piped]\nncloud_access_key_id=AKPIPED123\nncloud_secret_access_key=PipedSecretValue7\n');
    expect(readFileSync(out, 'utf8')).toBe(`Saved credentials for profile "piped" to ${file} (mode 0600).\n`);
  });
});
