// CLI start-up benchmark (`node bench/cli-startup.mjs [runs]`). Each target is measured against its floor in
// the same run, interleaved (floor, target, floor, target …) so machine noise hits both alike:
//   - `apikey --help` vs the bare runtime (`node -e ''`, `deno eval ''`)                    ratio ≤ 1.2
//   - first wizard frame in a real pty vs a minimal Ink hello-world bundled with the same esbuild settings,
//     on the same runtime                                                                   ratio ≤ 1.2
// The four goals (Node/Deno × help/first frame) measure the bundle, which is what `apikey` runs on both
// runtimes; the from-source rows (`deno run src/main.ts`, as `deno task cli` does) are shown for information.
// The pty is util-linux `script` (sized with stty); "first frame" = spawn → the frame's text on the pty.
// Prints a markdown table of medians and p90s (ms) and the ratios of medians.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cliRoot = join(root, 'apps', 'cli');
const RUNS = Number(process.argv[2] ?? 15);
const WARMUP = 2;
// The real binary: node_modules/.bin/deno is a shim that starts Node first, which would swamp the measurement.
const realDeno = join(root, 'node_modules', 'deno', 'deno');
const deno = existsSync(realDeno) ? realDeno : join(root, 'node_modules', '.bin', 'deno');
const hasScript = spawnSync('script', ['--version']).status === 0;

const { build, bundleOptions } = await import(join(cliRoot, 'scripts', 'build.mjs'));
await build();
const esbuild = await import('esbuild');

// The peer: the smallest Ink app, bundled exactly like the CLI (same options, same node_modules). It lives beside
// the CLI's bundle so both runtimes start it in the same surroundings (Deno looks for deno.json / package.json
// upwards from the script), and Deno can also run its source against the CLI's node_modules.
const helloDir = mkdtempSync(join(cliRoot, 'dist', 'bench-hello-'));
writeFileSync(join(helloDir, 'hello.tsx'), [
  "import { render, Text } from 'ink';",
  "render(<Text>hello-bench-frame</Text>, { exitOnCtrlC: false, patchConsole: false });",
  'setTimeout(() => {}, 60_000);',
].join('\n'));
await esbuild.build({ ...bundleOptions({ entryPoints: { hello: join(helloDir, 'hello.tsx') }, outdir: join(helloDir, 'dist') }), nodePaths: [join(cliRoot, 'node_modules')] });
const hello = join(helloDir, 'dist', 'hello.js');
const helloSource = join(helloDir, 'hello.tsx');
const bundle = join(cliRoot, 'dist', 'main.js');
const source = join(cliRoot, 'src', 'main.ts');

const env = {
  PATH: process.env.PATH ?? '',
  HOME: mkdtempSync(join(tmpdir(), 'apikey-bench-home-')),
  TERM: 'xterm-256color',
  CI: 'false',
  // The wizard's first screen needs credentials to exist; nothing is sent before the user submits.
  NCLOUD_ACCESS_KEY: 'BENCH_ACCESS_KEY',
  NCLOUD_SECRET_KEY: 'BENCH_SECRET_KEY',
  NCLOUD_APIGW_ENDPOINT: 'http://127.0.0.1:9/api/v1',
};

/** Wall time of a command that runs to completion, stdout piped. */
function timeExit(cmd, args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const shellQuote = (s) => `'${s.replace(/'/g, "'\\''")}'`;

/** Spawn → `marker` visible on a 100x30 pty; then the process group is killed. */
function timeFirstFrame(cmd, args, marker) {
  return new Promise((resolve, reject) => {
    const line = `stty cols 100 rows 30; exec ${[cmd, ...args].map(shellQuote).join(' ')}`;
    const t0 = process.hrtime.bigint();
    const child = spawn('script', ['-qfec', line, '/dev/null'], { env, stdio: ['pipe', 'pipe', 'ignore'], detached: true });
    let out = '';
    let done = false;
    const finish = (err, ms) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      try { process.kill(-child.pid, 'SIGKILL'); } catch { /* already gone */ }
      err ? reject(err) : resolve(ms);
    };
    const timer = setTimeout(() => finish(new Error(`no first frame from ${cmd} ${args.join(' ')}:\n${out}`)), 15_000);
    child.stdout.on('data', (d) => {
      out += d.toString('utf8').replace(/\u001B\[[0-9;?]*[A-Za-z]/g, '');
      if (out.includes(marker)) finish(null, Number(process.hrtime.bigint() - t0) / 1e6);
    });
    child.on('error', (e) => finish(e));
  });
}

const stats = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  return { median: q(0.5), p90: q(0.9) };
};

