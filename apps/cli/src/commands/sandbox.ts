// Owns `apikey sandbox`: serves the NCP emulator on 127.0.0.1 with the caller's credential pair (or the
// sandbox defaults), logs each request to stderr, and shuts down cleanly on SIGINT/SIGTERM.
// The pair comes from core's resolver, the same one every other command signs with, so whatever
// `apikey list` would sign with is what the sandbox accepts (same trimming, same profile rules).

import process from 'node:process';
import { CredentialsError, printable, redact, type Credentials } from '@apikey/core';
import type { ParsedArgs } from '../args.ts';
import type { Io } from '../io.ts';
import { resolveFromEnvironment, SANDBOX_CREDENTIALS } from './client.ts';
import { EXIT } from './errors.ts';

export const DEFAULT_SANDBOX_PORT = 4010;

export async function runSandbox(args: ParsedArgs, io: Io): Promise<number> {
  const port = typeof args.flags.port === 'string' ? Number(args.flags.port) : DEFAULT_SANDBOX_PORT;
  const { pair, origin } = sandboxPair(args, io);
  const { createNcpEmulator, sandboxCatalogue, serve } = await import('@apikey/ncp-emulator');
  const emulator = createNcpEmulator({ credentials: [pair], products: sandboxCatalogue(), log: (line: string) => io.err(`${redact(line, [pair.secretKey])}\n`) });
  const server = await serve({ emulator, port, hostname: '127.0.0.1' });
  io.out(`NCP emulator listening on ${server.url}\n`);
  // The access key is an identifier, not the secret; printing it tells the user which pair to sign with.
  io.out(`accepting access key ${printable(pair.accessKey)} (${printable(origin)})\n`);
  // The seeded catalogue, so `apikey products` and `create --product` have something to work with at once.
  const listed = emulator.products().filter((p) => p.isPublished).map((p) => `${p.productId} (${p.subscriptionCode}${p.publisherId === emulator.tenantId ? '' : ", another account's"})`);
  io.out(`products: ${listed.join(', ')}; stages answer at ${new URL(server.url).origin}/gateway/… with the x-ncp-apigw-api-key header\n`);
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

/**
 * The pair the caller would sign with (core's resolver: flags, env, profile file), or the sandbox default pair
 * when no credentials are configured at all. A profile named on purpose but missing stays an error.
 */
function sandboxPair(args: ParsedArgs, io: Io): { pair: Credentials; origin: string } {
  try {
    const r = resolveFromEnvironment({ ...args.global, sandbox: false }, io);
    const where = (s: 'env' | 'profile' | 'default') => (s === 'env' ? 'the environment' : `profile [${s === 'profile' ? r.profile : 'DEFAULT'}] of ~/.ncloud/configure`);
    const origin = r.source.accessKey === r.source.secretKey ? `from ${where(r.source.accessKey)}` : `access key from ${where(r.source.accessKey)}, secret from ${where(r.source.secretKey)}`;
    return { pair: r.credentials, origin };
  } catch (e) {
    if (!(e instanceof CredentialsError) || e.missing.length === 0) throw e;
    return { pair: { ...SANDBOX_CREDENTIALS }, origin: 'the sandbox default pair, see apps/cli/README.md' };
  }
}
