// The Ink wizard driven through ink-testing-library with a fake client: chunked input, validation, Hangul,
// Esc back, Ctrl+C → 130 with the request aborted, result screen, rotate and delete flows.

import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../src/ui/app.tsx';
import type { WizardRoute } from '../src/wizard-route.ts';
import { lazyClient } from '../src/ui/lazy-client.ts';
import { fakeClient, type FakeClient } from './fake-client.ts';
import { KEYS, plain, tick, until } from './ink-helpers.ts';

const mounted: { unmount(): void }[] = [];
const createArgs = (c: FakeClient) => c.calls.find((x) => x.method === 'createApiKey')?.args[0];
/** Calls that change something (listing keys or products does not). */
const writes = (c: FakeClient) => c.calls.filter((x) => !/^(iterate|list|get)/.test(x.method));
/** On the product step: Enter on the first entry, "skip — no product". */
async function skipProduct(w: { lastFrame: () => string | undefined; stdin: { write(s: string): void } }) {
  await until(w.lastFrame, 'skip — no product');
  w.stdin.write(KEYS.enter);
}
afterEach(() => {
  for (const m of mounted.splice(0)) m.unmount();
});

async function mount(route: WizardRoute, client: FakeClient = fakeClient(), o: { sandbox?: boolean; clientReady?: Promise<FakeClient> } = {}) {
  const onExit = vi.fn<(code: number) => void>();
  const raw: string[] = [];
  const r = render(
    <App client={o.clientReady ? lazyClient(o.clientReady) : client} sandbox={o.sandbox ?? false} endpoint="http://127.0.0.1:1/api/v1" route={route} onExit={onExit} writeRaw={(d) => raw.push(d)} />,
  );
  mounted.push(r);
  await tick();
  return { ...r, onExit, raw, client, frame: () => plain(r.lastFrame()) };
}

