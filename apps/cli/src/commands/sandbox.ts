// Owns `apikey sandbox`: serves the NCP emulator on 127.0.0.1 with the caller's credential pair (or the
// sandbox defaults), logs each request to stderr, and shuts down cleanly on SIGINT/SIGTERM.

import process from 'node:process';
import { redact } from '@apikey/core';
import type { ParsedArgs } from '../args.ts';
import type { Io } from '../io.ts';
import { SANDBOX_CREDENTIALS } from './client.ts';
import { EXIT } from './errors.ts';

export const DEFAULT_SANDBOX_PORT = 4010;

export async function runSandbox(args: ParsedArgs, io: Io): Promise<number> {
  const port = typeof args.flags.port === 'string' ? Number(args.flags.port) : DEFAULT_SANDBOX_PORT;
  const accessKey = io.env.NCLOUD_ACCESS_KEY ?? io.env.NCLOUD_ACCESS_KEY_ID;
  const secretKey = io.env.NCLOUD_SECRET_KEY ?? io.env.NCLOUD_SECRET_ACCESS_KEY;
  const fromEnv = Boolean(accessKey && secretKey);
  const pair = fromEnv ? { accessKey: accessKey as string, secretKey: secretKey as string } : { ...SANDBOX_CREDENTIALS };
  const { createNcpEmulator, serve } = await import('@apikey/ncp-emulator');
  const emulator = createNcpEmulator({ credentials: [pair], log: (line: string) => io.err(`${redact(line, [pair.secretKey])}\n`) });
  const server = await serve({ emulator, port, hostname: '127.0.0.1' });
  io.out(`NCP emulator listening on ${server.url}\n`);
  // The access key is an identifier, not the secret; printing it tells the user which pair to sign with.
  io.out(`accepting access key ${pair.accessKey} (${fromEnv ? 'from NCLOUD_ACCESS_KEY; secret from NCLOUD_SECRET_KEY' : 'the sandbox default pair, see apps/cli/README.md'})\n`);
  io.out('Press Ctrl+C to stop.\n');
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  io.err('emulator stopped\n');
  return EXIT.ok;
}
