// Core's source uses Web APIs only, so it runs unchanged on Node and Deno. The lint rules in the repo's
// biome.jsonc (override for packages/core/src) enforce it; these tests run the real linter with that config
// on sample files and prove each banned construct is reported there, and only there. (`globalThis.process`
// slips past a lint rule but not tsc: core's tsconfig has `types: []`, so no Node or Deno global type-checks.)

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const biome = join(repoRoot, 'node_modules', '.bin', 'biome');

type Diagnostic = { category: string; location: { path: string; start: { line: number } } };

/** Runs `biome lint` with the repo's config over the given files (repo-relative path → source). */
// The files go into a temporary copy of the repo layout (beside a copy of biome.jsonc) so the override's
// path globs apply exactly as they do in the repo. The real source is checked by `pnpm lint`.
function lint(files: Record<string, string>): { status: number | null; diagnostics: Diagnostic[] } {
  const dir = mkdtempSync(join(tmpdir(), 'apikey-core-lint-'));
  try {
    copyFileSync(join(repoRoot, 'biome.jsonc'), join(dir, 'biome.jsonc'));
    for (const [path, source] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), source);
    }
    const r = spawnSync(biome, ['lint', '--reporter=json', '--vcs-enabled=false', ...Object.keys(files)], { cwd: dir, encoding: 'utf8' });
    assert.ok(r.stdout.startsWith('{'), `biome printed no report (exit ${r.status}): ${r.stderr}`);
    const report = JSON.parse(r.stdout) as { diagnostics: Diagnostic[] };
    return { status: r.status, diagnostics: report.diagnostics };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const BANNED: Record<string, { source: string; expect: string[] }> = {
  'node-import.ts': { source: "import { readFile } from 'node:fs';\nexport { readFile };\n", expect: ['noNodejsModules', 'noRestrictedImports'] },
  'bare-builtin.ts': { source: "import fs from 'fs';\nexport { fs };\n", expect: ['noNodejsModules', 'noRestrictedImports'] },
  'type-import.ts': { source: "import type { Server } from 'node:http';\nexport type S = Server;\n", expect: ['noRestrictedImports'] },
  'dynamic-import.ts': { source: "export const load = () => import('node:crypto');\n", expect: ['noNodejsModules', 'noRestrictedImports'] },
  'foreign-package.ts': { source: "import { serve } from '@apikey/ncp-emulator';\nexport { serve };\n", expect: ['noRestrictedImports'] },
  'process.ts': { source: 'export const e = process.env.X;\n', expect: ['noRestrictedGlobals'] },
  'buffer.ts': { source: "export const b = Buffer.from('x');\n", expect: ['noRestrictedGlobals'] },
  'deno.ts': { source: "export const d = Deno.env.get('X');\n", expect: ['noRestrictedGlobals'] },
};

const CLEAN = [
  '// A long-running process may call this; see https://example.com/docs.',
  "import { z } from 'zod';",
  "import { ofetch } from 'ofetch';",
  "import { redact } from './redact.ts';",
  "import { printable } from '../printable.ts';",
  "export const parts = { process: 1, url: 'https://x.example/node:fs' };",
  'export const bytes = new TextEncoder().encode(btoa("x"));',
  'export { z, ofetch, redact, printable };',
  '',
].join('\n');

const BAN_RULES = /\/(noNodejsModules|noRestrictedImports|noRestrictedGlobals)$/;
const banRulesFor = (diagnostics: Diagnostic[], path: string) =>
  [...new Set(diagnostics.filter((d) => d.location.path === path && BAN_RULES.test(d.category)).map((d) => d.category.split('/').pop()))].sort();

describe('lint rule: core source uses Web APIs only', () => {
  it('reports each banned import and global in a file under packages/core/src', () => {
    const files = Object.fromEntries(Object.entries(BANNED).map(([name, s]) => [`packages/core/src/${name}`, s.source]));
    const r = lint(files);
    assert.notEqual(r.status, 0, 'biome lint must exit non-zero');
    for (const [name, s] of Object.entries(BANNED)) {
      assert.deepEqual(banRulesFor(r.diagnostics, `packages/core/src/${name}`), [...s.expect].sort(), name);
    }
  });

  it('accepts zod, ofetch, relative imports and the word "process" in comments and property names', () => {
    const r = lint({ 'packages/core/src/clean.ts': CLEAN });
    assert.deepEqual(r.diagnostics.map((d) => d.category), []);
    assert.equal(r.status, 0);
  });

  it('applies to core only: the same Node code elsewhere in the repo is not reported', () => {
    const source = "import { readFile } from 'node:fs';\nexport const e = [process.env.X, Buffer.from('x'), readFile];\n";
    const r = lint({ 'apps/cli/src/node-code.ts': source, 'packages/core/test/node-code.ts': source });
    assert.deepEqual(r.diagnostics.map((d) => d.category), []);
    assert.equal(r.status, 0);
  });
});