describe('create wizard', () => {
  it('submits a name pasted with its Enter in one chunk ("name\\r") and moves to the description', async () => {
    const w = await mount({ screen: 'create' });
    w.stdin.write('fastname\r');
    await until(w.lastFrame, 'Description');
    w.stdin.write(KEYS.esc);
    await until(w.lastFrame, 'Name');
    expect(w.frame()).toContain('fastname');
    expect(w.frame()).toContain('8/20');
  });

  it('treats a burst of backspaces in one chunk as three deletions, not as text', async () => {
    const w = await mount({ screen: 'create' });
    w.stdin.write('abcdefgh');
    await until(w.lastFrame, '8/20');
    w.stdin.write('\x7f\x7f\x7f');
    await until(w.lastFrame, '5/20');
    w.stdin.write('X');
    await until(w.lastFrame, 'abcdeX');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Description');
    w.stdin.write(KEYS.enter);
    await skipProduct(w);
    await until(w.lastFrame, 'Create this API key?');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Created API key');
    expect(createArgs(w.client)).toEqual({ apiKeyName: 'abcdeX', apiKeyDescription: '' });
  });

  it('uses the latest value when Enter arrives right after typing, before a re-render', async () => {
    const w = await mount({ screen: 'create' });
    w.stdin.write('abc');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Description');
    w.stdin.write(KEYS.esc);
    await until(w.lastFrame, 'abc');
  });

  it('runs name and description from one pasted chunk "name\\rdesc\\r" on to the product step', async () => {
    const w = await mount({ screen: 'create' });
    w.stdin.write('pasted\rsome words\r');
    await skipProduct(w);
    await until(w.lastFrame, 'Create this API key?');
    expect(w.frame()).toContain('pasted');
    expect(w.frame()).toContain('some words');
  });

  it('shows "required" for an empty name and stays on the step', async () => {
    const w = await mount({ screen: 'create' });
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, /required|empty|at least/i);
    expect(w.frame()).toContain('Name');
    expect(w.frame()).not.toContain('Description (');
  });

  it('flags a 21-character name with a red counter and a message, and refuses it', async () => {
    const w = await mount({ screen: 'create' });
    w.stdin.write('a'.repeat(21));
    await until(w.lastFrame, '21/20');
    expect(w.frame()).toMatch(/20/);
    expect(w.frame()).toMatch(/✖/);
    w.stdin.write(KEYS.enter);
    await tick(20);
    expect(w.frame()).not.toContain('optional, up to 50');
    w.stdin.write(KEYS.backspace);
    await until(w.lastFrame, '20/20');
    expect(w.frame()).not.toMatch(/✖/);
  });

  it('drops typed control characters, and rejects a prefilled name that contains one', async () => {
    const w = await mount({ screen: 'create' });
    w.stdin.write('a\x01b\x1fc');
    await until(w.lastFrame, '3/20');
    expect(w.frame()).toContain('abc');

    const v = await mount({ screen: 'create', name: 'bad\u0007name' });
    v.stdin.write(KEYS.enter);
    await until(v.lastFrame, /control/i);
    expect(v.frame()).not.toContain('optional, up to 50');
  });

  it('counts Hangul by code point and sends it unchanged', async () => {
    const w = await mount({ screen: 'create' });
    w.stdin.write('키 이름');
    await until(w.lastFrame, '4/20');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Description');
    w.stdin.write('설명 테스트');
    await until(w.lastFrame, '6/50');
    w.stdin.write(KEYS.backspace);
    await until(w.lastFrame, '5/50');
    w.stdin.write('트\r');
    await skipProduct(w);
    await until(w.lastFrame, 'Create this API key?');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Created API key');
    expect(createArgs(w.client)).toEqual({ apiKeyName: '키 이름', apiKeyDescription: '설명 테스트' });
  });

  it('goes back with Esc at every step and keeps what was typed', async () => {
    const w = await mount({ screen: 'create' });
    w.stdin.write('keep-me\r');
    await until(w.lastFrame, 'Description');
    w.stdin.write('my description\r');
    await skipProduct(w);
    await until(w.lastFrame, 'Create this API key?');
    // Wait for each field's counter: the review itself shows both values.
    w.stdin.write(KEYS.esc);
    await until(w.lastFrame, 'skip — no product');
    w.stdin.write(KEYS.esc);
    await until(w.lastFrame, '14/50');
    expect(w.frame()).toContain('› my description');
    w.stdin.write(KEYS.esc);
    await until(w.lastFrame, '7/20');
    expect(w.frame()).toContain('› keep-me');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, '14/50');
    expect(w.frame()).toContain('› my description');
    expect(writes(w.client)).toHaveLength(0);
  });

  it('shows both keys and the "store these now" note on the result screen, and copies with c via OSC 52', async () => {
    const w = await mount({ screen: 'create', name: 'svc' });
    await until(w.lastFrame, 'Create this API key?');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Created API key "svc"');
    const key = w.client.keys.at(-1)!;
    expect(w.frame()).toContain(key.primaryKey);
    expect(w.frame()).toContain(key.secondaryKey);
    expect(w.frame()).toContain('Store these keys now');
    w.stdin.write('c');
    await until(w.lastFrame, 'clipboard');
    expect(w.raw).toEqual([`\u001B]52;c;${Buffer.from(key.primaryKey!).toString('base64')}\u0007`]);
  });

  it('exits 130 on Ctrl+C during the spinner and aborts the request in flight', async () => {
    const client = fakeClient();
    client.hangCreate = true;
    const w = await mount({ screen: 'create', name: 'slow' }, client);
    await until(w.lastFrame, 'Create this API key?');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Creating');
    const signal = client.calls.find((c) => c.method === 'createApiKey')?.signal;
    expect(signal?.aborted).toBe(false);
    w.stdin.write(KEYS.ctrlC);
    await vi.waitFor(() => expect(w.onExit).toHaveBeenCalledWith(130));
    expect(signal?.aborted).toBe(true);
  });

  it('exits 130 on Ctrl+C while typing, even inside a chunk', async () => {
    const w = await mount({ screen: 'create' });
    w.stdin.write('abc\u0003');
    await vi.waitFor(() => expect(w.onExit).toHaveBeenCalledWith(130));
    expect(w.client.calls).toHaveLength(0);
  });

  it('shows the API error and lets the user retry', async () => {
    const client = fakeClient();
    client.failCreate = new Error('NCP said no');
    const w = await mount({ screen: 'create', name: 'x' }, client);
    await until(w.lastFrame, 'Create this API key?');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'NCP said no');
    delete client.failCreate;
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Created API key "x"');
  });
});

