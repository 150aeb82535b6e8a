// Shared by the CLI's Deno end-to-end tests (`deno test` over this folder): an NCP emulator served from the test
// process on an ephemeral 127.0.0.1 port, and the CLI run from source (src/main.ts) as a Deno child against it.
// A new *.test.ts here gets the same emulator and runner by importing startCliHarness.

import { createNcpEmulator, serve, type ServedEmulator } from '@apikey/ncp-emulator';

export const CLI_ROOT = new URL('../', import.meta.url).pathname;
export const REPO_ROOT = new URL('../../../', import.meta.url).pathname;
export const MAIN = `${CLI_ROOT}src/main.ts`;
// The deno running this test: the real binary, so a signal sent to a child reaches Deno itself.
export const DENO = Deno.execPath();

export const ACCESS_KEY = 'AKDENOE2E0123456789';
export const SECRET_KEY = 'SKdenoE2eSecret0123456789abcdefghijklmn';

export type CliResult = { code: number; stdout: string; stderr: string };

export type CliHarness = {
  server: ServedEmulator;
  /** A fresh environment: its own empty HOME, the test credentials, and the emulator as the endpoint. */
  env(): Record<string, string>;
  /** Runs `apikey <args>` on Deno with stdin at EOF and exactly the given environment. */
  run(args: string[], env?: Record<string, string>): Promise<CliResult>;
  /** Stops the emulator and removes the temporary HOMEs. */
  close(): Promise<void>;
};

export async function startCliHarness(): Promise<CliHarness> {
  const emulator = createNcpEmulator({ credentials: [{ accessKey: ACCESS_KEY, secretKey: SECRET_KEY }] });
  const server = await serve({ emulator, port: 0, hostname: '127.0.0.1' });
  const homes: string[] = [];
  const env = () => {
    const home = Deno.makeTempDirSync({ prefix: 'apikey-deno-home-' });
    homes.push(home);
    return {
      PATH: Deno.env.get('PATH') ?? '',
      HOME: home,
      NCLOUD_ACCESS_KEY: ACCESS_KEY,
      NCLOUD_SECRET_KEY: SECRET_KEY,
      NCLOUD_APIGW_ENDPOINT: server.url,
    };
  };
  const run = async (args: string[], childEnv = env()): Promise<CliResult> => {
    const out = await new Deno.Command(DENO, {
      args: ['run', '-A', '--no-prompt', MAIN, ...args],
      cwd: REPO_ROOT,
      env: childEnv,
      clearEnv: true,
      stdin: 'null',
      stdout: 'piped',
      stderr: 'piped',
    }).output();
    const text = new TextDecoder();
    return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
  };
  return {
    server,
    env,
    run,
    async close() {
      await server.close();
      for (const home of homes) await Deno.remove(home, { recursive: true }).catch(() => {});
    },
  };
}

/** Collects a child's stream as text in the background; `done` settles when the stream ends. */
export function collect(stream: ReadableStream<Uint8Array>): { text(): string; done: Promise<void> } {
  let text = '';
  const done = stream.pipeThrough(new TextDecoderStream()).pipeTo(new WritableStream({ write(chunk) { text += chunk; } }));
  return { text: () => text, done };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value; on timeout fails with `what` and whatever `context` says then. */
export async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs: number, context: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${context()}`);
    await sleep(50);
  }
}

export const hasTmux = (() => {
  try {
    return new Deno.Command('tmux', { args: ['-V'], stdout: 'null', stderr: 'null' }).outputSync().success;
  } catch {
    return false;
  }
})();
