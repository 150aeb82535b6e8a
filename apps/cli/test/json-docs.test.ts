// docs/cli-json.md is the contract for `--json`: its JSON Schemas are read from the doc and every command's real
// output (over HTTP against the emulator) is checked against them, so doc and behaviour cannot drift apart.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sandboxCatalogue } from '@apikey/ncp-emulator';
import { envFor, REPO_ROOT, runCli, startEmulator, tempHome, type Served } from './helpers.ts';

type Schema = {
  $id?: string; $ref?: string; type?: string | string[]; const?: unknown; required?: string[]; additionalProperties?: boolean;
  properties?: Record<string, Schema>; items?: Schema; minLength?: number; pattern?: string;
};

const schemas = new Map<string, Schema>();
for (const [, body] of readFileSync(join(REPO_ROOT, 'docs', 'cli-json.md'), 'utf8').matchAll(/```json\n([\s\S]*?)```/g)) {
  const s = JSON.parse(body as string) as Schema;
  if (s.$id !== undefined) schemas.set(s.$id, s);
}

/** The subset of JSON Schema the doc uses; returns the problems found (empty when valid). */
function check(value: unknown, schema: Schema, at = '$'): string[] {
  if (schema.$ref !== undefined) {
    const target = schemas.get(schema.$ref);
    return target ? check(value, target, at) : [`${at}: unknown $ref ${schema.$ref}`];
  }
  const types = schema.type === undefined ? undefined : ([] as string[]).concat(schema.type);
  // A nullable field ("type": [..., "null"]) that is null needs no other check.
  if (value === null && types?.includes('null')) return [];
  if ('const' in schema && value !== schema.const) return [`${at}: expected ${JSON.stringify(schema.const)}`];
  const kind = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  if (types !== undefined && !types.some((t) => t === kind || (t === 'integer' && Number.isInteger(value)))) return [`${at}: expected ${types.join(' or ')}, got ${kind}`];
  const out: string[] = [];
  if (typeof value === 'string') {
    if (schema.minLength !== undefined && value.length < schema.minLength) out.push(`${at}: shorter than ${schema.minLength}`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) out.push(`${at}: does not match ${schema.pattern}`);
  }
  if (Array.isArray(value) && schema.items) {
    for (const [i, v] of value.entries()) out.push(...check(v, schema.items, `${at}[${i}]`));
  }
  if (kind === 'object') {
    const obj = value as Record<string, unknown>;
    for (const r of schema.required ?? []) if (!(r in obj)) out.push(`${at}: missing ${r}`);
    for (const [k, v] of Object.entries(obj)) {
      const p = schema.properties?.[k];
      if (p) out.push(...check(v, p, `${at}.${k}`));
      else if (schema.additionalProperties === false) out.push(`${at}: unexpected field ${k}`);
    }
  }
  return out;
}

let server: Served;
beforeAll(async () => {
  server = await startEmulator({ products: sandboxCatalogue() });
});
afterAll(async () => {
  await server.close();
});

const json = async (args: string[], stream: 'stdout' | 'stderr' = 'stdout') => {
  const r = await runCli(args, { env: envFor(server) });
  return { code: r.code, doc: JSON.parse(r[stream]) as unknown };
};
const valid = (doc: unknown, id: string) => expect(check(doc, { $ref: id })).toEqual([]);