describe('client loading behind the first frame', () => {
  it('draws and validates the name step before the client has loaded; the create call waits for it', async () => {
    let release!: (c: FakeClient) => void;
    const client = fakeClient();
    const w = await mount({ screen: 'create' }, client, { clientReady: new Promise<FakeClient>((r) => { release = r; }) });
    await until(w.lastFrame, '0/20');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, /required/);
    w.stdin.write('early\r\r');
    await until(w.lastFrame, 'Loading your products');
    expect(client.calls).toHaveLength(0);
    release(client);
    await skipProduct(w);
    await until(w.lastFrame, 'Create this API key?');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Created API key "early"');
  });
});

describe('menu, list, rotate, delete', () => {
  const three = () => fakeClient([{ apiKeyName: 'alpha' }, { apiKeyName: 'beta' }, { apiKeyName: 'gamma' }]);

  it('shows SANDBOX in the header on every screen in sandbox mode', async () => {
    const w = await mount({ screen: 'menu' }, three(), { sandbox: true });
    await until(w.lastFrame, 'What would you like to do?');
    expect(w.frame()).toContain('SANDBOX');
    for (const [keys, text] of [['l', 'API keys'], [KEYS.esc, 'What would'], ['c', 'Name'], [KEYS.esc, 'What would'], ['d', 'Delete which key?']] as const) {
      w.stdin.write(keys);
      await until(w.lastFrame, text);
      expect(w.frame()).toContain('SANDBOX');
    }
  });

  it('filters the list by typing and scrolls with the arrows', async () => {
    const w = await mount({ screen: 'menu' }, three());
    w.stdin.write('l');
    await until(w.lastFrame, 'gamma');
    w.stdin.write('be');
    await until(w.lastFrame, '(filtered from 3)');
    expect(w.frame()).toContain('beta');
    expect(w.frame()).not.toContain('alpha');
    w.stdin.write(KEYS.esc);
    await until(w.lastFrame, 'alpha');
    w.stdin.write(KEYS.down);
    await until(w.lastFrame, '2/3');
  });

  it('pages through a long list with PgDn/PgUp and jumps with End', async () => {
    const many = fakeClient(Array.from({ length: 30 }, (_, i) => ({ apiKeyName: `key-${String(i).padStart(2, '0')}` })));
    const w = await mount({ screen: 'menu' }, many);
    w.stdin.write('l');
    await until(w.lastFrame, '1/30');
    expect(w.frame()).not.toContain('key-29');
    w.stdin.write('\u001B[6~');
    await until(w.lastFrame, '13/30');
    w.stdin.write('\u001B[5~');
    await until(w.lastFrame, '1/30');
    w.stdin.write('\u001B[F');
    await until(w.lastFrame, '30/30');
    expect(w.frame()).toContain('key-29');
    expect(w.frame()).not.toContain('key-00');
  });

  it('rotates the secondary key of a picked key after confirmation', async () => {
    const client = three();
    const w = await mount({ screen: 'menu' }, client);
    w.stdin.write('r');
    await until(w.lastFrame, 'Rotate which key?');
    w.stdin.write(KEYS.down);
    await until(w.lastFrame, '2/3');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Which key of "beta"');
    w.stdin.write('s');
    await until(w.lastFrame, 'Regenerate the secondary key of "beta"');
    w.stdin.write('y');
    await until(w.lastFrame, 'Regenerated the secondary key');
    expect(client.calls.find((c) => c.method === 'regenerateApiKey')?.args).toEqual(['key0000001', 'SECONDARY']);
    expect(w.frame()).toContain(client.keys[1]!.secondaryKey);
  });

  it('deletes only after the exact name is typed; "y", a prefix or another case never confirm', async () => {
    const client = three();
    const w = await mount({ screen: 'delete', apiKeyId: 'key0000002' }, client);
    await until(w.lastFrame, 'Delete "gamma"');
    expect(w.frame()).toContain("Type the key's name to confirm");
    for (const wrong of ['y', 'gam', 'GAMMA']) {
      w.stdin.write(`${wrong}\r`);
      await until(w.lastFrame, 'nothing was deleted');
      w.stdin.write('\u0015'); // Ctrl+U clears the field
      await until(w.lastFrame, /^\s*›\s*$/m);
    }
    expect(client.calls.some((c) => c.method === 'deleteApiKey')).toBe(false);
    w.stdin.write('gamma\r');
    await until(w.lastFrame, 'Deleted "gamma"');
    expect(client.keys.map((k) => k.apiKeyName)).toEqual(['alpha', 'beta']);
    w.stdin.write(KEYS.enter);
    await vi.waitFor(() => expect(w.onExit).toHaveBeenCalledWith(0));
  });

  it('quits from the menu with q and exit code 0', async () => {
    const w = await mount({ screen: 'menu' });
    w.stdin.write('q');
    await vi.waitFor(() => expect(w.onExit).toHaveBeenCalledWith(0));
  });
});

