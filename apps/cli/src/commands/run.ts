// Owns dispatch from a parsed command line to a command, and the one place scriptable failures become exit
// codes. Everything below this module may import core; main.ts reaches it only through a dynamic import.

import process from 'node:process';
import type { ParsedArgs } from '../args.ts';
import type { Io } from '../io.ts';
import { UsageError } from '../usage-error.ts';
import { runConfigure } from './configure.ts';
import { EXIT, reportError } from './errors.ts';
import { runSandbox } from './sandbox.ts';
import { scriptable } from './scriptable.ts';
import { setupClient } from './client.ts';

export async function runCommand(args: ParsedArgs, io: Io, interactive: boolean): Promise<number> {
  const json = args.flags.json === true;
  try {
    switch (args.command) {
      case undefined:
        return await runWizard(args, io, { screen: 'menu' });
      case 'configure':
        return await runConfigure(args, io);
      case 'sandbox':
        return await runSandbox(args, io);
      case 'create':
        if (interactive && args.flags['dry-run'] !== true) {
          return await runWizard(args, io, {
            screen: 'create',
            ...(typeof args.flags.name === 'string' ? { name: args.flags.name } : {}),
            ...(typeof args.flags.description === 'string' ? { description: args.flags.description } : {}),
          });
        }
        break;
      case 'rotate':
      case 'delete':
        if (interactive) {
          const keyType = args.flags.primary ? 'PRIMARY' : args.flags.secondary ? 'SECONDARY' : undefined;
          return await runWizard(args, io, {
            screen: args.command,
            ...(args.apiKeyId !== undefined ? { apiKeyId: args.apiKeyId } : {}),
            ...(keyType ? { keyType } : {}),
          });
        }
        break;
      default:
        break;
    }
    return await withInterrupt((signal) => scriptable(args, io, signal));
  } catch (e) {
    return reportError(io, e, json);
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

export type WizardRoute =
  | { screen: 'menu' }
  | { screen: 'create'; name?: string; description?: string }
  | { screen: 'rotate'; apiKeyId?: string; keyType?: 'PRIMARY' | 'SECONDARY' }
  | { screen: 'delete'; apiKeyId?: string };

async function runWizard(args: ParsedArgs, io: Io, route: WizardRoute): Promise<number> {
  if (args.global.debug) throw new UsageError('--debug is only available for scriptable commands (its log lines would tear the interactive screen)');
  const setup = await setupClient(args.global, io);
  const { runWizardApp } = await import('../ui/run-wizard.tsx');
  const code = await runWizardApp({ client: setup.client, sandbox: setup.sandbox, endpoint: setup.endpoint, route });
  return code ?? EXIT.ok;
}
