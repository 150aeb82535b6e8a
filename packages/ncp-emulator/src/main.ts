// Stand-alone runner (Node: `node --import tsx src/main.ts`, Deno: `deno run -A src/main.ts`): serves the emulator
// with credentials from NCLOUD_ACCESS_KEY / NCLOUD_SECRET_KEY (or the sandbox defaults) and logs to stderr.

import process from 'node:process';
import { createNcpEmulator } from './emulator.ts';
import { sandboxCatalogue } from './sandbox-catalogue.ts';
import { credentialsFromEnv, parseArgs, USAGE } from './runner-config.ts';
import { serve } from './serve-node.ts';

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if ('help' in args) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if ('error' in args) {
    process.stderr.write(`ncp-emulator: ${args.error}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const creds = credentialsFromEnv(process.env);
  if ('error' in creds) {
    process.stderr.write(`ncp-emulator: ${creds.error}\n`);
    process.exitCode = 2;
    return;
  }
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  const emulator = createNcpEmulator({ credentials: creds.credentials, log, products: sandboxCatalogue(), ...(args.seed !== undefined ? { seed: args.seed } : {}) });
  const served = await serve({ emulator, port: args.port });
  log(`NCP emulator listening on ${served.url} (credentials: ${creds.source === 'env' ? 'from environment' : 'sandbox defaults'})`);
  const stop = (): void => {
    void served.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await main();