async function pair(name, floor, target, target_) {
  const a = [];
  const b = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const fa = await floor();
    const fb = await target();
    if (i >= WARMUP) { a.push(fa); b.push(fb); }
  }
  const sa = stats(a);
  const sb = stats(b);
  return { name, floorName: target_.floor, targetName: target_.target, sa, sb, ratio: sb.median / sa.median, goal: target_.goal };
}

const rows = [];
// The hello-world sits inside dist/: remove it even when a measurement throws, so no pack ever ships it.
try {
  const nodeRun = (args) => () => timeExit(process.execPath, args);
  const denoRun = (args) => () => timeExit(deno, args);

  rows.push(await pair('Node: `apikey --help`', nodeRun(['-e', '']), nodeRun([join(cliRoot, 'bin', 'apikey.cjs'), '--help']),
    { floor: "node -e ''", target: 'node bin/apikey.cjs --help (bundle)', goal: 1.2 }));
  rows.push(await pair('Deno: `apikey --help` (source)', denoRun(['eval', '']), denoRun(['run', '-A', '--no-prompt', source, '--help']),
    { floor: "deno eval ''", target: 'deno run src/main.ts --help', goal: undefined }));
  rows.push(await pair('Deno: `apikey --help` (bundle)', denoRun(['eval', '']), denoRun(['run', '-A', '--no-prompt', bundle, '--help']),
    { floor: "deno eval ''", target: 'deno run dist/main.js --help', goal: 1.2 }));

  if (hasScript) {
    const frame = (cmd, args, marker) => () => timeFirstFrame(cmd, args, marker);
    rows.push(await pair('Node: first wizard frame', frame(process.execPath, [hello], 'hello-bench-frame'),
      frame(process.execPath, [join(cliRoot, 'bin', 'apikey.cjs'), 'create'], '1-20 characters'),
      { floor: 'Ink hello-world bundle', target: 'apikey create (bundle)', goal: 1.2 }));
    rows.push(await pair('Deno: first wizard frame (source)', frame(deno, ['run', '-A', '--no-prompt', helloSource], 'hello-bench-frame'),
      frame(deno, ['run', '-A', '--no-prompt', source, 'create'], '1-20 characters'),
      { floor: 'Ink hello-world source on Deno', target: 'deno run src/main.ts create', goal: undefined }));
    rows.push(await pair('Deno: first wizard frame (bundle)', frame(deno, ['run', '-A', '--no-prompt', hello], 'hello-bench-frame'),
      frame(deno, ['run', '-A', '--no-prompt', bundle, 'create'], '1-20 characters'),
      { floor: 'Ink hello-world bundle on Deno', target: 'deno run dist/main.js create', goal: 1.2 }));
  }
} finally {
  rmSync(helloDir, { recursive: true, force: true });
  rmSync(env.HOME, { recursive: true, force: true });
}
const f = (x) => x.toFixed(1);
console.log(`CLI start-up, ${RUNS} interleaved runs each after ${WARMUP} warm-ups (ms; median / p90)\n`);
console.log('| measurement | floor / peer | floor median | floor p90 | target | target median | target p90 | ratio (medians) | goal |');
console.log('|---|---|---:|---:|---|---:|---:|---:|---:|');
for (const r of rows) {
  const verdict = r.goal === undefined ? '—' : `≤ ${r.goal} ${r.ratio <= r.goal ? '✔' : '✖'}`;
  console.log(`| ${r.name} | ${r.floorName} | ${f(r.sa.median)} | ${f(r.sa.p90)} | ${r.targetName} | ${f(r.sb.median)} | ${f(r.sb.p90)} | ${r.ratio.toFixed(2)} | ${verdict} |`);
}
if (!hasScript) console.log('\n(first-frame rows skipped: util-linux `script` not found)');

// The four goals at a glance (bundle rows): ratio of medians against the floor or peer of the same run.
const cell = (name) => {
  const r = rows.find((x) => x.name === name);
  return r ? `${r.ratio.toFixed(2)} ${r.ratio <= r.goal ? '✔' : '✖'}` : 'not run';
};
console.log('\n| runtime | `apikey --help` ÷ bare runtime | first wizard frame ÷ Ink hello-world |');
console.log('|---|---:|---:|');
console.log(`| Node | ${cell('Node: `apikey --help`')} | ${cell('Node: first wizard frame')} |`);
console.log(`| Deno | ${cell('Deno: `apikey --help` (bundle)')} | ${cell('Deno: first wizard frame (bundle)')} |`);
console.log('\nGoal: every ratio ≤ 1.2. Timings on a loaded machine are noisy; the floor and target runs are interleaved so load hits both.');
