// A separate process that tries to lock a data folder (for the data-dir lock race tests): prints "ready",
// waits for a line on stdin (so all racers start together), tries once, prints one JSON line ({"got":true} or {"got":false,"error":…}), and if it got
// the lock holds it for `holdMs` (heartbeating) before exiting without releasing, like a process that dies.
import process from 'node:process';
import { lockDataDir, type LockOptions } from '../../src/store/data-dir-lock.ts';

const [dir, optionsJson, holdMsText] = process.argv.slice(2);
const options = JSON.parse(optionsJson ?? '{}') as LockOptions;
const holdMs = Number(holdMsText ?? 0);

process.stdout.write('ready\n');
await new Promise((r) => process.stdin.once('data', r));
process.stdin.pause();
try {
  await lockDataDir(dir ?? '.', options);
  process.stdout.write(`${JSON.stringify({ got: true, pid: process.pid })}\n`);
  await new Promise((r) => setTimeout(r, holdMs));
} catch (err) {
  process.stdout.write(`${JSON.stringify({ got: false, error: (err as Error).message })}\n`);
}
process.exit(0);
