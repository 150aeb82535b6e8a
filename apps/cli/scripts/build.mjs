// Builds apps/cli/dist: an ESM bundle for Node 20 whose entry (main.js) is one small file and whose Ink/React UI,
// core client and emulator are separate chunks loaded with import() only when a command needs them.
// Writes into a temp dir first and moves files in with main.js last, so a concurrent run never sees half a build.

import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const CLI_ROOT = join(here, '..');
export const DIST = join(CLI_ROOT, 'dist');

// ofetch's "node" export pulls in node-fetch-native (~110 KB, ~25 ms to load) as a fetch polyfill; Node 20 and
// Deno have fetch, so bundle its runtime-neutral build instead.
const requireFromCore = createRequire(join(CLI_ROOT, '..', '..', 'packages', 'core', 'package.json'));
const ofetchNeutral = join(dirname(requireFromCore.resolve('ofetch/package.json')), 'dist', 'index.mjs');

/** esbuild options shared with bench/cli-startup.mjs (which bundles an Ink hello-world the same way). */
export function bundleOptions({ entryPoints, outdir }) {
  return {
    entryPoints,
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    jsx: 'automatic',
    minify: true,
    legalComments: 'none',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"' },
    alias: { 'react-devtools-core': join(here, 'devtools-stub.mjs'), ofetch: ofetchNeutral },
    banner: { js: "import { createRequire as __apikeyCreateRequire } from 'node:module'; const require = __apikeyCreateRequire(import.meta.url);" },
    entryNames: '[name]',
    chunkNames: 'chunks/[name]-[hash]',
  };
}

// The entry (main.js) is built on its own, without splitting, so `apikey --help` loads exactly one small file: with
// splitting, esbuild would move code it shares with the lazy parts (UsageError, mode) into extra chunk files that
// every start-up then has to resolve and load. The lazy parts are a second, split build whose entries main.js
// imports by their output names. (They share no class instances with main.js, so the duplicated code is harmless.)
const LAZY_ENTRIES = {
  run: 'src/commands/run.ts',
  'run-wizard': 'src/ui/run-wizard.tsx',
  completion: 'src/completion.ts',
};

const lazyImportsAsOutputs = {
  name: 'lazy-imports-as-outputs',
  setup(b) {
    b.onResolve({ filter: /^\.\/(commands\/run\.ts|ui\/run-wizard\.tsx|completion\.ts)$/ }, (args) => ({
      path: `./${args.path.includes('wizard') ? 'run-wizard' : args.path.includes('completion') ? 'completion' : 'run'}.js`,
      external: true,
    }));
  },
};

/** `clean`: leave only this build's chunks in dist (for `pnpm pack`, so the tarball holds no stale chunk). */
export async function build({ clean = false } = {}) {
  const esbuild = await import('esbuild');
  const tmp = join(CLI_ROOT, `.dist-tmp-${process.pid}-${Date.now()}`);
  try {
    const lazy = Object.fromEntries(Object.entries(LAZY_ENTRIES).map(([k, v]) => [k, join(CLI_ROOT, v)]));
    await esbuild.build(bundleOptions({ entryPoints: lazy, outdir: tmp }));
    const entry = { ...bundleOptions({ entryPoints: { main: join(CLI_ROOT, 'src/main.ts') }, outdir: tmp }), splitting: false, banner: {}, plugins: [lazyImportsAsOutputs] };
    await esbuild.build(entry);
    // The same entry as CommonJS (main.cjs) for Node's bin: running an ES module makes Node set up its ESM loader,
    // which alone costs ~10% over `node -e ''`; a CommonJS entry defers that to the import() of a lazy part, which
    // --help never does. Deno and the in-process `pnpm cli` keep the ESM main.js.
    await esbuild.build({ ...entry, format: 'cjs', outExtension: { '.js': '.cjs' } });
    mkdirSync(join(DIST, 'chunks'), { recursive: true });
    // Chunk names carry a content hash, so moving one over an identical file from a concurrent build is harmless.
    const written = new Set(readdirSync(join(tmp, 'chunks')));
    for (const f of written) renameSync(join(tmp, 'chunks', f), join(DIST, 'chunks', f));
    for (const name of Object.keys(LAZY_ENTRIES)) renameSync(join(tmp, `${name}.js`), join(DIST, `${name}.js`));
    renameSync(join(tmp, 'main.cjs'), join(DIST, 'main.cjs'));
    renameSync(join(tmp, 'main.js'), join(DIST, 'main.js'));
    pruneOldChunks(clean ? (f) => !written.has(f) : undefined);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Chunks from earlier builds pile up (names carry content hashes); drop those no build wrote in the last hour, or
 * every one `stale` names.
 */
function pruneOldChunks(stale) {
  const cutoff = Date.now() - 60 * 60 * 1000;
  for (const f of readdirSync(join(DIST, 'chunks'))) {
    const p = join(DIST, 'chunks', f);
    if (stale ? stale(f) : statSync(p).mtimeMs < cutoff) rmSync(p, { force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const t0 = performance.now();
  await build({ clean: process.argv.includes('--clean') });
  process.stderr.write(`built ${join(DIST, 'main.js')} in ${Math.round(performance.now() - t0)} ms\n`);
}
