// `pnpm bench`: runs every benchmark in turn, on Node and on Deno where the benchmark supports it.
// Each benchmark measures itself against a floor or peer in the same run and prints its own table;
// this runner only sequences them (never in parallel: they would disturb each other's timings).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// The package's own binary, not the .bin shim (a Node wrapper that would add a Node start-up to every run).
const deno = join(root, 'node_modules', 'deno', 'deno');
const tsx = ['--import', 'tsx'];

const benches = [
  { name: 'core client overhead (Node)', file: 'bench/client-overhead.ts', cmd: process.execPath, args: tsx },
  { name: 'core client overhead (Deno)', file: 'bench/client-overhead.ts', cmd: deno, args: ['run', '-A', '--no-prompt'] },
  { name: 'CLI start-up (Node and Deno)', file: 'bench/cli-startup.mjs', cmd: process.execPath, args: [] },
  { name: 'Slack ack latency and approve-to-DM', file: 'bench/slack-ack.ts', cmd: process.execPath, args: tsx },
  // ~5 minutes at the default 500 requests (BENCH_LOAD_REQUESTS); needs Postgres on 127.0.0.1:5432.
  { name: 'Slack load: 500 approvals, two replicas, NCP at 10 req/s', file: 'bench/slack-load.ts', cmd: process.execPath, args: tsx },
  { name: 'Slack approve-to-DM with products', file: 'bench/slack-products.ts', cmd: process.execPath, args: tsx },
];

const only = process.argv.slice(2);
let failed = 0;
for (const bench of benches) {
  if (only.length > 0 && !only.some((word) => bench.name.toLowerCase().includes(word.toLowerCase()))) continue;
  if (!existsSync(join(root, bench.file))) {
    console.log(`\n## ${bench.name}\n(skipped: ${bench.file} does not exist)`);
    continue;
  }
  console.log(`\n## ${bench.name}\n`);
  const result = spawnSync(bench.cmd, [...bench.args, bench.file], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    failed += 1;
    console.log(`(${bench.file} exited with ${result.status ?? result.signal})`);
  }
}
process.exit(failed === 0 ? 0 : 1);
