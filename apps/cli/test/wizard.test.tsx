// The Ink wizard driven through ink-testing-library with a fake client: chunked input, validation, Hangul,
// Esc back, Ctrl+C → 130 with the request aborted, result screen, rotate and delete flows.

import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../src/ui/app.tsx';
import * as core from '@apikey/core';
import type { WizardRoute } from '../src/wizard-route.ts';
import { codePoints, DESCRIPTION_MAX, NAME_MAX, type CoreFns } from '../src/ui/wizard-context.tsx';
import { fakeClient, type FakeClient } from './fake-client.ts';
import { KEYS, plain, tick, until } from './ink-helpers.ts';

const mounted: { unmount(): void }[] = [];
afterEach(() => {
  for (const m of mounted.splice(0)) m.unmount();
});

async function mount(route: WizardRoute, client: FakeClient = fakeClient(), o: { sandbox?: boolean; core?: Promise<CoreFns> } = {}) {
  const onExit = vi.fn<(code: number) => void>();
  const raw: string[] = [];
  const r = render(
    <App client={client} core={o.core ?? Promise.resolve(core)} sandbox={o.sandbox ?? false} endpoint="http://127.0.0.1:1/api/v1" route={route} onExit={onExit} writeRaw={(d) => raw.push(d)} />,
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
    await until(w.lastFrame, 'Create this API key?');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Created API key');
    expect(w.client.calls[0]?.args[0]).toEqual({ apiKeyName: 'abcdeX', apiKeyDescription: '' });
  });

  it('uses the latest value when Enter arrives right after typing, before a re-render', async () => {
    const w = await mount({ screen: 'create' });
    w.stdin.write('abc');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Description');
    w.stdin.write(KEYS.esc);
    await until(w.lastFrame, 'abc');
  });

  it('runs name, description and review from one pasted chunk "name\\rdesc\\r"', async () => {
    const w = await mount({ screen: 'create' });
    w.stdin.write('pasted\rsome words\r');
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
    await until(w.lastFrame, 'Create this API key?');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Created API key');
    expect(w.client.calls[0]?.args[0]).toEqual({ apiKeyName: '키 이름', apiKeyDescription: '설명 테스트' });
  });

  it('goes back with Esc at every step and keeps what was typed', async () => {
    const w = await mount({ screen: 'create' });
    w.stdin.write('keep-me\r');
    await until(w.lastFrame, 'Description');
    w.stdin.write('my description\r');
    await until(w.lastFrame, 'Create this API key?');
    w.stdin.write(KEYS.esc);
    await until(w.lastFrame, 'my description');
    w.stdin.write(KEYS.esc);
    await until(w.lastFrame, 'keep-me');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'my description');
    expect(w.client.calls).toHaveLength(0);
  });

  it('shows both keys and the "store these now" note on the result screen, and copies with c via OSC 52', async () => {
    const w = await mount({ screen: 'create', name: 'svc' });
    w.stdin.write('\r\r');
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
    w.stdin.write('\r\r');
    await until(w.lastFrame, 'Create this API key?');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Creating');
    const signal = client.calls[0]?.signal;
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
    w.stdin.write('\r\r');
    await until(w.lastFrame, 'Create this API key?');
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'NCP said no');
    delete client.failCreate;
    w.stdin.write(KEYS.enter);
    await until(w.lastFrame, 'Created API key "x"');
  });
});

describe('core loading behind the first frame', () => {
  it('draws the name step before core has loaded and answers an early Enter once it has', async () => {
    let release!: (c: CoreFns) => void;
    const late = new Promise<CoreFns>((r) => { release = r; });
    const w = await mount({ screen: 'create' }, fakeClient(), { core: late });
    await until(w.lastFrame, '0/20');
    w.stdin.write('early\r');
    await tick(20);
    expect(w.frame()).toContain('1-20 characters');
    release(core);
    await until(w.lastFrame, 'optional, up to 50');
  });

  it('keeps the first-frame counters equal to core\'s limits and counting', () => {
    expect(NAME_MAX).toBe(core.API_KEY_NAME_MAX);
    expect(DESCRIPTION_MAX).toBe(core.API_KEY_DESCRIPTION_MAX);
    for (const s of ['', 'abc', '키 이름', '😀x', 'e\u0301']) expect(codePoints(s)).toBe(core.countCodePoints(s));
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

  it('deletes only after the name (or y) is typed', async () => {
    const client = three();
    const w = await mount({ screen: 'delete', apiKeyId: 'key0000002' }, client);
    await until(w.lastFrame, 'Delete "gamma"');
    w.stdin.write('nope\r');
    await until(w.lastFrame, 'nothing was deleted');
    expect(client.calls.some((c) => c.method === 'deleteApiKey')).toBe(false);
    w.stdin.write('\x7f\x7f\x7f\x7fgamma\r');
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
