// `pnpm cli` / `pnpm sandbox` / `pnpm start`: rebuild the bundle when any source it is made of is newer
// (a stat walk of three small src trees, a few ms), then import it in-process so stdout and the exit
// status are the CLI's own.

import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const cliRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(cliRoot, '..', '..');
const entry = join(cliRoot, 'dist', 'main.js');
const sources = [join(cliRoot, 'src'), join(repoRoot, 'packages/core/src'), join(repoRoot, 'packages/ncp-emulator/src')];
const buildFiles = [join(cliRoot, 'scripts/build.mjs'), join(cliRoot, 'package.json')];

function newestMtime(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function isStale() {
  let built;
  try {
    built = statSync(entry).mtimeMs;
  } catch {
    return true;
  }
  const newest = Math.max(...sources.map(newestMtime), ...buildFiles.map((f) => statSync(f).mtimeMs));
  return newest > built;
}

if (isStale()) {
  const { build } = await import('./build.mjs');
  await build();
}
await import(pathToFileURL(entry).href);
