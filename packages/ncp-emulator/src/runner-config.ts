// Argument and environment parsing for the stand-alone runner (src/main.ts), kept pure so it can be tested.

import { DEFAULT_CREDENTIALS } from './emulator.ts';
import type { Credential } from './types.ts';

export const USAGE = 'usage: ncp-emulator [--port N] [--seed N]\n' +
  'credentials: NCLOUD_ACCESS_KEY (or NCLOUD_ACCESS_KEY_ID) and NCLOUD_SECRET_KEY (or NCLOUD_SECRET_ACCESS_KEY);\n' +
  'without them the sandbox pair SANDBOX_ACCESS_KEY / SANDBOX_SECRET_KEY is accepted.';

export type RunnerArgs = { port: number; seed?: number };

/** Parses argv; returns an error message instead of throwing so the runner can exit 2 with it. */
export function parseArgs(argv: readonly string[]): RunnerArgs | { error: string } | { help: true } {
  const out: RunnerArgs = { port: 0 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') return { help: true };
    // Package-manager pass-through separator (`pnpm start -- --port 1`).
    if (arg === '--') continue;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag !== '--port' && flag !== '--seed') return { error: `unknown argument ${JSON.stringify(arg)}` };
    const value = inline ?? argv[++i];
    if (value === undefined || !/^\d+$/.test(value)) return { error: `${flag} needs a non-negative integer` };
    const n = Number(value);
    if (flag === '--port') {
      if (n > 65535) return { error: '--port must be 0–65535' };
      out.port = n;
    } else {
      if (n > 0xffffffff) return { error: '--seed must fit in 32 bits' };
      out.seed = n;
    }
  }
  return out;
}

/** Env credentials when both halves are set; the sandbox default otherwise. A half-set pair is an error. */
export function credentialsFromEnv(env: Record<string, string | undefined>): { credentials: Credential[]; source: 'env' | 'default' } | { error: string } {
  const accessKey = env.NCLOUD_ACCESS_KEY || env.NCLOUD_ACCESS_KEY_ID;
  const secretKey = env.NCLOUD_SECRET_KEY || env.NCLOUD_SECRET_ACCESS_KEY;
  if (accessKey && secretKey) return { credentials: [{ accessKey, secretKey }], source: 'env' };
  if (accessKey || secretKey) {
    return { error: `set both NCLOUD_ACCESS_KEY and NCLOUD_SECRET_KEY (only ${accessKey ? 'the access key' : 'the secret key'} is set)` };
  }
  return { credentials: [...DEFAULT_CREDENTIALS], source: 'default' };
}