const LEFT = '\u001B[D';
const RIGHT = '\u001B[C';
const HOME = '\u001B[H';
const END = '\u001B[F';
const DELETE = '\u001B[3~';

/** Types keys one event at a time (each a separate chunk, as a person types). */
async function keys(w: { stdin: { write(s: string): void } }, ...seq: string[]) {
  for (const k of seq) {
    w.stdin.write(k);
    await tick(5);
  }
}

describe('text field editing', () => {
  const nameOnScreen = async (w: Awaited<ReturnType<typeof mount>>, value: string) => {
    await until(w.lastFrame, `${Array.from(value).length}/20`);
    expect(w.frame()).toContain(`› ${value}`);
  };

  it('inserts at the cursor after ←/→, Home and End', async () => {
    const w = await mount({ screen: 'create' });
    await keys(w, 'acd', LEFT, LEFT, 'b');
    await nameOnScreen(w, 'abcd');
    await keys(w, HOME, 'X', END, 'Y', LEFT, RIGHT, 'Z');
    await nameOnScreen(w, 'XabcdYZ');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Description');
    w.stdin.write('\r');
    await skipProduct(w);
    await until(w.lastFrame, 'Name         XabcdYZ');
  });

  it('deletes before the cursor with Backspace and at the cursor with Delete', async () => {
    const w = await mount({ screen: 'create' });
    await keys(w, 'abcd', LEFT, LEFT, KEYS.backspace);
    await nameOnScreen(w, 'acd');
    await keys(w, DELETE);
    await nameOnScreen(w, 'ad');
    await keys(w, END, DELETE, HOME, KEYS.backspace); // nothing to delete at either end
    await nameOnScreen(w, 'ad');
  });

  it('kills to the start with Ctrl+U and the word before the cursor with Ctrl+W', async () => {
    const w = await mount({ screen: 'create' });
    await keys(w, 'one two three');
    await keys(w, '\u0017');
    await nameOnScreen(w, 'one two ');
    await keys(w, LEFT, LEFT, '\u0015');
    await nameOnScreen(w, 'o ');
  });

  it('inserts a pasted chunk at the cursor and drops its control characters', async () => {
    const w = await mount({ screen: 'create' });
    await keys(w, 'ad', LEFT);
    w.stdin.write('b\u0001\u001fc\u0007');
    await nameOnScreen(w, 'abcd');
    w.stdin.write('키이');
    await nameOnScreen(w, 'abc키이d');
    await keys(w, KEYS.backspace, LEFT, DELETE);
    await nameOnScreen(w, 'abcd');
  });
});

