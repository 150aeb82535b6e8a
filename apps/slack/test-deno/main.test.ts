// The Slack app's entry point on Deno (`deno run apps/slack/src/main.ts`) end to end: start-up, create →
// approve → DM against the Slack stand-in and the NCP emulator, a key rotation, SIGTERM, and no secret in its output.
// The steps live in main-e2e.ts, which vitest also runs with the app on Node.
import { type SpawnApp, runMainE2E } from './main-e2e.ts';

// Deno.Command rather than node:child_process, whose exit status is wrong on Deno (see main-e2e.ts).
const spawnWithDeno: SpawnApp = (o) => {
  const child = new Deno.Command(o.command, { args: o.args, cwd: o.cwd, env: o.env, clearEnv: true, stdin: 'null', stdout: 'piped', stderr: 'piped' }).spawn();
  const read = (stream: ReadableStream<Uint8Array>) => stream.pipeThrough(new TextDecoderStream()).pipeTo(new WritableStream({ write: o.onOutput }));
  const exited = Promise.all([child.status, read(child.stdout), read(child.stderr)]).then(([s]) => (s.signal !== null ? `signal ${s.signal}` : `code ${s.code}`));
  let ended = false;
  void exited.then(() => {
    ended = true;
  });
  return {
    kill(signal) {
      if (!ended) child.kill(signal);
    },
    exited,
  };
};

Deno.test('the Slack app on Deno serves a request end to end', async (t) => {
  // Deno.execPath() is the real binary running this test, so SIGTERM reaches the app itself.
  await runMainE2E({
    command: Deno.execPath(),
    args: ['run', '-A', '--no-prompt', 'apps/slack/src/main.ts'],
    spawnApp: spawnWithDeno,
    step: (name, fn) => t.step(name, fn),
  });
});
