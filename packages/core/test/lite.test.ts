// The zod-free entry `@apikey/core/lite`: the same functions as the full entry (not copies), and a module graph
// that never reaches zod or ofetch, so a UI can load it for its first frame without their start-up cost.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as core from '@apikey/core';
import * as lite from '@apikey/core/lite';

const srcDir = fileURLToPath(new URL('../src/', import.meta.url));

/** Every import specifier reachable from `file` through relative imports. */
function reachableImports(file: string, seen = new Set<string>()): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const code = readFileSync(file, 'utf8');
  const specs = [...code.matchAll(/\bfrom\s+['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]/g)].map((m) => m[1] ?? m[2] ?? '');
  return specs.flatMap((s) => (s.startsWith('.') ? [s, ...reachableImports(join(dirname(file), s), seen)] : [s]));
}

describe('@apikey/core/lite', () => {
  it('exports the very same bindings as @apikey/core for every name it has', () => {
    const names = Object.keys(lite);
    assert.ok(names.includes('validateApiKeyName') && names.includes('printable') && names.includes('redact') && names.includes('isApiKeyError'));
    for (const n of names) assert.equal((lite as Record<string, unknown>)[n], (core as Record<string, unknown>)[n], n);
  });

  it('reaches neither zod nor ofetch through its imports', () => {
    const bare = reachableImports(join(srcDir, 'lite.ts')).filter((s) => !s.startsWith('.'));
    assert.deepEqual(bare, []);
  });

  it('validates names and shows control characters the same way as the full entry', () => {
    assert.equal(lite.validateApiKeyName('ok'), undefined);
    assert.match(lite.validateApiKeyName('a'.repeat(21)) ?? '', /at most 20/);
    assert.equal(lite.printable('a\u001b[2Jb'), 'a\\x1b[2Jb');
  });
});