describe('values given as flags', () => {
  it('pre-fill the wizard and open on the review; Esc walks back through the filled fields', async () => {
    const w = await mount({ screen: 'create', name: 'from-flags', description: 'given with -d' });
    await until(w.lastFrame, 'Create this API key?');
    expect(w.frame()).toContain('from-flags');
    expect(w.frame()).toContain('given with -d');
    w.stdin.write(KEYS.esc);
    await until(w.lastFrame, 'skip — no product');
    w.stdin.write(KEYS.esc);
    await until(w.lastFrame, '13/50');
    expect(w.frame()).toContain('› given with -d');
    w.stdin.write(KEYS.esc);
    await until(w.lastFrame, '10/20');
    expect(writes(w.client)).toHaveLength(0);
  });

  it('open on the first invalid field with its problem shown, the bad value visible but inert', async () => {
    const w = await mount({ screen: 'create', name: 'ok', description: 'bad\u001b[2Jdesc' });
    await until(w.lastFrame, /Description.*\n.*\\x1b\[2Jdesc/);
    expect(w.frame()).toMatch(/control characters/);
    expect(w.lastFrame()).not.toContain('\u001b[2J');
  });
});

describe('a second key with an existing name', () => {
  it('asks before creating; n goes back to the name, y creates it anyway', async () => {
    const client = fakeClient([{ apiKeyName: 'dup' }, { apiKeyName: 'dup-longer' }]);
    const w = await mount({ screen: 'create', name: 'dup' }, client);
    await until(w.lastFrame, 'Create this API key?');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'A key named "dup" already exists');
    expect(w.frame()).toContain('"dup" (key0000000)');
    expect(w.frame()).not.toContain('dup-longer');
    w.stdin.write('n');
    await until(w.lastFrame, '3/20');
    expect(createArgs(client)).toBeUndefined();
    w.stdin.write('\r\r');
    await skipProduct(w);
    await until(w.lastFrame, 'Create this API key?');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'already exists');
    w.stdin.write('y');
    await until(w.lastFrame, 'Created API key "dup"');
    expect(client.keys.filter((k) => k.apiKeyName === 'dup')).toHaveLength(2);
  });

  it('does not ask when only a longer name contains it', async () => {
    const client = fakeClient([{ apiKeyName: 'svc-old' }]);
    const w = await mount({ screen: 'create', name: 'svc' }, client);
    await until(w.lastFrame, 'Create this API key?');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Created API key "svc"');
  });
});

describe('key details', () => {
  const withProducts = () => {
    const client = fakeClient([{ apiKeyName: 'alpha', apiKeyDescription: 'first key' }, { apiKeyName: 'beta' }]);
    client.products.set('key0000000', [
      { productId: 'p1', productName: 'payments', status: 'ACCEPTED' },
      { productId: 'p2', productName: 'reports', status: 'REQUEST' },
    ]);
    client.catalogue.set('p3', { productName: 'maps', status: 'ACCEPTED' });
    return client;
  };
  const openAlpha = async (client: FakeClient) => {
    const w = await mount({ screen: 'menu' }, client);
    w.stdin.write('l');
    await until(w.lastFrame, 'Enter for details');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Products');
    return w;
  };

  it('Enter on a key shows its status, description and products with their subscription status', async () => {
    const w = await openAlpha(withProducts());
    const f = w.frame();
    expect(f).toContain('"alpha" (key0000000)');
    expect(f).toMatch(/Status\s+enabled/);
    expect(f).toMatch(/Description\s+first key/);
    expect(f).toMatch(/payments \(p1\)\s+subscribed/);
    expect(f).toMatch(/reports \(p2\)\s+waiting for the product owner's approval/);
    expect(f).toContain('r rotate · e disable · s subscribe · d delete');
    w.stdin.write(KEYS.esc);
    await until(w.lastFrame, 'Enter for details');
  });

  it('reads every page of products', async () => {
    const client = withProducts();
    client.products.set('key0000000', Array.from({ length: 130 }, (_, i) => ({ productId: `p${i}`, productName: `prod-${i}`, status: 'ACCEPTED' })));
    await openAlpha(client);
    expect(client.calls.filter((c) => c.method === 'listApiKeyProducts')).toHaveLength(2);
  });

  it('disables after a confirmation and enables without one; the details show the new status', async () => {
    const client = withProducts();
    const w = await openAlpha(client);
    w.stdin.write('e');
    await until(w.lastFrame, 'Disable "alpha" (key0000000)?');
    w.stdin.write('y');
    await until(w.lastFrame, 'Disabled the key.');
    expect(w.frame()).toMatch(/Status\s+disabled/);
    w.stdin.write('e');
    await until(w.lastFrame, 'Enabled the key.');
    expect(w.frame()).toMatch(/Status\s+enabled/);
    expect(client.calls.filter((c) => c.method === 'setApiKeyEnabled').map((c) => c.args)).toEqual([['key0000000', false], ['key0000000', true]]);
  });

  it('subscribes to a product picked from the list and lists it; a failed subscribe shows the error and returns to the picker', async () => {
    const client = withProducts();
    const w = await openAlpha(client);
    w.stdin.write('s');
    await until(w.lastFrame, 'maps (p3)');
    expect(w.frame()).not.toContain('skip — no product');
    client.failSubscribe = new Error('NCP refused the subscription');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'NCP refused the subscription');
    delete client.failSubscribe;
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, '❯ maps (p3)');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Subscribed to maps (p3).');
    expect(w.frame()).toMatch(/maps \(p3\)\s+subscribed/);
    expect(client.calls.filter((c) => c.method === 'subscribeApiKey').map((c) => c.args)).toEqual([['key0000000', 'p3'], ['key0000000', 'p3']]);
  });

  it('rotates from the details and comes back to them', async () => {
    const client = withProducts();
    const w = await openAlpha(client);
    w.stdin.write('r');
    await until(w.lastFrame, 'Which key of "alpha"');
    w.stdin.write('p');
    await until(w.lastFrame, 'Regenerate the primary key');
    w.stdin.write('y');
    await until(w.lastFrame, 'Regenerated the primary key');
    expect(w.frame()).toContain(client.keys[0]!.primaryKey);
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Products');
  });

  it('deletes from the details by typing the name, then returns to the list without the key', async () => {
    const client = withProducts();
    const w = await openAlpha(client);
    w.stdin.write('d');
    await until(w.lastFrame, "Type the key's name to confirm");
    w.stdin.write(KEYS.esc);
    await until(w.lastFrame, 'Products');
    w.stdin.write('d');
    await until(w.lastFrame, "Type the key's name to confirm");
    w.stdin.write('alpha\r');
    await until(w.lastFrame, 'Deleted "alpha"');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, '1/1');
    expect(w.frame()).not.toContain('alpha');
  });
});