describe('docs/cli-json.md', () => {
  it('has a schema for every documented shape', () => {
    expect([...schemas.keys()].sort()).toEqual([
      'api-key', 'auth-status', 'catalog-list', 'delete', 'dry-run', 'error', 'key-list', 'key-product', 'key-with-products', 'key-with-subscriptions',
      'product-list', 'profile-list', 'setting', 'subscription',
    ]);
  });

  it('the schemas reject what they should (the checker is not a rubber stamp)', () => {
    expect(check({ apiKeyId: 'x', extra: 1 }, { $ref: 'api-key' })).not.toEqual([]);
    expect(check([{ apiKeyName: 'no id' }], { $ref: 'key-list' })).not.toEqual([]);
    expect(check({ apiKeyId: 'x', deleted: false }, { $ref: 'delete' })).not.toEqual([]);
    expect(check([{ profile: 'p', active: true, accessKey: 'AKPLAIN', secretKey: 'SK', site: null, endpoint: null }], { $ref: 'profile-list' })).not.toEqual([]);
    expect(check([{ profile: 'p', active: true, accessKey: null, secretKey: null, site: null, endpoint: null }], { $ref: 'profile-list' })).toEqual([]);
  });

  it('every command\'s --json output matches its schema', async () => {
    const created = await json(['create', '--name', 'schema-doc', '--description', 'd', '--json']);
    expect(created.code).toBe(0);
    valid(created.doc, 'api-key');
    const id = (created.doc as { apiKeyId: string }).apiKeyId;
    valid((await json(['show', id, '--json'])).doc, 'key-with-products');
    valid((await json(['update', id, '--description', 'e', '--disable', '--json'])).doc, 'api-key');
    valid((await json(['rotate', id, '--secondary', '--yes', '--json'])).doc, 'api-key');
    const list = await json(['list', '--json']);
    expect((list.doc as unknown[]).length).toBeGreaterThan(0);
    valid(list.doc, 'key-list');
    valid((await json(['create', '--name', 'dry', '--dry-run', '--json'])).doc, 'dry-run');
    valid((await json(['delete', id, '--yes', '--json'])).doc, 'delete');
    const status = await json(['auth', 'status', '--json']);
    expect(status.code).toBe(0);
    valid(status.doc, 'auth-status');
    const refused = await runCli(['auth', 'status', '--json'], { env: envFor(server, { NCLOUD_SECRET_KEY: 'wrong-secret-0123456789' }) });
    expect(refused.code).toBe(3);
    valid(JSON.parse(refused.stdout), 'auth-status');
    const home = tempHome();
    mkdirSync(join(home, '.ncloud'), { recursive: true });
    writeFileSync(join(home, '.ncloud', 'configure'), 'ncloud_access_key_id=AKTOPLEVEL000000ABCD\nncloud_secret_access_key=SKx\n[half]\napikey_site=gov\n', { mode: 0o600 });
    const profiles = await runCli(['configure', 'list', '--json'], { home });
    expect(profiles.code).toBe(0);
    valid(JSON.parse(profiles.stdout), 'profile-list');
    for (const failing of [['show', id, '--json'], ['create', '--name', '', '--json'], ['list', '--bogus', '--json']]) {
      const r = await json(failing, 'stderr');
      expect(r.code).not.toBe(0);
      valid(r.doc, 'error');
    }
  });

  it('the product commands\' --json output matches its schemas', async () => {
    const created = await json(['create', '--name', 'schema-key', '--json']);
    const id = (created.doc as { apiKeyId: string }).apiKeyId;
    const withProducts = await json(['create', '--name', 'schema-prod', '--product', 'weatherpub', '--product', 'paymentprt', '--json']);
    expect(withProducts.code).toBe(0);
    valid(withProducts.doc, 'key-with-subscriptions');
    valid((await json(['products', '--json'])).doc, 'product-list');
    valid((await json(['products', '--catalog', '--json'])).doc, 'catalog-list');
    valid((await json(['subscribe', id, '--product', 'mapsothers', '--json'])).doc, 'subscription');
    valid((await json(['show', id, '--json'])).doc, 'key-with-products');
    valid((await json(['unsubscribe', id, '--product', 'mapsothers', '--yes', '--json'])).doc, 'subscription');
    valid((await json(['create', '--name', 'dry', '--product', 'weatherpub', '--dry-run', '--json'])).doc, 'dry-run');
    server.emulator.setFaults({ statusRates: { 500: 1 }, only: { path: /\/subscribe$/ } });
    const half = await runCli(['create', '--name', 'schema-half', '--product', 'weatherpub', '--json'], { env: envFor(server) });
    server.emulator.setFaults(undefined);
    expect(half.code).toBe(1);
    valid(JSON.parse(half.stdout), 'key-with-subscriptions');
    valid(JSON.parse(half.stderr), 'error');
  }, 120_000);
});
