// Owns dispatch of scriptable commands (and configure, sandbox), and the one place their failures become exit
// codes. Everything below this module may import core; main.ts reaches it only through a dynamic import.

import process from 'node:process';
import type { ParsedArgs } from '../args.ts';
import type { Io } from '../io.ts';
import { runAuthStatus } from './auth-status.ts';
import { runConfigureList } from './configure-list.ts';
import { runConfigure } from './configure.ts';
import { reportError } from './errors.ts';
import { endpointOrigin } from './origin.ts';
import { runSandbox } from './sandbox.ts';
import { scriptable } from './scriptable.ts';

export async function runCommand(args: ParsedArgs, io: Io): Promise<number> {
  const json = args.flags.json === true;
  try {
    switch (args.command) {
      case 'configure':
        if (args.subcommand === 'list') return runConfigureList(args, io);
        return await runConfigure(args, io);
      case 'auth':
        return await withInterrupt((signal) => runAuthStatus(args, io, signal));
      case 'sandbox':
        return await runSandbox(args, io);
      default:
        return await withInterrupt((signal) => scriptable(args, io, signal));
    }
  } catch (e) {
    return reportError(io, e, { json, debug: args.global.debug, endpoint: () => endpointOrigin(args.global, io) });
  }
}

/** Ctrl+C outside raw mode arrives as SIGINT: abort what is in flight, then exit 130 through the error path. */
async function withInterrupt(run: (signal: AbortSignal) => Promise<number>): Promise<number> {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  try {
    return await run(controller.signal);
  } finally {
    process.removeListener('SIGINT', onSignal);
  }
}
