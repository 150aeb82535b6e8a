// End-to-end: the REAL wizard (built bundle) in a real terminal (tmux, 100x30) against the emulator on a real
// port. Creates a key through the menu, reads both keys off the screen, and checks the emulator holds them.

import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, envFor, REPO_ROOT, startEmulator, tempHome, type Served } from './helpers.ts';

const socket = `apikey-e2e-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const screen = () => tmux('capture-pane', '-p', '-t', 'wiz').stdout;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitForScreen(text: string | RegExp, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const s = screen();
    if (typeof text === 'string' ? s.includes(text) : text.test(s)) {
      await sleep(50); // the frame is drawn; give the new step's input handler a moment to be armed
      return s;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(text)}; screen was:\n${s}`);
    await sleep(50);
  }
}

let server: Served;
beforeAll(async () => {
  server = await startEmulator();
});
afterAll(async () => {
  tmux('kill-server');
  await server.close();
});

describe('wizard in a real terminal (tmux)', () => {
  it('creates a key through the menu; both keys are on screen and the emulator holds that key', async () => {
    const env = { ...envFor(server), CI: 'false', HOME: tempHome(), TERM: 'xterm-256color' };
    const started = tmux('new-session', '-d', '-s', 'wiz', '-x', '100', '-y', '30', '-c', REPO_ROOT,
      ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
      `${process.execPath} ${BIN}; echo "EXIT=$?"; sleep 60`);
    expect(started.status, started.stderr).toBe(0);

    await waitForScreen('What would you like to do?');
    tmux('send-keys', '-t', 'wiz', '-l', 'c');
    await waitForScreen('1-20 characters');
    tmux('send-keys', '-t', 'wiz', '-l', 'tmux-e2e-keyXX');
    tmux('send-keys', '-t', 'wiz', 'BSpace', 'BSpace');
    await waitForScreen('12/20');
    tmux('send-keys', '-t', 'wiz', 'Enter');
    await waitForScreen('optional, up to 50');
    tmux('send-keys', '-t', 'wiz', '-l', '터미널 테스트');
    tmux('send-keys', '-t', 'wiz', 'Enter');
    await waitForScreen('Create this API key?');
    tmux('send-keys', '-t', 'wiz', 'Enter');
    const result = await waitForScreen('Created API key "tmux-e2e-key"');

    const stored = server.emulator.inspect.keys().filter((k) => k.apiKeyName === 'tmux-e2e-key');
    expect(stored).toHaveLength(1);
    expect(stored[0]?.apiKeyDescription).toBe('터미널 테스트');
    expect(result).toContain(stored[0]?.primaryKey);
    expect(result).toContain(stored[0]?.secondaryKey);
    expect(result).toContain('Store these keys now');

    tmux('send-keys', '-t', 'wiz', 'Enter');
    await waitForScreen('What would you like to do?');
    tmux('send-keys', '-t', 'wiz', '-l', 'q');
    await waitForScreen('EXIT=0');
  });

  it('Ctrl+C in the wizard exits 130', async () => {
    const env = { ...envFor(server), CI: 'false', HOME: tempHome() };
    tmux('new-session', '-d', '-s', 'wiz2', '-x', '100', '-y', '30', '-c', REPO_ROOT,
      ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
      `${process.execPath} ${BIN} create; echo "EXIT=$?"; sleep 60`);
    const shot = () => tmux('capture-pane', '-p', '-t', 'wiz2').stdout;
    const deadline = Date.now() + 10_000;
    while (!shot().includes('1-20 characters') && Date.now() < deadline) await sleep(50);
    await sleep(50);
    tmux('send-keys', '-t', 'wiz2', '-l', 'abc');
    tmux('send-keys', '-t', 'wiz2', 'C-c');
    while (!shot().includes('EXIT=') && Date.now() < deadline) await sleep(50);
    expect(shot()).toContain('EXIT=130');
    expect(server.emulator.inspect.keys().some((k) => k.apiKeyName === 'abc')).toBe(false);
  });

  it('without credentials the wizard exits 2 with the reason instead of a dead screen', async () => {
    tmux('new-session', '-d', '-s', 'wiz3', '-x', '100', '-y', '30', '-c', REPO_ROOT, '-e', `HOME=${tempHome()}`, '-e', 'CI=false',
      `env -u NCLOUD_ACCESS_KEY -u NCLOUD_SECRET_KEY -u NCLOUD_APIGW_ENDPOINT ${process.execPath} ${BIN} create; echo "EXIT=$?"; sleep 60`);
    const shot = () => tmux('capture-pane', '-p', '-t', 'wiz3').stdout;
    const deadline = Date.now() + 10_000;
    while (!shot().includes('EXIT=') && Date.now() < deadline) await sleep(50);
    expect(shot()).toContain('EXIT=2');
    expect(shot()).toMatch(/NCLOUD_ACCESS_KEY|apikey configure/);
  });

  it('configure in a real terminal shows the access key, masks the secret, and writes 0600', async () => {
    const home = tempHome();
    tmux('new-session', '-d', '-s', 'cfg', '-x', '100', '-y', '30', '-c', REPO_ROOT, '-e', `HOME=${home}`, '-e', 'CI=false',
      `${process.execPath} ${BIN} configure --profile tty; echo "EXIT=$?"; sleep 60`);
    const shot = () => tmux('capture-pane', '-p', '-t', 'cfg').stdout;
    const waitFor = async (text: string) => {
      const deadline = Date.now() + 10_000;
      while (!shot().includes(text)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${text}:\n${shot()}`);
        await sleep(50);
      }
      await sleep(50);
    };
    await waitFor('NCP access key');
    tmux('send-keys', '-t', 'cfg', '-l', 'AKVISIBLE123');
    await waitFor('AKVISIBLE123');
    tmux('send-keys', '-t', 'cfg', 'Enter');
    await waitFor('NCP secret key');
    tmux('send-keys', '-t', 'cfg', '-l', 'TopSecretValue99');
    await waitFor('*'.repeat(16));
    expect(shot()).not.toContain('TopSecretValue99');
    tmux('send-keys', '-t', 'cfg', 'Enter');
    await waitFor('EXIT=0');
    expect(shot()).not.toContain('TopSecretValue99');
    const file = join(home, '.ncloud', 'configure');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe('[tty]\nncloud_access_key_id=AKVISIBLE123\nncloud_secret_access_key=TopSecretValue99\n');
  });
});
