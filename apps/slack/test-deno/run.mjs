#!/usr/bin/env node
// test:deno — the Slack app's end-to-end smoke test on Deno. Node hosts the Slack stand-in and the NCP
// emulator; the app itself runs as `deno run -A --no-prompt apps/slack/src/main.ts`.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const { runMainE2E, REPO_ROOT } = await import('./main-e2e.ts');

// Prefer the real binary over node_modules/.bin/deno: that shim does not forward SIGTERM to Deno, and the
// graceful-shutdown step needs the signal to reach the app.
const candidates = ['node_modules/deno/deno', 'node_modules/.bin/deno'].map((p) => fileURLToPath(new URL(p, `file://${REPO_ROOT}`)));
const deno = candidates.find((p) => existsSync(p)) ?? 'deno';
const { results, output } = await runMainE2E({ command: deno, args: ['run', '-A', '--no-prompt', 'apps/slack/src/main.ts'], label: 'deno' });

for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name}${r.error ? `\n     ${r.error}` : ''}`);
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed + (results.length < 3 ? 3 - results.length : 0);
if (failed > 0) console.log(`--- app output ---\n${output}`);
console.log(`deno slack e2e: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