describe('text from NCP is shown, never run', () => {
  const HOSTILE = 'ev\u001b[2Jil\u001b]0;pwned\u0007';

  it('escapes a key name and description with escape sequences in the list, details, delete and errors', async () => {
    const client = fakeClient([{ apiKeyName: HOSTILE, apiKeyDescription: `d${HOSTILE}` }]);
    client.products.set('key0000000', [{ productId: 'p1', productName: `prod${HOSTILE}`, status: 'ACCEPTED' }]);
    const w = await mount({ screen: 'menu' }, client);
    const inert = () => {
      const raw = w.lastFrame() ?? '';
      expect(raw).not.toContain('\u001b[2J');
      expect(raw).not.toContain('\u001b]0;');
      expect(raw).not.toContain('\u0007');
    };
    w.stdin.write('l');
    await until(w.lastFrame, 'ev\\x1b[2Jil');
    inert();
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Products');
    expect(w.frame()).toContain('ev\\x1b[2Jil\\x1b]0;pwned\\x07');
    expect(w.frame()).toContain('prodev\\x1b[2Jil');
    inert();
    w.stdin.write('d');
    await until(w.lastFrame, "Type the key's name to confirm");
    inert();
    // What is shown is what is typed: the escaped form confirms.
    w.stdin.write('ev\\x1b[2Jil\\x1b]0;pwned\\x07\r');
    await until(w.lastFrame, 'Deleted');
    inert();

    const failing = fakeClient();
    failing.failCreate = new Error(`NCP says \u001b[2Jno`);
    const v = await mount({ screen: 'create', name: 'x' }, failing);
    v.stdin.write(KEYS.enter);
    await until(v.lastFrame, 'NCP says \\x1b[2Jno');
    expect(v.lastFrame()).not.toContain('\u001b[2J');
  });
});

