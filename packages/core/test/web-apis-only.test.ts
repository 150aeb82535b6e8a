// The "lint rule" of DESIGN: core's source uses Web APIs only, so it runs unchanged on Node and Deno.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const srcDir = fileURLToPath(new URL('../src/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? sourceFiles(p) : /\.tsx?$/.test(name) ? [p] : [];
  });
}

// Comments may mention a "process"; code may not. Line comments start at line start or after whitespace
// so that '//' inside 'https://' survives.
function stripComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|\s)\/\/.*$/gm, '$1');
}

export function findViolations(code: string): string[] {
  const stripped = stripComments(code);
  const found: string[] = [];
  if (/['"`]node:/.test(stripped)) found.push('node: import');
  for (const name of ['process', 'Buffer', 'Deno', 'require', '__dirname']) {
    if (new RegExp(`(?<![\\w$.'"])${name}(?![\\w$])`).test(stripped)) found.push(name);
  }
  for (const m of stripped.matchAll(/\bfrom\s+['"]([^'"]+)['"]|\bimport\s*\(\s*['"]([^'"]+)['"]/g)) {
    const spec = m[1] ?? m[2] ?? '';
    if (!spec.startsWith('.') && !spec.startsWith('node:') && spec !== 'zod' && spec !== 'ofetch') found.push(`import of ${spec}`);
  }
  return found;
}

describe('core source uses Web APIs only', () => {
  const files = sourceFiles(srcDir);

  it('finds the source files to scan', () => {
    assert.ok(files.length >= 10, `expected core's source files, found ${files.length}`);
  });

  it('has no node:*, process, Buffer, Deno or foreign imports in src/', () => {
    const problems = files.flatMap((f) => findViolations(readFileSync(f, 'utf8')).map((v) => `${relative(srcDir, f)}: ${v}`));
    assert.deepEqual(problems, []);
  });

  it('the scanner catches each banned construct', () => {
    assert.deepEqual(findViolations("import { x } from 'node:fs';"), ['node: import']);
    assert.deepEqual(findViolations('const e = process.env.X;'), ['process']);
    assert.deepEqual(findViolations("const b = Buffer.from('x');"), ['Buffer']);
    assert.deepEqual(findViolations('Deno.exit(1);'), ['Deno']);
    assert.deepEqual(findViolations("import { readFile } from 'fs';"), ['import of fs']);
    assert.deepEqual(findViolations('// a long-running process\nconst u = "https://x";'), []);
  });
});
