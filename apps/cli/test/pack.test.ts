// The installable CLI: `pnpm --filter @apikey/cli pack` gives one self-contained tarball, and
// `npm install -g --offline` installs it from an empty npm cache with no pnpm on PATH (only node and npm), as an
// `apikey` command that runs, on Node and on Deno.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VERSION } from '../src/version.ts';
import { REPO_ROOT } from './helpers.ts';

const run = (cmd: string, args: string[], o: { cwd?: string; env?: Record<string, string> } = {}) =>
  spawnSync(cmd, args, { cwd: o.cwd ?? REPO_ROOT, encoding: 'utf8', timeout: 120_000, ...(o.env ? { env: o.env } : {}) });

/** A PATH that holds node and npm and nothing else (in particular no pnpm). */
function nodeAndNpmOnly(dir: string): string {
  const npm = run('sh', ['-c', 'command -v npm']).stdout.trim();
  expect(npm).not.toBe('');
  mkdirSync(dir);
  symlinkSync(process.execPath, join(dir, 'node'));
  symlinkSync(npm, join(dir, 'npm'));
  return dir;
}

const tmp = mkdtempSync(join(tmpdir(), 'apikey-pack-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the packed CLI', () => {
  it('packs into one tarball that npm installs offline from an empty cache, without pnpm, as a working `apikey`', { timeout: 180_000 }, () => {
    const packed = run('pnpm', ['--filter', '@apikey/cli', 'pack', '--pack-destination', join(tmp, 'out')]);
    expect(packed.status, packed.stderr).toBe(0);
    const tarballs = readdirSync(join(tmp, 'out'));
    expect(tarballs).toHaveLength(1);
    const tarball = join(tmp, 'out', tarballs[0] as string);

    // What is inside: the bin, the bundle, a package.json with nothing left to install.
    const listing = run('tar', ['tzf', tarball]).stdout.split('\n').filter(Boolean);
    expect(listing).toContain('package/bin/apikey.cjs');
    expect(listing).toContain('package/dist/main.cjs');
    expect(listing).toContain('package/bin/apikey.mjs');
    expect(listing).toContain('package/dist/main.js');
    expect(listing.filter((f) => f.startsWith('package/src/') || f.includes('node_modules'))).toEqual([]);
    const manifest = JSON.parse(run('tar', ['xzfO', tarball, 'package/package.json']).stdout) as Record<string, unknown>;
    for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies', 'scripts']) expect(manifest[field]).toBeUndefined();
    expect(manifest.bin).toEqual({ apikey: './bin/apikey.cjs' });

    const bin = nodeAndNpmOnly(join(tmp, 'bin'));
    const home = join(tmp, 'home');
    mkdirSync(home);
    const env = { PATH: bin, HOME: home };
    expect(run('sh', ['-c', 'command -v pnpm'], { env: { ...env, PATH: bin } }).status).not.toBe(0);
    const emptyCache = join(tmp, 'cache');
    mkdirSync(emptyCache);
    const prefix = join(tmp, 'prefix');
    const installed = run(join(bin, 'npm'), ['install', '-g', '--prefix', prefix, '--offline', '--cache', emptyCache, '--no-audit', '--no-fund', tarball], { cwd: tmp, env });
    expect(installed.status, installed.stderr).toBe(0);
    const apikey = join(prefix, 'bin', 'apikey');
    expect(existsSync(apikey)).toBe(true);

    const version = run(apikey, ['--version'], { cwd: tmp, env });
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout).toBe(`${VERSION}\n`);

    const created = run(apikey, ['--sandbox', 'create', '--name', 'from-tarball', '--json'], { cwd: tmp, env });
    expect(created.status, created.stderr).toBe(0);
    const key = JSON.parse(created.stdout) as { apiKeyName: string; primaryKey: string };
    expect(key.apiKeyName).toBe('from-tarball');
    expect(key.primaryKey).toMatch(/^[A-Za-z0-9]{40}$/);

    // The completion generator is its own chunk; the tarball carries it.
    const completion = run(apikey, ['completion', 'bash'], { cwd: tmp, env });
    expect(completion.status, completion.stderr).toBe(0);
    expect(completion.stdout).toContain('complete -F _apikey apikey');

    // The same installed files run on Deno, as the README says.
    const deno = join(REPO_ROOT, 'node_modules', 'deno', process.platform === 'win32' ? 'deno.exe' : 'deno');
    const onDeno = run(deno, ['run', '-A', '--no-prompt', join(prefix, 'lib', 'node_modules', '@apikey', 'cli', 'bin', 'apikey.mjs'), '--sandbox', 'list', '--json'], { cwd: tmp, env });
    expect(onDeno.status, onDeno.stderr).toBe(0);
    expect(JSON.parse(onDeno.stdout)).toEqual([]);
  });
});