describe('product step of the create wizard', () => {
  const catalogue = () => {
    const client = fakeClient();
    client.catalogue.set('pub1', { productName: 'weather', status: 'ACCEPTED', subscriptionCode: 'PUBLIC', own: true, urls: ['http://127.0.0.1:9/gateway/weather-api/v1/'] });
    client.catalogue.set('prot1', { productName: 'billing', status: 'REQUEST', subscriptionCode: 'PROTECTED' });
    client.catalogue.set('evil', { productName: 'bad\u001b[2Jname', status: 'ACCEPTED', subscriptionCode: 'PUBLIC' });
    return client;
  };
  const toProductStep = async (client: FakeClient, route: WizardRoute = { screen: 'create', name: 'svc', description: 'd', products: [] }) => {
    const w = await mount(route, client);
    if (route.screen === 'create' && route.products?.length === 0) {
      await until(w.lastFrame, 'Create this API key?');
      w.stdin.write(KEYS.esc);
    }
    await until(w.lastFrame, 'Products the key opens');
    await until(w.lastFrame, 'weather (pub1)');
    return w;
  };

  it('lists own and catalogue products with their access, names drawn inert, and skip first', async () => {
    const w = await toProductStep(catalogue());
    const f = w.frame();
    expect(f).toMatch(/❯ skip — no product/);
    expect(f).toMatch(/weather \(pub1\)\s+PUBLIC · yours/);
    expect(f).toMatch(/billing \(prot1\)\s+PROTECTED · catalogue/);
    expect(f).toContain('bad\\x1b[2Jname (evil)');
    expect(w.lastFrame()).not.toContain('\u001b[2J');
  });

  it('filters as the user types, moves with the arrows, and Enter chooses the highlighted product', async () => {
    const client = catalogue();
    const w = await toProductStep(client);
    w.stdin.write('bil');
    await until(w.lastFrame, '❯ [ ] billing (prot1)');
    expect(w.frame()).not.toContain('weather (pub1)');
    w.stdin.write(KEYS.up);
    await until(w.lastFrame, '❯ skip');
    w.stdin.write(KEYS.down);
    await until(w.lastFrame, '❯ [ ] billing (prot1)');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Create this API key?');
    expect(w.frame()).toMatch(/Product\s+billing \(prot1\)/);
  });

  it('a filter that matches nothing says so; Enter then skips the product', async () => {
    const client = catalogue();
    const w = await toProductStep(client);
    w.stdin.write('zzz');
    await until(w.lastFrame, 'No product matches the filter.');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Create this API key?');
    expect(w.frame()).toMatch(/Product\s+\(none\)/);
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Created API key "svc"');
    expect(client.calls.some((c) => c.method === 'createKeyWithProducts')).toBe(false);
    expect(createArgs(client)).toEqual({ apiKeyName: 'svc', apiKeyDescription: 'd' });
  });

  it('a PUBLIC product: the key works now and the stage URL is printed on its own line', async () => {
    const client = catalogue();
    const w = await toProductStep(client);
    w.stdin.write(KEYS.down);
    await until(w.lastFrame, '❯ [ ] weather (pub1)');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Create this API key?');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Created API key "svc"');
    expect(client.calls.find((c) => c.method === 'createKeyWithProducts')?.args).toEqual([{ apiKeyName: 'svc', apiKeyDescription: 'd' }, ['pub1']]);
    const f = w.frame();
    expect(f).toContain('✔ weather (pub1): works now');
    expect(f).toContain('x-ncp-apigw-api-key');
    expect(f.split('\n').map((l) => l.trim())).toContain('http://127.0.0.1:9/gateway/weather-api/v1/');
    expect(f).toContain(client.keys.at(-1)!.primaryKey);
  });

  it("a PROTECTED product: the key waits for the owner's acceptance", async () => {
    const w = await mount({ screen: 'create', name: 'svc', products: ['billing'] }, catalogue());
    await until(w.lastFrame, '❯ [ ] billing (prot1)');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Create this API key?');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Created API key "svc"');
    expect(w.frame()).toContain("billing (prot1): waits for the product owner's acceptance");
    expect(w.frame()).toContain("Another account's product");
  });

  it('Tab ticks several products (ticks survive the filter); Enter creates one key subscribed to all of them', async () => {
    const client = catalogue();
    const w = await toProductStep(client);
    w.stdin.write(KEYS.down);
    await until(w.lastFrame, '❯ [ ] weather (pub1)');
    w.stdin.write(KEYS.tab);
    await until(w.lastFrame, '❯ [x] weather (pub1)');
    w.stdin.write('bil');
    await until(w.lastFrame, '❯ [ ] billing (prot1)');
    w.stdin.write(KEYS.tab);
    await until(w.lastFrame, 'Ticked: 2');
    // Tab on "skip" ticks nothing.
    w.stdin.write(KEYS.up);
    w.stdin.write(KEYS.tab);
    await until(w.lastFrame, '❯ skip');
    expect(w.frame()).toContain('Ticked: 2');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Create this API key?');
    expect(w.frame()).toMatch(/Products\s+weather \(pub1\)/);
    expect(w.frame()).toMatch(/^\s+billing \(prot1\)/m);
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Created API key "svc"');
    expect(client.calls.find((c) => c.method === 'createKeyWithProducts')?.args).toEqual([{ apiKeyName: 'svc', apiKeyDescription: 'd' }, ['pub1', 'prot1']]);
    expect(w.frame()).toContain('✔ weather (pub1): works now');
    expect(w.frame()).toContain("billing (prot1): waits for the product owner's acceptance");
  });

  it('keys that arrive in one chunk act in order: a pasted filter then Enter picks from the filtered list', async () => {
    const client = catalogue();
    const w = await toProductStep(client);
    w.stdin.write('bil\r');
    await until(w.lastFrame, 'Create this API key?');
    expect(w.frame()).toMatch(/Product\s+billing \(prot1\)/);
  });

  it('Tab again unticks; with nothing ticked Enter takes the highlighted product alone', async () => {
    const client = catalogue();
    const w = await toProductStep(client);
    w.stdin.write(KEYS.down);
    w.stdin.write(KEYS.tab);
    await until(w.lastFrame, '❯ [x] weather (pub1)');
    w.stdin.write(KEYS.tab);
    await until(w.lastFrame, '❯ [ ] weather (pub1)');
    expect(w.frame()).not.toContain('Ticked:');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Create this API key?');
    expect(w.frame()).toMatch(/Product\s+weather \(pub1\)/);
    expect(w.frame()).not.toContain('billing');
  });

  it('several --product flags open the picker with those ticked (by id or name) and name the ones not found', async () => {
    const client = catalogue();
    const w = await mount({ screen: 'create', name: 'svc', products: ['pub1', 'billing', 'nope\u001b[2J'] }, client);
    await until(w.lastFrame, 'Ticked: 2');
    const f = w.frame();
    expect(f).toContain('[x] weather (pub1)');
    expect(f).toContain('[x] billing (prot1)');
    expect(f).toContain('[ ] bad\\x1b[2Jname (evil)');
    expect(f).toContain('Not found: nope\\x1b[2J');
    expect(w.lastFrame()).not.toContain('\u001b[2J');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Create this API key?');
    // Esc from the review comes back to the picker with the same two ticked.
    w.stdin.write(KEYS.esc);
    await until(w.lastFrame, 'Ticked: 2');
    expect(w.frame()).not.toContain('Not found');
  });

  it('--product opens on the picker with it highlighted, by id as by name', async () => {
    const w = await toProductStep(catalogue(), { screen: 'create', name: 'svc', products: ['pub1'] });
    expect(w.frame()).toContain('Filter › pub1');
    expect(w.frame()).toContain('❯ [ ] weather (pub1)');
  });

  it('a failed subscribe still shows the key and the exact subscribe command to re-run', async () => {
    const client = catalogue();
    client.failSubscribe = new Error('NCP timed out');
    const w = await toProductStep(client, { screen: 'create', name: 'svc', products: ['pub1'] });
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Create this API key?');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Created API key "svc"');
    const key = client.keys.at(-1)!;
    const f = w.frame();
    expect(f).toContain('✖ weather (pub1): not subscribed');
    expect(f).toContain('NCP timed out');
    expect(f.split('\n').map((l) => l.trim())).toContain(`apikey subscribe ${key.apiKeyId} --product pub1`);
    expect(f).toContain(key.primaryKey);
  });

  it('shows the listing error and retries with r; Esc leaves the step', async () => {
    const client = catalogue();
    client.failProducts = new Error('NCP is down');
    const w = await mount({ screen: 'create', name: 'svc', products: ['pub'] }, client);
    await until(w.lastFrame, 'NCP is down');
    expect(w.frame()).toContain('Could not list the products');
    delete client.failProducts;
    w.stdin.write('r');
    await until(w.lastFrame, 'weather (pub1)');
    w.stdin.write(KEYS.esc);
    await until(w.lastFrame, 'Description');
  });

  it('shows a spinner while the products load, and Ctrl+C aborts the listing', async () => {
    const client = catalogue();
    client.hangProducts = true;
    const w = await mount({ screen: 'create', name: 'svc', products: ['x'] }, client);
    await until(w.lastFrame, 'Loading your products and the catalogue');
    const signal = client.calls.find((c) => c.method === 'iterateProducts')?.signal;
    w.stdin.write(KEYS.ctrlC);
    await vi.waitFor(() => expect(w.onExit).toHaveBeenCalledWith(130));
    expect(signal?.aborted).toBe(true);
  });
});
