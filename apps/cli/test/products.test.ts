// Product commands as a subprocess over real HTTP against the emulator with the sandbox catalogue: listing,
// create --product (lookup before anything is made, JSON subscriptions, what to re-run after a fault), subscribe /
// unsubscribe / show, and the proof a delivered key works: the emulator's data plane answers the printed key.

import { createApiGatewayClient } from '@apikey/core';
import { sandboxCatalogue } from '@apikey/ncp-emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseArgs } from '../src/args.ts';
import { commandHelp, mainHelp } from '../src/help.ts';
import { ACCESS_KEY, envFor, runCli, SECRET_KEY, startEmulator, type Served } from './helpers.ts';

let server: Served;
beforeAll(async () => {
  server = await startEmulator({ products: sandboxCatalogue() });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.emulator.setFaults(undefined);
  server.emulator.inspect.reset();
});

const env = () => envFor(server);
const owner = () => createApiGatewayClient({ credentials: { accessKey: ACCESS_KEY, secretKey: SECRET_KEY }, endpoint: server.url });
const keysNamed = (name: string) => server.emulator.inspect.keys().filter((k) => k.apiKeyName === name);
const relationsOf = (apiKeyId: string) => server.emulator.inspect.subscriptions().filter((s) => s.apiKeyId === apiKeyId);
const call = (url: string, key?: string) => fetch(url, { headers: key === undefined ? {} : { 'x-ncp-apigw-api-key': key } });

/** The key values and stage URLs a person would copy from `create`'s text output. */
function fromText(stdout: string): { primary: string; secondary: string; urls: string[] } {
  const primary = /Primary key\s+([A-Za-z0-9]{40})/.exec(stdout)?.[1] ?? '';
  const secondary = /Secondary key\s+([A-Za-z0-9]{40})/.exec(stdout)?.[1] ?? '';
  const urls = [...stdout.matchAll(/^\s+(http:\/\/\S+\/gateway\/\S+)$/gm)].map((m) => m[1] as string);
  return { primary, secondary, urls };
}

describe('arguments', () => {
  it('--product repeats on create and keeps every value in order; subscribe takes an id and one --product', () => {
    expect(parseArgs(['create', '--name', 'n', '--product', 'a', '--product=b c']).flags.product).toEqual(['a', 'b c']);
    expect(parseArgs(['subscribe', 'abc123', '--product', 'p'])).toMatchObject({ command: 'subscribe', apiKeyId: 'abc123', flags: { product: 'p' } });
    expect(() => parseArgs(['products', 'extra'])).toThrow(/unexpected argument/);
    expect(() => parseArgs(['products', '--catalog=yes'])).toThrow(/does not take a value/);
  });

  it('help names the product commands and create\'s --product', () => {
    expect(mainHelp()).toMatch(/products\s+list your API products/);
    expect(mainHelp()).toMatch(/subscribe\s+subscribe a key/);
    expect(commandHelp('create')).toContain('--product P');
    expect(commandHelp('unsubscribe')).toContain('--yes');
  });
});

describe('apikey products', () => {
  it('lists own products; --catalog lists every published one; --json is an array with productId, productName, subscriptionCode', async () => {
    const own = await runCli(['products', '--json'], { env: env() });
    expect(own.code).toBe(0);
    const rows = JSON.parse(own.stdout) as { productId: string; productName: string; subscriptionCode: string }[];
    expect(rows.map((p) => p.productId)).toEqual(['weatherpub', 'paymentprt', 'draftinner']);
    expect(rows[1]).toMatchObject({ productName: 'payments', subscriptionCode: 'PROTECTED' });
    const cat = JSON.parse((await runCli(['products', '--catalog', '--json'], { env: env() })).stdout) as { productId: string }[];
    expect(cat.map((p) => p.productId)).toEqual(['weatherpub', 'paymentprt', 'mapsothers']);
    const text = await runCli(['products', '--catalog', '--name', 'map'], { env: env() });
    expect(text.stdout).toMatch(/mapsothers\s+maps\s+PUBLIC\s+no/);
    expect(text.stdout).not.toContain('weatherpub');
  }, 60_000);
});

