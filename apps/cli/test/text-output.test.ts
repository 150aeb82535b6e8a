// Text output a person reads: NCP's strings (names, descriptions, error messages) carrying escape sequences are
// shown escaped and never reach the terminal raw, while --json stays the exact JSON; and the terminal footer of
// `list` says when --limit cut the list.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseArgs } from '../src/args.ts';
import type { Io } from '../src/io.ts';
import { scriptable } from '../src/commands/scriptable.ts';
import { runCli, startEmulator, envFor, ACCESS_KEY, SECRET_KEY, type Served } from './helpers.ts';
import { createApiGatewayClient } from '@apikey/core';

// What a hostile or careless writer could have stored in NCP: clear-screen, a cursor move, an OSC title, a BEL.
const HOSTILE_NAME = 'ok\u001b[2Jname';
const HOSTILE_DESC = 'desc\u001b]0;pwned\u0007\r\nline2\u009b31m';
const HOSTILE_MESSAGE = 'bad\u001b[1A\u001b[2Kthing';
const KEY = { apiKeyId: 'k0hostile1', apiKeyName: HOSTILE_NAME, apiKeyDescription: HOSTILE_DESC, isEnabled: true, primaryKey: 'P'.repeat(40), secondaryKey: 'S'.repeat(40) };

/** An NCP stand-in that answers with stored control characters (the emulator refuses to store them). */
let hostile: Server;
let hostileUrl: string;
beforeAll(async () => {
  hostile = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    res.setHeader('content-type', 'application/json');
    if (path === '/api/v1/api-keys') res.end(JSON.stringify({ apiKeys: [KEY], total: 1 }));
    else if (path === `/api/v1/api-keys/${KEY.apiKeyId}`) res.end(JSON.stringify(KEY));
    // show also lists the key's products; a hostile product name must come out escaped as well.
    else if (path === `/api/v1/api-keys/${KEY.apiKeyId}/products`) res.end(JSON.stringify({ apiKeyRelateProductDtos: [{ productId: 'p0hostile1', productName: HOSTILE_NAME, status: 'ACCEPTED' }], total: 1 }));
    else {
      res.statusCode = 400;
      res.end(JSON.stringify({ error: { errorCode: '3001', message: HOSTILE_MESSAGE } }));
    }
  });
  await new Promise<void>((r) => hostile.listen(0, '127.0.0.1', r));
  hostileUrl = `http://127.0.0.1:${(hostile.address() as AddressInfo).port}/api/v1`;
});
afterAll(async () => {
  await new Promise((r) => hostile.close(r));
});

const env = () => ({ NCLOUD_ACCESS_KEY: 'AK', NCLOUD_SECRET_KEY: 'SK', NCLOUD_APIGW_ENDPOINT: hostileUrl });
// Any C0 or C1 control except the newlines that end our own lines.
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

describe('NCP text is shown with control characters neutralised', () => {
  it('show and piped list print the escape sequences visibly and keep the readable rest', async () => {
    const show = await runCli(['show', KEY.apiKeyId], { env: env() });
    expect(show.code).toBe(0);
    expect(show.stdout).not.toMatch(RAW_CONTROL);
    expect(show.stdout).toContain('ok\\x1b[2Jname');
    expect(show.stdout).toContain('desc\\x1b]0;pwned\\x07\\x0d\\x0aline2\\x9b31m');

    const list = await runCli(['list'], { env: env() });
    expect(list.code).toBe(0);
    expect(list.stdout).toBe(`${KEY.apiKeyId}\tok\\x1b[2Jname\tyes\tdesc\\x1b]0;pwned\\x07\\x0d\\x0aline2\\x9b31m\n`);
  });

  it('--json stays the exact JSON of what NCP holds', async () => {
    const show = await runCli(['show', KEY.apiKeyId, '--json'], { env: env() });
    expect(JSON.parse(show.stdout)).toMatchObject({ apiKeyName: HOSTILE_NAME, apiKeyDescription: HOSTILE_DESC });
    const list = await runCli(['list', '--json'], { env: env() });
    expect((JSON.parse(list.stdout) as { apiKeyName: string }[])[0]?.apiKeyName).toBe(HOSTILE_NAME);
  });

  it("NCP's error message is escaped in the text error and exact in the JSON error", async () => {
    const text = await runCli(['show', 'k0other001'], { env: env() });
    expect(text.code).toBe(1);
    expect(text.stderr).not.toMatch(RAW_CONTROL);
    expect(text.stderr).toContain('bad\\x1b[1A\\x1b[2Kthing');
    const json = await runCli(['show', 'k0other001', '--json'], { env: env() });
    expect(JSON.stringify(JSON.parse(json.stderr))).toContain(JSON.stringify(HOSTILE_MESSAGE).slice(1, -1));
  });
});

describe('list in a terminal', () => {
  let server: Served;
  beforeAll(async () => {
    server = await startEmulator();
    const c = createApiGatewayClient({ credentials: { accessKey: ACCESS_KEY, secretKey: SECRET_KEY }, endpoint: server.url });
    for (let i = 0; i < 5; i++) await c.createApiKey({ apiKeyName: `tty-${i}` });
  });
  afterAll(async () => {
    await server.close();
  });

  async function listInTerminal(argv: string[]): Promise<string> {
    let out = '';
    const io: Io = { out: (t) => { out += t; }, err: () => {}, env: envFor(server), stdinIsTTY: true, stdoutIsTTY: true, color: false };
    expect(await scriptable(parseArgs(['list', ...argv]), io, new AbortController().signal)).toBe(0);
    return out;
  }

  it('shows a header and a count, and says when --limit cut the list', async () => {
    const all = await listInTerminal([]);
    expect(all.split('\n')[0]).toMatch(/^ID\s+NAME\s+ENABLED\s+DESCRIPTION$/);
    expect(all).toMatch(/\n\n5 keys\n$/);
    const cut = await listInTerminal(['--limit', '3']);
    expect(cut).toMatch(/\n\nShowing the first 3 keys; more match\. Drop --limit to list them all\.\n$/);
    const exact = await listInTerminal(['--limit', '5']);
    expect(exact).toMatch(/\n\n5 keys\n$/);
  });
});
