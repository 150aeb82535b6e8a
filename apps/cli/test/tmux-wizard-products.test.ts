// End-to-end: the REAL wizard (built bundle) in a real terminal (tmux) against the emulator on a real port, seeded
// with the sandbox catalogue. A key made for the PUBLIC product through the product step answers 200 on the
// emulator's data plane with the URL and key read off the screen; one made for the PROTECTED product (pre-filled
// by --product) waits for the owner and is refused there meanwhile; several --product flags tick them all.

import { sandboxCatalogue } from '@apikey/ncp-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, envFor, startEmulator, tempHome, type Served } from './helpers.ts';
import { createTmux } from './tmux.ts';

const terminal = createTmux();
let server: Served;
beforeAll(async () => {
  server = await startEmulator({ products: sandboxCatalogue() });
});
afterAll(async () => {
  terminal.kill();
  await server.close();
});

const open = (args: string) => terminal.open(`${process.execPath} ${BIN} ${args}`, { ...envFor(server), CI: 'false', HOME: tempHome(), TERM: 'xterm-256color' });
const urlsOn = (screen: string) => screen.split('\n').map((l) => l.trim()).filter((l) => /^http:\/\/\S+\/gateway\//.test(l));
const call = (url: string, key?: string) => fetch(url, key === undefined ? {} : { headers: { 'x-ncp-apigw-api-key': key } });

describe('wizard product step in a real terminal (tmux)', () => {
  it('creates a key for the PUBLIC product picked by filtering; the printed key answers 200 at the printed URL', async () => {
    const t = open('');
    await t.waitFor('What would you like to do?');
    t.type('c');
    await t.waitFor('1-20 characters');
    t.type('weather-e2e');
    await t.press('Enter');
    await t.waitFor('optional, up to 50');
    await t.press('Enter');
    await t.waitFor('skip — no product');
    t.type('weath');
    await t.waitFor('❯ [ ] weather (weatherpub)');
    await t.press('Enter');
    await t.waitFor(/Product\s+weather \(weatherpub\)/);
    await t.press('Enter');
    await t.waitFor('Created API key "weather-e2e"');
    const screen = t.screen(true);
    expect(screen).toContain('weather (weatherpub): works now');
    expect(screen).toContain('x-ncp-apigw-api-key');

    const stored = server.emulator.inspect.keys().filter((k) => k.apiKeyName === 'weather-e2e');
    expect(stored).toHaveLength(1);
    const primary = screen.split('\n').map((l) => l.trim()).find((l) => l === stored[0]?.primaryKey || l.endsWith(` ${stored[0]?.primaryKey}`));
    expect(primary).toBeDefined();
    const [url] = urlsOn(screen);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/gateway\/weatherpub\/forecast\/v1\/$/);
    expect((await call(url as string, stored[0]?.primaryKey)).status).toBe(200);
    expect((await call(url as string, stored[0]?.secondaryKey)).status).toBe(200);
    expect((await call(url as string)).status).toBe(401);

    await t.press('Enter');
    await t.waitFor('What would you like to do?');
    t.type('q');
    await t.waitFor('EXIT=0');
  });

  it('--product pre-fills the picker; a PROTECTED product waits for its owner and the data plane refuses the key meanwhile', async () => {
    const t = open('create --name pay-e2e --product paymentprt');
    await t.waitFor('❯ [ ] payments (paymentprt)');
    await t.press('Enter');
    await t.waitFor('Create this API key?');
    await t.press('Enter');
    const screen = await t.waitFor('Created API key "pay-e2e"');
    expect(t.screen(true)).toContain("payments (paymentprt): waits for the product owner's acceptance");
    const key = server.emulator.inspect.keys().find((k) => k.apiKeyName === 'pay-e2e');
    expect(server.emulator.inspect.subscriptions().filter((s) => s.apiKeyId === key?.apiKeyId).map((s) => s.productId)).toEqual(['paymentprt']);
    const [url] = urlsOn(t.screen(true));
    expect(url).toMatch(/\/gateway\/paymentprt\/charges\/v1\/$/);
    expect((await call(url as string, key?.primaryKey)).status).toBe(401);
    expect(screen).toContain('Store these keys now');
    await t.press('Enter');
    await t.waitFor('EXIT=0');
  });

  it('several --product flags open the picker with each ticked; one key is subscribed to both', async () => {
    const t = open('create --name both-e2e --product weatherpub --product paymentprt');
    await t.waitFor('Ticked: 2');
    expect(t.screen()).toContain('[x] weather (weatherpub)');
    expect(t.screen()).toContain('[x] payments (paymentprt)');
    // Tab unticks the highlighted one and ticks it again, in a real terminal.
    await t.press('Down');
    await t.press('Tab');
    await t.waitFor('Ticked: 1');
    await t.press('Tab');
    await t.waitFor('Ticked: 2');
    await t.press('Enter');
    // Listed in the order they were ticked: weather was ticked again last.
    await t.waitFor(/Products\s+payments \(paymentprt\)\n\s+weather \(weatherpub\)/);
    await t.press('Enter');
    await t.waitFor('Created API key "both-e2e"');
    const screen = t.screen(true);
    expect(screen).toContain('weather (weatherpub): works now');
    expect(screen).toContain("payments (paymentprt): waits for the product owner's acceptance");
    const key = server.emulator.inspect.keys().find((k) => k.apiKeyName === 'both-e2e');
    expect(server.emulator.inspect.subscriptions().filter((s) => s.apiKeyId === key?.apiKeyId).map((s) => s.productId).sort()).toEqual(['paymentprt', 'weatherpub']);
    const weather = urlsOn(screen).find((u) => u.includes('/gateway/weatherpub/'));
    expect((await call(weather as string, key?.primaryKey)).status).toBe(200);
    await t.press('Enter');
    await t.waitFor('EXIT=0');
  });
});