describe('hostile text from NCP', () => {
  it('a product name with a terminal escape is printed visibly, not run', async () => {
    server.emulator.addProduct({ productId: 'escapename', productName: 'evil\u001b[2Jname', subscriptionCode: 'PUBLIC' });
    const r = await runCli(['products', '--name', 'evil'], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\u001b');
    expect(r.stdout).toContain('evil\\x1b[2Jname');
  });
});

describe('apikey create --product', () => {
  it('--json gains subscriptions [{productId, productName, status}] with NCP\'s status', async () => {
    const r = await runCli(['create', '--name', 'scripted', '--product', 'weatherpub', '--product', 'payments', '--json'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    const key = JSON.parse(r.stdout) as { apiKeyId: string; apiKeyDescription: string; subscriptions: unknown };
    expect(key.subscriptions).toEqual([
      { productId: 'weatherpub', productName: 'weather', status: 'ACCEPTED' },
      { productId: 'paymentprt', productName: 'payments', status: 'REQUEST' },
    ]);
    expect(key.apiKeyDescription).toBe('');
    expect(relationsOf(key.apiKeyId)).toHaveLength(2);
  });

  it.each([['an unknown id', 'nosuchprod'], ['an unknown name', 'no such product']])('%s exits non-zero naming it and no key is made', async (_what, ref) => {
    const r = await runCli(['create', '--name', 'never', '--product', 'weatherpub', '--product', ref], { env: env() });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`'${ref}'`);
    expect(r.stdout).toBe('');
    expect(keysNamed('never')).toEqual([]);
    expect(server.emulator.inspect.requests().some((q) => q.method === 'POST' && q.target === '/api/v1/api-keys')).toBe(false);
  });

  it('a product of another account that is not published is not visible: nothing is made', async () => {
    server.emulator.addProduct({ productId: `hid${Date.now() % 1e7}`, productName: 'hidden-one', publisherId: 'ffffffffffffffffffffffffffffffff', isPublished: false });
    const hidden = server.emulator.products().find((p) => p.productName === 'hidden-one')!;
    const r = await runCli(['create', '--name', 'never2', '--product', hidden.productId, '--json'], { env: env() });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr).error.message).toContain(hidden.productId);
    expect(keysNamed('never2')).toEqual([]);
  });

  it('subscribe failing with 5xx: the key is printed once, the exact `apikey subscribe` line to re-run, exit 1; running it finishes the job', async () => {
    server.emulator.setFaults({ statusRates: { 503: 1 }, only: { path: /\/subscribe$/ } });
    const r = await runCli(['create', '--name', 'half-done', '--description', 'svc', '--product', 'weatherpub'], { env: env() });
    server.emulator.setFaults(undefined);
    expect(r.code).toBe(1);
    const [key] = keysNamed('half-done');
    expect(keysNamed('half-done')).toHaveLength(1);
    expect(key?.apiKeyDescription).toBe('svc');
    expect(r.stdout).toContain(key!.primaryKey);
    const line = `apikey subscribe ${key!.apiKeyId} --product weatherpub`;
    expect(r.stdout).toContain(line);
    expect(relationsOf(key!.apiKeyId)).toEqual([]);

    const again = await runCli(line.split(' ').slice(1).concat('--json'), { env: env() });
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({ apiKeyId: key!.apiKeyId, productId: 'weatherpub', status: 'ACCEPTED' });
    expect(relationsOf(key!.apiKeyId)).toHaveLength(1);
    expect(keysNamed('half-done')).toHaveLength(1);
  }, 60_000);

  it('--json after a failed subscribe still prints the key (with status FAILED) and the re-run line on stderr', async () => {
    server.emulator.setFaults({ statusRates: { 500: 1 }, only: { path: /\/subscribe$/ } });
    const r = await runCli(['create', '--name', 'half-json', '--product', 'paymentprt', '--json'], { env: env() });
    server.emulator.setFaults(undefined);
    expect(r.code).toBe(1);
    const key = JSON.parse(r.stdout) as { apiKeyId: string; primaryKey: string; subscriptions: unknown };
    expect(key.subscriptions).toEqual([{ productId: 'paymentprt', productName: 'payments', status: 'FAILED' }]);
    expect(JSON.parse(r.stderr).error.rerun).toEqual([`apikey subscribe ${key.apiKeyId} --product paymentprt`]);
  });

  it.each(['drop', '503', 'timeout'] as const)('commit-then-fail (%s) on subscribe still finishes in one run with one key and one subscription', async (mode) => {
    server.emulator.setFaults({ commitThenFail: { rate: 1, mode, hangMs: 200 }, only: { path: /\/subscribe$/ } });
    const name = `ctf-${mode}`;
    const r = await runCli(['create', '--name', name, '--product', 'weatherpub', '--json'], { env: { ...env() } });
    server.emulator.setFaults(undefined);
    expect(r.code, r.stderr).toBe(0);
    const key = JSON.parse(r.stdout) as { apiKeyId: string; subscriptions: unknown };
    expect(key.subscriptions).toEqual([{ productId: 'weatherpub', productName: 'weather', status: 'ACCEPTED' }]);
    expect(keysNamed(name)).toHaveLength(1);
    expect(relationsOf(key.apiKeyId)).toHaveLength(1);
  }, 60_000);
});

