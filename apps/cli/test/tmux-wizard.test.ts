// End-to-end: the REAL wizard (built bundle) in a real terminal (tmux, 100x30) against the emulator on a real
// port. Creates a key through the menu, reads both keys off the screen, and checks the emulator holds them.

import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, envFor, startEmulator, tempHome, type Served } from './helpers.ts';
import { createTmux } from './tmux.ts';

const terminal = createTmux();

let server: Served;
beforeAll(async () => {
  server = await startEmulator();
});
afterAll(async () => {
  terminal.kill();
  await server.close();
});

describe('wizard in a real terminal (tmux)', () => {
  it('creates a key through the menu; both keys are on screen and the emulator holds that key', async () => {
    const t = terminal.open(`${process.execPath} ${BIN}`, { ...envFor(server), CI: 'false', HOME: tempHome(), TERM: 'xterm-256color' });
    await t.waitFor('What would you like to do?');
    t.type('c');
    await t.waitFor('1-20 characters');
    t.type('tmux-e2e-keyXX');
    await t.press('BSpace', 'BSpace');
    await t.waitFor('12/20');
    await t.press('Enter');
    await t.waitFor('optional, up to 50');
    t.type('터미널 테스트');
    await t.press('Enter');
    await t.waitFor('skip — no product');
    await t.press('Enter');
    await t.waitFor('Create this API key?');
    await t.press('Enter');
    const result = await t.waitFor('Created API key "tmux-e2e-key"');

    const stored = server.emulator.inspect.keys().filter((k) => k.apiKeyName === 'tmux-e2e-key');
    expect(stored).toHaveLength(1);
    expect(stored[0]?.apiKeyDescription).toBe('터미널 테스트');
    expect(result).toContain(stored[0]?.primaryKey);
    expect(result).toContain(stored[0]?.secondaryKey);
    expect(result).toContain('Store these keys now');

    await t.press('Enter');
    await t.waitFor('What would you like to do?');
    t.type('q');
    await t.waitFor('EXIT=0');
  });

  it('Ctrl+C in the wizard exits 130', async () => {
    const t = terminal.open(`${process.execPath} ${BIN} create`, { ...envFor(server), CI: 'false', HOME: tempHome() });
    await t.waitFor('1-20 characters');
    t.type('abc');
    await t.press('C-c');
    await t.waitFor('EXIT=');
    expect(t.screen()).toContain('EXIT=130');
    expect(server.emulator.inspect.keys().some((k) => k.apiKeyName === 'abc')).toBe(false);
  });

  it('without credentials the wizard exits 2 with the reason instead of a dead screen', async () => {
    const t = terminal.open(`env -u NCLOUD_ACCESS_KEY -u NCLOUD_SECRET_KEY -u NCLOUD_APIGW_ENDPOINT ${process.execPath} ${BIN} create`, { HOME: tempHome(), CI: 'false' });
    const s = await t.waitFor('EXIT=');
    expect(s).toContain('EXIT=2');
    expect(s).toMatch(/NCLOUD_ACCESS_KEY|apikey configure/);
  });

  it('configure in a real terminal shows the access key, masks the secret, and writes 0600', async () => {
    const home = tempHome();
    const t = terminal.open(`${process.execPath} ${BIN} configure --profile tty`, { HOME: home, CI: 'false' });
    await t.waitFor('NCP access key');
    t.type('AKVISIBLE123');
    await t.waitFor('AKVISIBLE123');
    await t.press('Enter');
    await t.waitFor('NCP secret key');
    t.type('TopSecretValue99');
    await t.waitFor('*'.repeat(16));
    expect(t.screen()).not.toContain('TopSecretValue99');
    await t.press('Enter');
    await t.waitFor('EXIT=0');
    expect(t.screen()).not.toContain('TopSecretValue99');
    const file = join(home, '.ncloud', 'configure');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe('[tty]\nncloud_access_key_id=AKVISIBLE123\nncloud_secret_access_key=TopSecretValue99\n');
  });
});
