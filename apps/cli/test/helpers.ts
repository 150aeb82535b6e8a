// Shared test plumbing: spawning the built `apikey` binary with a clean environment, and an emulator on an
// ephemeral 127.0.0.1 port with a known credential pair.

import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNcpEmulator, serve, type NcpEmulatorOptions } from '@apikey/ncp-emulator';

export const CLI_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = join(CLI_ROOT, '..', '..');
export const BIN = join(CLI_ROOT, 'bin', 'apikey.cjs');

export const ACCESS_KEY = 'AKTESTCLI0123456789';
export const SECRET_KEY = 'SKtestCliSecretValue0123456789abcdefghij';

export type Served = Awaited<ReturnType<typeof serve>>;

export async function startEmulator(opts: NcpEmulatorOptions = {}): Promise<Served> {
  const emulator = createNcpEmulator({ credentials: [{ accessKey: ACCESS_KEY, secretKey: SECRET_KEY }], ...opts });
  return serve({ emulator, port: 0, hostname: '127.0.0.1' });
}

export const tempHome = (): string => mkdtempSync(join(tmpdir(), 'apikey-cli-home-'));

export type RunResult = { code: number | null; stdout: string; stderr: string };

/** Runs `node bin/apikey.cjs …` with only the env given (plus PATH), stdin piped (so never a TTY). */
export function runCli(
  args: string[],
  o: { env?: Record<string, string>; input?: string; home?: string; interruptWhen?: () => boolean; killWhen?: () => boolean } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: o.home ?? tempHome(), ...o.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d: string) => { stderr += d; });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(o.input ?? '');
    // SIGINT as Ctrl+C would send; SIGKILL as a crash (nothing of the process runs after it).
    for (const [when, signal] of [[o.interruptWhen, 'SIGINT'], [o.killWhen, 'SIGKILL']] as const) {
      if (when === undefined) continue;
      const poll = setInterval(() => {
        if (when()) {
          clearInterval(poll);
          child.kill(signal);
        }
      }, 20);
      child.on('close', () => clearInterval(poll));
    }
  });
}

export function envFor(server: Served, extra: Record<string, string> = {}): Record<string, string> {
  return { NCLOUD_ACCESS_KEY: ACCESS_KEY, NCLOUD_SECRET_KEY: SECRET_KEY, NCLOUD_APIGW_ENDPOINT: server.url, ...extra };
}