describe('subscribe, unsubscribe, show', () => {
  it('subscribe --json prints {apiKeyId, productId, status}; show lists products with status; unsubscribe needs --yes', async () => {
    const created = JSON.parse((await runCli(['create', '--name', 'manual', '--json'], { env: env() })).stdout) as { apiKeyId: string };
    const id = created.apiKeyId;
    const sub = await runCli(['subscribe', id, '--product', 'payments', '--json'], { env: env() });
    expect(sub.code, sub.stderr).toBe(0);
    expect(JSON.parse(sub.stdout)).toEqual({ apiKeyId: id, productId: 'paymentprt', status: 'REQUEST' });

    const show = await runCli(['show', id, '--json'], { env: env() });
    expect(JSON.parse(show.stdout).products).toEqual([{ productId: 'paymentprt', productName: 'payments', status: 'REQUEST' }]);
    const text = await runCli(['show', id], { env: env() });
    expect(text.stdout).toMatch(/payments \(paymentprt\)\s+REQUEST\s+waits for the product owner's acceptance/);

    const refused = await runCli(['unsubscribe', id, '--product', 'paymentprt'], { env: env() });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--yes');
    expect(relationsOf(id)).toHaveLength(1);
    const un = await runCli(['unsubscribe', id, '--product', 'paymentprt', '--yes', '--json'], { env: env() });
    expect(un.code, un.stderr).toBe(0);
    expect(JSON.parse(un.stdout)).toEqual({ apiKeyId: id, productId: 'paymentprt', status: 'UNSUBSCRIBED' });
    expect(relationsOf(id)).toEqual([]);
  }, 90_000);

  it('subscribe without --product exits 2 and sends nothing', async () => {
    const r = await runCli(['subscribe', 'abcdefghij'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--product');
    expect(server.emulator.inspect.requests()).toEqual([]);
  });
});

describe('a delivered key works (data plane)', () => {
  it('PUBLIC: the key printed by create --product opens the printed stage URL at once (200); no header is 401', async () => {
    const r = await runCli(['create', '--name', 'works-now', '--product', 'weather'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('works now');
    expect(r.stdout).toContain('x-ncp-apigw-api-key');
    const { primary, secondary, urls } = fromText(r.stdout);
    expect(urls).toEqual([`${new URL(server.url).origin}/gateway/weatherpub/forecast/v1/`]);
    expect((await call(urls[0]!, primary)).status).toBe(200);
    expect((await call(`${urls[0]!}today`, secondary)).status).toBe(200);
    expect((await call(urls[0]!)).status).toBe(401);
  });

  it('PROTECTED: 401 errorCode 210 until the owner accepts (through core), then 200', async () => {
    const r = await runCli(['create', '--name', 'waits', '--product', 'paymentprt'], { env: env() });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("until the product's owner accepts it");
    const { primary, urls } = fromText(r.stdout);
    const url = urls[0]!;
    const denied = await call(url, primary);
    expect(denied.status).toBe(401);
    expect(await denied.json()).toEqual({ error: { errorCode: '210', message: 'Permission Denied', details: 'A subscription to the API is required.' } });
    const [key] = keysNamed('waits');
    await owner().setSubscriptionStatus('paymentprt', key!.apiKeyId, 'ACCEPTED');
    expect((await call(url, primary)).status).toBe(200);
  });
});
